"""Storage fixtures: see tests/db.py (SQLite and PostgreSQL, rolled back per test)."""

from tests.db import (  # noqa: F401
    db_engine,
    db_url,
    postgres_admin_url,
    postgres_url,
    sqlite_url,
    store,
)
