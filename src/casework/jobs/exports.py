"""Exports as jobs: who may ask for one, who may fetch its file, and the audit of both.

Two kinds, each a file a worker makes (jobs/export_run.py) while the requester goes on:

- ``ops-summary``: an operation's national roll-up as the one-page summary (PDF or HTML),
  for whoever may read the weeks of action (``ops.read``);
- ``case-bundle``: a case's disclosure bundle for one audience: a ZIP of every redacted
  copy of the case's uploads in that audience and their combined redaction log, for
  whoever may read the case (need to know) and that audience's copies. Never an original.

Access is decided by the policy when the export is asked for, again when the worker makes
it (a grant may have ended meanwhile), and again when its file is fetched; a person sees
and fetches only their own exports (the operator at the shell: any). Every request and
every fetch, allowed or not, is in the audit log: the faces record refusals apart from
their rolled-back unit of work with ``refusal_record`` and ``fetch_record``. A file is kept
CASEWORK_EXPORT_KEEP_DAYS after it was made (jobs/export_expiry.py); fetching it later is
refused with ``Expired`` (410 Gone, exit 1): ask for the export again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from casework.errors import CaseworkError, InvalidInput, NotFound, PermissionDenied
from casework.jobs.review import audiences
from casework.operations import service as ops_service
from casework.security.access import case_facts
from casework.security.audit import AuditRecord, DetailValue, Outcome, append_audit
from casework.security.policy import ORIGINAL_AUDIENCE, DocumentResource, can
from casework.security.principal import Principal, Via
from casework.security.roles import Action
from casework.security.unit_audit import OPERATOR_ROLE, Actor
from casework.security.users import principal_of, user_row
from casework.store.exports import (
    DONE,
    EXPIRED,
    FAILED,
    ExportJob,
    case_of,
    export_job,
    exports_of,
    new_export,
)
from casework.store.operations_repository import SqlOperationsRepository

OPS_SUMMARY = "ops-summary"
CASE_BUNDLE = "case-bundle"
KINDS = (OPS_SUMMARY, CASE_BUNDLE)
REQUEST_ACTION = "export.request"
FETCH_ACTION = "export.fetch"
MAKE_ACTION = "export.make"
LONDON = ZoneInfo("Europe/London")


class ExportRequest(BaseModel):
    """What to export: ``ops-summary`` of an operation, or ``case-bundle`` of a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["ops-summary", "case-bundle"]
    operation: str | None = Field(
        default=None, max_length=80, description="ops-summary: the operation, e.g. sceptre-2023-11"
    )
    format: Literal["pdf", "html"] = Field(default="pdf", description="ops-summary: pdf or html")
    case: str | None = Field(
        default=None, max_length=24, description="case-bundle: the case reference"
    )
    audience: str | None = Field(
        default=None, max_length=40, description="case-bundle: whose copies (cps, defence, ...)"
    )


class OfExport(CaseworkError):
    """A fetch refused or failed once the export was found to be the caller's own.

    Carries the job, so that the audit entry names what it exports (the case's reference
    among them: the refusal shows in that case's audit trail). The concrete classes keep
    the status and exit code of the error they stand for.
    """

    def __init__(self, message: str, job: ExportJob) -> None:
        super().__init__(message)
        self.job = job


class NotReady(OfExport, NotFound):
    """The export has no file to fetch (yet, or ever: it failed)."""


class AccessGone(OfExport, PermissionDenied):
    """The caller's own export, but they may no longer have what it holds (403)."""


class ScopeGone(OfExport, NotFound):
    """The caller's own export, but its case is outside their need to know now, or its
    case or operation is gone (404, as for one that does not exist)."""


class NoLongerValid(OfExport, InvalidInput):
    """The caller's own export, but what it names no longer makes sense (an audience no
    longer configured)."""


class Expired(NotReady):
    """The export's file was kept its time and removed: gone for good (ask again)."""

    exit_code = 1
    http_status = 410


def expired_message(job: ExportJob) -> str:
    """What to tell whoever wants an expired export's file: when it went, and what to do."""
    when = job.expired_at or job.updated_at
    return (
        f"export {job.id} expired on {when.astimezone(LONDON).date().isoformat()}: its file "
        "was removed after the time exports are kept (CASEWORK_EXPORT_KEEP_DAYS); ask for "
        "the export again"
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """What an allowed request names: its stored parameters, case and force."""

    parameters: dict[str, Any]
    case_id: uuid.UUID | None
    case_reference: str | None
    force: str


def _refuse_role(principal: Principal, action: Action) -> None:
    if action not in principal.permissions:
        raise PermissionDenied(f"your role ({principal.role.value}) may not do {action.value}")


def _summary_scope(*, session: Session, actor: Actor, operation: str, fmt: str) -> Scope:
    principal = actor.principal
    if principal is not None:
        _refuse_role(principal, Action.OPS_READ)
    op = ops_service.operation_named(repo=SqlOperationsRepository(session), name=operation)
    return Scope(
        parameters={"operation": op.name, "format": fmt},
        case_id=None,
        case_reference=None,
        force=principal.force if principal is not None else "-",
    )


def readable_audience(name: str) -> str:
    """An audience whose copies make a bundle (``InvalidInput`` naming the known ones)."""
    known = [a for a in audiences().names() if a != ORIGINAL_AUDIENCE]
    if name not in known:
        raise InvalidInput(
            f"audience: {name!r} is not an audience of redacted copies; choose one of "
            f"{', '.join(known)}"
        )
    return name


def _bundle_scope(*, session: Session, actor: Actor, reference: str, audience: str) -> Scope:
    principal = actor.principal
    key = reference.strip().upper()
    if principal is not None:
        _refuse_role(principal, Action.CASE_READ)
        _refuse_role(principal, Action.DOCUMENT_READ)
    readable_audience(audience)
    if principal is None:  # the operator at the shell: any case that exists
        found = case_of(session=session, reference=key)
        if found is None:
            raise NotFound(f"no case {key}")
        case_id, force = found
    else:
        facts = case_facts(session=session, principal=principal, reference=key)
        if facts is None or not can(principal, Action.CASE_READ, facts):
            raise NotFound(f"no case {key}")
        if not can(principal, Action.DOCUMENT_READ, DocumentResource(facts, audience)):
            raise PermissionDenied(f"audience: you may not read the {audience} copies of {key}")
        case_id, force = facts.case_id, facts.force
    return Scope(
        parameters={"case": key, "audience": audience},
        case_id=case_id,
        case_reference=key,
        force=force,
    )


def scope_of(*, session: Session, actor: Actor, request: ExportRequest) -> Scope:
    """Check that ``actor`` may export what ``request`` names; say what that is.

    Raises ``InvalidInput`` (a field missing or unknown), ``NotFound`` (no such operation,
    or a case that does not exist or is outside the actor's need to know) or
    ``PermissionDenied``. The operator at the shell (no principal) may export anything.
    """
    if request.kind == OPS_SUMMARY:
        if not request.operation or not request.operation.strip():
            raise InvalidInput("operation: name the operation to summarise, e.g. sceptre-2023-11")
        return _summary_scope(
            session=session, actor=actor, operation=request.operation, fmt=request.format
        )
    if not request.case or not request.case.strip():
        raise InvalidInput("case: name the case whose bundle to make, e.g. WY-2026-000001")
    if not request.audience or not request.audience.strip():
        raise InvalidInput("audience: name whose copies make the bundle, e.g. cps")
    return _bundle_scope(
        session=session,
        actor=actor,
        reference=request.case,
        audience=request.audience.strip().lower(),
    )


def _request_of(kind: str, parameters: Mapping[str, Any]) -> ExportRequest:
    """The request a stored export was made from (to check its access again)."""
    return ExportRequest.model_validate({"kind": kind, **parameters})


def request_export(
    *,
    session: Session,
    actor: Actor,
    request: ExportRequest,
    now: datetime,
    context: Mapping[str, DetailValue] | None = None,
) -> tuple[ExportJob, bool]:
    """Queue an export if ``actor`` may have it, audited in the caller's transaction.

    Returns the job and whether it is new (the same request still waiting is returned).
    Commit, then ``queue_now(settings, exports=[job.id])``. Refusals raise (see
    ``scope_of``): roll back and record ``refusal_record`` apart. ``context`` is added to
    the audit entry's detail (an HTTP request's method, path and client).
    """
    scope = scope_of(session=session, actor=actor, request=request)
    principal = actor.principal
    job, new = new_export(
        session=session,
        kind=request.kind,
        parameters=scope.parameters,
        case_id=scope.case_id,
        force=scope.force,
        requested_by=actor.name,
        requested_role=principal.role.value if principal is not None else OPERATOR_ROLE,
        now=now,
    )
    append_audit(
        session=session,
        record=actor.record(
            action=REQUEST_ACTION,
            case_reference=scope.case_reference,
            target=f"export:{job.id}",
            detail={
                **(context or {}),
                "kind": request.kind,
                "new": new,
                **_detail(scope.parameters),
            },
        ),
        now=now,
    )
    return job, new


def _detail(parameters: Mapping[str, Any]) -> dict[str, DetailValue]:
    return {str(k): str(v) for k, v in parameters.items()}


def refusal_record(actor: Actor, request: ExportRequest, error: CaseworkError) -> AuditRecord:
    """The audit entry of a request refused or failed (written apart from the rollback)."""
    hidden = isinstance(error, PermissionDenied | NotFound)
    return actor.record(
        action=REQUEST_ACTION,
        outcome=Outcome.DENIED if hidden else Outcome.FAILED,
        case_reference=(request.case or "").strip().upper()[:24] or None,
        target="export",
        detail={
            "kind": request.kind,
            "error": type(error).__name__,
            **_detail(request.model_dump(exclude={"kind"}, exclude_none=True)),
        },
    )


def requester(*, session: Session, job: ExportJob) -> Actor:
    """Who asked for ``job``, as they are now (``PermissionDenied`` if no longer active)."""
    if job.requested_role == OPERATOR_ROLE:
        return Actor(name=job.requested_by)
    row = user_row(session, job.requested_by)
    if row is None or not row.active:
        raise PermissionDenied(
            f"the account {job.requested_by} that asked for this export is no longer active"
        )
    return Actor(name=row.username, principal=principal_of(row, via=Via.CLI))


def still_allowed(*, session: Session, actor: Actor, job: ExportJob) -> Scope:
    """Check ``actor``'s access to what ``job`` exports again (when made, when fetched)."""
    return scope_of(session=session, actor=actor, request=_request_of(job.kind, job.parameters))


def exports_visible(*, session: Session, actor: Actor, limit: int) -> list[ExportJob]:
    """The exports ``actor`` may list, newest first: their own (the operator: everyone's).

    A user whose name happens to be the operator's login never sees the operator's.
    """
    if actor.principal is None:
        return exports_of(session=session, requested_by=None, limit=limit)
    return exports_of(session=session, requested_by=actor.name, not_role=OPERATOR_ROLE, limit=limit)


def own_export(*, session: Session, actor: Actor, job_id: uuid.UUID) -> ExportJob:
    """An export of ``actor``'s (``NotFound`` for one that is not, as for none at all)."""
    job = export_job(session=session, job_id=job_id)
    if actor.principal is not None and (
        job.requested_by != actor.name or job.requested_role == OPERATOR_ROLE
    ):
        raise NotFound(f"no export {job_id}")
    return job


def export_to_fetch(*, session: Session, actor: Actor, job_id: uuid.UUID) -> ExportJob:
    """The finished export ``actor`` may fetch now; its file is ``job.result``.

    ``NotFound`` for someone else's export, or one not done yet (``NotReady``, its state
    said); ``Expired`` when its file was removed; ``AccessGone`` (``PermissionDenied``) or
    ``ScopeGone`` (``NotFound``) when the access it needs has gone meanwhile. Each but the
    first carries the job (``OfExport``) for ``fetch_record``.
    """
    job = own_export(session=session, actor=actor, job_id=job_id)
    try:
        still_allowed(session=session, actor=actor, job=job)
    except PermissionDenied as error:
        raise AccessGone(error.message, job) from error
    except NotFound as error:
        raise ScopeGone(error.message, job) from error
    except InvalidInput as error:
        raise NoLongerValid(error.message, job) from error
    if job.status == EXPIRED:
        raise Expired(expired_message(job), job)
    if job.status == FAILED:
        raise NotReady(f"export {job_id} failed, so it has no file: {job.error}", job)
    if job.status != DONE or job.result is None:
        raise NotReady(f"export {job_id} is not ready yet ({job.status}: {job.stage})", job)
    return job


def fetch_record(
    actor: Actor,
    job_id: uuid.UUID,
    *,
    job: ExportJob | None = None,
    error: CaseworkError | None = None,
) -> AuditRecord:
    """The audit entry of a fetch: allowed (with the file's checksum), refused or failed."""
    detail: dict[str, DetailValue] = {}
    if job is None and isinstance(error, OfExport):
        job = error.job
    if job is not None:
        detail |= {"kind": job.kind, **_detail(job.parameters)}
        if job.result is not None:
            detail["sha256"] = job.result.sha256
    if error is not None:
        detail["error"] = type(error).__name__
    outcome = Outcome.ALLOWED
    if isinstance(error, NotReady) or (
        error is not None and not isinstance(error, PermissionDenied | NotFound)
    ):
        outcome = Outcome.FAILED
    elif error is not None:
        outcome = Outcome.DENIED
    reference = str(job.parameters.get("case", "")) if job is not None else ""
    return actor.record(
        action=FETCH_ACTION,
        outcome=outcome,
        case_reference=reference[:24] or None,
        target=f"export:{job_id}",
        detail=detail,
    )
