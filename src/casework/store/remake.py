"""Remake jobs' rows: ask for one, lease it to a worker, record how it ended.

The lease (owner and expiry) fences the end of a job: a worker whose lease ran out and was
taken over cannot record its result, so a job that runs twice records one copy and one
audit entry (at-least-once, idempotent).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.store.leases import QUEUED as QUEUED
from casework.store.leases import RUNNING as RUNNING
from casework.store.leases import due, due_ids
from casework.store.processing import Upload
from casework.store.remake_models import RemakeJobRow

DONE = "done"
FAILED = "failed"
UNFINISHED = (QUEUED, RUNNING)


@dataclass(frozen=True, slots=True)
class RemakeJob:
    """A remake job as people see it."""

    id: uuid.UUID
    document_id: uuid.UUID
    case_id: uuid.UUID
    force: str
    audience: str
    status: str
    requested_by: str
    requested_role: str
    requested_at: datetime
    updated_at: datetime
    attempts: int
    copy_id: uuid.UUID | None
    redactions: int | None
    error: str

    @classmethod
    def of(cls, row: RemakeJobRow) -> RemakeJob:
        return cls(
            id=row.id,
            document_id=row.document_id,
            case_id=row.case_id,
            force=row.force,
            audience=row.audience,
            status=row.status,
            requested_by=row.requested_by,
            requested_role=row.requested_role,
            requested_at=row.requested_at,
            updated_at=row.updated_at,
            attempts=row.attempts,
            copy_id=row.copy_id,
            redactions=row.redactions,
            error=row.error,
        )


def request_remake(
    *,
    session: Session,
    upload: Upload,
    audience: str,
    requested_by: str,
    requested_role: str,
    now: datetime,
) -> RemakeJob:
    """Queue a remake of ``upload``'s ``audience`` copy; one already waiting is returned.

    A job not yet running will read the decisions when it runs, so asking twice needs one.
    """
    waiting = session.scalars(
        select(RemakeJobRow).where(
            RemakeJobRow.document_id == upload.id,
            RemakeJobRow.audience == audience,
            RemakeJobRow.status == QUEUED,
        )
    ).first()
    if waiting is not None:
        return RemakeJob.of(waiting)
    row = RemakeJobRow(
        id=uuid.uuid4(),
        document_id=upload.id,
        case_id=upload.case_id,
        force=upload.force,
        audience=audience[:40],
        status=QUEUED,
        requested_by=requested_by[:64],
        requested_role=requested_role[:20],
        requested_at=now,
        updated_at=now,
        attempts=0,
        error="",
    )
    session.add(row)
    session.flush()
    return RemakeJob.of(row)


def remake_job(*, session: Session, job_id: uuid.UUID) -> RemakeJob:
    """One job (``NotFound`` if there is none)."""
    row = session.get(RemakeJobRow, job_id)
    if row is None:
        raise NotFound(f"no remake job {job_id}")
    return RemakeJob.of(row)


def remakes_of(*, session: Session, document_id: uuid.UUID, limit: int = 10) -> list[RemakeJob]:
    """An upload's latest remake jobs, newest first."""
    rows = session.scalars(
        select(RemakeJobRow)
        .where(RemakeJobRow.document_id == document_id)
        .order_by(RemakeJobRow.requested_at.desc())
        .limit(limit)
    )
    return [RemakeJob.of(row) for row in rows]


def remakes_due(*, session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    """Jobs waiting, or running under a lease that ran out (its worker stopped), oldest first."""
    return due_ids(session=session, row=RemakeJobRow, now=now, limit=limit)


def take_remake(
    *, session: Session, job_id: uuid.UUID, owner: str, now: datetime, lease: timedelta
) -> bool:
    """Lease a job that is due; False when it is finished or another worker holds it."""
    taken = session.execute(
        update(RemakeJobRow)
        .where(RemakeJobRow.id == job_id, due(RemakeJobRow, now))
        .values(
            status=RUNNING,
            owner=owner[:120],
            lease_expires_at=now + lease,
            attempts=RemakeJobRow.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def end_remake(
    *,
    session: Session,
    job_id: uuid.UUID,
    owner: str,
    now: datetime,
    status: str,
    copy_id: uuid.UUID | None = None,
    redactions: int | None = None,
    error: str = "",
) -> bool:
    """Record how the job ended, if ``owner`` still holds it; False when it no longer does."""
    ended = session.execute(
        update(RemakeJobRow)
        .where(
            RemakeJobRow.id == job_id,
            RemakeJobRow.owner == owner[:120],
            RemakeJobRow.status == RUNNING,
        )
        .values(
            status=status,
            owner=None,
            lease_expires_at=None,
            copy_id=copy_id,
            redactions=redactions,
            error=error[:2000],
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(ended.rowcount)  # type: ignore[attr-defined]


def unfinished_remakes(*, session: Session) -> int:
    """How many remake jobs wait or run (``until_idle`` workers wait for them)."""
    return len(
        list(session.scalars(select(RemakeJobRow.id).where(RemakeJobRow.status.in_(UNFINISHED))))
    )


def renew_remake(
    *, session: Session, job_id: uuid.UUID, owner: str, now: datetime, lease: timedelta
) -> bool:
    """Extend ``owner``'s lease on a running job; False when it no longer holds it."""
    renewed = session.execute(
        update(RemakeJobRow)
        .where(
            RemakeJobRow.id == job_id,
            RemakeJobRow.owner == owner[:120],
            RemakeJobRow.status == RUNNING,
        )
        .values(lease_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return bool(renewed.rowcount)  # type: ignore[attr-defined]


def remake_counts(*, session: Session) -> dict[str, int]:
    """Remake jobs by state (every state present, zero where none), for ``jobs status``."""
    rows = session.execute(
        select(RemakeJobRow.status, func.count()).group_by(RemakeJobRow.status)
    ).all()
    found = {str(status): int(n) for status, n in rows}
    return {state: found.get(state, 0) for state in (QUEUED, RUNNING, DONE, FAILED)}
