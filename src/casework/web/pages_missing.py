"""Missing-person pages: the force's cases by next review, and the case page with its logs.

The case page shows the grading, the countdown to the next review, the decision log,
search log, hypotheses, media strategy and handovers, with forms that add to them (the
logs are never edited). Each route takes the API's guard and calls
``safeguarding.missing``, writing the audit entries the API routes write; a refused form
shows the page again with the message and what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from casework.api.deps import requires
from casework.domain.missing import MissingStatus
from casework.errors import CaseworkError, Conflict, InvalidInput
from casework.safeguarding import missing as missing_service
from casework.security.policy import can
from casework.security.roles import Action
from casework.store.missing_repository import SqlMissingRepository
from casework.web.deps import FormDep
from casework.web.forms import PageContext, PageContextDep
from casework.web.language_notes import wording_from
from casework.web.render import page

router = APIRouter(include_in_schema=False)

LONDON = ZoneInfo("Europe/London")
MissingRef = Annotated[str, Path(max_length=40)]
FORM_LIMIT = 8000


def _now() -> datetime:
    return datetime.now(UTC)


def _field(form: dict[str, str], name: str) -> str:
    return form.get(name, "").strip()[:FORM_LIMIT]


def _moment(value: str, *, field: str, now: datetime) -> datetime:
    """A ``datetime-local`` field (London time); blank is now."""
    if not value:
        return now
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(f"{field}: {value!r} is not a date and time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


@router.get("/missing", **requires(Action.MISSING_READ))
def missing_list(
    ctx: PageContextDep, status: Annotated[str, Query(max_length=10)] = "open"
) -> Response:
    """The force's missing-person cases, the most pressing review first."""
    choices = {"open": MissingStatus.OPEN, "found": MissingStatus.FOUND, "all": None}
    status = status if status in choices else "open"
    wanted = choices[status]
    now = _now()
    repo = SqlMissingRepository(ctx.store.session)
    cases = missing_service.list_cases(repo=repo, force=ctx.principal.force, status=wanted)
    ctx.audit.separately(
        ctx.principal,
        action=Action.MISSING_READ.value,
        target="missing",
        detail={"status": status, "count": len(cases)},
    )
    scheme = missing_service.risk_scheme()
    rows = [
        {
            "case": c,
            "grade": scheme.label(c.grade),
            "clock": missing_service.ReviewClock(c.review_due, now),
        }
        for c in cases
    ]
    return page(
        ctx.request,
        "missing/list.html",
        principal=ctx.principal,
        csrf=ctx.csrf,
        rows=rows,
        shown=status,
    )


def _case_page(
    ctx: PageContext,
    *,
    reference: str,
    error: str = "",
    form: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    repo = SqlMissingRepository(ctx.store.session)
    file = missing_service.case_file(
        repo=repo, reference=reference, now=_now(), force=ctx.principal.force
    )
    # end the reads first: after a refused write this lets go of SQLite's write lock,
    # which the audit entry below (written apart) would otherwise wait for
    ctx.store.rollback()
    ctx.audit.separately(
        ctx.principal, action=Action.MISSING_READ.value, case_reference=file.case.reference
    )
    return page(
        ctx.request,
        "missing/case.html",
        principal=ctx.principal,
        csrf=ctx.csrf,
        status=422 if error else 200,
        file=file,
        scheme=missing_service.risk_scheme(),
        may_record=can(ctx.principal, Action.MISSING_RECORD),
        may_grade=can(ctx.principal, Action.MISSING_GRADE),
        may_network=can(ctx.principal, Action.NETWORK_READ),
        error=error,
        form=form,
        typed=typed or {},
        wording=wording_from(ctx.request),
    )


@router.get("/missing/{missing_reference}", **requires(Action.MISSING_READ))
def missing_case(missing_reference: MissingRef, ctx: PageContextDep) -> Response:
    """The case: grading, next review, decision log, searches, hypotheses, media, handovers."""
    return _case_page(ctx, reference=missing_reference)


def _write(
    ctx: PageContext,
    reference: str,
    form_name: str,
    form: dict[str, str],
    act: Callable[[SqlMissingRepository, datetime], object],
    *,
    action: Action = Action.MISSING_RECORD,
) -> Response:
    """Run one write; on a refusal, roll back and show the page with the message."""
    repo = SqlMissingRepository(ctx.store.session)
    key = reference.strip().upper()

    def write() -> str:
        missing_service.get_case(repo=repo, reference=key, force=ctx.principal.force)
        act(repo, _now())
        ctx.wrote(action, case_reference=key[:24], target=f"missing.{form_name}")
        return f"/missing/{key}#{form_name}"

    def refused(problem: CaseworkError) -> Response:
        return _case_page(ctx, reference=key, error=problem.message, form=form_name, typed=form)

    return ctx.form_write(write, refused, typed=form, refusals=(InvalidInput, Conflict))


@router.post("/missing/{missing_reference}/decisions", **requires(Action.MISSING_RECORD))
def add_decision(missing_reference: MissingRef, form: FormDep, ctx: PageContextDep) -> Response:
    """Add the next numbered entry to the decision log."""
    caller = ctx.principal.full_name

    def act(repo: SqlMissingRepository, now: datetime) -> object:
        return missing_service.record_decision(
            repo=repo,
            reference=missing_reference,
            decision=_field(form, "decision"),
            rationale=_field(form, "rationale"),
            decided_by=_field(form, "decided_by") or caller,
            decided_at=_moment(_field(form, "decided_at"), field="decided_at", now=now),
            entered_by=caller,
            now=now,
            force=ctx.principal.force,
        )

    return _write(ctx, missing_reference, "decision", form, act)


@router.post("/missing/{missing_reference}/searches", **requires(Action.MISSING_RECORD))
def add_search(missing_reference: MissingRef, form: FormDep, ctx: PageContextDep) -> Response:
    """Add a search to the search log."""
    caller = ctx.principal.full_name

    def act(repo: SqlMissingRepository, now: datetime) -> object:
        return missing_service.record_search(
            repo=repo,
            reference=missing_reference,
            place=_field(form, "place"),
            method=_field(form, "method"),
            result=_field(form, "result"),
            searched_at=_moment(_field(form, "searched_at"), field="searched_at", now=now),
            searched_by=_field(form, "searched_by") or caller,
            actor=caller,
            now=now,
            force=ctx.principal.force,
        )

    return _write(ctx, missing_reference, "search", form, act)


@router.post("/missing/{missing_reference}/grading", **requires(Action.MISSING_GRADE))
def grade(missing_reference: MissingRef, form: FormDep, ctx: PageContextDep) -> Response:
    """Grade or review the risk."""

    def act(repo: SqlMissingRepository, now: datetime) -> object:
        return missing_service.grade_risk(
            repo=repo,
            reference=missing_reference,
            grade=_field(form, "grade"),
            rationale=_field(form, "rationale"),
            actor=ctx.principal.full_name,
            now=now,
            force=ctx.principal.force,
        )

    return _write(ctx, missing_reference, "grading", form, act, action=Action.MISSING_GRADE)


@router.post("/missing/{missing_reference}/hypotheses", **requires(Action.MISSING_RECORD))
def add_hypothesis(missing_reference: MissingRef, form: FormDep, ctx: PageContextDep) -> Response:
    """Add a hypothesis."""

    def act(repo: SqlMissingRepository, now: datetime) -> object:
        return missing_service.raise_hypothesis(
            repo=repo,
            reference=missing_reference,
            text=_field(form, "text"),
            actor=ctx.principal.full_name,
            now=now,
            force=ctx.principal.force,
        )

    return _write(ctx, missing_reference, "hypothesis", form, act)


@router.post("/missing/{missing_reference}/handovers", **requires(Action.MISSING_RECORD))
def add_handover(missing_reference: MissingRef, form: FormDep, ctx: PageContextDep) -> Response:
    """Hand the case over to the next shift."""

    def act(repo: SqlMissingRepository, now: datetime) -> object:
        return missing_service.hand_over(
            repo=repo,
            reference=missing_reference,
            to_officer=_field(form, "to"),
            summary=_field(form, "summary"),
            outstanding=_field(form, "outstanding"),
            actor=ctx.principal.full_name,
            now=now,
            force=ctx.principal.force,
        )

    return _write(ctx, missing_reference, "handover", form, act)
