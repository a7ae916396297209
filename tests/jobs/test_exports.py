"""Exports as jobs (issue 9): an operation's summary PDF and a case's disclosure bundle, made
by the worker, fetched, run once however often they run, failed with their reason, taken
over when their worker stops; on PostgreSQL run by a real ``casework worker`` through
procrastinate, and finished by another worker when the first is killed mid-way.

On SQLite and PostgreSQL (the local engine's worker loop) unless named ``on_postgresql``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.domain.operations_returns import Channel
from casework.jobs.distributed import export_lock
from casework.jobs.export_run import LEFT_OUT, run_export
from casework.jobs.exports import ExportRequest, request_export
from casework.jobs.numbering import RegisterAccess
from casework.jobs.queue import queue_now
from casework.jobs.review import audiences, render_copy
from casework.jobs.worker import Worker, WorkerConfig
from casework.operations import service as ops_service
from casework.operations.returns import RawReturn
from casework.redaction.review import Verdict, occurrences
from casework.security.unit_audit import Actor
from casework.store import make_engine, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import NewDocument, add_document
from casework.store.exports import ExportJob, export_job, take_export
from casework.store.operations_repository import SqlOperationsRepository
from casework.store.processing import upload_of
from casework.store.review import StoredDecision, copy_log, record_decision, replace_copy
from casework.store.security_models import AuditEntryRow
from tests.db import drop_postgres_database, fresh_postgres_database
from tests.jobs.conftest import Place, open_case, upload

OPTIONS = ReadOptions(ocr=False)
NOTES = (
    b"Statement of Jane SMITH, 12 Park Road, Leeds LS1 4AP. Phone 07700 900123.\n",
    b"Priya PATEL saw it from 4 Elm Road, Bradford BD7 1DP; call her on 07700 900456.\n",
)
OPERATOR = Actor(name="operator")


def _work(place: Place) -> None:
    config = WorkerConfig.from_settings(
        place.settings(), processes=1, poll_seconds=0.1, in_process=True
    )
    Worker(replace(config, engine="local", options=OPTIONS)).run(until_idle=True)


Case = tuple[UUID, str, str]


def _case_with_copies(place: Place) -> tuple[Case, list[UUID]]:
    """A case with two text uploads, each given its CPS copy (and log) by the worker."""
    case = open_case(place.url)
    uploads = [upload(place, case, f"note {i}.txt", note, "text") for i, note in enumerate(NOTES)]
    _work(place)
    return case, uploads


def _ask(place: Place, request: ExportRequest, actor: Actor = OPERATOR) -> ExportJob:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            job, _new = request_export(
                session=session, actor=actor, request=request, now=datetime.now(UTC)
            )
            return job
    finally:
        engine.dispose()


def _bundle(reference: str) -> ExportRequest:
    return ExportRequest(kind="case-bundle", case=reference, audience="cps")


def _job(place: Place, job_id: UUID) -> ExportJob:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            return export_job(session=session, job_id=job_id)
    finally:
        engine.dispose()


def _audited(place: Place, job_id: UUID) -> list[tuple[str, str]]:
    """(action, outcome) of the audit entries about this export, in order."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            rows = session.scalars(
                select(AuditEntryRow)
                .where(AuditEntryRow.target == f"export:{job_id}")
                .order_by(AuditEntryRow.seq)
            )
            return [(row.action, row.outcome) for row in rows]
    finally:
        engine.dispose()


def _file(place: Place, job: ExportJob) -> bytes:
    assert job.result is not None
    return place.blobs.path_of(job.result.sha256).read_bytes()


def _run(place: Place, job_id: UUID, owner: str) -> str:
    engine = make_engine(place.url)
    try:
        return run_export(
            engine=engine,
            blobs=place.blobs,
            job_id=job_id,
            owner=owner,
            lease=timedelta(seconds=30),
        )
    finally:
        engine.dispose()


def _copies(place: Place, uploads: list[UUID]) -> dict[UUID, tuple[bytes, int]]:
    """Each upload's stored CPS copy: its bytes and how many redactions its log holds."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            found = {}
            for row in session.scalars(
                select(CaseDocumentRow).where(
                    CaseDocumentRow.derived_from.in_(uploads), CaseDocumentRow.audience == "cps"
                )
            ):
                assert row.derived_from is not None
                found[row.derived_from] = (
                    place.blobs.path_of(row.sha256).read_bytes(),
                    len(copy_log(session=session, copy_id=row.id)),
                )
            return found
    finally:
        engine.dispose()


def test_a_bundle_holds_exactly_the_cases_redacted_copies_and_their_log_once(
    place: Place,
) -> None:
    (_id, _force, reference), uploads = _case_with_copies(place)
    job = _ask(place, _bundle(reference))
    assert _ask(place, _bundle(reference)).id == job.id  # asked twice while waiting: one job
    assert (job.status, job.stage) == ("queued", "waiting for a worker")

    _work(place)

    done = _job(place, job.id)
    assert (done.status, done.attempts, done.error) == ("done", 1, "")
    assert (done.progress_done, done.progress_total) == (2, 2)
    assert done.result is not None and done.result.media_type == "application/zip"
    assert done.result.name == f"{reference}-cps-bundle.zip"
    copies = _copies(place, uploads)
    with zipfile.ZipFile(io.BytesIO(_file(place, done))) as archive:
        names = archive.namelist()
        assert names == [
            "001 note 0.txt",
            "002 note 1.txt",
            "redaction-log.csv",
            "redaction-log.json",
        ]
        assert [archive.read(n) for n in names[:2]] == [copies[u][0] for u in uploads]
        log = json.loads(archive.read("redaction-log.json"))
        csv_rows = archive.read("redaction-log.csv").decode().strip().splitlines()
    assert len(log) == len(csv_rows) - 1 == sum(n for _bytes, n in copies.values()) > 0
    assert {row["document"] for row in log} == set(names[:2])
    whole = _file(place, done)
    assert b"Jane SMITH" not in whole and b"07700 900456" not in whole  # never an original
    audited = [("export.request", "allowed")] * 2 + [("export.make", "allowed")]
    assert _audited(place, job.id) == audited  # each request, and the file made once

    assert _run(place, job.id, "a second delivery") == "already done"  # at-least-once
    again = _job(place, job.id)
    assert again.result == done.result and again.attempts == 1
    assert _audited(place, job.id) == audited


def _submit(place: Place) -> None:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            repo = SqlOperationsRepository(session)
            op = ops_service.operation_named(repo=repo, name="sceptre-2023-11")
            ops_service.submit(
                repo=repo,
                operation=op,
                raws=[
                    RawReturn(force="WY", values={"arrests": 1234}),
                    RawReturn(force="GMP", values={"arrests": 4321}),
                ],
                channel=Channel.CSV,
                source="test.csv",
                submitted_by="coordinator",
                now=datetime.now(UTC),
                may_submit=lambda _force: True,
            )
    finally:
        engine.dispose()


def test_an_operations_summary_is_a_pdf_with_the_national_total(place: Place) -> None:
    _submit(place)
    job = _ask(place, ExportRequest(kind="ops-summary", operation="Sceptre-2023-11"))
    assert job.parameters == {"operation": "sceptre-2023-11", "format": "pdf"}

    _work(place)

    done = _job(place, job.id)
    assert done.status == "done" and (done.progress_done, done.progress_total) == (2, 2)
    assert done.result is not None and done.result.name == "sceptre-2023-11-summary.pdf"
    data = _file(place, done)
    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(data)
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "5,555" in words and "returns from 2 of 43 forces" in words
    assert _audited(place, job.id) == [("export.request", "allowed"), ("export.make", "allowed")]


def test_a_bundle_whose_stored_copy_changed_fails_with_the_reason_and_no_file(
    place: Place,
) -> None:
    (_id, _force, reference), uploads = _case_with_copies(place)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            sha = session.scalars(
                select(CaseDocumentRow.sha256).where(CaseDocumentRow.derived_from == uploads[1])
            ).one()
    finally:
        engine.dispose()
    place.blobs.path_of(sha).write_bytes(b"Statement of Priya PATEL, not redacted at all")
    job = _ask(place, _bundle(reference))

    assert _run(place, job.id, "worker") == "failed"

    failed = _job(place, job.id)
    assert failed.status == "failed" and failed.result is None
    assert "does not match the checksum" in failed.error and "not released" in failed.error
    assert _audited(place, job.id) == [("export.request", "allowed"), ("export.make", "failed")]


def test_an_upload_without_its_copy_yet_is_left_out_and_said_to_be(place: Place) -> None:
    case, _uploads = _case_with_copies(place)
    late = upload(place, case, "late.txt", b"Late note", "text")
    job = _ask(place, _bundle(case[2]))

    assert _run(place, job.id, "worker") == "done"

    done = _job(place, job.id)
    assert done.stage.startswith("2 of 3 documents") and "1 not included" in done.stage
    with zipfile.ZipFile(io.BytesIO(_file(place, done))) as archive:
        left = archive.read("not-included.csv").decode()
        copies = [n for n in archive.namelist() if n.endswith(".txt")]
    assert copies == ["001 note 0.txt", "002 note 1.txt"]
    assert str(late) in left and "no cps copy yet" in left


def test_an_export_whose_worker_stopped_is_taken_over_and_the_late_worker_records_nothing(
    place: Place,
) -> None:
    case, _uploads = _case_with_copies(place)
    job = _ask(place, _bundle(case[2]))
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():  # a worker took it, then died
            assert take_export(
                session=session,
                job_id=job.id,
                owner="dead-worker",
                now=datetime.now(UTC) - timedelta(minutes=5),
                lease=timedelta(seconds=30),
            )
    finally:
        engine.dispose()
    assert _job(place, job.id).status == "running"

    assert _run(place, job.id, "live-worker") == "done"

    done = _job(place, job.id)
    assert (done.status, done.attempts) == ("done", 2)
    assert _audited(place, job.id) == [("export.request", "allowed"), ("export.make", "allowed")]


@pytest.fixture
def pg_place(postgres_admin_url: str, tmp_path: Path) -> Iterator[Place]:
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield Place(url, tmp_path / "home")
    finally:
        drop_postgres_database(name)


def _worker(*args: str) -> list[str]:
    return [sys.executable, "-m", "casework", "worker", "--poll", "0.2", *args]


def _env(place: Place, lease: str = "10") -> dict[str, str]:
    return {**os.environ, **place.env(CASEWORK_JOB_LEASE_SECONDS=lease, CASEWORK_WORKERS="1")}


def _procrastinate_jobs(place: Place, job_id: UUID) -> list[tuple[str, int]]:
    engine = make_engine(place.url)
    try:
        with engine.connect() as connection:
            return [
                (str(status), int(attempts))
                for status, attempts in connection.execute(
                    text(
                        "SELECT status::text, attempts FROM procrastinate.procrastinate_jobs "
                        "WHERE queueing_lock = :lock"
                    ),
                    {"lock": export_lock(job_id)},
                )
            ]
    finally:
        engine.dispose()


def test_on_postgresql_an_export_is_a_procrastinate_job_a_worker_process_runs(
    pg_place: Place,
) -> None:
    _submit(pg_place)
    job = _ask(pg_place, ExportRequest(kind="ops-summary", operation="sceptre-2023-11"))
    assert queue_now(pg_place.settings(), exports=[job.id]) == 1
    assert queue_now(pg_place.settings(), exports=[job.id]) == 0  # waiting already
    worker = subprocess.run(
        _worker("--until-idle"),
        env=_env(pg_place),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    done = _job(pg_place, job.id)
    assert done.status == "done" and _file(pg_place, done).startswith(b"%PDF")
    assert _procrastinate_jobs(pg_place, job.id) == [("succeeded", 1)]


BIG_COPIES = 24
BIG_COPY_BYTES = 3 * 1024 * 1024


def _big_case(place: Place) -> str:
    """A case whose CPS copies are many and large (random bytes: slow to compress)."""
    case = open_case(place.url)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            for i in range(BIG_COPIES):
                upload_row = add_document(
                    session=session,
                    case_id=case[0],
                    force=case[1],
                    new=NewDocument(
                        name=f"exhibit {i}.bin",
                        blob=place.blobs.put_bytes(os.urandom(64), max_bytes=1 << 20),
                        content_type="text/plain",
                        format="text",
                    ),
                    uploaded_by="investigator",
                    now=datetime.now(UTC),
                )
                add_document(
                    session=session,
                    case_id=case[0],
                    force=case[1],
                    new=NewDocument(
                        name=f"exhibit {i} [cps].bin",
                        blob=place.blobs.put_bytes(
                            os.urandom(BIG_COPY_BYTES), max_bytes=BIG_COPY_BYTES
                        ),
                        content_type="text/plain",
                        format="text",
                        audience="cps",
                        derived_from=upload_row.id,
                    ),
                    uploaded_by="worker",
                    now=datetime.now(UTC),
                )
    finally:
        engine.dispose()
    return case[2]


def _under_way(place: Place, job_id: UUID, timeout: float) -> ExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _job(place, job_id)
        if job.status == "running" and job.progress_done >= 1:
            return job
        assert job.status != "done", "the export finished before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError(f"the export did not start within {timeout} s")


def test_on_postgresql_a_killed_workers_export_is_taken_over_after_its_lease(
    pg_place: Place, tmp_path: Path
) -> None:
    reference = _big_case(pg_place)
    job = _ask(pg_place, _bundle(reference))
    with (tmp_path / "first.log").open("wb") as log:
        first = subprocess.Popen(
            _worker(), env=_env(pg_place, lease="3"), stdout=log, stderr=log, start_new_session=True
        )
    try:
        interrupted = _under_way(pg_place, job.id, timeout=90)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert _job(pg_place, job.id).status == "running"  # the dead worker's lease
        assert interrupted.progress_done < BIG_COPIES

        second = subprocess.run(
            _worker("--until-idle"),
            env=_env(pg_place, lease="3"),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert second.returncode == 0, second.stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)
    done = _job(pg_place, job.id)
    assert (done.status, done.attempts) == ("done", 2)
    assert (done.progress_done, done.progress_total) == (BIG_COPIES, BIG_COPIES)
    with zipfile.ZipFile(io.BytesIO(_file(pg_place, done))) as archive:
        assert len(archive.namelist()) == BIG_COPIES + 2
        assert archive.testzip() is None
    assert _audited(pg_place, job.id) == [
        ("export.request", "allowed"),
        ("export.make", "allowed"),
    ]
    # the same procrastinate job, put back by the stalled-job retry, then finished elsewhere
    assert [status for status, _n in _procrastinate_jobs(pg_place, job.id)] == ["succeeded"]


def test_a_failed_upload_is_left_out_without_its_error_words(place: Place) -> None:
    """The processing error may name a part as uploaded (a person): the bundle never says it."""
    from tests.documents.factories import make_pdf

    case, _uploads = _case_with_copies(place)
    upload(place, case, "Statement of Jane SMITH.pdf", make_pdf([["x"]], password="pw"), "pdf")
    _work(place)
    job = _ask(place, _bundle(case[2]))
    assert _run(place, job.id, "worker") == "done"
    made = _job(place, job.id)
    with zipfile.ZipFile(io.BytesIO(_file(place, made))) as archive:
        left_out = archive.read("not-included.csv").decode()
    assert "processing failed (see the documents page)" in left_out
    assert "SMITH" not in left_out and "Statement" not in left_out


def _decide(place: Place, upload_id: UUID, text: str, *, at: datetime) -> None:
    """A reviewer removes ``text`` from every copy of the upload, the decision stamped ``at``."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            the_upload = upload_of(session=session, document_id=upload_id)
            note = NOTES[0] if text in NOTES[0].decode() else NOTES[1]
            for start, end in occurrences(note.decode(), text):
                record_decision(
                    session=session,
                    upload=the_upload,
                    decision=StoredDecision(
                        part=0,
                        start=start,
                        end=end,
                        label="LOCATION",
                        verdict=Verdict.ADD.value,
                        note="",
                        decided_by="reviewer",
                        decided_at=at,
                    ),
                )
    finally:
        engine.dispose()


def _remade_apart(place: Place, upload_id: UUID, between: Callable[[], None]) -> None:
    """Remake the CPS copy as ``run_remake`` does, ``between`` running after the decisions were
    read (the copy planned and rendered, outside any transaction) and before it is recorded."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            the_upload = upload_of(session=session, document_id=upload_id)
            copy = render_copy(
                session=session,
                blobs=place.blobs,
                upload=the_upload,
                audience=audiences().get("cps"),
                options=OPTIONS,
                register=RegisterAccess.on_engine(engine),
            )
        between()
        with Session(engine) as session, session.begin():
            replace_copy(
                session=session,
                upload=the_upload,
                copy=copy,
                made_by="reviewer",
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()


def _left_out(place: Place, reference: str) -> list[str]:
    """The uploads a new CPS bundle of the case lists in not-included.csv."""
    job = _ask(place, _bundle(reference))
    assert _run(place, job.id, "worker") == "done"
    with zipfile.ZipFile(io.BytesIO(_file(place, _job(place, job.id)))) as archive:
        if LEFT_OUT not in archive.namelist():
            return []
        rows = list(csv.DictReader(io.StringIO(archive.read(LEFT_OUT).decode())))
    assert all("review decisions were taken after the cps copy" in r["reason"] for r in rows)
    return [r["upload"] for r in rows]


def test_a_decision_taken_while_a_copy_is_remade_leaves_that_copy_out_of_the_bundle(
    place: Place,
) -> None:
    """Read at T0, decided at T1, recorded at T2: the copy is dated after the decision but
    lacks it, so the bundle must not take it as up to date."""
    (_id, _force, reference), uploads = _case_with_copies(place)
    _decide(place, uploads[0], "Statement", at=datetime.now(UTC))
    _remade_apart(place, uploads[0], between=lambda: None)
    assert _left_out(place, reference) == []  # remade with every decision: in the bundle

    _remade_apart(
        place,
        uploads[0],
        between=lambda: _decide(place, uploads[0], "Leeds", at=datetime.now(UTC)),
    )
    assert _left_out(place, reference) == [str(uploads[0])]

    _remade_apart(place, uploads[0], between=lambda: None)  # the remake the decision queued
    assert _left_out(place, reference) == []


def test_a_decision_stamped_before_the_workers_copy_but_stored_after_leaves_it_out(
    place: Place,
) -> None:
    """A decision whose transaction ends after the worker recorded its first copy is older
    than the copy by date; the copy was planned without it all the same."""
    (_id, _force, reference), uploads = _case_with_copies(place)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            made = session.scalars(
                select(CaseDocumentRow.uploaded_at).where(
                    CaseDocumentRow.derived_from == uploads[1], CaseDocumentRow.audience == "cps"
                )
            ).one()
    finally:
        engine.dispose()
    _decide(place, uploads[1], "Elm Road", at=made - timedelta(seconds=1))
    assert _left_out(place, reference) == [str(uploads[1])]
