"""``/api/cases/{reference}/cps/...`` and ``/custody``: the CPS's decisions, the police's answers.

The charging decision and the action plan (a prosecutor's), the investigator's response
to each item, court dates listed and closed, and the PACE custody clock started and
stopped; the same operations as ``casework cps`` and ``casework custody``. Each route
parses, lets the guard ask the policy, writes the audit entry in the same unit of work
and calls a ``journey.cps`` service; no rule lives here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casework.api.deps import CaseInScope, requires
from casework.api.routes.journey import JourneyDep
from casework.api.routes.writing import RecorderDep, as_json, fields_of, naming
from casework.domain.cps import (
    ActionItem,
    ChargingDecisionDetails,
    ChargingOutcome,
    ChargingTest,
    CourtHearing,
    HearingStatus,
)
from casework.journey import cps as cps_service
from casework.journey.cases import validated
from casework.security.principal import Principal
from casework.security.roles import Action

router = APIRouter(prefix="/api/cases", tags=["victim, CPS and suspect"])

ItemNumber = Annotated[int, Path(ge=1, le=100_000, description="Numbered from 1 in the case.")]


class DecisionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    outcome: ChargingOutcome = ChargingOutcome.CHARGE
    test: ChargingTest | None = Field(default=None, description="full_code or threshold.")
    charges: list[str] = Field(
        default_factory=list, max_length=30, description="Offence codes, e.g. abh."
    )
    reasons: str = Field(min_length=1, max_length=8000, description="The reasons (MG3).")


class ActionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    action: str = Field(min_length=1, max_length=4000, description="What is to be done.")
    due_on: date


class ResponseIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    response: str = Field(min_length=1, max_length=8000, description="What was done.")


class HearingIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    hearing: str = Field(min_length=1, max_length=200, description="e.g. first hearing, trial.")
    on: date
    court: str = Field(default="", max_length=200)


class HearingClosedIn(BaseModel):
    status: Literal["held", "vacated"] = "held"


class DetainedIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    detained_at: AwareDatetime = Field(description="The PACE relevant time, with a time zone.")
    offence: str | None = Field(
        default=None, max_length=60, description="Default: the case's most serious offence."
    )
    authorised_at: AwareDatetime | None = Field(
        default=None, description="When detention was first authorised (reviews run from it)."
    )


class ReleasedIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    released_at: AwareDatetime
    note: str = Field(default="", max_length=2000, description="Charged, bailed, released ...")


def _prosecutor(principal: Principal) -> str:
    """The name the case records for its CPS prosecutor: the user's full name."""
    return principal.full_name.strip() or principal.username


@router.post("/{reference}/cps/decisions", status_code=201, **requires(Action.CPS_DECIDE))
def decide(
    body: DecisionIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record the charging decision (MG3); the case moves on as it decides."""
    with naming("charges", {"test": "test", "Test": "test"}):
        details = validated(
            ChargingDecisionDetails,
            outcome=body.outcome,
            test=body.test,
            charges=tuple(body.charges),
            reasons=body.reasons,
        )
    rec.wrote(
        Action.CPS_DECIDE,
        case_reference=case.reference,
        target="cps.decision",
        detail={"outcome": details.outcome.value, "charges": ",".join(details.charges)},
    )
    with naming("charges", {"prosecutor": "prosecutor"}):
        result = cps_service.record_charging_decision(
            store=store,
            reference=case.reference,
            details=details,
            prosecutor=_prosecutor(rec.principal),
        )
    return {
        "decision": result.decision.model_dump(mode="json"),
        "stage": result.case.stage.value,
        "moved": result.case.history[-1].model_dump(mode="json"),
    }


@router.post("/{reference}/cps/actions", status_code=201, **requires(Action.CPS_DECIDE))
def add_action(
    body: ActionIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Add an item to the action plan; its due date joins the case's deadlines."""
    rec.wrote(
        Action.CPS_DECIDE,
        case_reference=case.reference,
        target="cps.action",
        detail={"due_on": body.due_on.isoformat()},
    )
    with naming("due_on", {"action:": "action", "prosecutor": "prosecutor"}):
        item = cps_service.set_action(
            store=store,
            reference=case.reference,
            prosecutor=_prosecutor(rec.principal),
            **fields_of(body),
        )
    return as_json(ActionItem, item)


@router.post("/{reference}/cps/actions/{number}/response", **requires(Action.CPS_RESPOND))
def respond(
    number: ItemNumber,
    body: ResponseIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Respond to one action-plan item; it meets its deadline."""
    rec.wrote(
        Action.CPS_RESPOND,
        case_reference=case.reference,
        target=f"cps.action.{number}",
    )
    with naming("response"):
        item = cps_service.respond_to_action(
            store=store,
            reference=case.reference,
            number=number,
            actor=rec.principal.username,
            **fields_of(body),
        )
    return as_json(ActionItem, item)


@router.post("/{reference}/cps/hearings", status_code=201, **requires(Action.COURT_RECORD))
def list_hearing(
    body: HearingIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record a court date; it shows with the case's deadlines until held or vacated."""
    rec.wrote(
        Action.COURT_RECORD,
        case_reference=case.reference,
        target="court.hearing",
        detail={"on": body.on.isoformat()},
    )
    with naming("on", {"hearing:": "hearing"}):
        hearing = cps_service.list_hearing(
            store=store,
            reference=case.reference,
            actor=rec.principal.username,
            **fields_of(body),
        )
    return as_json(CourtHearing, hearing)


@router.post("/{reference}/cps/hearings/{number}/closed", **requires(Action.COURT_RECORD))
def close_hearing(
    number: ItemNumber,
    body: HearingClosedIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Mark a hearing held (or vacated), which takes it off the due list."""
    rec.wrote(
        Action.COURT_RECORD,
        case_reference=case.reference,
        target=f"court.hearing.{number}",
        detail={"status": body.status},
    )
    with naming("status"):
        hearing = cps_service.close_hearing(
            store=store, reference=case.reference, number=number, status=HearingStatus(body.status)
        )
    return as_json(CourtHearing, hearing)


def _clock(found: cps_service.CustodyClock) -> dict[str, Any]:
    return as_json(cps_service.CustodyClock, found)


@router.post("/{reference}/custody", status_code=201, **requires(Action.CUSTODY_RECORD))
def detained(
    body: DetainedIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Start the PACE custody clock of the case's suspect; its limits become deadlines."""
    rec.wrote(
        Action.CUSTODY_RECORD,
        case_reference=case.reference,
        target="custody.detained",
        detail={"detained_at": body.detained_at.isoformat()},
    )
    with naming("detained_at", {"offence": "offence", "authorised at": "authorised_at"}):
        clock = cps_service.record_custody(
            store=store,
            reference=case.reference,
            relevant_time=body.detained_at,
            offence_code=body.offence,
            authorised_at=body.authorised_at,
            actor=rec.principal.username,
        )
    return _clock(clock)


@router.post("/{reference}/custody/release", **requires(Action.CUSTODY_RECORD))
def released(
    body: ReleasedIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record the suspect's release (charged, bailed, released); the clock's deadlines close."""
    rec.wrote(
        Action.CUSTODY_RECORD,
        case_reference=case.reference,
        target="custody.released",
        detail={"released_at": body.released_at.isoformat()},
    )
    with naming("released_at"):
        clock = cps_service.release_from_custody(
            store=store, reference=case.reference, at=body.released_at, note=body.note
        )
    return _clock(clock)
