"""Register fixtures: see tests/db.py (SQLite and PostgreSQL, rolled back per test)."""

from collections.abc import Iterator

import pytest

from casework.store import SqlCaseStore
from casework.store.dog_models import SqlDogStore
from tests.db import (  # noqa: F401
    db_engine,
    db_url,
    postgres_admin_url,
    postgres_url,
    sqlite_url,
    store,
)


@pytest.fixture
def register(store: SqlCaseStore) -> Iterator[SqlDogStore]:  # noqa: F811 (the fixture)
    """The dog register in the test's own rolled-back transaction."""
    yield SqlDogStore(store.session)
