"""``/api/cases/{reference}/documents/{document_id}/log``: a redacted copy's log, CSV or JSON.

The log says where each removed span was, what kind it was, which recognizer (or
reviewer) and which policy removed it, and what replaced it; never the removed text. It is
read like the copy itself: only in an audience the policy lets the caller read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.errors import NotFound
from casework.security.access import case_facts
from casework.security.audit import Outcome
from casework.security.policy import DocumentResource, can, default_audience
from casework.security.roles import Action
from casework.store.documents import ORIGINAL, document_version
from casework.store.processing import LogEntry
from casework.store.review import copy_log

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
