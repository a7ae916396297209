"""Working with the CPS: the charging decision, the action plan, court dates, custody clocks.

A prosecutor records the charging decision (Director's Guidance on Charging, 6th edition:
the Full Code Test or the Threshold Test, the charges and the reasons, on an MG3) and an
action plan with due dates; the investigator responds item by item. Action-plan items,
court dates and the PACE custody clock become case deadlines (``CaseDeadline``) so they
sit in the same "due soon / overdue" list as every other deadline. Pure: no storage here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from casework.domain.case_deadlines import CaseDeadline, DeadlineKind
from casework.domain.pole import FORCE_CODE
from casework.domain.rules.pace import DetentionClock, TimedDeadline
from casework.domain.stages import DG6_SOURCE, Stage

LONDON = ZoneInfo("Europe/London")
_CODE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must be timezone-aware")
    return value


def _london(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


class ChargingTest(StrEnum):
    """The test the prosecutor applied (Code for Crown Prosecutors, DG6)."""

    FULL_CODE = "full_code"
    """Evidential stage (a realistic prospect of conviction) and public interest stage."""
    THRESHOLD = "threshold"
    """Reasonable suspicion and further evidence expected: only for a suspect to be kept in
    custody, and the Full Code Test applied as soon as the evidence is in."""

    @property
    def words(self) -> str:
        return {ChargingTest.FULL_CODE: "Full Code Test", ChargingTest.THRESHOLD: "Threshold Test"}[
            self
        ]


class ChargingOutcome(StrEnum):
    """What the prosecutor decided, and the stage the case moves to because of it."""

    CHARGE = "charge"
    NO_FURTHER_ACTION = "no_further_action"
    OUT_OF_COURT_RESOLUTION = "out_of_court_resolution"
    FURTHER_INVESTIGATION = "further_investigation"

    @property
    def target(self) -> Stage:
        return {
            ChargingOutcome.CHARGE: Stage.CHARGED,
            ChargingOutcome.NO_FURTHER_ACTION: Stage.NO_FURTHER_ACTION,
            ChargingOutcome.OUT_OF_COURT_RESOLUTION: Stage.OUT_OF_COURT_RESOLUTION,
            ChargingOutcome.FURTHER_INVESTIGATION: Stage.INVESTIGATING,
        }[self]

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class ChargingDecisionDetails(BaseModel):
    """What a prosecutor gives to record a decision (the MG3)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    outcome: ChargingOutcome = ChargingOutcome.CHARGE
    test: ChargingTest | None = None
    charges: tuple[str, ...] = ()
    reasons: str = Field(min_length=1, max_length=8000)

    @field_validator("charges")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not re.fullmatch(_CODE, code):
                raise ValueError(f"{code!r} is not an offence code")
        if len(set(value)) != len(value):
            raise ValueError("a charge is given more than once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ChargingDecisionDetails:
        if self.outcome is ChargingOutcome.CHARGE:
            if self.test is None:
                raise ValueError("a decision to charge says which test was applied")
            if not self.charges:
                raise ValueError("a decision to charge names at least one charge")
        elif self.charges:
            raise ValueError(f"a decision of {self.outcome.words} names no charges")
        if self.outcome is ChargingOutcome.NO_FURTHER_ACTION and self.test is None:
            raise ValueError("a decision not to charge says which test was not met")
        if self.test is ChargingTest.THRESHOLD and self.outcome is not ChargingOutcome.CHARGE:
            raise ValueError("the Threshold Test is only a basis for charging")
        return self


class ChargingDecision(ChargingDecisionDetails):
    """A recorded charging decision of one case."""

    id: UUID = Field(default_factory=uuid4)
    case_id: UUID
    force: str = Field(pattern=FORCE_CODE)
    prosecutor: str = Field(min_length=1, max_length=200)
    decided_at: datetime

    _check_decided = field_validator("decided_at")(_aware)


class ActionItem(BaseModel):
    """One item of a prosecutor's action plan, and the investigator's response to it.

    Items are numbered from 1 within a case, in the order they were set, so the
    investigator can answer "item 3" without an id.
    """

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: UUID = Field(default_factory=uuid4)
    case_id: UUID
    force: str = Field(pattern=FORCE_CODE)
    number: int = Field(ge=1)
    action: str = Field(min_length=1, max_length=4000)
    due_on: date
    set_by: str = Field(min_length=1, max_length=200)
    set_at: datetime
    response: str = Field(default="", max_length=8000)
    responded_by: str = Field(default="", max_length=200)
    responded_at: datetime | None = None

    _check_set = field_validator("set_at")(_aware)

    @model_validator(mode="after")
    def _response_whole(self) -> ActionItem:
        parts = (bool(self.response), bool(self.responded_by), self.responded_at is not None)
        if any(parts) and not all(parts):
            raise ValueError("a response says what was done, by whom and when")
        if self.responded_at is not None:
            _aware(self.responded_at)
        return self

    @property
    def responded(self) -> bool:
        return self.responded_at is not None


class HearingStatus(StrEnum):
    """Whether a listed hearing is still to come."""

    LISTED = "listed"
    HELD = "held"
    VACATED = "vacated"


class CourtHearing(BaseModel):
    """A court date: which hearing, where, and when it was listed."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: UUID = Field(default_factory=uuid4)
    case_id: UUID
    force: str = Field(pattern=FORCE_CODE)
    number: int = Field(ge=1)
    hearing: str = Field(min_length=1, max_length=200)
    on: date
    court: str = Field(default="", max_length=200)
    status: HearingStatus = HearingStatus.LISTED
    listed_by: str = Field(min_length=1, max_length=200)
    listed_at: datetime
    closed_on: date | None = None

    _check_listed = field_validator("listed_at")(_aware)


class CustodyRecord(BaseModel):
    """A suspect's detention: the PACE relevant time, the offence and, later, release."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: UUID = Field(default_factory=uuid4)
    case_id: UUID
    force: str = Field(pattern=FORCE_CODE)
    suspect_id: UUID | None = None
    offence_code: str = Field(pattern=_CODE)
    relevant_time: datetime
    authorised_at: datetime | None = None
    released_at: datetime | None = None
    release_note: str = Field(default="", max_length=1000)
    recorded_by: str = Field(min_length=1, max_length=200)
    recorded_at: datetime

    _check_times = field_validator("relevant_time", "recorded_at")(_aware)

    @model_validator(mode="after")
    def _order(self) -> CustodyRecord:
        for name in ("authorised_at", "released_at"):
            value: datetime | None = getattr(self, name)
            if value is not None:
                _aware(value)
        if self.released_at is not None and self.released_at < self.relevant_time:
            raise ValueError("release is before the relevant time")
        return self

    @property
    def in_custody(self) -> bool:
        return self.released_at is None


ACTION_PLAN_RULE = (
    "The prosecutor's action plan: the investigator completes each action by its due date "
    "and responds item by item."
)
COURT_RULE = "A hearing listed by the court: the file must be ready and the victim told."
COURT_SOURCE = "Court listing; Victims' Code Right 6 (tell the victim of hearing dates)"


def action_plan_deadlines(items: Iterable[ActionItem]) -> list[CaseDeadline]:
    """Return one deadline per action-plan item, met when the investigator responded."""
    found: list[CaseDeadline] = []
    for item in sorted(items, key=lambda i: i.number):
        set_on = _london(item.set_at)
        summary = item.action if len(item.action) <= 80 else item.action[:77] + "..."
        deadline = CaseDeadline(
            kind=DeadlineKind.CPS_ACTION,
            about=f"action {item.number}: {summary}"[:200],
            due=item.due_on,
            rule_id="dg6_action_plan",
            rule=ACTION_PLAN_RULE,
            source=DG6_SOURCE,
            started_by=f"set by {item.set_by} on {set_on.isoformat()}",
            start=set_on,
        )
        if item.responded_at is not None:
            deadline = deadline.model_copy(
                update={
                    "settled_on": _london(item.responded_at),
                    "settled_by": f"responded by {item.responded_by}"[:200],
                }
            )
        found.append(deadline)
    return found


def court_deadlines(hearings: Iterable[CourtHearing]) -> list[CaseDeadline]:
    """Return one deadline per court date; a held or vacated hearing is settled."""
    found: list[CaseDeadline] = []
    for hearing in sorted(hearings, key=lambda h: (h.on, h.number)):
        where = f" at {hearing.court}" if hearing.court else ""
        deadline = CaseDeadline(
            kind=DeadlineKind.COURT,
            about=f"hearing {hearing.number}: {hearing.hearing}{where}"[:200],
            due=hearing.on,
            rule_id="court_listing",
            rule=COURT_RULE,
            source=COURT_SOURCE,
            started_by=f"listed by {hearing.listed_by} on {_london(hearing.listed_at).isoformat()}",
            start=_london(hearing.listed_at),
        )
        if hearing.status is not HearingStatus.LISTED:
            deadline = deadline.model_copy(
                update={
                    "settled_on": hearing.closed_on or hearing.on,
                    "settled_by": f"hearing {hearing.status.value}",
                }
            )
        found.append(deadline)
    return found


def _clock_text(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def custody_deadlines(record: CustodyRecord, clock: DetentionClock) -> list[CaseDeadline]:
    """Return the detention limit and the reviews due before it, settled on release.

    The 24-hour limit is the deadline; extensions (36 hours by a superintendent, 96 by a
    warrant) are named in its detail, because they are limits only once authorised.
    ``due`` is the London day; the exact time is in ``about``.
    """

    def item(timed: TimedDeadline, about: str, detail: str = "") -> CaseDeadline:
        return CaseDeadline(
            kind=DeadlineKind.CUSTODY,
            about=f"{about} at {_clock_text(timed.due_at)}",
            due=_london(timed.due_at),
            rule_id=timed.rule_id,
            rule=timed.rule,
            source=timed.source,
            started_by=timed.started_by,
            start=_london(clock.relevant_time),
            detail=detail,
        )

    extensions = [
        f"{label} {_clock_text(t.due_at)}"
        for label, t in (
            ("a superintendent may extend to", clock.superintendent_limit),
            ("a warrant of further detention to at most", clock.warrant_limit),
        )
        if t is not None
    ]
    detail = (
        f"Charge or release by {_clock_text(clock.limit.due_at)} (Europe/London)"
        + (f"; {'; '.join(extensions)}" if extensions else "; no extension: summary-only offence")
        + "."
    )
    found = [item(clock.limit, "detention limit", detail)]
    found.extend(
        item(review, f"detention review {n}")
        for n, review in enumerate(
            (r for r in clock.reviews if r.due_at < clock.limit.due_at), start=1
        )
    )
    if record.released_at is not None:
        released = _london(record.released_at)
        how = f"released: {record.release_note}" if record.release_note else "released"
        found = [
            d.model_copy(update={"settled_on": released, "settled_by": how[:200]}) for d in found
        ]
    return found
