"""Home: my tasks, my cases, and the deadlines overdue or due within a week that I may see."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, CurrentUser, SessionDep
from casework.domain.cases import CaseQuery
from casework.domain.stages import Stage
from casework.journey import cases as case_service
from casework.journey.deadlines import deadlines_due, today_in_london
from casework.journey.tasks import TaskScope, tasks_for
from casework.security.access import case_facts_many, visible_cases, visible_deadlines
from casework.security.policy import CaseFacts, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store.journey_repositories import SqlJourneyStore
from casework.web.deps import PageCsrf
from casework.web.render import page

router = APIRouter(include_in_schema=False)

DUE_WITHIN = timedelta(days=7)
RECENT = 200
"""How many of the newest visible cases are searched for the user's own."""
SHOWN = 20


def _scope(principal: Principal, facts: CaseFacts) -> TaskScope:
    """The kinds of task this user may act on in this case (the policy says)."""
    return TaskScope(
        deadlines=True,
        proposals=can(principal, Action.CONDUCT_RECORD, facts),
        victim=can(principal, Action.VICTIM_RECORD, facts)
        or can(principal, Action.CASE_RECORD_EVENT, facts),
        action_plans=can(principal, Action.CPS_RESPOND, facts),
        decisions=can(principal, Action.CPS_DECIDE, facts),
    )


@router.get("/")
def home(
    request: Request,
    principal: CurrentUser,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """My tasks and cases (on the team, or named as staff) and deadlines due soon or overdue."""
    today = today_in_london()
    mine = []
    facts: dict[str, CaseFacts] = {}
    if can(principal, Action.CASE_LIST):
        seen = visible_cases(
            session=store.session,
            principal=principal,
            query=CaseQuery(limit=RECENT),
            search=lambda q: case_service.list_cases(store=store, query=q),
        )
        facts = case_facts_many(
            session=store.session, principal=principal, references=[str(c.reference) for c in seen]
        )
        mine = [c for c in seen if (f := facts.get(str(c.reference))) is not None and f.member]
        audit.separately(
            principal,
            action=Action.CASE_LIST.value,
            target="cases",
            detail={"page": "home", "count": len(mine)},
        )
    due = []
    if can(principal, Action.DEADLINE_READ):
        due = visible_deadlines(
            session=store.session,
            principal=principal,
            due=deadlines_due(store=store, within=DUE_WITHIN, today=today, force=principal.force),
        )
        audit.separately(
            principal,
            action=Action.DEADLINE_READ.value,
            target="deadlines",
            detail={"due_within": f"{DUE_WITHIN.days}d", "count": len(due)},
        )
    scopes = {str(c.reference): _scope(principal, facts[str(c.reference)]) for c in mine[:SHOWN]}
    if Action.CPS_DECIDE in principal.permissions:  # files sent to the CPS, not only my own
        sent = visible_cases(
            session=store.session,
            principal=principal,
            query=CaseQuery(stage=Stage.WITH_CPS, limit=SHOWN),
            search=lambda q: case_service.list_cases(store=store, query=q),
        )
        sent_facts = case_facts_many(
            session=store.session, principal=principal, references=[str(c.reference) for c in sent]
        )
        for reference, found in sent_facts.items():
            scopes.setdefault(
                reference,
                TaskScope(deadlines=False, decisions=can(principal, Action.CPS_DECIDE, found)),
            )
    tasks = []
    if scopes:
        journey = SqlJourneyStore(store.session)
        tasks = tasks_for(store=journey, scopes=scopes, today=today)
        store.rollback()
        for reference in sorted({t.reference for t in tasks}):  # what GET .../victim|cps writes
            audit.separately(
                principal,
                action=Action.CASE_READ.value,
                case_reference=reference,
                target="tasks",
            )
    return page(
        request,
        "home.html",
        principal=principal,
        csrf=csrf,
        title="Home",
        today=today,
        cases=mine[:SHOWN],
        tasks=tasks,
        more_cases=len(mine) > SHOWN,
        may_list=can(principal, Action.CASE_LIST),
        may_read_deadlines=can(principal, Action.DEADLINE_READ),
        overdue=[d for d in due if d.deadline.is_overdue(today)],
        due_soon=[d for d in due if not d.deadline.is_overdue(today)],
        due_within=DUE_WITHIN.days,
    )
