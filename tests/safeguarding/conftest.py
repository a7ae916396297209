"""Safeguarding tests use the API's seeded database and the web's page client."""

from __future__ import annotations

from tests.api.conftest import app, db_path, postgres_admin_url, seed  # noqa: F401 (fixtures)
from tests.db import db_engine, db_url, postgres_url, sqlite_url, store  # noqa: F401 (fixtures)
from tests.web.conftest import pages  # noqa: F401 (a fixture)
