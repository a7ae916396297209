"""``/api/cases/{reference}/victim|evidence|cps|timeline``: the victim, the CPS, the suspect.

Read routes over the ``journey`` victim, CPS and timeline services, and the victim
contact log (a record of the case, like an event). Each parses, lets the guard ask the
policy, calls a service and writes the audit entry; no rule lives here.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from casework.api.deps import AuditDep, Authorized, CaseInScope, SessionDep, requires
from casework.domain.cases import CaseReference
from casework.domain.evidence import EvidenceReview
from casework.domain.victim import ContactMethod
from casework.journey import cps as cps_service
from casework.journey import timeline as timeline_service
from casework.journey import victim as victim_service
from casework.security.access import case_facts
from casework.security.policy import can
from casework.security.roles import Action
from casework.store.journey_repositories import SqlJourneyStore

router = APIRouter(prefix="/api/cases", tags=["victim, CPS and suspect"])


async def journey_store(store: SessionDep) -> SqlJourneyStore:
    """The request's unit of work with the victim, CPS and timeline repositories."""
    # async: it only wraps the session, so it needs no worker thread
    return SqlJourneyStore(store.session)


JourneyDep = Annotated[SqlJourneyStore, Depends(journey_store)]


class ContactIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    at: AwareDatetime = Field(description="When, ISO date-time with a time zone.")
    method: ContactMethod
    summary: str = Field(min_length=1, max_length=8000, description="What was said.")
    agreed: str = Field(default="", max_length=8000, description="What was agreed.")
    made: bool = Field(default=True, description="False for an attempt that did not reach them.")


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    # Building an adapter generates its schema (~1-2 ms); do it once per type.
    return TypeAdapter(kind)


def _json(kind: Any, value: object) -> dict[str, Any]:
    data: dict[str, Any] = _adapter(kind).dump_python(value, mode="json")
    return data


@router.get("/{reference}/victim", **requires(Action.CASE_READ))
def victim_panel(
    reference: str, case: CaseInScope, principal: Authorized, store: JourneyDep, audit: AuditDep
) -> dict[str, Any]:
    """The victim panel: contact log, wishes, referrals, risk history, withdrawal, flags."""
    panel = victim_service.victim_panel(store=store, reference=case.reference)
    audit.separately(
        principal, action=Action.CASE_READ.value, case_reference=case.reference, target="victim"
    )
    data = _json(victim_service.VictimPanel, panel)
    data["risk_level"] = panel.risk.assessment.level.value if panel.risk else None
    data["evidence_missing"] = [line.item.id for line in panel.evidence.missing]
    return data


@router.post("/{reference}/victim/contacts", status_code=201, **requires(Action.CASE_RECORD_EVENT))
def log_contact(
    reference: str,
    body: ContactIn,
    case: CaseInScope,
    principal: Authorized,
    store: JourneyDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Log a contact with the victim; says whether it kept to their safe ways and times."""
    audit.wrote(
        store,
        principal,
        action=Action.CASE_RECORD_EVENT.value,
        case_reference=case.reference,
        target="victim.contact",
    )
    logged = victim_service.log_contact(
        store=store,
        reference=case.reference,
        at=body.at,
        method=body.method,
        by=principal.username,
        summary=body.summary,
        agreed=body.agreed,
        made=body.made,
    )
    return _json(victim_service.ContactLogged, logged)


@router.get("/{reference}/evidence", **requires(Action.CASE_READ))
def evidence(
    reference: str, case: CaseInScope, principal: Authorized, store: JourneyDep, audit: AuditDep
) -> dict[str, Any]:
    """The evidence-led prosecution checklist: what is missing, and whether it could proceed."""
    review = victim_service.evidence_review(store=store, reference=case.reference)
    audit.separately(
        principal, action=Action.CASE_READ.value, case_reference=case.reference, target="evidence"
    )
    data = _json(EvidenceReview, review)
    data["missing"] = [line.item.id for line in review.missing]
    return data


@router.get("/{reference}/cps", **requires(Action.CASE_READ))
def cps_file(
    reference: str, case: CaseInScope, principal: Authorized, store: JourneyDep, audit: AuditDep
) -> dict[str, Any]:
    """The CPS side: charging decisions, action plan and responses, court dates, custody."""
    file = cps_service.cps_file(store=store, reference=case.reference)
    audit.separately(
        principal, action=Action.CASE_READ.value, case_reference=case.reference, target="cps"
    )
    data = _json(cps_service.CpsFile, file)
    data["decision"] = file.decision.model_dump(mode="json") if file.decision else None
    return data


@router.get("/{reference}/timeline", **requires(Action.CASE_READ))
def timeline(
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: JourneyDep,
    audit: AuditDep,
    other_cases: bool = True,
) -> dict[str, Any]:
    """The suspect timeline, with patterns and the suspect's other cases the caller may see."""

    def may_see(other: CaseReference) -> bool:
        facts = case_facts(session=store.session, principal=principal, reference=other)
        return facts is not None and can(principal, Action.CASE_READ, facts)

    result = timeline_service.suspect_timeline(
        store=store,
        reference=case.reference,
        include_other_cases=other_cases,
        may_see=may_see,
    )
    audit.separately(
        principal, action=Action.CASE_READ.value, case_reference=case.reference, target="timeline"
    )
    return _json(timeline_service.SuspectTimeline, result)
