"""The HTTP API: FastAPI routers over the services; every route asks the policy.

``create_app(settings)`` builds the app; OpenAPI is at ``/api/openapi.json``.
"""

from __future__ import annotations

from casework.api.app import create_app

__all__ = ["create_app"]
