"""Remaking a copy after review, as a job: run by a worker, not inside a web request.

The reviewer's request is a ``remake_jobs`` row (store/remake.py). ``run_remake`` is the
unit of work on both engines: the local worker runs the rows that are due; on PostgreSQL a
procrastinate job (``casework.remake_copy``, one per row, by queueing lock) calls it. It
leases the row (``running``, renewed while it works), saves the placeholder numbers the copy
adds to its case's register (a short transaction fenced by the lease: ``jobs.numbering``),
renders and verifies the copy outside any write transaction, then records the copy, the
job's end and the audit entry in one transaction fenced by the lease: a job run twice
(at-least-once) records one of each, and its values keep the numbers they were given.
A copy that fails its check (``LeakDetected``) or an upload that cannot be read ends the
job ``failed`` with the reason, and the copy there was is kept; anything else (a database
outage) puts it back in the queue, and fails it after ``max_attempts``.

Small uploads are remade while the reviewer waits (``remake_now``, in the request's
transaction) with the same row, lease and audit entry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.errors import CaseworkError, InvalidInput, LeakDetected, NotFound
from casework.jobs.numbering import RegisterAccess
from casework.jobs.processing import REDACT_ACTION
from casework.jobs.review import CopyRemade, audiences, render_copy
from casework.redaction import Audience
from casework.security.audit import AuditRecord, Outcome, append_audit
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import DocumentStore
from casework.store.engine import for_writing
from casework.store.processing import NewCopy, Upload, upload_of
from casework.store.remake import (
    DONE,
    FAILED,
    QUEUED,
    RemakeJob,
    end_remake,
    remake_job,
    renew_remake,
    take_remake,
)
from casework.store.review import replace_copy

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class RemakeBusy(RuntimeError):
    """Another worker holds a live lease on the job: try again a little later."""


class LostRemake(RuntimeError):
    """This worker's lease on the job ran out and another took it over."""


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    with Session(for_writing(engine), expire_on_commit=False) as session, session.begin():
        yield session


def _audience(job: RemakeJob) -> Audience:
    """The job's audience (``InvalidInput`` if it is no longer configured)."""
    return audiences().get(job.audience)


def waits_for_remake(*, session: Session, document_id: UUID, inline_bytes: int) -> bool:
    """Whether the reviewer waits for this upload's copy (small) or a worker makes it."""
    row = session.get(CaseDocumentRow, document_id)
    return row is not None and row.size <= inline_bytes


def _record(
    *,
    session: Session,
    upload: Upload,
    job: RemakeJob,
    copy: NewCopy,
    owner: str,
    now: datetime,
    audit: bool = True,
) -> CopyRemade:
    """Keep the copy, end the job and audit it, in the caller's transaction, if still ours."""
    copy_id = replace_copy(
        session=session, upload=upload, copy=copy, made_by=job.requested_by, now=now
    )
    made = CopyRemade(copy.audience, copy_id, len(copy.log))
    if not end_remake(
        session=session,
        job_id=job.id,
        owner=owner,
        now=now,
        status=DONE,
        copy_id=made.copy_id,
        redactions=made.redactions,
    ):
        raise LostRemake(f"remake job {job.id} was taken over by another worker")
    if not audit:
        return made
    append_audit(
        session=session,
        record=AuditRecord(
            actor=job.requested_by,
            actor_role=job.requested_role,
            force=job.force,
            action=REDACT_ACTION,
            outcome=Outcome.ALLOWED,
            case_reference=upload.case_reference,
            target=str(made.copy_id),
            detail={
                "audience": made.audience,
                "derived_from": str(job.document_id),
                "redactions": made.redactions,
                "reviewed": True,
                "job": str(job.id),
            },
        ),
        now=now,
    )
    return made


def remake_now(
    *,
    session: Session,
    blobs: DocumentStore,
    options: ReadOptions,
    job: RemakeJob,
    owner: str,
    now: datetime,
) -> CopyRemade:
    """Run ``job`` in the caller's transaction (a small upload, while the reviewer waits).

    The caller audits it with its request. Raises ``LeakDetected`` or
    ``UnreadableDocument``: the caller rolls back (the job and the copy there was stay as
    they were) and says why.
    """
    if not take_remake(
        session=session, job_id=job.id, owner=owner, now=now, lease=timedelta(minutes=5)
    ):
        raise RemakeBusy(f"remake job {job.id} is not due (finished, or another worker has it)")
    upload = upload_of(session=session, document_id=job.document_id)
    copy = render_copy(
        session=session, blobs=blobs, upload=upload, audience=_audience(job), options=options
    )
    return _record(
        session=session, upload=upload, job=job, copy=copy, owner=owner, now=now, audit=False
    )


def _holding(job: RemakeJob, *, owner: str, lease: timedelta) -> Callable[[Session], None]:
    """A fence for a write of the job's: renew its lease, or ``LostRemake`` if not ours."""

    def fence(session: Session) -> None:
        if not renew_remake(session=session, job_id=job.id, owner=owner, now=_now(), lease=lease):
            raise LostRemake(f"remake job {job.id} was taken over by another worker")

    return fence


@contextmanager
def _renewing(engine: Engine, job_id: UUID, owner: str, lease: timedelta) -> Iterator[None]:
    """Renew the job's lease a few times per lease while the work goes on."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(max(0.5, lease.total_seconds() / 3)):
            try:
                with _writing(engine) as session:
                    renew_remake(
                        session=session, job_id=job_id, owner=owner, now=_now(), lease=lease
                    )
            except Exception:  # the next beat tries again; the lease has slack for it
                logger.exception("renewing the lease of remake job %s failed", job_id)

    thread = threading.Thread(target=beat, name="casework-remake-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_remake(
    *,
    engine: Engine,
    blobs: DocumentStore,
    options: ReadOptions,
    job_id: UUID,
    owner: str,
    lease: timedelta,
    max_attempts: int = MAX_ATTEMPTS,
) -> str:
    """Run one remake job as a worker does; say what happened.

    Raises ``RemakeBusy`` while another worker's lease on it is live, and re-raises an
    unexpected error after putting the job back (or failing it after ``max_attempts``).
    """
    try:
        with _writing(engine) as session:
            job = remake_job(session=session, job_id=job_id)
            if job.status in (DONE, FAILED):
                return f"already {job.status}"
            if not take_remake(
                session=session, job_id=job_id, owner=owner, now=_now(), lease=lease
            ):
                raise RemakeBusy(f"remake job {job_id} is leased by another worker")
    except NotFound:  # deleted with its upload
        return "deleted"
    try:
        with _renewing(engine, job_id, owner, lease):
            with Session(engine) as session:
                upload = upload_of(session=session, document_id=job.document_id)
                copy = render_copy(
                    session=session,
                    blobs=blobs,
                    upload=upload,
                    audience=_audience(job),
                    options=options,
                    register=RegisterAccess.on_engine(
                        engine, fence=_holding(job, owner=owner, lease=lease)
                    ),
                )
            with _writing(engine) as session:
                _record(session=session, upload=upload, job=job, copy=copy, owner=owner, now=_now())
    except LostRemake as lost:
        logger.warning("%s", lost)
        return "taken over"
    except NotFound:
        return "deleted"
    except (LeakDetected, InvalidInput) as problem:  # the copy there was is kept
        _end(engine, job, owner, status=FAILED, error=problem.message, audit_failure=True)
        return FAILED
    except Exception as error:
        logger.exception("remake job %s failed", job_id)
        reason = (
            error.message
            if isinstance(error, CaseworkError)
            else f"unexpected error ({type(error).__name__}: {error})"
        )
        again = job.attempts + 1 < max_attempts
        _end(engine, job, owner, status=QUEUED if again else FAILED, error=reason)
        raise
    logger.info("remake job %s done", job_id)
    return DONE


def _end(
    engine: Engine,
    job: RemakeJob,
    owner: str,
    *,
    status: str,
    error: str,
    audit_failure: bool = False,
) -> None:
    """Record the job's end in a transaction of its own (the work's was rolled back)."""
    now = _now()
    with _writing(engine) as session:
        if not end_remake(
            session=session, job_id=job.id, owner=owner, now=now, status=status, error=error
        ):
            return  # taken over: the other worker records it
        if not audit_failure:
            return
        upload = upload_of(session=session, document_id=job.document_id)
        append_audit(
            session=session,
            record=AuditRecord(
                actor=job.requested_by,
                actor_role=job.requested_role,
                force=job.force,
                action=REDACT_ACTION,
                outcome=Outcome.FAILED,
                case_reference=upload.case_reference,
                target=str(job.document_id),
                detail={"audience": job.audience, "reviewed": True, "job": str(job.id)},
            ),
            now=now,
        )
