"""A write that fails part-way leaves nothing behind (API and CLI, SQLite and PostgreSQL).

The failure is real, not a patched method: a database trigger refuses one insert that comes
after others of the same request (the case is written, then its team; the case and its
parties, then its deadlines). Every table is then compared with its state before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, MetaData, select, text

from casework.api import create_app
from casework.config import Settings
from casework.security.auth import create_token
from casework.security.roles import UserRole
from casework.security.users import create_user
from casework.store import SqlCaseStore, make_engine, session_factory, upgrade_database
from casework.store.security_models import ApiTokenRow
from tests.conftest import Invoke
from tests.db import (  # noqa: F401 (postgres_admin_url is a fixture)
    BACKENDS,
    drop_postgres_database,
    fresh_postgres_database,
    postgres_admin_url,
)

SECRET_KEY = "test-secret-key-" + "x" * 32
CHANGING = frozenset({"api_tokens", "alembic_version"})
"""Tables a request may legitimately touch apart from its own write (token use)."""


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database of one backend, made for this test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casework.sqlite3'}"
        upgrade_database(url)
        yield url
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    name, url = fresh_postgres_database(admin)
    try:
        upgrade_database(url)
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _fail_inserts_into(engine: Engine, table: str) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    f"CREATE TRIGGER injected_failure BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER injected_failure BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION injected_failure()"
                )
            )


def _stop_failing(engine: Engine, table: str) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER injected_failure"))
        else:
            connection.execute(text(f"DROP TRIGGER injected_failure ON {table}"))
            connection.execute(text("DROP FUNCTION injected_failure()"))


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = MetaData()
    with engine.connect() as connection:
        tables.reflect(connection)
        return {
            table.name: sorted(
                (tuple(r) for r in connection.execute(select(table))),
                key=lambda row: tuple(str(v) for v in row),
            )
            for table in tables.sorted_tables
            if table.name not in CHANGING
        }


def _seed_user(engine: Engine) -> str:
    with SqlCaseStore(session_factory(engine)()) as store:
        create_user(
            session=store.session,
            username="amy",
            password="a-long-enough-password",
            role=UserRole.INVESTIGATOR,
            force="WY",
            full_name="Amy KHAN",
        )
        made = create_token(
            session=store.session,
            username="amy",
            name="tests",
            scopes=None,
            lifetime=timedelta(days=30),
            max_lifetime=timedelta(days=90),
        )
    return made.token


def _post(url: str, token: str, path: str, body: dict[str, Any]) -> httpx.Response:
    app = create_app(Settings(database_url=url, secret_key=SECRET_KEY))

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.post(path, json=body, headers={"Authorization": f"Bearer {token}"})

    try:
        return asyncio.run(go())
    finally:
        app.state.engine.dispose()


NEW_CASE = {
    "reported_on": "2026-02-21",
    "offences": [{"code": "common_assault", "committed_on": "2026-02-20"}],
    "domestic_abuse": True,
    "parties": [
        {"role": "victim", "name": "Jane SMITH"},
        {"role": "suspect", "name": "Terry WILLIAMS"},
    ],
}


def test_api_a_case_whose_team_cannot_be_written_is_not_stored(db_url: str, engine: Engine) -> None:
    token = _seed_user(engine)
    _fail_inserts_into(engine, "case_team_members")  # after the case itself is written
    before = _snapshot(engine)
    failed = _post(db_url, token, "/api/cases", NEW_CASE)
    assert failed.status_code == 500
    assert _snapshot(engine) == before

    _stop_failing(engine, "case_team_members")
    made = _post(db_url, token, "/api/cases", NEW_CASE)
    assert made.status_code == 201, made.text
    assert made.json()["reference"] == "WY-2026-000001"  # the number was not used up
    after = _snapshot(engine)
    assert len(after["cases"]) == 1 and len(after["case_team_members"]) == 1
    assert len(after["audit_log"]) == 1


def test_api_token_use_is_noted(db_url: str, engine: Engine) -> None:
    token = _seed_user(engine)
    with engine.connect() as connection:
        assert connection.execute(select(ApiTokenRow.last_used_at)).scalar() is None
    assert _post(db_url, token, "/api/cases", NEW_CASE).status_code == 201
    with engine.connect() as connection:
        assert connection.execute(select(ApiTokenRow.last_used_at)).scalar() is not None


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CASEWORK_DATABASE_URL", db_url)
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    return tmp_path / "home"


def test_cli_a_case_whose_deadlines_cannot_be_written_is_not_stored(
    cli: Invoke, cli_home: Path, engine: Engine
) -> None:
    command = (
        "case", "open", "--force", "WY", "--offence", "common_assault",
        "--offence-date", "2026-02-20", "--reported", "2026-02-21",
        "--victim", "Jane SMITH", "--suspect", "Terry WILLIAMS",
    )  # fmt: skip
    _fail_inserts_into(engine, "case_deadlines")  # after the case and its parties
    before = _snapshot(engine)
    failed = cli(*command)
    assert failed.code == 1
    assert "unexpected failure" in failed.err and "Traceback" not in failed.err
    after = _snapshot(engine)
    entries = after.pop("audit_log")
    after.pop("audit_head")
    assert after == {k: v for k, v in before.items() if k not in {"audit_log", "audit_head"}}
    assert len(entries) == 1  # only the record that the command failed

    _stop_failing(engine, "case_deadlines")
    made = cli(*command)
    assert made.code == 0, made.err
    assert made.out.strip() == "WY-2026-000001"
    assert _snapshot(engine)["case_deadlines"]
    assert cli("audit", "verify").code == 0
