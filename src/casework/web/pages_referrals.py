"""Referral pages: the queue by priority (with reasons), a referral, assignment, outcomes.

Triage (national) works every referral; a force's investigators and supervisors see those
assigned to their force and record the outcomes.

The same services and audit entries as ``/api/referrals``; a refused form is shown again
with the message naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.domain.referrals import Referral, ReferralQuery, ReferralStatus
from casework.errors import CaseworkError, Conflict, InvalidInput
from casework.journey.deadlines import today_in_london
from casework.safeguarding import referrals as service
from casework.safeguarding.referrals_triage import location_table
from casework.security.policy import can
from casework.security.principal import Principal
from casework.security.roles import Action, is_national
from casework.store.referral_repository import SqlReferralRepository
from casework.web.deps import FormDep, PageCsrf
from casework.web.forms import PageContext, PageContextDep
from casework.web.render import page

router = APIRouter(include_in_schema=False)
TRIAGE = requires(Action.REFERRAL_TRIAGE)
READ = requires(Action.REFERRAL_READ)
OUTCOME = requires(Action.REFERRAL_OUTCOME)
DONE = {"assigned": "Referral assigned to the force.", "outcome": "Outcome recorded."}


def _scope(principal: Principal) -> str | None:
    return None if is_national(principal.role) else principal.force


@router.get("/referrals", **READ)
def referral_queue(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
    status: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    """The queue, most urgent first, each with why; held reports; monthly figures.

    Triage starts on the new referrals; a force's user on those assigned to their force.
    """
    repo = SqlReferralRepository(store.session)
    triage = can(principal, Action.REFERRAL_TRIAGE)
    status = status or ("new" if triage else "assigned")
    chosen = ReferralStatus(status) if status in set(ReferralStatus) else None
    found = service.queue(
        repo=repo, query=ReferralQuery(status=chosen, force=_scope(principal), limit=200)
    )
    held = repo.held() if triage else []
    figures = service.monthly_figures(repo=repo, force=_scope(principal))
    store.rollback()
    audit.separately(
        principal,
        action=Action.REFERRAL_READ.value,
        target="referrals",
        detail={"status": status, "count": len(found)},
    )
    return page(
        request,
        "referrals/queue.html",
        principal=principal,
        csrf=csrf,
        title="Referrals",
        referrals=found,
        held=held,
        figures=figures[-12:],
        statuses=list(ReferralStatus),
        chosen=status,
        triage=triage,
        scope=_scope(principal),
    )


def _detail(
    request: Request,
    *,
    referral: Referral,
    principal: Principal,
    csrf: str,
    error: str = "",
    form: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "referrals/detail.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"Referral {referral.reference}",
        referral=referral,
        report=referral.report,
        forces=location_table().forces,
        error=error,
        form=form,
        values=values or {},
        done=DONE.get(request.query_params.get("done", ""), ""),
        today=today_in_london(),
        triage=can(principal, Action.REFERRAL_TRIAGE),
        may_outcome=can(principal, Action.REFERRAL_OUTCOME),
    )


@router.get("/referrals/{referral_ref}", **READ)
def show_referral(
    request: Request,
    referral_ref: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """One referral: priority and location with reasons, the report, matches, outcomes."""
    repo = SqlReferralRepository(store.session)
    referral = service.get_referral(repo=repo, reference=referral_ref, force=_scope(principal))
    store.rollback()
    audit.separately(
        principal, action=Action.REFERRAL_READ.value, target=f"referral:{referral.reference}"
    )
    return _detail(request, referral=referral, principal=principal, csrf=csrf)


def _number(value: str, field: str) -> int:
    text = value.strip() or "0"
    if not text.isdigit() or int(text) > service.MAX_OUTCOME:
        raise InvalidInput(f"{field}: a whole number from 0 to {service.MAX_OUTCOME}")
    return int(text)


def _form_write(
    ctx: PageContext,
    referral_ref: str,
    form_name: str,
    form: dict[str, str],
    act: Callable[[], str],
) -> Response:
    """Run one form's write (``act`` returns where to go next); a refusal shows the referral."""

    def refused(problem: CaseworkError) -> Response:
        current = service.get_referral(
            repo=SqlReferralRepository(ctx.store.session),
            reference=referral_ref,
            force=_scope(ctx.principal),
        )
        return _detail(
            ctx.request,
            referral=current,
            principal=ctx.principal,
            csrf=ctx.csrf,
            error=problem.message,
            form=form_name,
            values=dict(form),
            status=problem.http_status,
        )

    # typed={}: these forms' notes are not checked for wording (the case page's are)
    return ctx.form_write(act, refused, typed={}, refusals=(InvalidInput, Conflict))


@router.post("/referrals/{referral_ref}/assign", **TRIAGE)
def assign_referral(referral_ref: str, form: FormDep, ctx: PageContextDep) -> Response:
    """Send the referral to a force (the located one unless another is chosen)."""

    def act() -> str:
        referral = service.assign(
            repo=SqlReferralRepository(ctx.store.session),
            reference=referral_ref,
            force=form.get("force", "").strip() or None,
            actor=ctx.principal.username,
            now=datetime.now(UTC),
        )
        ctx.wrote(
            Action.REFERRAL_TRIAGE,
            target=f"referral:{referral.reference}",
            detail={"assigned": referral.force},
        )
        return f"/referrals/{referral.reference}?done=assigned"

    return _form_write(ctx, referral_ref, "assign", form, act)


@router.post("/referrals/{referral_ref}/outcomes", **OUTCOME)
def record_outcome(referral_ref: str, form: FormDep, ctx: PageContextDep) -> Response:
    """Record arrests and children safeguarded for an assigned referral."""

    def act() -> str:
        arrests = _number(form.get("arrests", ""), "arrests")
        children = _number(form.get("children_safeguarded", ""), "children_safeguarded")
        try:
            on = date.fromisoformat(form.get("on", "").strip()) if form.get("on") else None
        except ValueError as error:
            raise InvalidInput("on: a date, e.g. 2026-02-25") from error
        referral = service.record_outcome(
            repo=SqlReferralRepository(ctx.store.session),
            reference=referral_ref,
            arrests=arrests,
            children_safeguarded=children,
            final=form.get("final") == "yes",
            notes=form.get("notes", "").strip()[:4000],
            on=on or today_in_london(),
            actor=ctx.principal.username,
            force=_scope(ctx.principal),
            now=datetime.now(UTC),
        )
        ctx.wrote(
            Action.REFERRAL_OUTCOME,
            target=f"referral:{referral.reference}",
            detail={"arrests": arrests, "children_safeguarded": children},
        )
        return f"/referrals/{referral.reference}?done=outcome"

    return _form_write(ctx, referral_ref, "outcome", form, act)
