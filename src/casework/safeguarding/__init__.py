"""Safeguarding: victim-blaming language, industry referrals, missing persons, networks."""
