"""API fixtures: a seeded database made once per backend, copied for each test; in-process calls.

Seed: one user per role in force WY (password ``PASSWORD``, an API token each), plus
``outsider`` (investigator, not on any team); ``TEAM_CASE`` (OIC Amy KHAN = the
investigator, IDVA Val CARE = victim care; sent to the CPS) and ``RESTRICTED_CASE``
(restricted, nobody's). The team case holds one uploaded document with a CPS copy, in a
document store under ``home`` (copied for each test with the database).

``seed`` is parametrised, so every test that uses it (``db_path``, ``app``, ``pages``) runs
once on SQLite (ids ``[sqlite]``) and once on PostgreSQL (``[postgresql]``). SQLite: the
seed is a file, copied per test. PostgreSQL: the seed is a template database
``casework_api_tpl_<hex>`` made once per session; each test gets
``CREATE DATABASE ... TEMPLATE ...`` (a server-side file copy), dropped after the test with
its connections ended. Where PostgreSQL cannot be reached those tests are skipped with the
reason (tests/db.py). ``db_path`` stays a path (its ``parent`` holds ``home``); use
``database_url(db_path)`` or ``settings_for(db_path)`` for the database itself. A few tests
open ``sqlite:///{db_path}`` themselves; they run on SQLite only (``SQLITE_FILE_TESTS``).
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from casework.api import create_app
from casework.config import Settings
from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.pole import PersonDetails
from casework.domain.stages import Agency, Stage
from casework.journey import cases as case_service
from casework.security.auth import create_token
from casework.security.roles import UserRole
from casework.security.users import create_user
from casework.store import SqlCaseStore, make_engine, session_factory, upgrade_database
from casework.store.documents import BlobStore, NewDocument, add_document
from casework.store.models import CaseRow
from tests.db import (
    BACKENDS,
    NOW,
    create_postgres_database,
    drop_postgres_database,
)
from tests.db import (
    postgres_admin_url as postgres_admin_url,  # a fixture: the PostgreSQL seed asks for it
)
from tests.safeguarding.seeding import seed_missing_case

PASSWORD = "casework-demo-password"
SECRET_KEY = "test-secret-key-" + "x" * 32
FULL_NAMES = {
    UserRole.INVESTIGATOR: "Amy KHAN",
    UserRole.SUPERVISOR: "Sam PATEL",
    UserRole.PROSECUTOR: "Priya SHAH",
    UserRole.VICTIMCARE: "Val CARE",
}


@dataclass
class Seed:
    path: Path
    team_case: str
    restricted_case: str
    backend: str = "sqlite"
    template: str = ""
    """PostgreSQL: the template database each test's database is copied from."""
    admin_url: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, str] = field(default_factory=dict)
    document_id: str = ""
    missing_case: str = ""


def _new_case(*, restricted: bool) -> NewCase:
    return NewCase(
        force="WY",
        reported_on=date(2026, 2, 21),
        offences=(OffenceDetails(code="common_assault", committed_on=date(2026, 2, 20)),),
        domestic_abuse=True,
        restricted=restricted,
        parties=(
            (Role.VICTIM, PersonDetails.from_full_name("Jane SMITH")),
            (Role.SUSPECT, PersonDetails.from_full_name("Terry WILLIAMS")),
            (Role.OFFICER_IN_CASE, PersonDetails.from_full_name(FULL_NAMES[UserRole.INVESTIGATOR])),
            (Role.IDVA, PersonDetails.from_full_name(FULL_NAMES[UserRole.VICTIMCARE])),
        )
        if not restricted
        else ((Role.VICTIM, PersonDetails.from_full_name("Kim JONES")),),
    )


_DATABASE_URLS: dict[Path, str] = {}
"""PostgreSQL test databases by their ``db_path``; a path not here is a SQLite file."""


def database_url(path: Path) -> str:
    """The URL of the test database behind ``path`` (a ``db_path`` or a seed's path)."""
    return _DATABASE_URLS.get(path, f"sqlite:///{path}")


SQLITE_FILE_TESTS = {
    "test_case_page_shows_the_case_and_writes_the_api_audit_entries",
    "test_advance_the_stage_through_the_form",
    "test_advance_without_the_csrf_token_is_refused",
}
"""Tests that open ``sqlite:///{db_path}`` themselves (tests/web/test_pages.py's audit reads),
like every test using test_metrics_api's ``known`` fixture: they run on SQLite only, until
they read the database through ``database_url(db_path)``."""


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Keep the tests that read the SQLite file directly to ``[sqlite]``.

    A ``parametrize`` mark (added before pytest expands fixture params) takes precedence
    over the params of ``seed``.
    """
    if "seed" not in metafunc.fixturenames:
        return
    if metafunc.function.__name__ in SQLITE_FILE_TESTS or "known" in metafunc.fixturenames:
        metafunc.definition.add_marker(pytest.mark.parametrize("seed", ["sqlite"], indirect=True))


@pytest.fixture(scope="session", params=BACKENDS)
def seed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seed]:
    """The seeded database: a SQLite file, or a PostgreSQL template database."""
    path = tmp_path_factory.mktemp(f"api-{request.param}") / "seed.sqlite3"
    if request.param == "sqlite":
        yield _seed(path, f"sqlite:///{path}")
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    template = f"casework_api_tpl_{secrets.token_hex(6)}"
    url = create_postgres_database(admin_url, template)
    try:
        result = _seed(path, url)
        result.backend, result.template, result.admin_url = "postgresql", template, admin_url
        _DATABASE_URLS[path] = url
        yield result
    finally:
        _DATABASE_URLS.pop(path, None)
        drop_postgres_database(template)


def _seed(path: Path, url: str) -> Seed:
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with SqlCaseStore(session_factory(engine)()) as store:
            names = [r.value for r in UserRole] + ["outsider"]
            for name in names:
                role = UserRole(name) if name != "outsider" else UserRole.INVESTIGATOR
                create_user(
                    session=store.session,
                    username=name,
                    password=PASSWORD,
                    role=role,
                    force="WY",
                    full_name=FULL_NAMES.get(UserRole(name), name.upper())
                    if name != "outsider"
                    else "Olly OUTSIDER",
                )
            team = case_service.open_case(
                store=store, new=_new_case(restricted=False), actor="seed", now=NOW
            )
            for stage in (Stage.INVESTIGATING, Stage.WITH_CPS):
                case_service.advance(
                    store=store,
                    reference=team.reference,
                    to=stage,
                    reason="seed",
                    actor="seed",
                    decided_by=Agency.POLICE,
                    now=NOW,
                )
            restricted = case_service.open_case(
                store=store, new=_new_case(restricted=True), actor="seed", now=NOW
            )
            result = Seed(path, str(team.reference), str(restricted.reference))
            result.document_id = _seed_document(store, path, str(team.reference))
            result.missing_case = seed_missing_case(store.session)
            for name in names:
                made = create_token(
                    session=store.session,
                    username=name,
                    name="tests",
                    scopes=None,
                    lifetime=timedelta(days=300),
                    max_lifetime=timedelta(days=366),
                )
                result.tokens[name] = made.token
                result.token_ids[name] = str(made.info.id)
    finally:
        engine.dispose()
    return result


def _seed_document(store: SqlCaseStore, path: Path, reference: str) -> str:
    """Upload a statement to the team case, with a CPS copy, into the seed's document store."""
    blobs = BlobStore(path.parent / "home" / "documents")
    case_id, force = store.session.execute(
        select(CaseRow.id, CaseRow.force).where(CaseRow.reference == reference)
    ).one()
    original = add_document(
        session=store.session,
        case_id=case_id,
        force=force,
        new=NewDocument(
            name="statement.txt",
            blob=blobs.put_bytes(b"Statement of Jane SMITH", max_bytes=1024),
            content_type="text/plain",
            format="text",
        ),
        uploaded_by="investigator",
        now=datetime.now(UTC),
    )
    add_document(
        session=store.session,
        case_id=case_id,
        force=force,
        new=NewDocument(
            name="statement [cps].txt",
            blob=blobs.put_bytes(b"Statement of [VICTIM 1]", max_bytes=1024),
            content_type="text/plain",
            format="text",
            audience="cps",
            derived_from=original.id,
        ),
        uploaded_by="investigator",
        now=datetime.now(UTC),
    )
    return str(original.id)


def settings_for(path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "home": path.parent / "home",
        "database_url": database_url(path),
        "secret_key": SECRET_KEY,
        "lockout_failures": 3,
        "sign_in_rate_limit": 50,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def db_path(seed: Seed, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the seeded database for one test (and of its document store)."""
    if (seed.path.parent / "home").is_dir():
        shutil.copytree(seed.path.parent / "home", tmp_path / "home")
    if seed.backend == "sqlite":
        path = tmp_path / "casework.sqlite3"
        shutil.copyfile(seed.path, path)
        yield path
        return
    path = tmp_path / "casework.postgresql"
    name = f"casework_test_{secrets.token_hex(6)}"
    _DATABASE_URLS[path] = create_postgres_database(seed.admin_url, name, template=seed.template)
    try:
        yield path
    finally:
        _DATABASE_URLS.pop(path, None)
        drop_postgres_database(name)


@pytest.fixture
def app(db_path: Path) -> Iterator[FastAPI]:
    application = create_app(settings_for(db_path))
    yield application
    application.state.engine.dispose()


class Api:
    """Synchronous in-process calls over httpx's ASGI transport; cookies kept per instance."""

    def __init__(self, app: FastAPI, *, token: str | None = None) -> None:
        self.app = app
        self.token = token
        self.cookies = httpx.Cookies()
        self.csrf: str | None = None

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", cookies=self.cookies
            ) as client:
                headers = dict(kwargs.pop("headers", {}) or {})
                if self.token:
                    headers.setdefault("Authorization", f"Bearer {self.token}")
                response = await client.request(method, url, headers=headers, **kwargs)
                self.cookies.update(client.cookies)
                return response

        return asyncio.run(go())

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        response = self.call(
            "POST", "/api/auth/sign-in", json={"username": username, "password": password}
        )
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response
