"""Trust: users, roles, need-to-know, tokens, web sessions and the hash-chained audit log.

Stands on ``domain`` and ``store``. ``security.policy.can`` is the one place that decides
who may do what; faces only ask it.
"""
