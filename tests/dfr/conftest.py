"""DFR fixtures: the API's seeded app and in-process pages (SQLite and PostgreSQL)."""

from tests.web.conftest import (  # noqa: F401 (fixtures)
    app,
    db_path,
    pages,
    postgres_admin_url,
    pytest_generate_tests,
    seed,
)
