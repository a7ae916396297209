"""Remaking a copy after review as a job: run once, taken over when its worker stops, failed
with a reason, and on PostgreSQL run by a real ``casework worker`` through procrastinate.

On SQLite and PostgreSQL (the local engine's worker loop); the procrastinate test uses a
worker process, as tests/jobs/test_distributed.py does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.jobs.distributed import remake_lock
from casework.jobs.queue import queue_now
from casework.jobs.remake import run_remake
from casework.jobs.worker import Worker, WorkerConfig
from casework.redaction.review import Verdict, occurrences
from casework.store import make_engine, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.processing import upload_of
from casework.store.remake import RemakeJob, remake_job, request_remake, take_remake
from casework.store.review import StoredDecision, record_decision
from casework.store.security_models import AuditEntryRow
from tests.conftest import Invoke
from tests.db import drop_postgres_database, fresh_postgres_database
from tests.jobs.conftest import Place, open_case, upload

NOTE = (
    b"Statement of Jane SMITH, 12 Park Road, Leeds LS1 4AP.\n"
    b"The knife was hidden in the blue shed behind the garage.\n"
)
OPTIONS = ReadOptions(ocr=False)


def _work(place: Place) -> None:
    config = WorkerConfig.from_settings(
        place.settings(), processes=1, poll_seconds=0.1, in_process=True
    )
    Worker(replace(config, engine="local", options=OPTIONS)).run(until_idle=True)


def _reviewed_upload(place: Place) -> UUID:
    """An upload with its CPS copy, then a reviewer's decision to remove "blue shed"."""
    note = upload(place, open_case(place.url), "note.txt", NOTE, "text")
    _work(place)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            the_upload = upload_of(session=session, document_id=note)
            for start, end in occurrences(NOTE.decode(), "blue shed"):
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
                        decided_at=datetime.now(UTC),
                    ),
                )
    finally:
        engine.dispose()
    return note


def _ask(place: Place, note: UUID, audience: str = "cps") -> RemakeJob:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            return request_remake(
                session=session,
                upload=upload_of(session=session, document_id=note),
                audience=audience,
                requested_by="reviewer",
                requested_role="investigator",
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()


def _state(place: Place, job_id: UUID) -> tuple[RemakeJob, str, list[str]]:
    """The job, the CPS copy's text and the outcomes of the job's audit entries."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            job = remake_job(session=session, job_id=job_id)
            sha = session.scalars(
                select(CaseDocumentRow.sha256).where(
                    CaseDocumentRow.derived_from == job.document_id,
                    CaseDocumentRow.audience == "cps",
                )
            ).one()
            audited = [
                row.outcome
                for row in session.scalars(select(AuditEntryRow))
                if json.loads(row.detail).get("job") == str(job_id)
            ]
        return job, place.blobs.path_of(sha).read_text(), audited
    finally:
        engine.dispose()


def _run(place: Place, job_id: UUID, owner: str) -> str:
    engine = make_engine(place.url)
    try:
        return run_remake(
            engine=engine,
            blobs=place.blobs,
            options=OPTIONS,
            job_id=job_id,
            owner=owner,
            lease=timedelta(seconds=30),
        )
    finally:
        engine.dispose()


def test_the_worker_runs_a_queued_remake_once_and_running_it_again_changes_nothing(
    place: Place,
) -> None:
    note = _reviewed_upload(place)
    job = _ask(place, note)
    assert _ask(place, note).id == job.id  # asked twice while waiting: one job
    assert job.status == "queued"
    assert "blue shed" in _state(place, job.id)[1]

    _work(place)

    done, copy, audited = _state(place, job.id)
    assert (done.status, done.attempts, done.error) == ("done", 1, "")
    assert "blue shed" not in copy and "Jane SMITH" not in copy
    assert audited == ["allowed"]
    assert _run(place, job.id, "a second delivery") == "already done"  # at-least-once
    assert _state(place, job.id)[2] == ["allowed"]  # still one copy entry


def test_a_job_whose_worker_stopped_is_taken_over_and_the_late_worker_records_nothing(
    place: Place,
) -> None:
    note = _reviewed_upload(place)
    job = _ask(place, note)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():  # a worker took it, then died
            assert take_remake(
                session=session,
                job_id=job.id,
                owner="dead-worker",
                now=datetime.now(UTC) - timedelta(minutes=5),
                lease=timedelta(seconds=30),
            )
    finally:
        engine.dispose()
    assert _state(place, job.id)[0].status == "running"

    assert _run(place, job.id, "live-worker") == "done"

    done, copy, audited = _state(place, job.id)
    assert (done.status, done.attempts) == ("done", 2)
    assert "blue shed" not in copy and audited == ["allowed"]


def test_a_remake_that_cannot_be_made_fails_with_its_reason_and_keeps_the_copy(
    place: Place, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = _reviewed_upload(place)
    job = _ask(place, note, audience="nosuch")
    assert _run(place, job.id, "worker") == "failed"
    failed, copy, audited = _state(place, job.id)
    assert failed.status == "failed"
    assert failed.error.startswith("unknown audience 'nosuch'")
    assert "blue shed" in copy  # the copy there was is kept
    assert audited == ["failed"]
    for name, value in place.env().items():
        monkeypatch.setenv(name, value)
    shown = cli("jobs", "status")
    assert shown.code == 0, shown.err
    assert "copies remade after review: 0 queued, 0 running, 0 done, 1 failed" in shown.out


@pytest.fixture
def pg_place(postgres_admin_url: str, tmp_path: Path) -> Iterator[Place]:
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield Place(url, tmp_path / "home")
    finally:
        drop_postgres_database(name)


def test_on_postgresql_a_remake_is_a_procrastinate_job_a_worker_process_runs(
    pg_place: Place,
) -> None:
    note = _reviewed_upload(pg_place)
    job = _ask(pg_place, note)
    assert queue_now(pg_place.settings(), remakes=[job.id]) == 1
    assert queue_now(pg_place.settings(), remakes=[job.id]) == 0  # waiting already
    env = {
        **os.environ,
        **pg_place.env(CASEWORK_JOB_LEASE_SECONDS="10", CASEWORK_WORKERS="1"),
    }
    worker = subprocess.run(
        [sys.executable, "-m", "casework", "worker", "--poll", "0.2", "--until-idle"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    done, copy, audited = _state(pg_place, job.id)
    assert done.status == "done" and "blue shed" not in copy and audited == ["allowed"]
    engine = make_engine(pg_place.url)
    try:
        with engine.connect() as connection:
            jobs = connection.execute(
                text(
                    "SELECT status::text FROM procrastinate.procrastinate_jobs "
                    "WHERE queueing_lock = :lock"
                ),
                {"lock": remake_lock(job.id)},
            ).all()
    finally:
        engine.dispose()
    assert [status for (status,) in jobs] == ["succeeded"]
