"""``/api/cases``: list, open, show, advance, add a party, an offence or an event; grants.

Each route parses, lets the guard ask the policy, calls a ``journey`` service and writes
the audit entry; no rule lives here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, CaseInScope, SessionDep, requires
from casework.api.routes.writing import RecorderDep, fields_of
from casework.domain.cases import Case, CaseQuery, CaseSummary, NewCase, OffenceDetails, Role
from casework.domain.pole import Event, EventDetails, EventKind, EventPhase, PersonDetails
from casework.domain.stages import Agency, Stage
from casework.errors import InvalidInput, PermissionDenied
from casework.journey import cases as case_service
from casework.journey.cases import CaseFile
from casework.security.access import visible_cases
from casework.security.policy import ForceResource, can
from casework.security.roles import Action
from casework.security.users import GrantInfo, add_to_team, grant_case

router = APIRouter(prefix="/api/cases", tags=["cases"])


class PartyIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    role: Role
    name: str = Field(min_length=1, max_length=400, description="Full name, e.g. 'Jane SMITH'.")
    date_of_birth: date | None = None


class OffenceIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=60, description="Offence code, e.g. abh.")
    committed_on: date | None = None


class NewCaseIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    force: str | None = Field(default=None, description="Force code; default: yours.")
    reported_on: date
    offences: list[OffenceIn] = Field(default_factory=list, max_length=50)
    domestic_abuse: bool = False
    restricted: bool = False
    enhanced_rights: bool = False
    parties: list[PartyIn] = Field(default_factory=list, max_length=100)


class AdvanceIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    to: Stage
    reason: str = Field(min_length=1, max_length=4000)
    decided_by: Agency | None = None


class EventIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: EventKind
    occurred_at: datetime = Field(description="ISO date-time with a time zone.")
    description: str = Field(min_length=1, max_length=10_000)
    phase: EventPhase | None = None


class GrantIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    expires_at: datetime


def _person(party: PartyIn) -> PersonDetails:
    try:
        details = PersonDetails.from_full_name(party.name, date_of_birth=party.date_of_birth)
    except ValueError as error:
        raise InvalidInput(f"name: {error}") from error
    return details


@router.get("", **requires(Action.CASE_LIST))
def list_cases(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    stage: Stage | None = None,
    offence: Annotated[str | None, Query(max_length=60)] = None,
    officer: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CaseSummary]:
    """Cases you may see in your force, newest first, filtered by stage, offence, officer."""
    query = case_service.validated(
        CaseQuery, stage=stage, offence=offence, officer=officer, limit=limit, offset=offset
    )
    found = visible_cases(
        session=store.session,
        principal=principal,
        query=query,
        search=lambda q: case_service.list_cases(store=store, query=q),
    )
    audit.separately(
        principal,
        action=Action.CASE_LIST.value,
        target="cases",
        detail={"stage": stage, "offence": offence, "officer": officer, "count": len(found)},
    )
    return found


@router.post("", status_code=201, **requires(Action.CASE_OPEN))
def open_case(body: NewCaseIn, rec: RecorderDep) -> Case:
    """Open a case in your force; you join its team."""
    principal, store = rec.principal, rec.store
    force = (body.force or principal.force).upper()
    if not can(principal, Action.CASE_OPEN, ForceResource(force)):
        raise PermissionDenied(f"force: you may open cases only in your force ({principal.force})")
    new = case_service.validated(
        NewCase,
        force=force,
        reported_on=body.reported_on,
        offences=[o.model_dump() for o in body.offences],
        domestic_abuse=body.domestic_abuse,
        restricted=body.restricted,
        enhanced_rights=body.enhanced_rights,
        parties=[(p.role, _person(p)) for p in body.parties],
    )
    case = case_service.open_case(store=store, new=new, actor=principal.username)
    add_to_team(
        session=store.session,
        reference=case.reference,
        username=principal.username,
        added_by=principal.username,
    )
    rec.wrote(
        Action.CASE_OPEN,
        case_reference=str(case.reference),
        detail={"restricted": case.restricted},
    )
    return case


@router.get("/{reference}", **requires(Action.CASE_READ))
def show_case(
    reference: str, case: CaseInScope, principal: Authorized, store: SessionDep, audit: AuditDep
) -> CaseFile:
    """The case with its timeline and deadlines."""
    file = case_service.get_case(store=store, reference=case.reference)
    audit.separately(principal, action=Action.CASE_READ.value, case_reference=case.reference)
    return file


@router.post("/{reference}/advance", **requires(Action.CASE_ADVANCE))
def advance(reference: str, body: AdvanceIn, case: CaseInScope, rec: RecorderDep) -> Case:
    """Move the case to another stage, with who decided and why."""
    rec.wrote(Action.CASE_ADVANCE, case_reference=case.reference, detail={"to": body.to.value})
    return case_service.advance(
        store=rec.store,
        reference=case.reference,
        actor=rec.principal.username,
        **fields_of(body),
    )


@router.post("/{reference}/parties", status_code=201, **requires(Action.CASE_ADD_PARTY))
def add_party(reference: str, body: PartyIn, case: CaseInScope, rec: RecorderDep) -> Case:
    """Link a person to the case in a role."""
    rec.wrote(
        Action.CASE_ADD_PARTY, case_reference=case.reference, detail={"role": body.role.value}
    )
    return case_service.add_party(
        store=rec.store,
        reference=case.reference,
        role=body.role,
        person=_person(body),
        actor=rec.principal.username,
    )


@router.post("/{reference}/offences", status_code=201, **requires(Action.CASE_ADD_OFFENCE))
def add_offence(reference: str, body: OffenceIn, case: CaseInScope, rec: RecorderDep) -> Case:
    """Record an offence on the case (its time limit is worked out at once)."""
    details = case_service.validated(OffenceDetails, **fields_of(body))
    rec.wrote(Action.CASE_ADD_OFFENCE, case_reference=case.reference, detail={"code": details.code})
    return case_service.record_offence(
        store=rec.store, reference=case.reference, offence=details, actor=rec.principal.username
    )


@router.post("/{reference}/events", status_code=201, **requires(Action.CASE_RECORD_EVENT))
def record_event(reference: str, body: EventIn, case: CaseInScope, rec: RecorderDep) -> Event:
    """Add an event to the case timeline (arrest, bail, victim informed, ...)."""
    details = case_service.validated(EventDetails, **fields_of(body))
    rec.wrote(
        Action.CASE_RECORD_EVENT, case_reference=case.reference, detail={"kind": body.kind.value}
    )
    return case_service.record_event(
        store=rec.store, reference=case.reference, details=details, actor=rec.principal.username
    )


@router.post("/{reference}/grants", status_code=201, **requires(Action.CASE_GRANT))
def grant(reference: str, body: GrantIn, case: CaseInScope, rec: RecorderDep) -> GrantInfo:
    """Let another user see this case until a time, for a reason (both kept)."""
    made = grant_case(
        session=rec.store.session,
        reference=case.reference,
        granted_by=rec.principal.username,
        **fields_of(body),
    )
    rec.wrote(
        Action.CASE_GRANT,
        case_reference=case.reference,
        target=made.username,
        detail={"expires_at": made.expires_at.isoformat(), "reason": made.reason},
    )
    return made
