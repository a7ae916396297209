"""Register fixtures: the store (tests/db.py) and the seeded app (tests/api/conftest.py).

Both run every test that uses them on SQLite and on PostgreSQL.
"""

from collections.abc import Iterator

import pytest

from casework.store import SqlCaseStore
from casework.store.dog_models import SqlDogStore
from tests.api.conftest import (  # noqa: F401 (the API's seeded app, on both backends)
    app,
    db_path,
    pytest_generate_tests,
    seed,
)
from tests.db import (  # noqa: F401
    db_engine,
    db_url,
    postgres_admin_url,
    postgres_url,
    sqlite_url,
    store,
)
from tests.web.conftest import pages  # noqa: F401 (pages in-process, as a browser)


@pytest.fixture
def register(store: SqlCaseStore) -> Iterator[SqlDogStore]:  # noqa: F811 (the fixture)
    """The dog register in the test's own rolled-back transaction."""
    yield SqlDogStore(store.session)
