"""``/api/rules``: offence codes, statutory time limits, working days (reference data)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from casework.api.deps import Authorized, requires
from casework.journey import rules as rules_service
from casework.security.roles import Action

router = APIRouter(prefix="/api/rules", tags=["rules"])


class OffenceOut(BaseModel):
    code: str
    name: str
    statute: str
    mode_of_trial: str
    domestic_abuse: str


class Offences(BaseModel):
    version: str
    offences: list[OffenceOut]


class TimeLimitOut(BaseModel):
    last_day: date | None
    rule: str
    rule_id: str
    source: str
    started_by: str
    detail: str


class WorkingDayOut(BaseModel):
    date: date


@router.get("/offences", **requires(Action.RULES_READ))
def offences(principal: Authorized) -> Offences:
    """Every offence code with its name, statute and section, and mode of trial."""
    catalogue = rules_service.offence_catalogue()
    return Offences(
        version=catalogue.version,
        offences=[
            OffenceOut(
                code=o.code,
                name=o.name,
                statute=o.citation,
                mode_of_trial=o.mode_of_trial.value,
                domestic_abuse=o.domestic_abuse.value,
            )
            for o in catalogue.offences
        ],
    )


@router.get("/time-limit", **requires(Action.RULES_READ))
def time_limit(
    principal: Authorized,
    offence: Annotated[str, Query(min_length=1, max_length=60)],
    offence_date: date,
    domestic_abuse: bool = False,
    statement_date: date | None = None,
) -> TimeLimitOut:
    """The last day on which proceedings may start, with the rule and its source."""
    deadline = rules_service.time_limit(
        offence_code=offence.strip(),
        offence_date=offence_date,
        domestic_abuse=domestic_abuse,
        statement_date=statement_date,
    )
    return TimeLimitOut(
        last_day=deadline.due,
        rule=deadline.rule,
        rule_id=deadline.rule_id,
        source=deadline.source,
        started_by=deadline.started_by,
        detail=deadline.detail,
    )


@router.get("/working-days", **requires(Action.RULES_READ))
def working_days(
    principal: Authorized,
    start: Annotated[date, Query(alias="from")],
    add: Annotated[int, Query(ge=-3660, le=3660)],
) -> WorkingDayOut:
    """The date ``add`` England and Wales working days after ``from``."""
    return WorkingDayOut(date=rules_service.add_working_days(start=start, days=add))
