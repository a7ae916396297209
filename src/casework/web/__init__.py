"""The web workbench: server-rendered pages over the services, the policy and the audit log.

Pages are FastAPI routes that render Jinja2 templates; they take the same dependencies as
the API (``SessionDep``, ``Authorized``, ``CaseInScope``, ``AuditDep``), so every page asks
the policy and writes the audit entries the matching API route writes. HTMX (vendored in
``static/vendor``) adds partial updates; every page works without it.

Adding a page: write a router in ``web/pages_*.py`` (``include_in_schema=False``), declare
its action with ``**requires(Action.X)``, add it to ``PAGES`` in ``web/mount.py`` and an
example to ``tests/web/test_page_table.py``.
"""

from __future__ import annotations

from fastapi import FastAPI


def install_web(app: FastAPI) -> None:
    """Add the pages, the static files and the HTML error pages to ``app``."""
    # imported here: the pages import casework.api.deps, and casework.api imports this module
    from casework.web.mount import install

    install(app)


__all__ = ["install_web"]
