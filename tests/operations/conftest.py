"""Operations fixtures: storage from tests/db.py (SQLite and PostgreSQL, rolled back per test)."""

from tests.api.conftest import app, db_path, seed  # noqa: F401 (API fixtures)
from tests.db import (  # noqa: F401
    db_engine,
    db_url,
    postgres_admin_url,
    postgres_url,
    sqlite_url,
    store,
)
