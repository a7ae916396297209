"""National scale (issue 9): ``casework worker`` processes share a batch through procrastinate.

PostgreSQL only (the engine's queue is in the database). Real ``casework worker``
processes, a real kill -9: two workers split a batch between them; a worker killed while
it runs a job has that very job retried (procrastinate's stalled-job retry, by heartbeat)
and finished by another worker, with every copy made once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from casework.jobs.distributed import ProcrastinateQueue, queue_lock
from casework.jobs.queue import LocalQueue, queue_for
from casework.jobs.worker import WorkerConfig
from casework.store import make_engine, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.processing_models import ProcessingClaimRow
from tests.conftest import Invoke
from tests.db import drop_postgres_database, fresh_postgres_database
from tests.jobs.conftest import Place, open_case, statement_pdf, upload

UPLOADS = 6
PAGES = 10


@pytest.fixture
def pg_place(postgres_admin_url: str, tmp_path: Path) -> Iterator[Place]:
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield Place(url, tmp_path / "home")
    finally:
        drop_postgres_database(name)


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "casework", "worker", "--poll", "0.2", *args]


def _env(place: Place, lease: str = "3") -> dict[str, str]:
    return {**os.environ, **place.env(CASEWORK_JOB_LEASE_SECONDS=lease, CASEWORK_WORKERS="1")}


def _batch(place: Place, count: int, pages: int) -> list[UUID]:
    case = open_case(place.url)
    return [
        upload(place, case, f"statement {i}.pdf", statement_pdf(i, pages=pages), "pdf")
        for i in range(count)
    ]


def _copies(engine: Engine) -> list[CaseDocumentRow]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(CaseDocumentRow).where(CaseDocumentRow.derived_from.is_not(None))
            )
        )


def _jobs(engine: Engine) -> list[tuple[str, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT queueing_lock, status, attempts FROM procrastinate.procrastinate_jobs")
        )
        return [(str(lock), str(status), int(attempts)) for lock, status, attempts in rows]


def test_the_engine_is_procrastinate_on_postgresql_and_local_on_sqlite(
    pg_place: Place, tmp_path: Path
) -> None:
    on_pg = WorkerConfig.from_settings(pg_place.settings())
    assert isinstance(queue_for(on_pg), ProcrastinateQueue)
    local = WorkerConfig.from_settings(pg_place.settings(job_engine="local"))
    assert isinstance(queue_for(local), LocalQueue)
    sqlite = Place(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path / "home")
    assert isinstance(queue_for(WorkerConfig.from_settings(sqlite.settings())), LocalQueue)
    forced = WorkerConfig.from_settings(sqlite.settings(job_engine="procrastinate"))
    with pytest.raises(ValueError, match="needs PostgreSQL"):
        queue_for(forced)


def test_submit_queues_an_upload_once_and_the_status_shows_it(
    pg_place: Place, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    (document,) = _batch(pg_place, 1, 1)
    queue = queue_for(WorkerConfig.from_settings(pg_place.settings()))
    assert queue.submit([document]) == 1
    assert queue.submit([document]) == 0  # waiting already: not queued twice
    engine = make_engine(pg_place.url)
    try:
        assert _jobs(engine) == [(queue_lock(document), "todo", 0)]
    finally:
        engine.dispose()
    for name, value in pg_place.env().items():
        monkeypatch.setenv(name, value)
    shown = cli("jobs", "status")
    assert shown.code == 0, shown.err
    assert "1 pending, 0 in progress, 0 done, 0 failed" in shown.out
    assert "procrastinate jobs: 1 waiting, 0 running, 0 succeeded, 0 failed" in shown.out


def test_two_workers_share_a_batch(pg_place: Place) -> None:
    uploads = _batch(pg_place, UPLOADS, PAGES)
    env = _env(pg_place, lease="30")
    workers = [
        subprocess.Popen(
            _command("--until-idle"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "procrastinate jobs" in err
    engine = make_engine(pg_place.url)
    try:
        copies = _copies(engine)
        assert Counter(c.derived_from for c in copies) == dict.fromkeys(uploads, 1)
        makers = Counter(c.uploaded_by for c in copies)
        assert len(makers) == 2, makers  # each worker made some of the copies
        said = [out for out, _err in outputs]
        for document in uploads:  # each upload reported by exactly one worker
            assert sum(str(document) in out for out in said) == 1
        assert {status for _lock, status, _n in _jobs(engine)} <= {"succeeded", "todo"}
    finally:
        engine.dispose()


def _running(engine: Engine, timeout: float) -> set[UUID]:
    """Uploads a worker has leased and begun reading (pages counted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            begun = set(
                session.scalars(
                    select(ProcessingClaimRow.document_id).where(
                        ProcessingClaimRow.status == "working",
                        ProcessingClaimRow.pages_total > 0,
                    )
                )
            )
        if begun:
            return begun
        time.sleep(0.05)
    raise AssertionError(f"no worker began within {timeout} s")


def test_a_killed_workers_job_is_retried_and_completed_by_another(
    pg_place: Place, tmp_path: Path
) -> None:
    uploads = _batch(pg_place, 3, 40)
    engine = make_engine(pg_place.url)
    with (tmp_path / "first.log").open("wb") as log:
        first = subprocess.Popen(
            _command(), env=_env(pg_place), stdout=log, stderr=log, start_new_session=True
        )
    try:
        interrupted = _running(engine, timeout=90)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        done_before = {c.derived_from for c in _copies(engine)}
        assert interrupted - done_before, "the first worker finished before it was killed"
        doing = {lock for lock, status, _n in _jobs(engine) if status == "doing"}
        assert {queue_lock(d) for d in interrupted} <= doing  # the dead worker's jobs

        second = subprocess.run(
            _command("--until-idle"),
            env=_env(pg_place),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert second.returncode == 0, second.stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)
    try:
        copies = _copies(engine)
        assert Counter((c.derived_from, c.audience) for c in copies) == {
            (d, "cps"): 1 for d in uploads
        }
        jobs = {lock: (status, attempts) for lock, status, attempts in _jobs(engine)}
        for document in interrupted - done_before:
            status, attempts = jobs[queue_lock(document)]
            # the same job, put back by the stalled-job retry, then finished elsewhere
            assert status == "succeeded" and attempts >= 1, (status, attempts)
            assert str(document) in second.stdout
    finally:
        engine.dispose()
