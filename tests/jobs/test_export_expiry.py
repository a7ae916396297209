"""Export files expire (CASEWORK_EXPORT_KEEP_DAYS), on SQLite and PostgreSQL: a file older
than the limit is removed and its export marked expired while a newer one stays; bytes
another export or a case document still uses are kept; each purge is audited once and a
second purge changes nothing; the worker purges on both engines (the local loop, and a real
``casework worker`` on procrastinate); ``casework exports purge``, ``fetch``, ``status`` and
``jobs status`` say what became of them.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.jobs.export_expiry import PurgeReport, purge_exports
from casework.jobs.worker import Worker, WorkerConfig
from casework.security.roles import UserRole
from casework.security.unit_audit import Actor
from casework.security.users import create_user
from casework.store import make_engine, upgrade_database
from casework.store.documents import NewDocument, add_document
from casework.store.exports import (
    ExportFile,
    ExportJob,
    end_export,
    export_job,
    new_export,
    take_export,
)
from casework.store.security_models import AuditEntryRow
from tests.conftest import Invoke
from tests.db import drop_postgres_database, fresh_postgres_database
from tests.jobs.conftest import Place, open_case
from tests.jobs.test_exports import OPTIONS, _ask, _bundle, _case_with_copies, _work

KEEP = timedelta(days=7)
OLD = b"%PDF-1.7 summary of sceptre-2023-11 made nine days ago (synthetic)"
NEW = b"%PDF-1.7 summary of sceptre-2023-11 made yesterday (synthetic)"


def _now() -> datetime:
    return datetime.now(UTC)


def _made(place: Place, data: bytes, *, days_ago: float, by: str = "operator") -> ExportJob:
    """A summary export made ``days_ago`` (its file stored), as a worker would have left it."""
    blob = place.blobs.put_bytes(data, max_bytes=1 << 20)
    at = _now() - timedelta(days=days_ago)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            job, _new = new_export(
                session=session,
                kind="ops-summary",
                parameters={"operation": "sceptre-2023-11", "format": "pdf"},
                case_id=None,
                force="-",
                requested_by=by,
                requested_role="operator",
                now=at,
            )
            lease = timedelta(seconds=30)
            assert take_export(session=session, job_id=job.id, owner="w", now=at, lease=lease)
            result = ExportFile(blob.sha256, "sceptre-2023-11-summary.pdf", "application/pdf", 9)
            assert end_export(
                session=session, job_id=job.id, owner="w", now=at, status="done", result=result
            )
        with Session(engine) as session:
            return export_job(session=session, job_id=job.id)
    finally:
        engine.dispose()


def _job(place: Place, job_id: UUID) -> ExportJob:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            return export_job(session=session, job_id=job_id)
    finally:
        engine.dispose()


def _purge(place: Place, *, by: Actor | str = "test-worker", keep: timedelta = KEEP) -> PurgeReport:
    engine = make_engine(place.url)
    try:
        return purge_exports(engine=engine, blobs=place.blobs, keep=keep, now=_now(), by=by)
    finally:
        engine.dispose()


def _expiries(place: Place) -> list[AuditEntryRow]:
    engine = make_engine(place.url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            return list(
                session.scalars(
                    select(AuditEntryRow)
                    .where(AuditEntryRow.action == "export.expire")
                    .order_by(AuditEntryRow.seq)
                )
            )
    finally:
        engine.dispose()


def _detail(entry: AuditEntryRow) -> dict[str, object]:
    found: dict[str, object] = json.loads(entry.detail)
    return found


def _stored(place: Place, job: ExportJob) -> bool:
    assert job.result is not None
    return place.blobs.has(job.result.sha256)


def test_a_file_older_than_the_limit_is_removed_and_a_newer_one_stays(place: Place) -> None:
    old = _made(place, OLD, days_ago=9)
    new = _made(place, NEW, days_ago=1)

    report = _purge(place)

    assert (report.expired, report.removed, report.kept, report.failed) == (1, 1, 0, [])
    expired = _job(place, old.id)
    assert expired.status == "expired" and not _stored(place, old)
    assert expired.result == old.result  # the row keeps what the file was (history)
    assert expired.expired_at is not None and expired.finished_at == old.finished_at
    assert _job(place, new.id).status == "done" and _stored(place, new)
    [entry] = _expiries(place)
    assert (entry.actor, entry.actor_role, entry.outcome) == (
        "casework-worker",
        "system",
        "allowed",
    )
    assert entry.target == f"export:{old.id}"
    assert _detail(entry)["worker"] == "test-worker" and _detail(entry)["file"] == "removed"
    assert _detail(entry)["sha256"] == old.result.sha256  # type: ignore[union-attr]

    again = _purge(place)  # harmless: nothing is done and old enough any more
    assert (again.expired, again.removed, again.failed) == (0, 0, [])
    assert len(_expiries(place)) == 1 and _job(place, new.id).status == "done"


def test_bytes_still_used_by_another_export_or_a_document_are_kept(place: Place) -> None:
    shared_old = _made(place, OLD, days_ago=10)
    shared_new = _made(place, OLD, days_ago=2)  # the same bytes: one stored file
    case = open_case(place.url)
    as_document = _made(place, NEW, days_ago=10)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            add_document(
                session=session,
                case_id=case[0],
                force=case[1],
                new=NewDocument(
                    name="summary uploaded to the case.pdf",
                    blob=place.blobs.put_bytes(NEW, max_bytes=1 << 20),
                    content_type="application/pdf",
                    format="pdf",
                ),
                uploaded_by="investigator",
                now=_now(),
            )
    finally:
        engine.dispose()

    report = _purge(place)

    assert (report.expired, report.removed, report.kept) == (2, 0, 2)
    assert _job(place, shared_old.id).status == "expired"
    assert _job(place, as_document.id).status == "expired"
    assert _stored(place, shared_new) and _job(place, shared_new.id).status == "done"
    assert _stored(place, as_document)  # the case's document still needs the bytes
    assert {_detail(e)["file"] for e in _expiries(place)} == {
        "kept: other exports or documents use the same bytes"
    }

    later = _purge(place, keep=timedelta(days=1))  # the other export's time is up too
    assert (later.expired, later.removed, later.kept) == (1, 1, 0)
    assert not _stored(place, shared_new)


def test_keep_days_0_keeps_every_file(place: Place) -> None:
    old = _made(place, OLD, days_ago=400)
    config = WorkerConfig.from_settings(
        place.settings(export_keep_days=0), processes=1, in_process=True
    )
    worker = Worker(replace(config, engine="local", options=OPTIONS))
    engine = make_engine(place.url)
    try:
        assert worker.expire_exports(engine) is None
        worker.expire_when_due(engine)
    finally:
        engine.dispose()
    assert _job(place, old.id).status == "done" and _stored(place, old)
    assert _expiries(place) == []


def test_purgers_at_once_expire_each_export_exactly_once(place: Place) -> None:
    jobs = [_made(place, f"summary {i}".encode(), days_ago=8 + i) for i in range(12)]
    reports: list[PurgeReport] = []
    start = threading.Barrier(3)

    def purger(name: str) -> None:
        start.wait()
        reports.append(_purge(place, by=name))

    threads = [threading.Thread(target=purger, args=(f"worker-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sum(r.expired for r in reports) == sum(r.removed for r in reports) == len(jobs)
    assert all(r.failed == [] for r in reports)
    entries = _expiries(place)
    assert sorted(e.target for e in entries) == sorted(f"export:{j.id}" for j in jobs)
    assert not any(_stored(place, j) for j in jobs)


def test_the_same_bundle_asked_for_again_after_expiry_is_made_again(place: Place) -> None:
    """A bundle of the same copies is the same ZIP (same checksum) as the expired one's."""
    (_id, _force, reference), _uploads = _case_with_copies(place)
    first = _ask(place, _bundle(reference))
    _work(place)
    made = _job(place, first.id)
    assert made.result is not None
    engine = make_engine(place.url)
    try:
        purged = purge_exports(
            engine=engine, blobs=place.blobs, keep=KEEP, now=_now() + KEEP * 2, by="w"
        )
    finally:
        engine.dispose()
    assert (purged.expired, purged.removed) == (1, 1) and not _stored(place, made)

    second = _ask(place, _bundle(reference))
    _work(place)

    again = _job(place, second.id)
    assert again.status == "done" and again.result is not None
    assert again.result.sha256 == made.result.sha256 and _stored(place, again)
    with zipfile.ZipFile(io.BytesIO(place.blobs.path_of(again.result.sha256).read_bytes())) as z:
        assert z.testzip() is None


def test_the_local_worker_expires_exports_as_it_runs(place: Place) -> None:
    old = _made(place, OLD, days_ago=8)
    new = _made(place, NEW, days_ago=6)
    config = WorkerConfig.from_settings(
        place.settings(), processes=1, poll_seconds=0.1, in_process=True
    )
    worker = Worker(replace(config, engine="local", options=OPTIONS))
    stop = threading.Event()
    running = threading.Thread(target=worker.run, args=(stop,))
    running.start()
    try:
        deadline = time.monotonic() + 60
        while _job(place, old.id).status != "expired":
            assert time.monotonic() < deadline, "the worker did not expire the old export"
            time.sleep(0.1)
    finally:
        stop.set()
        running.join(timeout=60)
    assert not _stored(place, old)
    assert _job(place, new.id).status == "done" and _stored(place, new)
    [entry] = _expiries(place)
    assert entry.actor == "casework-worker" and _detail(entry)["worker"] == worker.owner


@pytest.fixture
def pg_place(postgres_admin_url: str, tmp_path: Path) -> Iterator[Place]:
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield Place(url, tmp_path / "home")
    finally:
        drop_postgres_database(name)


def test_on_postgresql_a_casework_worker_expires_exports(pg_place: Place) -> None:
    old = _made(pg_place, OLD, days_ago=8)
    new = _made(pg_place, NEW, days_ago=1)
    worker = subprocess.run(
        [sys.executable, "-m", "casework", "worker", "--poll", "0.2", "--until-idle"],
        env={**os.environ, **pg_place.env(CASEWORK_WORKERS="1")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    assert _job(pg_place, old.id).status == "expired" and not _stored(pg_place, old)
    assert _job(pg_place, new.id).status == "done" and _stored(pg_place, new)
    [entry] = _expiries(pg_place)
    assert entry.actor == "casework-worker" and entry.target == f"export:{old.id}"


# The command line ------------------------------------------------------------------------


@pytest.fixture
def here(place: Place, monkeypatch: pytest.MonkeyPatch) -> Place:
    """The CLI pointed at this test's database, with an administrator and an investigator."""
    for name, value in place.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    monkeypatch.delenv("CASEWORK_EXPORT_KEEP_DAYS", raising=False)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            for username, role in (("ada", UserRole.ADMIN), ("amy", UserRole.INVESTIGATOR)):
                create_user(
                    session=session,
                    username=username,
                    password="casework-test-password",
                    role=role,
                    force="WY",
                )
    finally:
        engine.dispose()
    return place


def test_exports_purge_removes_the_old_files_and_says_how_many(
    cli: Invoke, here: Place, tmp_path: Path
) -> None:
    old = _made(here, OLD, days_ago=9)
    new = _made(here, NEW, days_ago=3)

    purged = cli("exports", "purge")

    assert purged.code == 0, purged.err
    assert purged.out.startswith("1 export file(s) removed: 1 export(s) made more than 7 days")
    assert not _stored(here, old) and _stored(here, new)
    [entry] = _expiries(here)
    assert (entry.actor_role, entry.target) == ("operator", f"export:{old.id}")
    assert cli("exports", "purge").out.startswith("0 export file(s) removed: 0 export(s)")
    assert len(_expiries(here)) == 1

    fetched = cli("exports", "fetch", str(old.id), "--out", str(tmp_path / "old.pdf"))
    day = _job(here, old.id).expired_at
    assert day is not None
    assert fetched.code == 1 and f"export {old.id} expired on " in fetched.err
    assert re.search(r"expired on \d{4}-\d{2}-\d{2}", fetched.err)
    assert "ask for the export again" in fetched.err and not (tmp_path / "old.pdf").exists()
    shown = cli("exports", "status", str(old.id))
    assert shown.code == 0 and "expired" in shown.out and "ask for the export again" in shown.out
    one = json.loads(cli("exports", "status", str(old.id), "--format", "json").out)
    assert one["status"] == "expired" and one["expired_at"] is not None
    counts = cli("jobs", "status")
    assert "0 queued, 0 running, 1 done, 0 failed, 1 expired" in counts.out
    assert json.loads(cli("jobs", "status", "--format", "json").out)["exports"]["expired"] == 1

    with_ada = cli("--as", "ada", "exports", "purge", "--older-than", "0")  # an administrator
    assert with_ada.code == 0 and with_ada.out.startswith("1 export file(s) removed")
    assert not _stored(here, new) and _expiries(here)[-1].actor == "ada"


def test_exports_purge_refusals_and_keeping_for_ever(
    cli: Invoke, here: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _made(here, OLD, days_ago=30)
    refused = cli("--as", "amy", "exports", "purge")
    assert refused.code == 1 and "may not purge export files" in refused.err
    [denied] = _expiries(here)
    assert (denied.actor, denied.outcome) == ("amy", "denied")
    bad = cli("exports", "purge", "--older-than", "-1")
    assert bad.code == 2 and "--older-than" in bad.err

    monkeypatch.setenv("CASEWORK_EXPORT_KEEP_DAYS", "0")
    kept = cli("exports", "purge")
    assert kept.code == 0 and "kept for ever" in kept.out
    assert _job(here, old.id).status == "done" and _stored(here, old)
    assert len(_expiries(here)) == 1


def test_a_job_delivered_after_its_export_expired_is_not_run_again(place: Place) -> None:
    """A late queue delivery of an expired export ends at once, not retried as busy."""
    old = _made(place, OLD, days_ago=9)
    assert _purge(place).expired == 1
    from tests.jobs.test_exports import _run

    assert _run(place, old.id, "late-worker") == "already expired"
    assert _job(place, old.id).status == "expired"


def test_a_user_named_like_the_operator_never_sees_the_operators_exports(place: Place) -> None:
    from uuid import uuid4

    from casework.jobs.exports import exports_visible
    from casework.security.principal import Principal

    mine = _made(place, NEW, days_ago=0, by="operator")  # asked at the shell
    namesake = Principal(
        user_id=uuid4(),
        username="operator",
        full_name="O PERATOR",
        role=UserRole.ANALYST,
        force="WY",
    )
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            seen = exports_visible(session=session, actor=Actor("operator", namesake), limit=10)
            everyone = exports_visible(session=session, actor=Actor("operator"), limit=10)
    finally:
        engine.dispose()
    assert seen == [] and [j.id for j in everyone] == [mine.id]
