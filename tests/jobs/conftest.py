"""Fixtures for upload processing: a fresh database of its own (workers commit), a case, uploads.

Workers commit in their own transactions and other processes, so these tests cannot use the
rolled-back ``store`` fixture: each gets an empty database (SQLite file, or a PostgreSQL
database made and dropped for it) and a document store under ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from casework.config import Settings
from casework.journey import cases as case_service
from casework.store import SqlCaseStore, make_engine, session_factory, upgrade_database
from casework.store.documents import BlobStore, NewDocument, add_document
from casework.store.models import CaseRow
from tests.db import (  # noqa: F401
    BACKENDS,
    drop_postgres_database,
    fresh_postgres_database,
    make_new_case,
    postgres_admin_url,
)
from tests.documents.factories import make_pdf

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
VICTIMS = ("Jane SMITH", "Priya PATEL", "Olivia BROWN", "Grace OKAFOR", "Megan HUGHES")
PHONES = ("07700 900123", "07700 900456", "07700 900789", "07700 900321", "07700 900654")
POSTCODES = ("LS1 4AP", "BD7 1DP", "HX1 1UJ", "WF1 2EE", "HD1 2TA")


@dataclass(frozen=True)
class Place:
    """A database and a document store for one test."""

    url: str
    home: Path

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(self.home / "documents")

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = {"home": self.home, "database_url": self.url}
        values.update(overrides)
        return Settings.model_validate(values)

    def env(self, **overrides: str) -> dict[str, str]:
        """CASEWORK_* variables pointing a subprocess here."""
        return {"CASEWORK_HOME": str(self.home), "CASEWORK_DATABASE_URL": self.url, **overrides}


@pytest.fixture(params=BACKENDS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """An empty, migrated database of this test's own: once SQLite, once PostgreSQL."""
    home = tmp_path / "home"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casework.sqlite3'}"
        upgrade_database(url)
        yield Place(url, home)
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    name, url = fresh_postgres_database(admin)
    try:
        upgrade_database(url)
        yield Place(url, home)
    finally:
        drop_postgres_database(name)


def statement_pdf(index: int, *, pages: int) -> bytes:
    """A multi-page witness statement full of one victim's personal data (synthetic)."""
    victim, phone, postcode = (
        VICTIMS[index % len(VICTIMS)],
        PHONES[index % len(PHONES)],
        POSTCODES[index % len(POSTCODES)],
    )
    return make_pdf(
        [
            [
                f"WITNESS STATEMENT {index + 1}, page {page + 1} of {pages}",
                f"Statement of {victim}, who lives at 12 Park Road, Leeds {postcode}.",
                f"{victim} can be reached on {phone} at any time.",
                "On 14 February 2026 the suspect Terry WILLIAMS shouted at her in the street.",
                f"She called 999 from {phone} and officers attended.",
            ]
            for page in range(pages)
        ]
    )


def open_case(url: str) -> tuple[UUID, str, str]:
    """Open a case; return its id, force and reference."""
    engine = make_engine(url)
    try:
        with SqlCaseStore(session_factory(engine)()) as store:
            case = case_service.open_case(store=store, new=make_new_case(), actor="test", now=NOW)
            case_id, force = store.session.execute(
                select(CaseRow.id, CaseRow.force).where(CaseRow.reference == str(case.reference))
            ).one()
            return case_id, force, str(case.reference)
    finally:
        engine.dispose()


def upload(place: Place, case: tuple[UUID, str, str], name: str, data: bytes, fmt: str) -> UUID:
    """Store ``data`` and record it as an upload of ``case`` (as the documents API does)."""
    engine = make_engine(place.url)
    try:
        with SqlCaseStore(session_factory(engine)()) as store:
            stored = add_document(
                session=store.session,
                case_id=case[0],
                force=case[1],
                new=NewDocument(
                    name=name,
                    blob=place.blobs.put_bytes(data, max_bytes=1 << 30),
                    content_type="application/pdf" if fmt == "pdf" else "text/plain",
                    format=fmt,
                ),
                uploaded_by="investigator",
                now=datetime.now(UTC),
            )
            return stored.id
    finally:
        engine.dispose()
