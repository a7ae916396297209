"""Export jobs' rows: ask for one, lease it to a worker, follow its progress, record its end.

As for remake jobs (store/remake.py), the lease (owner and expiry) fences every write a
worker makes: a worker whose lease ran out and was taken over can neither move the
progress nor record a result, so a job that runs twice records one file and one audit
entry (at-least-once, idempotent). A finished export whose file was kept its time is
``expired``: the row stays (history), its file is gone (``expire_export``, ``blob_in_use``,
``hold_blob``). Also here: what a case's disclosure bundle is made of (``bundle_items``),
read from the stored copies.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import ORIGINAL
from casework.store.export_models import ExportJobRow
from casework.store.leases import QUEUED as QUEUED
from casework.store.leases import RUNNING as RUNNING
from casework.store.leases import due, due_ids
from casework.store.models import CaseRow
from casework.store.processing_models import ProcessingClaimRow
from casework.store.review import case_decisions_sha256, decisions_sha256
from casework.store.review_models import ReviewDecisionRow

DONE = "done"
FAILED = "failed"
EXPIRED = "expired"
"""Made, kept its time (CASEWORK_EXPORT_KEEP_DAYS), and its file removed: ask again."""
UNFINISHED = (QUEUED, RUNNING)
STATES = (QUEUED, RUNNING, DONE, FAILED, EXPIRED)


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A finished export's file: where it is in the document store, its name and type."""

    sha256: str
    name: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ExportJob:
    """An export job as people see it."""

    id: uuid.UUID
    kind: str
    parameters: Mapping[str, Any]
    case_id: uuid.UUID | None
    force: str
    status: str
    requested_by: str
    requested_role: str
    requested_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    progress_done: int
    progress_total: int
    stage: str
    result: ExportFile | None
    error: str

    @classmethod
    def of(cls, row: ExportJobRow) -> ExportJob:
        result = None
        if row.result_sha256 is not None:
            result = ExportFile(
                sha256=row.result_sha256,
                name=row.result_name or "export",
                media_type=row.result_type or "application/octet-stream",
                size=row.result_size or 0,
            )
        return cls(
            id=row.id,
            kind=row.kind,
            parameters=dict(row.parameters or {}),
            case_id=row.case_id,
            force=row.force,
            status=row.status,
            requested_by=row.requested_by,
            requested_role=row.requested_role,
            requested_at=row.requested_at,
            updated_at=row.updated_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            attempts=row.attempts,
            progress_done=row.progress_done,
            progress_total=row.progress_total,
            stage=row.stage,
            result=result,
            error=row.error,
        )

    @property
    def percent(self) -> int:
        """How far it is, 0 to 100 (100 once done, expired or not)."""
        if self.status in (DONE, EXPIRED):
            return 100
        if self.progress_total <= 0:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def expired_at(self) -> datetime | None:
        """When its file was removed (None: not expired). Nothing changes the row after."""
        return self.updated_at if self.status == EXPIRED else None


def new_export(
    *,
    session: Session,
    kind: str,
    parameters: Mapping[str, Any],
    case_id: uuid.UUID | None,
    force: str,
    requested_by: str,
    requested_role: str,
    now: datetime,
) -> tuple[ExportJob, bool]:
    """Queue an export; the same one by the same person still waiting is returned instead.

    Returns the job and whether it is new.
    """
    waiting = session.scalars(
        select(ExportJobRow).where(
            ExportJobRow.requested_by == requested_by[:64],
            ExportJobRow.kind == kind,
            ExportJobRow.status == QUEUED,
        )
    )
    for row in waiting:
        if dict(row.parameters or {}) == dict(parameters):
            return ExportJob.of(row), False
    row = ExportJobRow(
        id=uuid.uuid4(),
        kind=kind[:20],
        parameters=dict(parameters),
        case_id=case_id,
        force=force[:4],
        status=QUEUED,
        requested_by=requested_by[:64],
        requested_role=requested_role[:20],
        requested_at=now,
        updated_at=now,
        attempts=0,
        progress_done=0,
        progress_total=0,
        stage="waiting for a worker",
        error="",
    )
    session.add(row)
    session.flush()
    return ExportJob.of(row), True


def export_job(*, session: Session, job_id: uuid.UUID) -> ExportJob:
    """One export (``NotFound`` if there is none)."""
    row = session.get(ExportJobRow, job_id)
    if row is None:
        raise NotFound(f"no export {job_id}")
    return ExportJob.of(row)


def exports_of(
    *,
    session: Session,
    requested_by: str | None,
    not_role: str | None = None,
    limit: int = 50,
) -> list[ExportJob]:
    """One person's exports (None: everyone's), newest first; none asked as ``not_role``.

    ``not_role`` keeps the operator's exports out of a signed-in user's list, whatever
    the names.
    """
    query = select(ExportJobRow)
    if requested_by is not None:
        query = query.where(ExportJobRow.requested_by == requested_by[:64])
    if not_role is not None:
        query = query.where(ExportJobRow.requested_role != not_role)
    rows = session.scalars(
        query.order_by(ExportJobRow.requested_at.desc(), ExportJobRow.id).limit(limit)
    )
    return [ExportJob.of(row) for row in rows]


def exports_due(*, session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    """Exports waiting, or running under a lease that ran out (its worker stopped)."""
    return due_ids(session=session, row=ExportJobRow, now=now, limit=limit)


def take_export(
    *, session: Session, job_id: uuid.UUID, owner: str, now: datetime, lease: timedelta
) -> bool:
    """Lease an export that is due; False when it is finished or another worker holds it."""
    taken = session.execute(
        update(ExportJobRow)
        .where(ExportJobRow.id == job_id, due(ExportJobRow, now))
        .values(
            status=RUNNING,
            owner=owner[:120],
            lease_expires_at=now + lease,
            attempts=ExportJobRow.attempts + 1,
            started_at=now,
            progress_done=0,
            stage="starting",
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def _held(job_id: uuid.UUID, owner: str) -> tuple[object, ...]:
    return (
        ExportJobRow.id == job_id,
        ExportJobRow.owner == owner[:120],
        ExportJobRow.status == RUNNING,
    )


def renew_export(
    *, session: Session, job_id: uuid.UUID, owner: str, now: datetime, lease: timedelta
) -> bool:
    """Extend ``owner``'s lease on a running export; False when it no longer holds it."""
    renewed = session.execute(
        update(ExportJobRow)
        .where(*_held(job_id, owner))  # type: ignore[arg-type]
        .values(lease_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return bool(renewed.rowcount)  # type: ignore[attr-defined]


def export_progress(
    *,
    session: Session,
    job_id: uuid.UUID,
    owner: str,
    now: datetime,
    done: int,
    total: int,
    stage: str,
) -> bool:
    """Record how far ``owner`` got; False when it no longer holds the export."""
    moved = session.execute(
        update(ExportJobRow)
        .where(*_held(job_id, owner))  # type: ignore[arg-type]
        .values(progress_done=done, progress_total=total, stage=stage[:120], updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(moved.rowcount)  # type: ignore[attr-defined]


def end_export(
    *,
    session: Session,
    job_id: uuid.UUID,
    owner: str,
    now: datetime,
    status: str,
    result: ExportFile | None = None,
    stage: str = "",
    error: str = "",
) -> bool:
    """Record how the export ended, if ``owner`` still holds it; False when it does not.

    ``status`` ``queued`` puts it back for another attempt (the error kept as the last one).
    """
    values: dict[str, Any] = {
        "status": status,
        "owner": None,
        "lease_expires_at": None,
        "error": error[:2000],
        "updated_at": now,
        "stage": (stage or {DONE: "done", FAILED: "failed"}.get(status, "waiting to try again"))[
            :120
        ],
    }
    if status in (DONE, FAILED):
        values["finished_at"] = now
    if result is not None:
        values |= {
            "result_sha256": result.sha256,
            "result_name": result.name[:255],
            "result_type": result.media_type[:100],
            "result_size": result.size,
        }
    ended = session.execute(
        update(ExportJobRow)
        .where(*_held(job_id, owner))  # type: ignore[arg-type]
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(ended.rowcount)  # type: ignore[attr-defined]


def unfinished_exports(*, session: Session) -> int:
    """How many exports wait or run (``until_idle`` workers wait for them)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ExportJobRow)
            .where(ExportJobRow.status.in_(UNFINISHED))
        )
        or 0
    )


def export_counts(*, session: Session) -> dict[str, int]:
    """Exports by state (every state present, zero where none), for ``jobs status``."""
    rows = session.execute(
        select(ExportJobRow.status, func.count()).group_by(ExportJobRow.status)
    ).all()
    found = {str(status): int(n) for status, n in rows}
    return {state: found.get(state, 0) for state in STATES}


def exports_to_expire(*, session: Session, made_before: datetime, limit: int) -> list[ExportJob]:
    """Finished exports made before ``made_before`` whose file is still kept, oldest first."""
    rows = session.scalars(
        select(ExportJobRow)
        .where(ExportJobRow.status == DONE, ExportJobRow.finished_at < made_before)
        .order_by(ExportJobRow.finished_at, ExportJobRow.id)
        .limit(limit)
    )
    return [ExportJob.of(row) for row in rows]


def expire_export(
    *, session: Session, job_id: uuid.UUID, made_before: datetime, now: datetime, stage: str
) -> bool:
    """Mark a finished export expired; False when it is not ``done`` and old enough (any more).

    A conditional UPDATE, so of several workers or an operator purging at once exactly one
    expires a given export (and removes and audits its file); the others skip it.
    """
    expired = session.execute(
        update(ExportJobRow)
        .where(
            ExportJobRow.id == job_id,
            ExportJobRow.status == DONE,
            ExportJobRow.finished_at < made_before,
        )
        .values(status=EXPIRED, stage=stage[:120], updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(expired.rowcount)  # type: ignore[attr-defined]


def blob_in_use(*, session: Session, sha256: str) -> bool:
    """Whether a finished export or a case document still names these stored bytes.

    The document store keeps one file for equal bytes (a bundle made twice of the same
    copies is the same ZIP), so an expired export's file is removed only when this is False.
    """
    export = exists().where(ExportJobRow.result_sha256 == sha256, ExportJobRow.status == DONE)
    document = exists().where(CaseDocumentRow.sha256 == sha256)
    return bool(session.scalar(select(or_(export, document))))


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One upload of a case and its copy for the bundle's audience (None: no copy)."""

    upload_id: uuid.UUID
    upload_name: str
    copy_id: uuid.UUID | None
    copy_name: str
    copy_sha256: str
    copy_size: int
    copy_type: str
    copy_made_at: datetime | None
    copy_decisions: str | None
    """The fingerprint of the decisions the copy was planned from (None: made before 0009)."""
    decisions_now: str
    """The fingerprint of the upload's decisions now (``store.review.decisions_sha256``)."""
    last_decision_at: datetime | None
    """When the upload's latest review decision was taken (None: never reviewed)."""
    processing: str
    """The upload's processing claim's status (``pending``, ``working``, ``failed``...)."""
    processing_error: str


def case_of(*, session: Session, reference: str) -> tuple[uuid.UUID, str] | None:
    """A case's id and force by its reference, or None."""
    found = session.execute(
        select(CaseRow.id, CaseRow.force).where(CaseRow.reference == reference.strip().upper())
    ).first()
    return (found[0], found[1]) if found is not None else None


def bundle_items(*, session: Session, case_id: uuid.UUID, audience: str) -> list[BundleItem]:
    """Every upload of the case, oldest first, with its ``audience`` copy if there is one.

    Never an original: the copy is a row derived from the upload, in that audience.
    """
    if audience == ORIGINAL:
        raise ValueError("a bundle is made of redacted copies, never of originals")
    documents = list(
        session.scalars(
            select(CaseDocumentRow)
            .where(CaseDocumentRow.case_id == case_id)
            .order_by(CaseDocumentRow.uploaded_at, CaseDocumentRow.id)
        )
    )
    copies = {
        d.derived_from: d
        for d in documents
        if d.derived_from is not None and d.audience == audience and d.audience != ORIGINAL
    }
    decided: dict[uuid.UUID, datetime] = {}
    for document_id, at in session.execute(
        select(ReviewDecisionRow.document_id, ReviewDecisionRow.decided_at).where(
            ReviewDecisionRow.case_id == case_id
        )
    ):
        if document_id not in decided or at > decided[document_id]:
            decided[document_id] = at
    fingerprints = case_decisions_sha256(session=session, case_id=case_id)
    undecided = decisions_sha256([])
    claims = {
        c.document_id: c
        for c in session.scalars(
            select(ProcessingClaimRow).where(ProcessingClaimRow.case_id == case_id)
        )
    }
    found: list[BundleItem] = []
    for d in documents:
        if d.derived_from is not None or d.audience != ORIGINAL:
            continue
        copy = copies.get(d.id)
        claim = claims.get(d.id)
        last = decided.get(d.id)
        found.append(
            BundleItem(
                upload_id=d.id,
                upload_name=d.original_name,
                copy_id=copy.id if copy else None,
                copy_name=copy.original_name if copy else "",
                copy_sha256=copy.sha256 if copy else "",
                copy_size=copy.size if copy else 0,
                copy_type=copy.content_type if copy else "",
                copy_made_at=copy.uploaded_at if copy else None,
                copy_decisions=copy.decisions_sha256 if copy else None,
                decisions_now=fingerprints.get(d.id, undecided),
                last_decision_at=last,
                processing=claim.status if claim is not None else "pending",
                processing_error=(claim.last_error or "") if claim is not None else "",
            )
        )
    return found
