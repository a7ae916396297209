"""Making an export's file, as a job: the unit of work both engines run.

``run_export`` leases the export's row (``running``, renewed while it works), checks again
that the requester may have it, builds the file in a temporary folder outside any write
transaction (reporting progress, each step fenced by the lease), stores it in the document
store (a folder or S3) by its SHA-256, then records the file, the job's end and the audit
entry in one transaction fenced by the lease. A job run twice (at-least-once: a worker
killed mid-way, a procrastinate retry) records one file and one entry; a second run of a
finished job does nothing. A job that cannot be made (the operation or the case gone, the
access withdrawn, a stored copy that no longer matches its checksum) ends ``failed`` with
the reason; anything else (a database outage) puts it back, and fails it after
``max_attempts``.

The disclosure bundle is built from the stored copies only, each re-hashed on the way into
the ZIP and refused unless its bytes are the ones that passed the leak check when it was
made; a copy not planned from the upload's review decisions as they are now (one taken,
or undone, after the copy read them, even one taken before it was recorded: the copy keeps
a fingerprint of the decisions it followed) is left out and said to be, as is an upload
with no copy for the audience yet.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.errors import (
    CaseworkError,
    InvalidInput,
    LeakDetected,
    NotFound,
    PermissionDenied,
)
from casework.jobs.exports import (
    CASE_BUNDLE,
    MAKE_ACTION,
    OPS_SUMMARY,
    requester,
    still_allowed,
)
from casework.operations import service as ops_service
from casework.operations.summary import summary_html, summary_pdf
from casework.security.audit import AuditRecord, Outcome, append_audit
from casework.store.documents import (
    ORIGINAL,
    DocumentStore,
    StoredBlob,
    clean_name,
    hold_blob,
    read_chunks,
)
from casework.store.engine import for_writing
from casework.store.exports import (
    DONE,
    EXPIRED,
    FAILED,
    QUEUED,
    BundleItem,
    ExportFile,
    ExportJob,
    bundle_items,
    end_export,
    export_job,
    export_progress,
    renew_export,
    take_export,
)
from casework.store.operations_repository import SqlOperationsRepository
from casework.store.review import copy_log

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_EXPORT_BYTES = 64 * 1024**3
"""The largest export file kept (a bundle of many 800-page files is a few GB at most)."""
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
"""Entries of a bundle carry a fixed date, so the same copies make the same ZIP."""
LOG_CSV = "redaction-log.csv"
LOG_JSON = "redaction-log.json"
LEFT_OUT = "not-included.csv"
ZIP_TYPE = "application/zip"


class ExportBusy(RuntimeError):
    """Another worker holds a live lease on the export: try again a little later."""


class LostExport(RuntimeError):
    """This worker's lease on the export ran out and another took it over."""


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    with Session(for_writing(engine), expire_on_commit=False) as session, session.begin():
        yield session


Progress = Callable[[int, int, str], None]
"""(done, total, stage): how far the work is; raises ``LostExport`` once the job is not ours."""


@dataclass(frozen=True, slots=True)
class Made:
    """A file built in a temporary folder: where, its name and type, and a last word."""

    path: Path
    name: str
    media_type: str
    summary: str


def _summary(session: Session, job: ExportJob, folder: Path, progress: Progress) -> Made:
    """The operation's roll-up rendered as its one-page summary (PDF or HTML)."""
    name = str(job.parameters["operation"])
    fmt = str(job.parameters.get("format", "pdf"))
    progress(0, 2, "rolling up the returns")
    repo = SqlOperationsRepository(session)
    op = ops_service.operation_named(repo=repo, name=name)
    result = ops_service.rollup(repo=repo, operation=op)
    progress(1, 2, f"rendering the {fmt.upper()} summary")
    path = folder / f"{op.name}-summary.{fmt}"
    if fmt == "pdf":
        path.write_bytes(summary_pdf(result, generated=job.requested_at))
        media = "application/pdf"
    else:
        path.write_text(summary_html(result, generated=job.requested_at), encoding="utf-8")
        media = "text/html; charset=utf-8"
    progress(2, 2, "storing the file")
    return Made(path, path.name, media, f"returns from {len(result.submitted)} forces")


@dataclass(frozen=True, slots=True)
class BundleLogRow:
    """One redaction in the bundle's combined log (no removed value: offsets and why)."""

    document: str
    part: str
    page: int
    label: str
    reason: str
    recognizer: str
    placeholder: str
    start: int
    end: int


def _cell(value: object) -> object:
    """Defuse spreadsheet formulas (as every redaction log does): "=..." stays text."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _csv(rows: list[dict[str, object]], names: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _left_out(item: BundleItem, audience: str) -> str | None:
    """Why an upload's copy is not in the bundle (None: it is)."""
    if item.copy_id is None:
        if item.processing == "failed":
            # never the error's words: they may name a part as uploaded (a person's name)
            return f"no {audience} copy: processing failed (see the documents page)"
        return f"no {audience} copy yet (processing {item.processing}): ask again once it is made"
    if item.copy_decisions is not None:
        stale = item.copy_decisions != item.decisions_now
    else:  # a copy made before migration 0009 knows no decisions: judged by date
        made, last = item.copy_made_at, item.last_decision_at
        stale = last is not None and made is not None and last > made
    if stale:
        return (
            f"review decisions were taken after the {audience} copy was made: make the copy "
            "again with them, then ask for the bundle again"
        )
    return None


def _copy_into(archive: zipfile.ZipFile, blobs: DocumentStore, item: BundleItem, name: str) -> None:
    """Copy a stored copy into the ZIP, refusing it unless its bytes are the verified ones."""
    digest = hashlib.sha256()
    with (
        closing(blobs.open(item.copy_sha256)) as stream,
        archive.open(_entry(name), "w", force_zip64=True) as out,
    ):
        for chunk in read_chunks(stream):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != item.copy_sha256:
        raise LeakDetected(
            f"the stored copy {item.copy_id} ({item.copy_name}) does not match the checksum "
            "it had when it passed the leak check; it is not released"
        )


def _bundle(
    session: Session, blobs: DocumentStore, job: ExportJob, folder: Path, progress: Progress
) -> Made:
    """Every verified copy of the case's uploads for the audience, and their redaction log."""
    reference = str(job.parameters["case"])
    audience = str(job.parameters["audience"])
    if job.case_id is None or audience == ORIGINAL:
        raise InvalidInput(f"export {job.id}: a bundle is made of a case's redacted copies")
    items = bundle_items(session=session, case_id=job.case_id, audience=audience)
    total = len(items)
    progress(0, total, f"0 of {total} documents")
    path = folder / f"{reference}-{audience}-bundle.zip"
    log: list[BundleLogRow] = []
    left_out: list[dict[str, object]] = []
    included = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, item in enumerate(items, start=1):
            why = _left_out(item, audience)
            if why is not None or item.copy_id is None:
                left_out.append({"upload": str(item.upload_id), "reason": why or ""})
            else:
                name = f"{number:03d} {clean_name(item.copy_name)}"
                _copy_into(archive, blobs, item, name)
                included += 1
                log.extend(
                    BundleLogRow(document=name, **asdict(entry))
                    for entry in copy_log(session=session, copy_id=item.copy_id)
                )
            progress(number, total, f"{number} of {total} documents")
        names = [f.name for f in fields(BundleLogRow)]
        records: list[dict[str, object]] = [asdict(r) for r in log]
        archive.writestr(_entry(LOG_CSV), _csv(records, names))
        archive.writestr(_entry(LOG_JSON), json.dumps(records, indent=2, ensure_ascii=False) + "\n")
        if left_out:
            archive.writestr(_entry(LEFT_OUT), _csv(left_out, ["upload", "reason"]))
    summary = f"{included} of {total} documents, {len(log)} redactions"
    if left_out:
        summary += f"; {len(left_out)} not included (see {LEFT_OUT})"
    return Made(path, path.name, ZIP_TYPE, summary)


def _build(
    session: Session, blobs: DocumentStore, job: ExportJob, folder: Path, progress: Progress
) -> Made:
    if job.kind == OPS_SUMMARY:
        return _summary(session, job, folder, progress)
    if job.kind == CASE_BUNDLE:
        return _bundle(session, blobs, job, folder, progress)
    raise InvalidInput(f"export {job.id}: unknown kind {job.kind!r}")


@contextmanager
def _renewing(engine: Engine, job_id: UUID, owner: str, lease: timedelta) -> Iterator[None]:
    """Renew the export's lease a few times per lease while the work goes on."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(max(0.5, lease.total_seconds() / 3)):
            try:
                with _writing(engine) as session:
                    renew_export(
                        session=session, job_id=job_id, owner=owner, now=_now(), lease=lease
                    )
            except Exception:  # the next beat tries again; the lease has slack for it
                logger.exception("renewing the lease of export %s failed", job_id)

    thread = threading.Thread(target=beat, name="casework-export-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _progress(engine: Engine, job_id: UUID, owner: str) -> Progress:
    def report(done: int, total: int, stage: str) -> None:
        with _writing(engine) as session:
            if not export_progress(
                session=session,
                job_id=job_id,
                owner=owner,
                now=_now(),
                done=done,
                total=total,
                stage=stage,
            ):
                raise LostExport(f"export {job_id} was taken over by another worker")

    return report


def _record(job: ExportJob, outcome: Outcome, **detail: str | int) -> AuditRecord:
    reference = str(job.parameters.get("case", ""))[:24] or None
    return AuditRecord(
        actor=job.requested_by,
        actor_role=job.requested_role,
        force=job.force,
        action=MAKE_ACTION,
        outcome=outcome,
        case_reference=reference,
        target=f"export:{job.id}",
        detail={"kind": job.kind, **{k: str(v) for k, v in job.parameters.items()}, **detail},
    )


def _store(blobs: DocumentStore, path: Path) -> StoredBlob:
    with path.open("rb") as stream:
        return blobs.put(read_chunks(stream), max_bytes=MAX_EXPORT_BYTES)


def _make(engine: Engine, blobs: DocumentStore, job: ExportJob, owner: str) -> None:
    """Build, store and record the file (raises ``LostExport`` if the job was taken over)."""
    progress = _progress(engine, job.id, owner)
    with tempfile.TemporaryDirectory(prefix="casework-export-") as folder:
        with Session(engine) as session:
            still_allowed(session=session, actor=requester(session=session, job=job), job=job)
            made = _build(session, blobs, job, Path(folder), progress)
        blob = _store(blobs, made.path)
        result = ExportFile(
            sha256=blob.sha256, name=made.name, media_type=made.media_type, size=blob.size
        )
        with _writing(engine) as session:
            _record_done(session, blobs, job, owner, result, made)


def _record_done(
    session: Session,
    blobs: DocumentStore,
    job: ExportJob,
    owner: str,
    result: ExportFile,
    made: Made,
) -> None:
    """Record the file and the job's end, the file's bytes held against a purge meanwhile.

    Equal bytes are stored once, so an expired export with the same file (the same bundle
    asked for again) may have been purged between ``put`` and now: the file is then stored
    again from the temporary folder before it is recorded (jobs/export_expiry.py).
    """
    hold_blob(session=session, sha256=result.sha256)
    if not blobs.has(result.sha256):
        _store(blobs, made.path)
    if not end_export(
        session=session,
        job_id=job.id,
        owner=owner,
        now=_now(),
        status=DONE,
        result=result,
        stage=made.summary,
    ):
        raise LostExport(f"export {job.id} was taken over by another worker")
    append_audit(
        session=session,
        record=_record(job, Outcome.ALLOWED, sha256=result.sha256, size=result.size),
    )


def run_export(
    *,
    engine: Engine,
    blobs: DocumentStore,
    job_id: UUID,
    owner: str,
    lease: timedelta,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Run one export job as a worker does; say what happened.

    Raises ``ExportBusy`` while another worker's lease on it is live, and re-raises an
    unexpected error after putting the job back (or failing it after ``max_attempts``).
    """
    try:
        with _writing(engine) as session:
            job = export_job(session=session, job_id=job_id)
            if job.status in (DONE, FAILED, EXPIRED):
                return f"already {job.status}"
            if not take_export(
                session=session, job_id=job_id, owner=owner, now=_now(), lease=lease
            ):
                raise ExportBusy(f"export {job_id} is leased by another worker")
    except NotFound:  # deleted with its case
        return "deleted"
    try:
        with _renewing(engine, job_id, owner, lease):
            _make(engine, blobs, job, owner)
    except LostExport as lost:
        logger.warning("%s", lost)
        return "taken over"
    except (InvalidInput, NotFound, PermissionDenied, LeakDetected) as problem:
        _end(engine, job, owner, status=FAILED, error=problem.message, audit=True)
        return FAILED
    except Exception as error:
        logger.exception("export %s failed", job_id)
        reason = (
            error.message
            if isinstance(error, CaseworkError)
            else f"unexpected error ({type(error).__name__}: {error})"
        )
        again = job.attempts + 1 < max_attempts
        _end(engine, job, owner, status=QUEUED if again else FAILED, error=reason, audit=not again)
        raise
    logger.info("export %s done", job_id)
    return DONE


def _end(
    engine: Engine, job: ExportJob, owner: str, *, status: str, error: str, audit: bool
) -> None:
    """Record the export's end in a transaction of its own (the work's was rolled back)."""
    with _writing(engine) as session:
        if not end_export(
            session=session, job_id=job.id, owner=owner, now=_now(), status=status, error=error
        ):
            return  # taken over (or deleted with its case): the other worker records it
        if audit:
            append_audit(session=session, record=_record(job, Outcome.FAILED, error=error[:200]))
