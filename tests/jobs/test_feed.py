"""The feeder's quick look: recent uploads and unfinished claims, not every upload ever stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from casework.store import make_engine
from casework.store.document_models import CaseDocumentRow
from casework.store.processing import (
    recent_uploads_to_process,
    release_claims,
    take_claim,
    uploads_to_process,
)
from tests.jobs.conftest import Place, open_case, upload


def test_the_quick_look_finds_recent_uploads_and_released_claims_only(place: Place) -> None:
    case = open_case(place.url)
    old = upload(place, case, "old.txt", b"Statement of Jane SMITH.", "text")
    released = upload(place, case, "released.txt", b"Statement of Priya PATEL.", "text")
    recent = upload(place, case, "recent.txt", b"Statement of Grace OKAFOR.", "text")
    now = datetime.now(UTC)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            session.execute(
                update(CaseDocumentRow)
                .where(CaseDocumentRow.id.in_([old, released]))
                .values(uploaded_at=now - timedelta(days=1))
            )
            claim = take_claim(
                session=session,
                document_id=released,
                owner="w1",
                now=now,
                lease=timedelta(seconds=60),
                audiences=("cps",),
            )
            assert claim is not None
            release_claims(session=session, owner="w1", now=now)  # a clean stop: pending again
        with Session(engine) as session:
            quick = recent_uploads_to_process(
                session=session,
                audiences=("cps",),
                now=now,
                since=now - timedelta(minutes=15),
                limit=10,
            )
            full = uploads_to_process(session=session, audiences=("cps",), now=now, limit=10)
        assert quick == [released, recent]  # oldest first, the plain old upload left out
        assert set(full) == {old, released, recent}  # the full pass misses nothing
    finally:
        engine.dispose()
