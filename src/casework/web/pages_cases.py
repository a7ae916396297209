"""The case list (search and filters) and the case page, with one write: advance the stage.

Each route takes the API's guard (``Authorized``, ``CaseInScope``), calls the ``journey``
services and writes the audit entries the matching API routes write; no rule lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from casework.api.deps import AuditDep, AuditTrail, Authorized, CaseInScope, SessionDep, requires
from casework.domain.cases import CaseQuery, CaseReference, Role
from casework.domain.cps import ChargingOutcome, ChargingTest
from casework.domain.evidence import EvidenceStatus
from casework.domain.pole import Confirmation
from casework.domain.risk import RISK_FILES, RiskLevel, load_question_set
from casework.domain.stages import Agency, Stage, allowed_targets
from casework.domain.victim import ContactMethod, OutcomeWanted, WithdrawalReason
from casework.errors import CaseworkError, Conflict, InvalidInput
from casework.journey import cases as case_service
from casework.journey import cps as cps_service
from casework.journey import victim as victim_service
from casework.journey.deadlines import today_in_london
from casework.journey.rules import offence_catalogue
from casework.security.access import visible_cases
from casework.security.policy import CaseFacts, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.journey_repositories import SqlJourneyStore
from casework.web.deps import FormDep, PageCsrf
from casework.web.forms import REFUSALS, PageContext, PageContextDep
from casework.web.language_notes import wording_from
from casework.web.render import page

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=60)]


@router.get("/cases", **requires(Action.CASE_LIST))
def case_list(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
    q: Text = "",
    stage: Text = "",
    offence: Text = "",
    force: Annotated[str, Query(max_length=4)] = "",
    officer: Annotated[str, Query(max_length=400)] = "",
    risk: Text = "",
    start: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """Cases you may see, newest first; a reference in the search box opens that case."""
    filters = {"q": q.strip(), "stage": stage, "offence": offence, "force": force.strip().upper()}
    filters["officer"] = officer.strip()
    filters["risk"] = risk
    if filters["q"]:
        try:
            reference = CaseReference.parse(filters["q"])
        except ValueError:
            pass
        else:
            return RedirectResponse(f"/cases/{reference}", status_code=303)
    error = ""
    found = []
    try:
        if filters["q"]:
            raise InvalidInput(
                f"search: {filters['q']!r} is not a case reference; "
                "enter one like WY-2026-000123, or use the filters"
            )
        query = case_service.validated(
            CaseQuery,
            stage=stage or None,
            offence=offence or None,
            force=filters["force"] or None,
            officer=filters["officer"] or None,
            risk=risk or None,
            limit=PAGE_SIZE,
            offset=start,
        )
        found = visible_cases(
            session=store.session,
            principal=principal,
            query=query,
            search=lambda q: case_service.list_cases(store=store, query=q),
        )
    except InvalidInput as problem:
        error = problem.message
    audit.separately(
        principal,
        action=Action.CASE_LIST.value,
        target="cases",
        detail={
            "stage": stage or None,
            "offence": offence or None,
            "force": filters["force"] or None,
            "officer": filters["officer"] or None,
            "risk": risk or None,
            "count": len(found),
        },
    )
    partial = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    return page(
        request,
        "case_results.html" if partial else "cases.html",
        principal=principal,
        csrf=csrf,
        status=422 if error else 200,
        title="Cases",
        cases=found,
        filters=filters,
        error=error,
        start=start,
        page_size=PAGE_SIZE,
        stages=list(Stage),
        offences=offence_catalogue().offences,
        risks=list(RiskLevel),
        other_force=bool(filters["force"]) and filters["force"] != principal.force,
    )


@dataclass
class Typed:
    """What the user typed into one of the case page's forms, kept when it is refused.

    ``form`` names the form (``advance``, ``party``, ``offence``, ``contact``, ``decision``,
    ``response``); the template shows the error next to ``field`` and fills the form back in.
    """

    form: str
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""
    field: str = ""

    def refused(self, problem: CaseworkError, fields: Iterable[str]) -> Typed:
        """This form with the service's message, the field named when it is one of ``fields``."""
        self.error = problem.message
        name, sep, _ = problem.message.partition(":")
        name = name.strip().split(".")[0]
        self.field = name if sep and name in set(fields) else ""
        return self


def case_page(
    request: Request,
    *,
    facts: CaseFacts,
    principal: Principal,
    store: SqlCaseStore,
    audit: AuditTrail,
    csrf: str,
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    """Render the case page (also after a refused write, with what was typed)."""
    journey = SqlJourneyStore(store.session)
    file = case_service.get_case(store=store, reference=facts.reference)
    panel = victim_service.victim_panel(store=journey, reference=facts.reference)
    cps = cps_service.cps_file(store=journey, reference=facts.reference)
    # end the reads first: after a refused write this also lets go of SQLite's write lock,
    # which the audit entries below (written apart) would otherwise wait for
    store.rollback()
    for target in ("", "victim", "cps"):  # the entries GET /api/cases/{ref}[/victim|/cps] write
        audit.separately(
            principal, action=Action.CASE_READ.value, case_reference=facts.reference, target=target
        )
    today = today_in_london()
    deadlines = sorted(
        file.deadlines,
        key=lambda d: (not d.is_open, d.due is None, d.due or today, d.about),
    )
    moved = request.query_params.get("moved", "")
    done = request.query_params.get("done", "")
    proposed = [e for e in file.events if e.status is Confirmation.PROPOSED]
    return page(
        request,
        "case.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"Case {file.case.reference}",
        file=file,
        case=file.case,
        deadlines=deadlines,
        panel=panel,
        cps=cps,
        today=today,
        may={
            "advance": can(principal, Action.CASE_ADVANCE, facts),
            "party": can(principal, Action.CASE_ADD_PARTY, facts),
            "offence": can(principal, Action.CASE_ADD_OFFENCE, facts),
            "contact": can(principal, Action.CASE_RECORD_EVENT, facts),
            "decision": can(principal, Action.CPS_DECIDE, facts),
            "response": can(principal, Action.CPS_RESPOND, facts),
            "wishes": can(principal, Action.VICTIM_RECORD, facts),
            "risk": can(principal, Action.VICTIM_RECORD, facts),
            "withdrawal": can(principal, Action.VICTIM_RECORD, facts),
            "evidence": can(principal, Action.EVIDENCE_RECORD, facts),
            "documents": can(principal, Action.DOCUMENT_LIST, facts),
            "links": can(principal, Action.NETWORK_READ),
        },
        may_advance=can(principal, Action.CASE_ADVANCE, facts),
        targets=allowed_targets(file.case.stage),
        agencies=list(Agency),
        roles=list(Role),
        methods=list(ContactMethod),
        outcomes=list(ChargingOutcome),
        tests=list(ChargingTest),
        outcomes_wanted=list(OutcomeWanted),
        risk_tools=[load_question_set(tool) for tool in RISK_FILES],
        risk_levels=list(RiskLevel),
        withdrawal_reasons=list(WithdrawalReason),
        evidence_statuses=list(EvidenceStatus),
        offences=offence_catalogue().offences,
        typed=typed or Typed(form=""),
        proposed=proposed,
        officers=[p.full_name for p in file.case.people(Role.OFFICER_IN_CASE)],
        moved=Stage(moved).words if moved in {s.value for s in Stage} else "",
        done=DONE.get(done, ""),
        unsafe_contact=request.query_params.get("check") == "unsafe",
        wording=wording_from(request),
    )


DONE = {
    "party": "Person added to the case.",
    "offence": "Offence recorded; its time limit is among the deadlines.",
    "contact": "Contact with the victim recorded.",
    "decision": "Charging decision recorded; the case has moved on.",
    "response": "Response to the action plan recorded.",
    "wishes": "The victim's wishes recorded.",
    "risk": "Risk assessment recorded; the evidence checklist has its outcome.",
    "withdrawal": "Withdrawal recorded: see the evidence checklist (evidence-led prosecution).",
    "evidence": "Evidence checklist updated.",
}
"""The notices a page shows after a write succeeded (``?done=``), never user text."""


@router.get("/cases/{reference}", **requires(Action.CASE_READ))
def show_case(
    request: Request,
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """The case: summary, people, offences, stage and history, deadlines, victim, CPS."""
    return case_page(request, facts=case, principal=principal, store=store, audit=audit, csrf=csrf)


def case_form_write(
    ctx: PageContext,
    *,
    case: CaseFacts,
    typed: Typed,
    fields: Iterable[str],
    act: Callable[[], str],
    refusals: tuple[type[CaseworkError], ...] = REFUSALS,
) -> Response:
    """Run one of the case page's form writes (``act`` returns where to go next).

    A refusal shows the case page again as typed, the error next to its field when the
    message names one of ``fields``.
    """

    def refused(problem: CaseworkError) -> Response:
        return case_page(
            ctx.request,
            facts=case,
            principal=ctx.principal,
            store=ctx.store,
            audit=ctx.audit,
            csrf=ctx.csrf,
            typed=typed.refused(problem, fields),
            status=problem.http_status,
        )

    return ctx.form_write(act, refused, typed=typed.values, refusals=refusals)


@router.post("/cases/{reference}/advance", **requires(Action.CASE_ADVANCE))
def advance_stage(
    reference: str, form: FormDep, case: CaseInScope, ctx: PageContextDep
) -> Response:
    """Move the case on, with who decided and why; a refusal shows the form as it was typed."""
    typed = Typed(
        form="advance",
        values={
            "to": form.get("to", ""),
            "reason": form.get("reason", "").strip()[:4000],
            "decided_by": form.get("decided_by", ""),
        },
    )
    values = typed.values

    def act() -> str:
        if values["to"] not in {s.value for s in Stage}:
            raise InvalidInput("to: choose the stage to move the case to")
        if values["decided_by"] and values["decided_by"] not in {a.value for a in Agency}:
            raise InvalidInput("decided_by: choose police, CPS or court")
        if not values["reason"]:
            raise InvalidInput("reason: give the reason for the change")
        ctx.wrote(Action.CASE_ADVANCE, case_reference=case.reference, detail={"to": values["to"]})
        case_service.advance(
            store=ctx.store,
            reference=case.reference,
            to=Stage(values["to"]),
            reason=values["reason"],
            actor=ctx.principal.username,
            decided_by=Agency(values["decided_by"]) if values["decided_by"] else None,
        )
        return f"/cases/{case.reference}?moved={values['to']}#stage"

    return case_form_write(
        ctx,
        case=case,
        typed=typed,
        fields=("to", "reason", "decided_by"),
        act=act,
        refusals=(InvalidInput, Conflict),
    )
