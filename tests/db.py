"""Database fixtures for every test that needs storage, on SQLite and on PostgreSQL.

Import the fixtures into a conftest or test module (``from tests.db import db_url,
db_engine, store``). ``store`` is parametrised: each test runs once on SQLite and once on
PostgreSQL, inside a transaction that is rolled back at the end (service commits become
savepoints), so no test sees another's data. PostgreSQL is expected at 127.0.0.1:5432
(trust auth, user postgres, or ``CASEWORK_TEST_POSTGRES_URL``); a fresh database
``casework_test_<random>`` is made for the session and dropped afterwards. When PostgreSQL
cannot be reached, its tests are skipped with a message saying so, never silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.pole import PersonDetails
from casework.store import SqlCaseStore, make_engine, upgrade_database

POSTGRES_ADMIN_URL = os.environ.get(
    "CASEWORK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""A fixed 'now' for services: Monday 2 March 2026, 10:00 UTC."""


def _admin_connect_error() -> str | None:
    """Return why PostgreSQL cannot be reached, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'casework[postgres]')"
    url = make_url(POSTGRES_ADMIN_URL)
    try:
        with psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.database,
            connect_timeout=3,
        ):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _admin_execute(sql: str) -> None:
    import psycopg

    url = make_url(POSTGRES_ADMIN_URL)
    with psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        autocommit=True,
    ) as connection:
        connection.execute(sql.encode())


def _where() -> str:
    return make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The admin URL of the test PostgreSQL server; skips (with the reason) if unreachable."""
    problem = _admin_connect_error()
    if problem is not None:
        pytest.skip(f"PostgreSQL not reachable at {_where()}: {problem}")
    return POSTGRES_ADMIN_URL


def fresh_postgres_database(admin_url: str) -> tuple[str, str]:
    """Create an empty database; return its name and URL (the caller drops it)."""
    name = f"casework_test_{secrets.token_hex(6)}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def create_postgres_database(admin_url: str, name: str, *, template: str | None = None) -> str:
    """Create database ``name`` (a copy of ``template`` when given); return its URL.

    Copying a template is a file copy on the server: far faster than migrating and seeding.
    The template must have no open connections while it is copied.
    """
    clause = f' TEMPLATE "{template}"' if template else ""
    _admin_execute(f'CREATE DATABASE "{name}"{clause}')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(name: str) -> None:
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database for this test session, dropped at the end."""
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file for this test session."""
    path: Path = tmp_path_factory.mktemp("db") / "casework.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a migrated database: once SQLite, once PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(db_engine: Engine) -> Iterator[SqlCaseStore]:
    """A unit of work inside a transaction rolled back after the test."""
    connection = db_engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield SqlCaseStore(session)
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def make_new_case(
    *,
    force: str = "WY",
    offences: tuple[tuple[str, date | None], ...] = (("common_assault", date(2026, 2, 20)),),
    domestic_abuse: bool = True,
    reported_on: date = date(2026, 2, 21),
    victim: str = "Jane SMITH",
    suspect: str = "Terry WILLIAMS",
    officer: str = "Amy KHAN",
) -> NewCase:
    """A typical domestic-abuse report; override what a test is about."""
    return NewCase(
        force=force,
        reported_on=reported_on,
        offences=tuple(OffenceDetails(code=c, committed_on=d) for c, d in offences),
        domestic_abuse=domestic_abuse,
        parties=(
            (Role.VICTIM, PersonDetails.from_full_name(victim)),
            (Role.SUSPECT, PersonDetails.from_full_name(suspect)),
            (Role.OFFICER_IN_CASE, PersonDetails.from_full_name(officer)),
        ),
    )
