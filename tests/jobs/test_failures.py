"""A file that fails processing is marked failed with its reason and blocks nothing else.

The worker runs in this process (threads instead of a process pool: same loop, same
leases), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.jobs.worker import Worker, WorkerConfig, start_embedded_worker
from casework.store import make_engine
from casework.store.document_models import CaseDocumentRow
from casework.store.processing import Claim, processing_status, release_claims, take_claim
from casework.store.processing_models import ProcessingClaimRow
from tests.conftest import Invoke
from tests.documents.factories import make_pdf, make_scanned_pdf
from tests.jobs.conftest import Place, open_case, statement_pdf, upload


def _config(place: Place, **overrides: object) -> WorkerConfig:
    return WorkerConfig.from_settings(
        place.settings(**overrides), processes=1, poll_seconds=0.1, in_process=True
    )


def _claim(place: Place, document_id: UUID) -> ProcessingClaimRow:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            row = session.get(ProcessingClaimRow, document_id)
            assert row is not None
            return row
    finally:
        engine.dispose()


def _copies(place: Place) -> dict[UUID, list[str]]:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            found: dict[UUID, list[str]] = {}
            for row in session.scalars(
                select(CaseDocumentRow).where(CaseDocumentRow.derived_from.is_not(None))
            ):
                assert row.derived_from is not None
                found.setdefault(row.derived_from, []).append(row.audience)
            return found
    finally:
        engine.dispose()


def test_bad_files_fail_with_their_reason_and_the_others_are_processed(
    place: Place, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case(place.url)
    locked = upload(place, case, "locked.pdf", make_pdf([["secret"]], password="pw"), "pdf")
    good = upload(place, case, "statement.pdf", statement_pdf(1, pages=3), "pdf")
    scanned = upload(
        place, case, "scan.pdf", make_scanned_pdf([["Statement of Jane SMITH"], None]), "pdf"
    )
    note = upload(place, case, "note.txt", b"Call Priya PATEL on 07700 900456.", "text")
    # No OCR: the picture on the scanned page cannot be checked, so its copy is refused.
    config = replace(_config(place), options=ReadOptions(ocr=False))

    report = Worker(config).run(until_idle=True)

    assert report.processed == 2
    assert _copies(place) == {good: ["cps"], note: ["cps"]}
    refused = _claim(place, locked)
    assert (refused.status, refused.failures, refused.owner) == ("failed", 1, None)
    assert "encrypted and needs a password" in (refused.last_error or "")
    unverifiable = _claim(place, scanned)
    assert unverifiable.status == "failed"
    assert "pictures that were not read" in (unverifiable.last_error or "")
    assert "the copy was not released" in (unverifiable.last_error or "")

    again = Worker(config).run(until_idle=True)  # given up: not tried again
    assert again.processed == 0 and again.failed == []
    assert _claim(place, locked).failures == 1

    monkeypatch.setenv("CASEWORK_HOME", str(place.home))
    monkeypatch.setenv("CASEWORK_DATABASE_URL", place.url)
    shown = cli("jobs", "status")
    assert shown.code == 0, shown.err
    assert "0 pending, 0 in progress, 2 done, 2 failed" in shown.out
    assert f"failed   {locked}" in shown.out
    assert "encrypted and needs a password" in shown.out

    retried = cli("jobs", "retry", str(locked))
    assert retried.code == 0, retried.err
    assert "1 pending" in cli("jobs", "status").out
    assert cli("jobs", "retry", str(good)).code == 2  # not failed: nothing to retry


def test_an_upload_that_stops_its_worker_every_time_is_given_up(place: Place) -> None:
    case = open_case(place.url)
    poison = upload(place, case, "statement.pdf", statement_pdf(0, pages=2), "pdf")
    config = _config(place, job_max_attempts=2)
    engine = make_engine(place.url)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    try:
        for attempt, owner in enumerate(["dead-1", "dead-2"]):  # each died holding the lease
            with Session(engine) as session, session.begin():
                claim = take_claim(
                    session=session,
                    document_id=poison,
                    owner=owner,
                    now=long_ago + timedelta(minutes=attempt),
                    lease=timedelta(seconds=5),
                    audiences=("cps",),
                )
                assert claim is not None and claim.attempt == attempt + 1
    finally:
        engine.dispose()

    report = Worker(config).run(until_idle=True)

    assert report.processed == 0
    row = _claim(place, poison)
    assert row.status == "failed"
    assert "given up after 2 attempts" in (row.last_error or "")
    assert _copies(place) == {}


def test_a_live_lease_is_not_taken_and_an_expired_one_is(place: Place) -> None:
    case = open_case(place.url)
    document = upload(place, case, "note.txt", b"Statement of Jane SMITH.", "text")
    engine = make_engine(place.url)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session, session.begin():
            first = take_claim(
                session=session,
                document_id=document,
                owner="a",
                now=now,
                lease=timedelta(seconds=60),
                audiences=("cps",),
            )
            assert first is not None
        with Session(engine) as session, session.begin():

            def take(at: datetime) -> Claim | None:
                return take_claim(
                    session=session,
                    document_id=document,
                    owner="b",
                    now=at,
                    lease=timedelta(seconds=60),
                    audiences=("cps",),
                )

            assert take(now + timedelta(seconds=59)) is None  # a's lease still runs
            taken = take(now + timedelta(seconds=61))
            assert taken is not None and taken.attempt == 2
        with Session(engine) as session:
            status = processing_status(
                session=session, audiences=("cps",), now=now + timedelta(seconds=62)
            )
            assert (status.working, status.pending) == (1, 0)
            assert status.uploads[0].owner == "b"
        with Session(engine) as session, session.begin():  # b stops cleanly: hands it back
            assert release_claims(session=session, owner="b", now=now) == 1
        row = _claim(place, document)
        assert (row.status, row.owner, row.attempts) == ("pending", None, 1)
    finally:
        engine.dispose()


def test_the_embedded_worker_of_serve_processes_uploads_by_itself(place: Place) -> None:
    case = open_case(place.url)
    document = upload(place, case, "note.txt", b"Statement of Jane SMITH, 07700 900123.", "text")
    embedded = start_embedded_worker(place.settings(workers=1))
    try:
        deadline = time.monotonic() + 120
        while document not in _copies(place) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        embedded.stop()
    assert _copies(place) == {document: ["cps"]}
    assert not any(t.name == "casework-worker" for t in threading.enumerate())
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            working = session.scalar(
                select(func.count()).where(ProcessingClaimRow.owner.is_not(None))
            )
            assert working == 0
    finally:
        engine.dispose()
