"""Upload processing over durable state: what is left to do, leases, copies, progress.

There is no queue. The work still to do is read from the tables themselves: every upload
that lacks a copy for one of the configured audiences, unless a live lease says someone is
on it or it has been given up. Each step can be repeated without harm:

- a lease is taken with one conditional UPDATE (unclaimed, or its lease ran out), which
  only one of several racing workers can win on SQLite and on PostgreSQL alike;
- a worker that died (kill -9) stops renewing, its lease runs out and another takes over;
- a copy is inserted with ON CONFLICT DO NOTHING on the unique (derived_from, audience),
  together with its findings and log rows and a check that the writer still holds the
  lease, in one transaction: a copy and its rows are all there once, or not at all;
- the bytes of a copy are stored by SHA-256 first, so writing them twice is harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from casework.errors import NotFound
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import ORIGINAL, StoredBlob, clean_name
from casework.store.models import CaseRow
from casework.store.processing_models import (
    CopyFindingRow,
    CopyRedactionRow,
    ProcessingClaimRow,
)

PENDING = "pending"
WORKING = "working"
DONE = "done"
FAILED = "failed"
MAX_ERROR = 2000


class LostClaim(RuntimeError):
    """This worker no longer holds the upload's lease (it ran out and another took over)."""


@dataclass(frozen=True, slots=True)
class Upload:
    """An upload as processing needs it: where its bytes are and whose case it is."""

    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    force: str
    name: str
    sha256: str
    format: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A lease taken: the upload, which attempt this is, and the audiences still missing."""

    document_id: uuid.UUID
    attempt: int
    audiences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingCount:
    """How many spans of a label detection found in a copy's source, and how many went."""

    label: str
    found: int
    removed: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One redaction of a copy (no removed value: offsets, label, reason, placeholder)."""

    part: str
    page: int
    label: str
    reason: str
    recognizer: str
    placeholder: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NewCopy:
    """A verified redacted copy whose bytes are in the store, with its summary and log."""

    audience: str
    blob: StoredBlob
    name: str
    content_type: str
    format: str
    findings: tuple[FindingCount, ...]
    log: tuple[LogEntry, ...]
    decisions_sha256: str | None = None
    """The review decisions it was planned from (``store.review.decisions_sha256``)."""


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One upload's processing as the status shows it."""

    document_id: uuid.UUID
    case_reference: str
    force: str
    state: str
    owner: str | None
    stage: str
    pages_done: int
    pages_total: int
    attempts: int
    failures: int
    last_error: str | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class ProcessingStatus:
    """Counts by state, and the uploads in progress or failed (oldest first)."""

    audiences: tuple[str, ...]
    pending: int
    working: int
    done: int
    failed: int
    uploads: tuple[ClaimView, ...]


def _insert(session: Session, table: Any) -> Any:
    """INSERT for this database, with its ON CONFLICT clause (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _copies_of(audiences: Sequence[str]) -> Any:
    """How many of ``audiences`` an upload (the outer ``CaseDocumentRow``) has a copy for."""
    copy = aliased(CaseDocumentRow)
    return (
        select(func.count(copy.id))
        .where(copy.derived_from == CaseDocumentRow.id, copy.audience.in_(list(audiences)))
        .correlate(CaseDocumentRow)
        .scalar_subquery()
    )


def _is_upload() -> Any:
    return and_(CaseDocumentRow.derived_from.is_(None), CaseDocumentRow.audience == ORIGINAL)


def _claimable(now: datetime) -> Any:
    """No claim yet, or one that is not given up, not leased now and not waiting to retry."""
    claim = ProcessingClaimRow
    return or_(
        claim.document_id.is_(None),
        and_(
            claim.status != FAILED,
            or_(claim.owner.is_(None), claim.lease_expires_at < now),
            or_(claim.retry_at.is_(None), claim.retry_at <= now),
        ),
    )


def uploads_to_process(
    *, session: Session, audiences: Sequence[str], now: datetime, limit: int
) -> list[uuid.UUID]:
    """The oldest uploads that lack a copy for an audience and that nobody is working on."""
    rows = session.scalars(
        select(CaseDocumentRow.id)
        .outerjoin(ProcessingClaimRow, ProcessingClaimRow.document_id == CaseDocumentRow.id)
        .where(_is_upload(), _copies_of(audiences) < len(audiences), _claimable(now))
        .order_by(CaseDocumentRow.uploaded_at, CaseDocumentRow.id)
        .limit(limit)
    )
    return list(rows)


def recent_uploads_to_process(
    *, session: Session, audiences: Sequence[str], now: datetime, since: datetime, limit: int
) -> list[uuid.UUID]:
    """``uploads_to_process`` among the uploads stored since ``since`` and those whose claim
    is pending or working (released, waiting to retry, or its lease ran out).

    Two index range scans (uploads by age; claims by status) instead of a look at every
    upload ever stored: what a worker polls every few seconds, between the full passes
    that ``uploads_to_process`` makes (which alone find an old upload lacking a copy for a
    newly configured audience).
    """
    claim = ProcessingClaimRow
    base = (
        select(CaseDocumentRow.id, CaseDocumentRow.uploaded_at)
        .outerjoin(claim, claim.document_id == CaseDocumentRow.id)
        .where(_is_upload(), _copies_of(audiences) < len(audiences), _claimable(now))
        .order_by(CaseDocumentRow.uploaded_at, CaseDocumentRow.id)
        .limit(limit)
    )
    recent = session.execute(base.where(CaseDocumentRow.uploaded_at >= since)).all()
    waiting = session.execute(base.where(claim.status.in_([PENDING, WORKING]))).all()
    found = {row.id: row.uploaded_at for row in [*recent, *waiting]}
    return sorted(found, key=lambda key: (found[key], key))[:limit]


def work_left(*, session: Session, audiences: Sequence[str]) -> int:
    """How many uploads still lack a copy and are not given up (leased or not)."""
    count = session.scalar(
        select(func.count(CaseDocumentRow.id))
        .outerjoin(ProcessingClaimRow, ProcessingClaimRow.document_id == CaseDocumentRow.id)
        .where(
            _is_upload(),
            _copies_of(audiences) < len(audiences),
            or_(ProcessingClaimRow.status.is_(None), ProcessingClaimRow.status != FAILED),
        )
    )
    return int(count or 0)


def missing_audiences(
    *, session: Session, document_id: uuid.UUID, audiences: Sequence[str]
) -> tuple[str, ...]:
    """The audiences of ``audiences`` the upload has no copy for yet, in the order given."""
    have = set(
        session.scalars(
            select(CaseDocumentRow.audience).where(CaseDocumentRow.derived_from == document_id)
        )
    )
    return tuple(a for a in audiences if a not in have)


def upload_of(*, session: Session, document_id: uuid.UUID) -> Upload:
    """The upload ``document_id`` (NotFound when there is none, or it is a copy)."""
    row = session.execute(
        select(CaseDocumentRow, CaseRow.reference)
        .join(CaseRow, CaseRow.id == CaseDocumentRow.case_id)
        .where(CaseDocumentRow.id == document_id, _is_upload())
    ).first()
    if row is None:
        raise NotFound(f"no upload {document_id}")
    doc, reference = row
    return Upload(
        id=doc.id,
        case_id=doc.case_id,
        case_reference=reference,
        force=doc.force,
        name=doc.original_name,
        sha256=doc.sha256,
        format=doc.format,
    )


def take_claim(
    *,
    session: Session,
    document_id: uuid.UUID,
    owner: str,
    now: datetime,
    lease: timedelta,
    audiences: Sequence[str],
) -> Claim | None:
    """Take the lease on an upload for ``owner``; None when another holds it or none is due.

    The claim row is made on first sight (ON CONFLICT DO NOTHING), then taken by one
    UPDATE whose WHERE says "unclaimed or expired": of racing workers, one wins.
    """
    upload = upload_of(session=session, document_id=document_id)
    session.execute(
        _insert(session, ProcessingClaimRow)
        .values(
            document_id=document_id,
            case_id=upload.case_id,
            force=upload.force,
            status=PENDING,
            attempts=0,
            failures=0,
            stage="waiting",
            pages_done=0,
            pages_total=0,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["document_id"])
    )
    claim = ProcessingClaimRow
    taken = session.execute(
        update(claim)
        .where(
            claim.document_id == document_id,
            claim.status != FAILED,
            or_(claim.owner.is_(None), claim.lease_expires_at < now),
            or_(claim.retry_at.is_(None), claim.retry_at <= now),
        )
        .values(
            owner=owner,
            status=WORKING,
            lease_expires_at=now + lease,
            attempts=claim.attempts + 1,
            stage="claimed",
            pages_done=0,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    attempt = session.scalar(select(claim.attempts).where(claim.document_id == document_id))
    missing = missing_audiences(session=session, document_id=document_id, audiences=audiences)
    return Claim(document_id, int(attempt or 0), missing)


def hold_claim(
    *,
    session: Session,
    document_id: uuid.UUID,
    owner: str,
    now: datetime,
    lease: timedelta,
    stage: str | None = None,
    pages_done: int | None = None,
    pages_total: int | None = None,
) -> None:
    """Renew ``owner``'s lease on one upload and note its progress; ``LostClaim`` if gone.

    Called inside the transaction that writes a result, it is also the fence: on
    PostgreSQL the row stays locked until commit, on SQLite the write lock is held, so the
    lease cannot pass to another worker between the check and the commit.
    """
    values: dict[str, Any] = {"lease_expires_at": now + lease, "updated_at": now}
    if stage is not None:
        values["stage"] = stage[:40]
    if pages_done is not None:
        values["pages_done"] = pages_done
    if pages_total is not None:
        values["pages_total"] = pages_total
    held = session.execute(
        update(ProcessingClaimRow)
        .where(
            ProcessingClaimRow.document_id == document_id,
            ProcessingClaimRow.owner == owner,
            ProcessingClaimRow.status == WORKING,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        raise LostClaim(f"{owner} no longer holds the lease on upload {document_id}")


def renew_claims(*, session: Session, owner: str, now: datetime, lease: timedelta) -> int:
    """Extend every lease ``owner`` holds (the worker's heartbeat); return how many."""
    renewed = session.execute(
        update(ProcessingClaimRow)
        .where(ProcessingClaimRow.owner == owner, ProcessingClaimRow.status == WORKING)
        .values(lease_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return int(renewed.rowcount)  # type: ignore[attr-defined]


def add_copy(
    *, session: Session, upload: Upload, copy: NewCopy, made_by: str, now: datetime
) -> uuid.UUID | None:
    """Record a redacted copy with its findings and log; None when it was already there.

    The copy row is inserted with ON CONFLICT DO NOTHING on (derived_from, audience), and
    its rows only when it was: a repeat after a crash can add nothing twice.
    """
    copy_id = uuid.uuid4()
    inserted = session.execute(
        _insert(session, CaseDocumentRow)
        .values(
            id=copy_id,
            case_id=upload.case_id,
            force=upload.force,
            derived_from=upload.id,
            audience=copy.audience,
            original_name=clean_name(copy.name),
            size=copy.blob.size,
            sha256=copy.blob.sha256,
            content_type=copy.content_type,
            format=copy.format,
            uploaded_by=made_by[:64],
            uploaded_at=now,
            decisions_sha256=copy.decisions_sha256,
        )
        .on_conflict_do_nothing(index_elements=["derived_from", "audience"])
        .returning(CaseDocumentRow.id)
    ).first()
    if inserted is None:
        return None
    session.add_all(
        CopyFindingRow(
            document_id=copy_id,
            label=f.label[:40],
            force=upload.force,
            found=f.found,
            removed=f.removed,
        )
        for f in copy.findings
    )
    session.add_all(
        CopyRedactionRow(
            document_id=copy_id,
            seq=seq,
            force=upload.force,
            part=entry.part[:255],
            page=entry.page,
            label=entry.label[:40],
            reason=entry.reason,
            recognizer=entry.recognizer[:200],
            placeholder=entry.placeholder[:200],
            start=entry.start,
            end=entry.end,
        )
        for seq, entry in enumerate(copy.log, start=1)
    )
    session.flush()
    return copy_id


def finish_claim(*, session: Session, document_id: uuid.UUID, owner: str, now: datetime) -> None:
    """Mark the upload done and let go of its lease (``LostClaim`` if not ours any more)."""
    done = session.execute(
        update(ProcessingClaimRow)
        .where(ProcessingClaimRow.document_id == document_id, ProcessingClaimRow.owner == owner)
        .values(
            status=DONE,
            owner=None,
            lease_expires_at=None,
            retry_at=None,
            attempts=0,
            stage="done",
            pages_done=ProcessingClaimRow.pages_total,
            last_error=None,
            updated_at=now,
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LostClaim(f"{owner} no longer holds the lease on upload {document_id}")


def fail_claim(
    *,
    session: Session,
    document_id: uuid.UUID,
    owner: str,
    now: datetime,
    reason: str,
    permanent: bool,
    max_attempts: int,
    retry_after: timedelta,
) -> str | None:
    """Record a failed attempt; give up (``failed``) when it cannot pass or attempts ran out.

    Returns the new status, or None when ``owner`` no longer held the lease (the failure
    is then another worker's to see).
    """
    claim = ProcessingClaimRow
    attempts = session.scalar(
        select(claim.attempts).where(claim.document_id == document_id, claim.owner == owner)
    )
    if attempts is None:
        return None
    give_up = permanent or attempts >= max_attempts
    status = FAILED if give_up else PENDING
    session.execute(
        update(claim)
        .where(claim.document_id == document_id, claim.owner == owner)
        .values(
            status=status,
            owner=None,
            lease_expires_at=None,
            retry_at=None if give_up else now + retry_after,
            failures=claim.failures + 1,
            stage="failed" if give_up else "waiting to retry",
            last_error=reason[:MAX_ERROR],
            updated_at=now,
            finished_at=now if give_up else None,
        )
        .execution_options(synchronize_session=False)
    )
    return status


def give_up_claim(
    *, session: Session, document_id: uuid.UUID, owner: str, now: datetime, reason: str
) -> None:
    """Mark an upload failed for good (e.g. it stopped every worker that took it)."""
    session.execute(
        update(ProcessingClaimRow)
        .where(ProcessingClaimRow.document_id == document_id, ProcessingClaimRow.owner == owner)
        .values(
            status=FAILED,
            owner=None,
            lease_expires_at=None,
            stage="failed",
            last_error=reason[:MAX_ERROR],
            updated_at=now,
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def release_claims(*, session: Session, owner: str, now: datetime) -> int:
    """Let go of every lease ``owner`` holds (a clean stop): the uploads are pending again.

    The attempt is not counted against the upload: it was not the upload's fault.
    """
    released = session.execute(
        update(ProcessingClaimRow)
        .where(ProcessingClaimRow.owner == owner, ProcessingClaimRow.status == WORKING)
        .values(
            status=PENDING,
            owner=None,
            lease_expires_at=None,
            attempts=func.max(ProcessingClaimRow.attempts - 1, 0)
            if session.get_bind().dialect.name == "sqlite"
            else func.greatest(ProcessingClaimRow.attempts - 1, 0),
            stage="waiting",
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return int(released.rowcount)  # type: ignore[attr-defined]


def retry_upload(*, session: Session, document_id: uuid.UUID, now: datetime) -> bool:
    """Make a failed upload pending again (after its cause was fixed); False if not failed."""
    reset = session.execute(
        update(ProcessingClaimRow)
        .where(ProcessingClaimRow.document_id == document_id, ProcessingClaimRow.status == FAILED)
        .values(
            status=PENDING,
            attempts=0,
            retry_at=None,
            stage="waiting",
            updated_at=now,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(reset.rowcount)  # type: ignore[attr-defined]


def processing_status(
    *,
    session: Session,
    audiences: Sequence[str],
    now: datetime,
    force: str | None = None,
    limit: int = 100,
) -> ProcessingStatus:
    """Uploads pending, in progress, done and failed; the latter two listed with details.

    Done means a copy for every audience exists (derived from the copies themselves, so a
    new audience makes every upload pending again); in progress means a live lease.
    """
    claim = ProcessingClaimRow
    state = case(
        (_copies_of(audiences) >= len(audiences), DONE),
        (claim.status == FAILED, FAILED),
        (and_(claim.status == WORKING, claim.lease_expires_at >= now), WORKING),
        else_=PENDING,
    ).label("state")
    scope = [_is_upload()] + ([CaseDocumentRow.force == force] if force else [])
    counted = session.execute(
        select(state, func.count())
        .select_from(CaseDocumentRow)
        .outerjoin(claim, claim.document_id == CaseDocumentRow.id)
        .where(*scope)
        .group_by(state)
    ).all()
    counts = {str(name): int(n) for name, n in counted}
    listed = session.execute(
        select(CaseDocumentRow.id, CaseRow.reference, CaseDocumentRow.force, state, claim)
        .join(CaseRow, CaseRow.id == CaseDocumentRow.case_id)
        .join(claim, claim.document_id == CaseDocumentRow.id)
        .where(*scope, claim.status.in_([WORKING, FAILED, PENDING]))
        .order_by(claim.updated_at, CaseDocumentRow.id)
        .limit(limit)
    ).all()
    views = tuple(
        ClaimView(
            document_id=doc_id,
            case_reference=reference,
            force=doc_force,
            state=str(row_state),
            owner=row.owner if row_state == WORKING else None,
            stage=row.stage
            if row_state != PENDING or row.status != WORKING
            else f"stalled: the lease of {row.owner} ran out",
            pages_done=row.pages_done,
            pages_total=row.pages_total,
            attempts=row.attempts,
            failures=row.failures,
            last_error=row.last_error,
            updated_at=row.updated_at,
        )
        for doc_id, reference, doc_force, row_state, row in listed
        if row_state != DONE
    )
    return ProcessingStatus(
        audiences=tuple(audiences),
        pending=counts.get(PENDING, 0),
        working=counts.get(WORKING, 0),
        done=counts.get(DONE, 0),
        failed=counts.get(FAILED, 0),
        uploads=views,
    )
