"""Weeks of action over HTTP: operations, templates, returns (JSON or file), status,
roll-ups, summary (HTML, PDF), charts, data quality, the line register, the dictionary.

National roles (analyst, coordinator) read every force's figures; a return or a deal line
is written for the caller's own force, or any force by the coordinator (the policy says).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import (
    ACTION_KEY,
    AuditDep,
    Authorized,
    SessionDep,
    requires,
    without_database,
)
from casework.api.routes.documents import _UPLOAD_BODY as UPLOAD_BODY
from casework.api.routes.documents import _the_file as the_file
from casework.domain.operations_returns import Channel
from casework.errors import InvalidInput, PermissionDenied
from casework.operations import lines as line_service
from casework.operations import service
from casework.operations.charts import by_force_chart, by_region_chart
from casework.operations.dictionary import data_dictionary
from casework.operations.forces import Force, find_force
from casework.operations.quality import quality_report
from casework.operations.returns import RawReturn
from casework.operations.summary import summary_html, summary_pdf
from casework.operations.templates import (
    MAX_FILE_BYTES,
    csv_template,
    read_return_bytes,
    xlsx_template,
)
from casework.security.policy import ForceResource, can, lines_visible_to
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store.operations_repository import SqlOperationsRepository

router = APIRouter(prefix="/api", tags=["operations"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Name = Annotated[str, Query(max_length=80)]


class ReturnBody(BaseModel):
    """A force's return: measure key -> figure (leave a measure out if not recorded)."""

    model_config = ConfigDict(extra="forbid")

    force: str = Field(max_length=60)
    values: dict[str, float | int | str | None]
    period_from: date | None = None
    period_to: date | None = None


class LineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(max_length=30)
    force: str = Field(max_length=60)
    status: str = Field(default="open", max_length=10)
    name: str = Field(default="", max_length=120)
    closed_on: date | None = None
    people: list[str] = Field(default_factory=list, max_length=50)
    places: list[str] = Field(default_factory=list, max_length=50)


def _repo(store: SessionDep) -> SqlOperationsRepository:
    return SqlOperationsRepository(store.session)


def _checker(principal: Principal, action: Action) -> Any:
    def allowed(force: Force) -> bool:
        return can(principal, action, ForceResource(force.code))

    return allowed


def _submitted(done: list[service.Submitted]) -> dict[str, Any]:
    return {
        "stored": [
            {
                "force": d.stored.force,
                "version": d.stored.version,
                "id": str(d.stored.id),
                "replaces": d.replaced.version if d.replaced else None,
                "changed": {k: {"before": b, "after": a} for k, (b, a) in d.changed.items()},
                "summary": d.summary,
            }
            for d in done
        ]
    }


@router.get("/operations", **requires(Action.OPS_READ))
def list_operations(
    principal: Authorized, store: SessionDep, audit: AuditDep
) -> list[dict[str, Any]]:
    """Every operation (shipped examples and those defined here)."""
    ops = service.operations(repo=_repo(store))
    audit.separately(principal, action=Action.OPS_READ.value, target="operations")
    return [
        {"name": o.name, "title": o.title, "starts": o.starts, "ends": o.ends, "series": o.series}
        for o in ops
    ]


@router.get("/operations/{name}", **requires(Action.OPS_READ))
def get_operation(
    name: str, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """The operation's definition: dates, forces, measures with their meaning and relations."""
    op = service.operation_named(repo=_repo(store), name=name)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"operation:{op.name}")
    return op.model_dump(mode="json", by_alias=True)


@router.get("/operations/{name}/template", **requires(Action.OPS_SUBMIT), response_class=Response)
def template(
    name: str,
    principal: Authorized,
    store: SessionDep,
    fmt: Annotated[str, Query(alias="format", pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    """The return template, XLSX (your force filled in) or CSV."""
    op = service.operation_named(repo=_repo(store), name=name)
    if fmt == "csv":
        return Response(csv_template(op), media_type="text/csv; charset=utf-8")
    try:
        area = find_force(principal.force).area
    except InvalidInput:
        area = ""
    return Response(
        xlsx_template(op, force=area),
        media_type=XLSX_TYPE,
        headers={"content-disposition": f'attachment; filename="{op.name}-return.xlsx"'},
    )


@router.post("/operations/{name}/returns", **requires(Action.OPS_SUBMIT), status_code=201)
def submit_return(
    name: str, body: ReturnBody, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """Submit a return as JSON; a resubmission is the next version (the old one is kept)."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    raw = RawReturn(
        force=body.force,
        values=dict(body.values),
        period_from=body.period_from,
        period_to=body.period_to,
        where={k: f"values.{k}" for k in body.values},
    )
    done = service.submit(
        repo=repo,
        operation=op,
        raws=[raw],
        channel=Channel.API,
        source="api",
        submitted_by=principal.username,
        now=datetime.now(UTC),
        may_submit=_checker(principal, Action.OPS_SUBMIT),
    )
    audit.wrote(
        store,
        principal,
        action=Action.OPS_SUBMIT.value,
        target=f"operation:{op.name}",
        detail={"force": done[0].stored.force, "version": done[0].stored.version},
    )
    return _submitted(done)


@router.post(
    "/operations/{name}/returns/file",
    status_code=201,
    openapi_extra={ACTION_KEY: Action.OPS_SUBMIT.value, "requestBody": UPLOAD_BODY},
    responses={413: {"description": "Too large"}},
)
async def submit_file(
    request: Request,
    name: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Submit an XLSX or CSV return file (multipart field ``file``): all its returns, or none.

    The declared size is checked before any of the body is read, and the body is read
    holding no database slot nor lock (see ``without_database``).
    """
    async with without_database(request, store):
        file = await the_file(request, MAX_FILE_BYTES, setting="the return file limit")
        data = await file.read(MAX_FILE_BYTES + 1)
    source = (file.filename or "upload")[:120]
    raws = read_return_bytes(data, source=source)
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    done = service.submit(
        repo=repo,
        operation=op,
        raws=raws,
        channel=Channel.XLSX if data[:4] == b"PK\x03\x04" else Channel.CSV,
        source=source,
        submitted_by=principal.username,
        now=datetime.now(UTC),
        may_submit=_checker(principal, Action.OPS_SUBMIT),
    )
    audit.wrote(
        store,
        principal,
        action=Action.OPS_SUBMIT.value,
        target=f"operation:{op.name}",
        detail={"file": source, "returns": len(done)},
    )
    return _submitted(done)


@router.get("/operations/{name}/returns", **requires(Action.OPS_READ))
def return_status(
    name: str, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """Each force taking part: its current return (version, when, by whom) or not yet."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    rows = service.status(repo=repo, operation=op)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"returns:{op.name}")
    return {
        "operation": op.name,
        "submitted": sum(1 for r in rows if r.current),
        "not_yet": [r.force.code for r in rows if r.current is None],
        "forces": [
            {
                "force": r.force.code,
                "name": r.force.name,
                "version": r.versions,
                "submitted_at": r.current.submitted_at.isoformat() if r.current else None,
                "submitted_by": r.current.submitted_by if r.current else None,
                "channel": r.current.channel.value if r.current else None,
            }
            for r in rows
        ],
    }


@router.get("/operations/{name}/rollup", **requires(Action.OPS_READ))
def rollup(name: str, principal: Authorized, store: SessionDep, audit: AuditDep) -> dict[str, Any]:
    """National, regional and per-force totals, per 100,000 people, rates, changes."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    result = service.rollup(repo=repo, operation=op)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"rollup:{op.name}")
    return result.as_dict()


@router.get("/operations/{name}/summary", **requires(Action.OPS_READ), response_class=Response)
def summary(
    name: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    fmt: Annotated[str, Query(alias="format", pattern="^(html|pdf)$")] = "html",
) -> Response:
    """The one-page summary for a press office, as an HTML or PDF download."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    result = service.rollup(repo=repo, operation=op)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"summary:{op.name}")
    now = datetime.now(UTC)
    disposition = {"content-disposition": f'attachment; filename="{op.name}-summary.{fmt}"'}
    if fmt == "pdf":
        return Response(
            summary_pdf(result, generated=now), media_type="application/pdf", headers=disposition
        )
    return Response(
        summary_html(result, generated=now),
        media_type="text/html; charset=utf-8",
        headers=disposition,
    )


@router.get("/operations/{name}/chart.svg", **requires(Action.OPS_READ), response_class=Response)
def chart(
    name: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    measure: Annotated[str, Query(max_length=60)] = "",
    by: Annotated[str, Query(pattern="^(force|region)$")] = "region",
) -> Response:
    """A bar chart of one measure by force or by region (SVG)."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    key = measure or (op.headline[0] if op.headline else op.measures[0].key)
    if key not in {m.key for m in op.measures}:
        raise InvalidInput(f"measure: {key!r} is not a measure of {op.name}")
    result = service.rollup(repo=repo, operation=op, with_previous=False)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"chart:{op.name}")
    svg = by_force_chart(result, key) if by == "force" else by_region_chart(result, key)
    return Response(svg, media_type="image/svg+xml")


@router.get("/operations/{name}/quality", **requires(Action.OPS_READ))
def quality(name: str, principal: Authorized, store: SessionDep, audit: AuditDep) -> dict[str, Any]:
    """Missing, inconsistent and out-of-range values in the returns."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=name)
    result = service.rollup(repo=repo, operation=op, with_previous=False)
    closures = line_service.closures_during(repo.lines(), op)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"quality:{op.name}")
    return quality_report(result, register_closures=closures).as_dict()


@router.get("/county-lines", **requires(Action.OPS_READ))
def list_lines(principal: Authorized, store: SessionDep, audit: AuditDep) -> list[dict[str, Any]]:
    """The deal lines in the register (a force user's own force's), with what is linked to them."""
    found = _repo(store).lines(force=lines_visible_to(principal))
    audit.separately(
        principal, action=Action.OPS_READ.value, target="county-lines", detail={"count": len(found)}
    )
    return [
        {
            "number": line.number,
            "force": line.force,
            "status": line.status.value,
            "name": line.name,
            "opened_on": line.opened_on,
            "closed_on": line.closed_on,
            "people": list(line.people),
            "places": list(line.places),
        }
        for line in found
    ]


@router.post("/county-lines", **requires(Action.LINES_MANAGE), status_code=201)
def record_line(
    body: LineBody, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """Record a deal line or update it (status, closure, people and places linked)."""
    force = find_force(body.force, where="force")
    if not can(principal, Action.LINES_MANAGE, ForceResource(force.code)):
        raise PermissionDenied(f"force: you may record lines of {principal.force} only")
    line = line_service.record_line(
        repo=_repo(store),
        number=body.number,
        force=force.code,
        status=body.status,
        name=body.name,
        closed_on=body.closed_on,
        people=tuple(body.people),
        places=tuple(body.places),
        by=principal.username,
        now=datetime.now(UTC),
    )
    audit.wrote(store, principal, action=Action.LINES_MANAGE.value, target=f"line:{line.number}")
    return {"number": line.number, "force": line.force, "status": line.status.value}


@router.get("/data-dictionary", **requires(Action.RULES_READ))
def dictionary(principal: Authorized, store: SessionDep) -> list[dict[str, str]]:
    """Every measure of every operation and every case field, with its meaning."""
    del principal
    return [e.as_dict() for e in data_dictionary(service.operations(repo=_repo(store)))]
