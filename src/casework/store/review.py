"""Review decisions, a case's upload progress, and replacing a copy after a review.

A decision is kept per span (the unique index on upload, part, start, end): deciding again
replaces it. A copy made again after a review replaces the old one in place (same id, so
links stay good) with its new bytes, findings summary and log, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casework.store.document_models import CaseDocumentRow
from casework.store.documents import ORIGINAL, clean_name
from casework.store.processing import DONE, FAILED, WORKING, LogEntry, NewCopy, Upload, add_copy
from casework.store.processing_models import CopyFindingRow, CopyRedactionRow, ProcessingClaimRow
from casework.store.review_models import ReviewDecisionRow


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """A decision as stored (labels and verdicts as plain strings: the caller parses them)."""

    part: int
    start: int
    end: int
    label: str
    verdict: str
    note: str
    decided_by: str
    decided_at: datetime


def record_decision(*, session: Session, upload: Upload, decision: StoredDecision) -> None:
    """Keep one decision on a span of ``upload``, replacing any earlier one on that span."""
    session.execute(
        delete(ReviewDecisionRow).where(
            ReviewDecisionRow.document_id == upload.id,
            ReviewDecisionRow.part == decision.part,
            ReviewDecisionRow.start == decision.start,
            ReviewDecisionRow.end == decision.end,
        )
    )
    session.add(
        ReviewDecisionRow(
            id=uuid.uuid4(),
            document_id=upload.id,
            case_id=upload.case_id,
            force=upload.force,
            part=decision.part,
            start=decision.start,
            end=decision.end,
            label=decision.label[:40],
            verdict=decision.verdict,
            note=decision.note[:2000],
            decided_by=decision.decided_by[:64],
            decided_at=decision.decided_at,
        )
    )
    session.flush()


def forget_decision(
    *, session: Session, document_id: uuid.UUID, part: int, start: int, end: int
) -> bool:
    """Drop the decision on one span (back to detection's proposal); False if there was none."""
    gone = session.execute(
        delete(ReviewDecisionRow).where(
            ReviewDecisionRow.document_id == document_id,
            ReviewDecisionRow.part == part,
            ReviewDecisionRow.start == start,
            ReviewDecisionRow.end == end,
        )
    )
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def _stored(row: ReviewDecisionRow) -> StoredDecision:
    return StoredDecision(
        part=row.part,
        start=row.start,
        end=row.end,
        label=row.label,
        verdict=row.verdict,
        note=row.note,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def decisions_of(*, session: Session, document_id: uuid.UUID) -> list[StoredDecision]:
    """Every decision on an upload, by part and position."""
    rows = session.scalars(
        select(ReviewDecisionRow)
        .where(ReviewDecisionRow.document_id == document_id)
        .order_by(ReviewDecisionRow.part, ReviewDecisionRow.start, ReviewDecisionRow.end)
    )
    return [_stored(r) for r in rows]


def decisions_sha256(decisions: Iterable[StoredDecision]) -> str:
    """A fingerprint of an upload's decisions as a copy follows them (all but their time).

    A copy keeps the fingerprint of the decisions it was planned from; it is up to date
    while the upload's decisions still have it. Dates cannot tell: a copy is recorded after
    the decisions it follows were read, so one taken in between is older than the copy
    without being in it (and an undone decision leaves no date at all). The reviewer and
    the note count: an added span's log entry names them.
    """
    lines = sorted(
        json.dumps([d.part, d.start, d.end, d.label, d.verdict, d.note, d.decided_by])
        for d in decisions
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def case_decisions_sha256(*, session: Session, case_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Each upload of the case that has decisions, and their fingerprint now.

    An upload with none is not listed: its fingerprint is ``decisions_sha256([])``.
    """
    by_upload: dict[uuid.UUID, list[StoredDecision]] = {}
    for row in session.scalars(
        select(ReviewDecisionRow).where(ReviewDecisionRow.case_id == case_id)
    ):
        by_upload.setdefault(row.document_id, []).append(_stored(row))
    return {upload: decisions_sha256(found) for upload, found in by_upload.items()}


def replace_copy(
    *, session: Session, upload: Upload, copy: NewCopy, made_by: str, now: datetime
) -> uuid.UUID:
    """Record ``copy`` as the upload's copy for its audience, replacing the one there was."""
    row = session.scalars(
        select(CaseDocumentRow).where(
            CaseDocumentRow.derived_from == upload.id, CaseDocumentRow.audience == copy.audience
        )
    ).first()
    if row is None:
        made = add_copy(session=session, upload=upload, copy=copy, made_by=made_by, now=now)
        if made is not None:
            return made
        return replace_copy(session=session, upload=upload, copy=copy, made_by=made_by, now=now)
    row.original_name = clean_name(copy.name)
    row.size = copy.blob.size
    row.sha256 = copy.blob.sha256
    row.content_type = copy.content_type
    row.format = copy.format
    row.uploaded_by = made_by[:64]
    row.uploaded_at = now
    row.decisions_sha256 = copy.decisions_sha256
    session.execute(delete(CopyFindingRow).where(CopyFindingRow.document_id == row.id))
    session.execute(delete(CopyRedactionRow).where(CopyRedactionRow.document_id == row.id))
    session.add_all(
        CopyFindingRow(
            document_id=row.id,
            label=f.label[:40],
            force=upload.force,
            found=f.found,
            removed=f.removed,
        )
        for f in copy.findings
    )
    session.add_all(
        CopyRedactionRow(
            document_id=row.id,
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
    return row.id


def copy_log(*, session: Session, copy_id: uuid.UUID) -> list[LogEntry]:
    """A copy's redaction log, in order (offsets, labels, reasons, placeholders: no values)."""
    rows = session.scalars(
        select(CopyRedactionRow)
        .where(CopyRedactionRow.document_id == copy_id)
        .order_by(CopyRedactionRow.seq)
    )
    return [
        LogEntry(
            part=r.part,
            page=r.page,
            label=r.label,
            reason=r.reason,
            recognizer=r.recognizer,
            placeholder=r.placeholder,
            start=r.start,
            end=r.end,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class UploadProgress:
    """One upload of a case as its documents page shows it."""

    id: uuid.UUID
    name: str
    size: int
    format: str
    uploaded_by: str
    uploaded_at: datetime
    state: str
    """``waiting``, ``working``, ``done`` or ``failed``."""
    stage: str
    pages_done: int
    pages_total: int
    error: str | None
    copies: dict[str, uuid.UUID]
    """Audience -> the copy's id."""

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        if self.pages_total <= 0:
            return 0
        return min(99, self.pages_done * 100 // self.pages_total)


def case_uploads(
    *, session: Session, case_id: uuid.UUID, audiences: Sequence[str], now: datetime
) -> list[UploadProgress]:
    """The case's uploads, oldest first, each with its copies and where processing stands.

    Done means a copy for every configured audience (as the worker decides); working means
    a live lease; failed means given up, with the reason.
    """
    documents = list(
        session.scalars(
            select(CaseDocumentRow)
            .where(CaseDocumentRow.case_id == case_id)
            .order_by(CaseDocumentRow.uploaded_at, CaseDocumentRow.id)
        )
    )
    claims = {
        c.document_id: c
        for c in session.scalars(
            select(ProcessingClaimRow).where(ProcessingClaimRow.case_id == case_id)
        )
    }
    copies: dict[uuid.UUID, dict[str, uuid.UUID]] = {}
    for d in documents:
        if d.derived_from is not None:
            copies.setdefault(d.derived_from, {})[d.audience] = d.id
    found: list[UploadProgress] = []
    for d in documents:
        if d.derived_from is not None or d.audience != ORIGINAL:
            continue
        made = copies.get(d.id, {})
        claim = claims.get(d.id)
        if all(a in made for a in audiences):
            state, stage = DONE, "done"
        elif claim is not None and claim.status == FAILED:
            state, stage = FAILED, "failed"
        elif (
            claim is not None
            and claim.status == WORKING
            and claim.lease_expires_at is not None
            and claim.lease_expires_at >= now
        ):
            state, stage = WORKING, claim.stage
        else:
            state, stage = "waiting", "waiting for a worker"
        found.append(
            UploadProgress(
                id=d.id,
                name=d.original_name,
                size=d.size,
                format=d.format,
                uploaded_by=d.uploaded_by,
                uploaded_at=d.uploaded_at,
                state=state,
                stage=stage,
                pages_done=claim.pages_done if claim is not None else 0,
                pages_total=claim.pages_total if claim is not None else 0,
                error=claim.last_error if claim is not None and state == FAILED else None,
                copies=made,
            )
        )
    return found
