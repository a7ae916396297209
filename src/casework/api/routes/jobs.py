"""``/api/jobs/status``: where upload processing stands (supervisors and administrators).

A supervisor sees the uploads of their own force; an administrator, who runs the workers,
sees every force. Only ids, case references, progress and failure reasons are shown,
never a document's name or content.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from casework.api.deps import Authorized, SessionDep, SettingsDep, requires
from casework.jobs.queue import queue_summary
from casework.jobs.worker import parse_audiences
from casework.security.roles import Action, UserRole
from casework.store.exports import export_counts
from casework.store.processing import processing_status
from casework.store.remake import remake_counts

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


class UploadProgressOut(BaseModel):
    document_id: UUID
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


class QueueOut(BaseModel):
    """The procrastinate job queue (PostgreSQL): jobs by state, workers alive."""

    waiting: int
    running: int
    succeeded: int
    failed: int
    workers: int


class JobsStatusOut(BaseModel):
    audiences: list[str]
    pending: int
    working: int
    done: int
    failed: int
    uploads: list[UploadProgressOut]
    queue: QueueOut | None = None
    """Every force's jobs, so shown to administrators only; None on SQLite."""
    remakes: dict[str, int] | None = None
    """Copies remade after review, by state (every force's: administrators only)."""
    exports: dict[str, int] | None = None
    """Exports (summaries, disclosure bundles), by state (every force's: administrators only)."""


@router.get("/status", **requires(Action.JOBS_READ))
def jobs_status(
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JobsStatusOut:
    """Uploads pending, in progress (owner, pages done), done and failed (with the reason)."""
    national = principal.role is UserRole.ADMIN
    found = processing_status(
        session=store.session,
        audiences=parse_audiences(settings.process_audiences),
        now=datetime.now(UTC),
        force=None if national else principal.force,
        limit=limit,
    )
    queue = (
        queue_summary(store.session, stalled_after_s=settings.job_lease_seconds)
        if national
        else None
    )
    return JobsStatusOut(
        audiences=list(found.audiences),
        pending=found.pending,
        working=found.working,
        done=found.done,
        failed=found.failed,
        uploads=[
            UploadProgressOut(
                document_id=u.document_id,
                case_reference=u.case_reference,
                force=u.force,
                state=u.state,
                owner=u.owner,
                stage=u.stage,
                pages_done=u.pages_done,
                pages_total=u.pages_total,
                attempts=u.attempts,
                failures=u.failures,
                last_error=u.last_error,
                updated_at=u.updated_at,
            )
            for u in found.uploads
        ],
        queue=QueueOut(**asdict(queue)) if queue is not None else None,
        remakes=remake_counts(session=store.session) if national else None,
        exports=export_counts(session=store.session) if national else None,
    )
