"""``/api/exports``: ask a worker for a summary PDF or a disclosure bundle, follow it, fetch it.

``POST /api/exports`` answers 202 with the job and where to follow it; ``GET
/api/exports`` lists the caller's own; ``GET /api/exports/{id}`` says where one stands
(queued, running with done of total and a stage, done, failed with why); ``GET
/api/exports/{id}/file`` is its file, 404 until it is done, 410 Gone once it expired (kept
CASEWORK_EXPORT_KEEP_DAYS, then removed: ask again). What may be exported depends on
the kind, so these routes declare no single action: the exports service asks the policy
(``ops.read`` for a summary; the case's need to know and its audience's copies for a
bundle) when the export is asked for and again when its file is fetched. Someone else's
export answers exactly like one that does not exist. Every request and fetch is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import Annotated, BinaryIO
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response, StreamingResponse
from pydantic import BaseModel

from casework.api.deps import AuditDep, AuditTrail, CurrentUser, SessionDep, SettingsDep
from casework.api.routes.documents import blob_store
from casework.errors import CaseworkError, NotFound
from casework.jobs.exports import (
    ExportRequest,
    export_to_fetch,
    exports_visible,
    fetch_record,
    own_export,
    refusal_record,
    request_export,
)
from casework.jobs.queue import queue_now
from casework.security.audit import AuditRecord, DetailValue
from casework.security.principal import Principal
from casework.security.unit_audit import Actor
from casework.store.documents import read_chunks
from casework.store.exports import DONE, ExportJob

router = APIRouter(prefix="/api/exports", tags=["exports"])


class ExportFileOut(BaseModel):
    name: str
    media_type: str
    size: int
    sha256: str


class ExportOut(BaseModel):
    """An export job: what it makes, where it stands, and its file once done."""

    id: UUID
    kind: str
    parameters: dict[str, str]
    status: str
    """``queued``, ``running``, ``done``, ``failed`` or ``expired`` (its file removed)."""
    progress_done: int
    progress_total: int
    stage: str
    percent: int
    attempts: int
    requested_by: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expired_at: datetime | None
    """When its file was removed (kept CASEWORK_EXPORT_KEEP_DAYS after it was made)."""
    error: str | None
    url: str
    """Where to follow it."""
    file_url: str | None
    """Where its file is, once it is done (None again once it expired)."""
    file: ExportFileOut | None
    """What the file is (or was, once expired)."""

    @classmethod
    def of(cls, job: ExportJob) -> ExportOut:
        url = f"/api/exports/{job.id}"
        result = job.result
        return cls(
            id=job.id,
            kind=job.kind,
            parameters={str(k): str(v) for k, v in job.parameters.items()},
            status=job.status,
            progress_done=job.progress_done,
            progress_total=job.progress_total,
            stage=job.stage,
            percent=job.percent,
            attempts=job.attempts,
            requested_by=job.requested_by,
            requested_at=job.requested_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            expired_at=job.expired_at,
            error=job.error or None,
            url=url,
            file_url=f"{url}/file" if result is not None and job.status == DONE else None,
            file=ExportFileOut(
                name=result.name,
                media_type=result.media_type,
                size=result.size,
                sha256=result.sha256,
            )
            if result is not None
            else None,
        )


def actor_of(principal: Principal) -> Actor:
    return Actor(name=principal.username, principal=principal)


def record_apart(audit: AuditTrail, principal: Principal, record: AuditRecord) -> None:
    """Record an entry the service described, apart from the (rolled-back) unit of work."""
    audit.separately(
        principal,
        action=record.action,
        outcome=record.outcome,
        case_reference=record.case_reference,
        target=record.target,
        detail=record.detail,
    )


def request_context(audit: AuditTrail) -> dict[str, DetailValue]:
    return {"method": audit.method, "path": audit.path, "client": audit.client}


@router.post("", status_code=202, responses={403: {}, 404: {}})
def ask_for_export(
    body: ExportRequest,
    principal: CurrentUser,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> ExportOut:
    """Ask a worker for an export; 202 with the job (follow it at ``url``)."""
    actor = actor_of(principal)
    try:
        job, _new = request_export(
            session=store.session,
            actor=actor,
            request=body,
            now=datetime.now(UTC),
            context=request_context(audit),
        )
    except CaseworkError as error:
        store.rollback()
        record_apart(audit, principal, refusal_record(actor, body, error))
        raise
    store.commit()  # a worker may take the job at once: the row must be there
    queue_now(settings, exports=[job.id])
    return ExportOut.of(job)


@router.get("")
def my_exports(
    principal: CurrentUser,
    store: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[ExportOut]:
    """Your exports, newest first (no case data: not audited)."""
    found = exports_visible(session=store.session, actor=actor_of(principal), limit=limit)
    return [ExportOut.of(j) for j in found]


@router.get("/{export_id}", responses={404: {}})
def export_state(export_id: UUID, principal: CurrentUser, store: SessionDep) -> ExportOut:
    """Where one of your exports stands: state, done of total, stage, file once done."""
    return ExportOut.of(
        own_export(session=store.session, actor=actor_of(principal), job_id=export_id)
    )


@router.get(
    "/{export_id}/file",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/pdf": {}, "application/zip": {}, "text/html": {}}},
        403: {},
        404: {"description": "No such export of yours, or not done yet"},
        410: {"description": "Expired: the file was kept its time and removed; ask again"},
    },
)
def export_file(
    export_id: UUID,
    principal: CurrentUser,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> Response:
    """The export's file, once done, if you may still read what it holds (audited); 410
    once it expired."""
    actor = actor_of(principal)
    try:
        job = export_to_fetch(session=store.session, actor=actor, job_id=export_id)
    except CaseworkError as error:
        store.rollback()
        record_apart(audit, principal, fetch_record(actor, export_id, error=error))
        raise
    store.rollback()
    assert job.result is not None
    try:  # opened before answering: a purge that removes it now cannot cut the answer short
        handle = blob_store(settings).open(job.result.sha256)
    except NotFound:
        missing = NotFound(f"the stored file of export {export_id} is missing")
        record_apart(audit, principal, fetch_record(actor, export_id, job=job, error=missing))
        raise missing from None
    record_apart(audit, principal, fetch_record(actor, export_id, job=job))
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(job.result.name)}",
        "ETag": f'"{job.result.sha256}"',
        "Cache-Control": "no-store",
    }
    return StreamingResponse(_streamed(handle), media_type=job.result.media_type, headers=headers)


def _streamed(handle: BinaryIO) -> Iterator[bytes]:
    with closing(handle):
        yield from read_chunks(handle)
