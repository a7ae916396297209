"""Weeks of action in the workbench: operations, the national roll-up with charts, the
return form a force fills in, data quality, the line register and the data dictionary.

Each page takes the API's guard and writes the audit entries its API route writes; the
rules live in ``casework.operations``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.language import read_language_report
from casework.domain.operations_returns import Channel
from casework.errors import CaseworkError, InvalidInput, PermissionDenied
from casework.operations import lines as line_service
from casework.operations import service
from casework.operations.charts import by_force_chart, by_region_chart, figure
from casework.operations.dictionary import data_dictionary
from casework.operations.forces import Force, find_force, force_table
from casework.operations.quality import quality_report
from casework.operations.returns import RawReturn, ReturnRejected
from casework.operations.summary import headline
from casework.security.policy import ForceResource, can, lines_visible_to
from casework.security.roles import Action
from casework.store.operations_repository import SqlOperationsRepository
from casework.web.deps import FormDep, PageCsrf
from casework.web.forms import PageContextDep
from casework.web.render import page

router = APIRouter(include_in_schema=False)


def _repo(store: SessionDep) -> SqlOperationsRepository:
    return SqlOperationsRepository(store.session)


@router.get("/operations", **requires(Action.OPS_READ))
def operations_page(
    request: Request, principal: Authorized, store: SessionDep, audit: AuditDep, csrf: PageCsrf
) -> Response:
    """Every week of action with how many forces have sent their return."""
    repo = _repo(store)
    rows = []
    for op in service.operations(repo=repo):
        sent = len(repo.current_returns(op.name, values=False))
        rows.append((op, sent, len(op.taking_part)))
    audit.separately(principal, action=Action.OPS_READ.value, target="operations")
    return page(
        request,
        "operations/list.html",
        principal=principal,
        csrf=csrf,
        title="Operations",
        rows=rows,
    )


def _svg(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)  # noqa: S704 (our own SVG, every text in it escaped)


@router.get("/operations/{operation}", **requires(Action.OPS_READ))
def rollup_page(
    request: Request,
    operation: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """The national roll-up: headline figures, rates, regions, forces, charts, who is missing."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=operation)
    result = service.rollup(repo=repo, operation=op)
    audit.separately(principal, action=Action.OPS_READ.value, target=f"rollup:{op.name}")
    first = op.headline[0] if op.headline else op.measures[0].key
    return page(
        request,
        "operations/rollup.html",
        principal=principal,
        csrf=csrf,
        title=op.title,
        op=op,
        rollup=result,
        lines=headline(result),
        keys=list(op.headline[:4] or [m.key for m in op.measures[:4]]),
        fig=figure,
        region_chart=_svg(by_region_chart(result, first)),
        force_chart=_svg(by_force_chart(result, first)),
        population=force_table().population_basis(),
        population_note=force_table().population_note,
        may_submit=Action.OPS_SUBMIT in principal.permissions,
    )


def _form_page(
    request: Request,
    principal: Any,
    csrf: str,
    op: Any,
    *,
    values: dict[str, str],
    force: str,
    problems: list[str] | None = None,
    done: str = "",
    status: int = 200,
    closures: int | None = None,
) -> Response:
    return page(
        request,
        "operations/submit.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"Return: {op.title}",
        op=op,
        values=values,
        force=force,
        problems=problems or [],
        done=done,
        closures=closures,
    )


@router.get("/operations/{operation}/submit", **requires(Action.OPS_SUBMIT))
def submit_form(
    request: Request,
    operation: str,
    principal: Authorized,
    store: SessionDep,
    csrf: PageCsrf,
    done: str = "",
) -> Response:
    """The web form of a force's return (your force's current figures filled in)."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=operation)
    try:
        mine: Force | None = find_force(principal.force)
    except InvalidInput:
        mine = None
    values: dict[str, str] = {}
    closures = None
    if mine is not None:
        history = repo.history(op.name, mine.code)
        if history:
            values = {k: f"{v:g}" for k, v in history[-1].values.items()}
        closures = line_service.closures_during(repo.lines(force=mine.code), op).get(mine.code, 0)
    return _form_page(
        request,
        principal,
        csrf,
        op,
        values=values,
        force=mine.code if mine else "",
        done=done[:200],
        closures=closures,
    )


@router.post("/operations/{operation}/submit", **requires(Action.OPS_SUBMIT))
def submit_post(operation: str, ctx: PageContextDep, form: FormDep) -> Response:
    """Store the form as the force's next version, or show it again with every problem."""
    repo = _repo(ctx.store)
    op = service.operation_named(repo=repo, name=operation)
    keys = {m.key for m in op.entered}
    values = {k: v for k, v in form.items() if k in keys}
    raw = RawReturn(
        force=form.get("force", ""),
        values=dict(values),
        period_from=form.get("period_from") or None,
        period_to=form.get("period_to") or None,
        where={k: op.measure(k).label for k in keys} | {"force": "Force"},
    )

    def act() -> str:
        done = service.submit(
            repo=repo,
            operation=op,
            raws=[raw],
            channel=Channel.WEB,
            source="web form",
            submitted_by=ctx.principal.username,
            now=datetime.now(UTC),
            may_submit=lambda f: can(ctx.principal, Action.OPS_SUBMIT, ForceResource(f.code)),
        )
        ctx.wrote(
            Action.OPS_SUBMIT,
            target=f"operation:{op.name}",
            detail={"force": done[0].stored.force, "version": done[0].stored.version},
        )
        return f"/operations/{op.name}/submit?done=" + quote(done[0].summary)

    def refused(problem: CaseworkError) -> Response:
        found = (
            [str(p) for p in problem.problems]
            if isinstance(problem, ReturnRejected)
            else [problem.message]
        )
        return _form_page(
            ctx.request,
            ctx.principal,
            ctx.csrf,
            op,
            values=values,
            force=str(form.get("force", "")),
            problems=found,
            status=problem.http_status,
        )

    return ctx.form_write(act, refused, typed={}, refusals=(ReturnRejected, PermissionDenied))


@router.get("/operations/{operation}/quality", **requires(Action.OPS_READ))
def quality_page(
    request: Request,
    operation: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Missing, inconsistent and out-of-range values in the returns."""
    repo = _repo(store)
    op = service.operation_named(repo=repo, name=operation)
    result = service.rollup(repo=repo, operation=op, with_previous=False)
    report = quality_report(
        result, register_closures=line_service.closures_during(repo.lines(), op)
    )
    audit.separately(principal, action=Action.OPS_READ.value, target=f"quality:{op.name}")
    language = (  # counts only, never text; audited as the API's report is
        read_language_report(principal, store, audit)
        if Action.METRICS_READ in principal.permissions
        else None
    )
    return page(
        request,
        "operations/quality.html",
        principal=principal,
        csrf=csrf,
        title=f"Data quality: {op.title}",
        op=op,
        report=report,
        language=language,
    )


@router.get("/county-lines", **requires(Action.OPS_READ))
def lines_page(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """The county lines line register, and a form to record a line or its closure."""
    found = _repo(store).lines(force=lines_visible_to(principal))
    audit.separately(principal, action=Action.OPS_READ.value, target="county-lines")
    return page(
        request,
        "operations/lines.html",
        principal=principal,
        csrf=csrf,
        title="County lines line register",
        lines=found,
        may_record=Action.LINES_MANAGE in principal.permissions,
        error="",
    )


@router.post("/county-lines", **requires(Action.LINES_MANAGE))
def record_line(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
    form: FormDep,
) -> Response:
    """Record a deal line (or its closure) for your force (any force: the coordinator)."""
    repo = _repo(store)
    try:
        force = find_force(form.get("force") or principal.force, where="force")
        if not can(principal, Action.LINES_MANAGE, ForceResource(force.code)):
            raise PermissionDenied(f"force: you may record lines of {principal.force} only")
        closed = form.get("closed_on", "").strip()
        line = line_service.record_line(
            repo=repo,
            number=form.get("number", ""),
            force=force.code,
            status=form.get("status", "open"),
            name=form.get("name", ""),
            closed_on=date.fromisoformat(closed) if closed else None,
            people=tuple(p for p in form.get("people", "").split(";") if p.strip()),
            places=tuple(p for p in form.get("places", "").split(";") if p.strip()),
            by=principal.username,
            now=datetime.now(UTC),
        )
    except (InvalidInput, PermissionDenied, ValueError) as problem:
        store.rollback()
        return page(
            request,
            "operations/lines.html",
            principal=principal,
            csrf=csrf,
            status=422,
            title="County lines line register",
            lines=repo.lines(force=lines_visible_to(principal)),
            may_record=True,
            error=str(problem),
        )
    audit.wrote(store, principal, action=Action.LINES_MANAGE.value, target=f"line:{line.number}")
    return RedirectResponse("/county-lines", status_code=303)


@router.get("/data-dictionary", **requires(Action.RULES_READ))
def dictionary_page(
    request: Request, principal: Authorized, store: SessionDep, csrf: PageCsrf
) -> Response:
    """Every measure of every operation and every case field, with its meaning."""
    entries = data_dictionary(service.operations(repo=_repo(store)))
    return page(
        request,
        "operations/dictionary.html",
        principal=principal,
        csrf=csrf,
        title="Data dictionary",
        entries=entries,
    )
