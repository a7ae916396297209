"""Exports in the workbench: the list of one's own with live progress and download links, and
the buttons that ask a worker for one (an operation's summary PDF, a case's bundle).

The rules are the exports service's (jobs/exports.py), as for ``/api/exports``: the forms
sit on the operation's roll-up page (``ops.read``) and the case's documents page (the
case in scope; the audiences the user may read), and each request and refusal is audited
as the API audits it (``export.request``). So the form routes declare the action their
page needs but leave every check to the service: a refusal by the route's dependencies
(``Authorized``, ``CaseInScope``) would be audited as that action, not as the export
request it refused. Files are downloaded from ``/api/exports/{id}/file``; an export whose
file was kept its time (CASEWORK_EXPORT_KEEP_DAYS) and removed shows as expired, with no link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from casework.api.deps import (
    AuditDep,
    AuditTrail,
    CurrentUser,
    SessionDep,
    SettingsDep,
    requires,
)
from casework.api.routes.exports import actor_of, record_apart, request_context
from casework.config import Settings
from casework.errors import CaseworkError, InvalidInput, PermissionDenied
from casework.jobs.exports import ExportRequest, exports_visible, refusal_record, request_export
from casework.jobs.queue import queue_now
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.exports import UNFINISHED
from casework.web.deps import FormDep, PageCsrf
from casework.web.render import page

router = APIRouter(include_in_schema=False)

SHOWN = 50
WORDS = {
    "queued": "Queued",
    "running": "Being made",
    "done": "Done",
    "failed": "Failed",
    "expired": "Expired",
}
STATE_CLASS = {
    "queued": "waiting",
    "running": "working",
    "done": "done",
    "failed": "failed",
    "expired": "expired",
}


def _table(store: SqlCaseStore, principal: Principal) -> dict[str, Any]:
    jobs = exports_visible(session=store.session, actor=actor_of(principal), limit=SHOWN)
    return {
        "jobs": jobs,
        "busy": any(j.status in UNFINISHED for j in jobs),
        "words": WORDS,
        "state_class": STATE_CLASS,
    }


def _list_page(
    request: Request,
    *,
    principal: Principal,
    store: SqlCaseStore,
    csrf: str,
    keep_days: int,
    error: str = "",
    status: int = 200,
) -> Response:
    return page(
        request,
        "exports/list.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title="Exports",
        error=error,
        keep_days=keep_days,
        asked=request.query_params.get("asked", "")[:36],
        **_table(store, principal),
    )


@router.get("/exports")
def exports_page(
    request: Request,
    principal: CurrentUser,
    store: SessionDep,
    settings: SettingsDep,
    csrf: PageCsrf,
) -> Response:
    """Your exports: what each is, where it stands, and its file while it is kept."""
    return _list_page(
        request,
        principal=principal,
        store=store,
        csrf=csrf,
        keep_days=settings.export_keep_days,
    )


@router.get("/exports/progress")
def exports_progress(
    request: Request, principal: CurrentUser, store: SessionDep, csrf: PageCsrf
) -> Response:
    """The exports table alone (HTMX polls it while any export waits or is being made)."""
    return page(
        request, "exports/_table.html", principal=principal, csrf=csrf, **_table(store, principal)
    )


def _ask(
    request: Request,
    body: ExportRequest,
    *,
    principal: Principal,
    store: SqlCaseStore,
    settings: Settings,
    audit: AuditTrail,
    csrf: str,
) -> Response:
    """Queue the export and go to the exports page; a refusal is shown there, audited."""
    actor = actor_of(principal)
    try:
        job, _new = request_export(
            session=store.session,
            actor=actor,
            request=body,
            now=datetime.now(UTC),
            context=request_context(audit),
        )
    except (InvalidInput, PermissionDenied) as problem:
        store.rollback()
        record_apart(audit, principal, refusal_record(actor, body, problem))
        return _list_page(
            request,
            principal=principal,
            store=store,
            csrf=csrf,
            keep_days=settings.export_keep_days,
            error=problem.message,
            status=problem.http_status,
        )
    except CaseworkError as error:  # a case or operation not there: the error page says so
        store.rollback()
        record_apart(audit, principal, refusal_record(actor, body, error))
        raise
    store.commit()  # a worker may take the job at once: the row must be there
    queue_now(settings, exports=[job.id])
    return RedirectResponse(f"/exports?asked={job.id}", status_code=303)


@router.post("/operations/{operation}/exports", **requires(Action.OPS_READ))
def ask_for_summary(
    request: Request,
    operation: str,
    principal: CurrentUser,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
    form: FormDep,
) -> Response:
    """Ask a worker for the operation's one-page summary (PDF, or HTML).

    The service refuses a role without ``ops.read`` (403, audited as ``export.request``).
    """
    body = ExportRequest(
        kind="ops-summary",
        operation=operation,
        format="html" if form.get("format") == "html" else "pdf",
    )
    return _ask(
        request, body, principal=principal, store=store, settings=settings, audit=audit, csrf=csrf
    )


@router.post("/cases/{reference}/documents/exports", **requires(Action.DOCUMENT_LIST))
def ask_for_bundle(
    request: Request,
    reference: str,
    principal: CurrentUser,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
    form: FormDep,
) -> Response:
    """Ask a worker for the case's disclosure bundle for one audience.

    The service checks the case (need to know: 404, as for one that does not exist) and
    the audience, and audits a refusal as ``export.request`` with the case's reference.
    """
    audience = form.get("audience", "").strip().lower()[:40]
    body = ExportRequest(kind="case-bundle", case=reference.strip().upper(), audience=audience)
    return _ask(
        request, body, principal=principal, store=store, settings=settings, audit=audit, csrf=csrf
    )
