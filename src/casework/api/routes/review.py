"""Review an upload through the API: its findings, decisions on them, copies made again, logs.

``GET .../findings`` lists what detection found in each part of an upload with the
decisions taken; ``POST .../decisions`` accepts, rejects, undoes or adds (the same service
as the review screen); ``POST .../redact`` makes an audience's copy again with them, verified.
Reviewing reads the original, so it needs ``document.upload`` and the original's
``document.read``. ``GET .../log`` is a copy's redaction log (CSV or JSON): where each
removed span was, what kind, which recognizer or reviewer and which policy removed it, and
what replaced it; never the removed text. It is read like the copy itself: only in an
audience the policy lets the caller read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from casework.api.deps import (
    AuditDep,
    Authorized,
    CaseInScope,
    SessionDep,
    SettingsDep,
    requires,
)
from casework.api.routes.documents import blob_store
from casework.documents import ReadOptions
from casework.errors import InvalidInput, NotFound
from casework.jobs.processing import REDACT_ACTION
from casework.jobs.queue import queue_now
from casework.jobs.remake import remake_now, waits_for_remake
from casework.jobs.review import (
    ReviewRequest,
    audiences,
    decide,
    read_upload,
    reviewed,
)
from casework.redaction.review import Verdict
from casework.security.access import case_facts
from casework.security.audit import Outcome
from casework.security.policy import (
    ORIGINAL_AUDIENCE,
    CaseFacts,
    DocumentResource,
    can,
    default_audience,
)
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store.documents import ORIGINAL, document_version
from casework.store.processing import LogEntry, upload_of
from casework.store.remake import RemakeJob, remake_job, request_remake
from casework.store.review import copy_log, decisions_of

router = APIRouter(prefix="/api/cases/{reference}/documents", tags=["documents"])


def _cell(value: object) -> object:
    """Defuse spreadsheet formulas (as the CLI's log does): "=..." stays text."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


@router.get(
    "/{document_id}/log",
    **requires(Action.DOCUMENT_READ),
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def redaction_log(
    reference: str,
    document_id: UUID,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    audience: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^[a-z][a-z0-9_-]*$",
            description="Which copy: cps, defence, public; default cps.",
        ),
    ] = None,
    format: Annotated[Literal["csv", "json"], Query()] = "json",
) -> Response:
    """The redaction log of an audience's copy of a document (no removed values in it)."""
    key = reference.strip().upper()
    wanted = audience or (
        default_audience(principal) if default_audience(principal) != ORIGINAL else "cps"
    )
    facts = case_facts(session=store.session, principal=principal, reference=key)
    allowed = facts is not None and can(
        principal, Action.DOCUMENT_READ, DocumentResource(facts, wanted)
    )
    found = (
        document_version(
            session=store.session, case_id=facts.case_id, document_id=document_id, audience=wanted
        )
        if facts is not None and allowed and wanted != ORIGINAL
        else None
    )
    if facts is None or found is None:
        store.rollback()
        audit.separately(
            principal,
            action=Action.DOCUMENT_READ.value,
            outcome=Outcome.DENIED if not allowed else Outcome.FAILED,
            case_reference=key[:24],
            target=str(document_id),
            detail={"audience": wanted, "log": True},
        )
        if allowed:
            raise NotFound(f"no {wanted} copy of document {document_id}")
        raise NotFound(f"no case {key}")
    rows = copy_log(session=store.session, copy_id=found.id)
    store.rollback()
    audit.separately(
        principal,
        action=Action.DOCUMENT_READ.value,
        case_reference=key,
        target=str(found.id),
        detail={"audience": wanted, "log": True},
    )
    name = f"redaction-log-{wanted}-{found.id}"
    if format == "json":
        return JSONResponse(
            [asdict(r) for r in rows],
            headers={
                "Content-Disposition": f'attachment; filename="{name}.json"',
                "Cache-Control": "no-store",
            },
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f.name for f in fields(LogEntry)]
    writer.writerow(names)
    writer.writerows([_cell(getattr(r, n)) for n in names] for r in rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "Cache-Control": "no-store",
        },
    )


class FindingOut(BaseModel):
    start: int
    end: int
    page: int
    label: str
    text: str
    recognizer: str
    reason: str
    score: float
    decision: str | None
    """``accept``, ``reject``, ``add`` or None (detection's proposal stands)."""


class PartOut(BaseModel):
    part: int
    name: str
    pages: int
    findings: list[FindingOut]


class DecisionIn(BaseModel):
    part: int = Field(default=0, ge=0)
    verdict: str = Field(description="accept, reject, undo or add")
    label: str = Field(description="PERSON, ADDRESS, ... (for add: the kind of the text)")
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=1)
    text: str = Field(default="", max_length=500, description="add: the text to redact")
    note: str = Field(default="", max_length=2000)


class DecisionOut(BaseModel):
    spans: int


class RedactIn(BaseModel):
    audience: str = Field(max_length=40)


class CopyOut(BaseModel):
    audience: str
    copy_id: UUID
    redactions: int


class RemakeOut(BaseModel):
    """A copy being made again by the workers: ``queued``, ``running``, ``done`` or ``failed``."""

    job_id: UUID
    audience: str
    status: str
    requested_by: str
    requested_at: datetime
    updated_at: datetime
    attempts: int
    copy_id: UUID | None
    redactions: int | None
    error: str

    @classmethod
    def of(cls, job: RemakeJob) -> RemakeOut:
        return cls(
            job_id=job.id,
            audience=job.audience,
            status=job.status,
            requested_by=job.requested_by,
            requested_at=job.requested_at,
            updated_at=job.updated_at,
            attempts=job.attempts,
            copy_id=job.copy_id,
            redactions=job.redactions,
            error=job.error,
        )


def _decision(verdict: Verdict | None, accepted: bool) -> str | None:
    if verdict is not None:
        return verdict.value
    return Verdict.ACCEPT.value if accepted else None


def _original_readable(principal: Principal, case: CaseFacts) -> None:
    if not can(principal, Action.DOCUMENT_READ, DocumentResource(case, ORIGINAL_AUDIENCE)):
        raise NotFound(f"no case {case.reference}")


@router.get("/{document_id}/findings", **requires(Action.DOCUMENT_UPLOAD))
def upload_findings(
    document_id: UUID,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> list[PartOut]:
    """What detection found in each part of an upload, with the reviewers' decisions."""
    _original_readable(principal, case)
    upload = upload_of(session=store.session, document_id=document_id)
    if upload.case_id != case.case_id:
        raise NotFound(f"no upload {document_id} in this case")
    reading = read_upload(
        blobs=blob_store(settings), upload=upload, options=ReadOptions.from_settings(settings)
    )
    reviews = reviewed(session=store.session, upload=upload, reading=reading)
    accepted = {
        (d.part, d.start, d.end)
        for d in decisions_of(session=store.session, document_id=document_id)
        if d.verdict == "accept"
    }
    store.rollback()
    audit.separately(
        principal,
        action=Action.DOCUMENT_READ.value,
        case_reference=case.reference,
        target=str(document_id),
        detail={"audience": ORIGINAL_AUDIENCE, "review": True},
    )
    return [
        PartOut(
            part=number,
            name=document.source.partition("!/")[2] or upload.name,
            pages=document.page_count,
            findings=[
                FindingOut(
                    start=f.start,
                    end=f.end,
                    page=document.page_at(f.start).number,
                    label=str(f.label),
                    text=f.text,
                    recognizer=f.recognizer,
                    reason=f.reason,
                    score=f.score,
                    decision=_decision(review.status_of(f), (number, f.start, f.end) in accepted),
                )
                for f in review.findings
            ],
        )
        for number, (document, review) in enumerate(zip(reading.documents, reviews, strict=True))
    ]


@router.post("/{document_id}/decisions", status_code=201, **requires(Action.DOCUMENT_UPLOAD))
def record_review_decision(
    document_id: UUID,
    body: DecisionIn,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> DecisionOut:
    """Accept, reject or undo a finding's span, or add a redaction of some text (every place)."""
    _original_readable(principal, case)
    spans = decide(
        session=store.session,
        blobs=blob_store(settings),
        options=ReadOptions.from_settings(settings),
        document_id=document_id,
        case_id=case.case_id,
        request=ReviewRequest(
            part=body.part,
            verdict=body.verdict,
            label=body.label,
            start=body.start,
            end=body.end,
            text=body.text,
            note=body.note,
        ),
        actor=principal.username,
        now=datetime.now(UTC),
    )
    audit.wrote(
        store,
        principal,
        action="document.review",
        case_reference=case.reference,
        target=str(document_id),
        detail={"verdict": body.verdict, "part": body.part, "spans": spans},
    )
    return DecisionOut(spans=spans)


@router.post(
    "/{document_id}/redact",
    status_code=201,
    response_model=CopyOut,
    responses={202: {"model": RemakeOut, "description": "Queued: a worker makes the copy"}},
    **requires(Action.DOCUMENT_UPLOAD),
)
def redact_with_decisions(
    document_id: UUID,
    body: RedactIn,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> CopyOut | JSONResponse:
    """Make an audience's copy again with the decisions applied (verified before it is kept).

    An upload up to CASEWORK_REMAKE_INLINE_BYTES is remade now (201, the copy); a bigger
    one is queued for the workers (202, the job: follow it at ``remakes/{job_id}``).
    """
    _original_readable(principal, case)
    readable = [
        name
        for name in audiences().names()
        if can(principal, Action.DOCUMENT_READ, DocumentResource(case, name))
    ]
    if body.audience not in readable:
        raise InvalidInput(f"audience: choose one of {', '.join(readable)}")
    upload = upload_of(session=store.session, document_id=document_id)
    if upload.case_id != case.case_id:
        raise NotFound(f"no upload {document_id} in this case")
    now = datetime.now(UTC)
    job = request_remake(
        session=store.session,
        upload=upload,
        audience=body.audience,
        requested_by=principal.username,
        requested_role=principal.role.value,
        now=now,
    )
    if not waits_for_remake(
        session=store.session, document_id=document_id, inline_bytes=settings.remake_inline_bytes
    ):
        audit.wrote(
            store,
            principal,
            action=REDACT_ACTION,
            case_reference=case.reference,
            target=str(document_id),
            detail={
                "audience": body.audience,
                "reviewed": True,
                "queued": True,
                "job": str(job.id),
            },
        )
        store.commit()
        queue_now(settings, remakes=[job.id])
        queued = remake_job(session=store.session, job_id=job.id)
        return JSONResponse(RemakeOut.of(queued).model_dump(mode="json"), status_code=202)
    made = remake_now(
        session=store.session,
        blobs=blob_store(settings),
        options=ReadOptions.from_settings(settings),
        job=job,
        owner=f"api:{principal.username}",
        now=now,
    )
    audit.wrote(
        store,
        principal,
        action=REDACT_ACTION,
        case_reference=case.reference,
        target=str(made.copy_id),
        detail={"audience": made.audience, "derived_from": str(document_id), "reviewed": True},
    )
    return CopyOut(audience=made.audience, copy_id=made.copy_id, redactions=made.redactions)


@router.get("/{document_id}/remakes/{job_id}", **requires(Action.DOCUMENT_UPLOAD))
def remake_state(
    document_id: UUID,
    job_id: UUID,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
) -> RemakeOut:
    """Where a queued remake of an upload's copy stands (no case data: not audited)."""
    _original_readable(principal, case)
    job = remake_job(session=store.session, job_id=job_id)
    if job.document_id != document_id or job.case_id != case.case_id:
        raise NotFound(f"no remake job {job_id} for upload {document_id}")
    return RemakeOut.of(job)
