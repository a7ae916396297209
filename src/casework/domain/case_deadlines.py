"""The deadlines of one case, worked out from its recorded facts by the rules in ``rules``.

Pure: the caller passes the case, its events, the rule data and the working-day calendar.
Each deadline keeps its rule, the rule's source and what started it, and whether it has
been settled (met, or made moot by the case moving on), so that a "due soon / overdue"
list only shows work still to do. Only confirmed events count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from casework.domain.cases import Case, CaseOffence
from casework.domain.pole import Event, EventKind
from casework.domain.rules.bail import BailRules, bail_period_ends
from casework.domain.rules.deadlines import Deadline, RuleInputError
from casework.domain.rules.offences import ModeOfTrial, OffenceCatalogue, UnknownOffenceError
from casework.domain.rules.time_limits import TimeLimitRules, statutory_time_limit
from casework.domain.rules.victims_code import (
    VictimEvent,
    VictimsCodeRules,
    london_date,
    victims_code_deadline,
)
from casework.domain.rules.working_days import WorkingDayCalendar
from casework.domain.stages import Stage


class DeadlineKind(StrEnum):
    """Which family of rule a case deadline comes from."""

    TIME_LIMIT = "time_limit"
    VICTIMS_CODE = "victims_code"
    BAIL = "bail"
    CPS_ACTION = "cps_action"
    COURT = "court"
    CUSTODY = "custody"

    @property
    def is_recorded(self) -> bool:
        """Set by a person's record (an action plan, a listing, a custody record), not derived.

        Derived deadlines are worked out again from the case's facts whenever it changes;
        recorded ones are kept until the service that owns their record replaces them.
        """
        return self in RECORDED_KINDS


RECORDED_KINDS = frozenset({DeadlineKind.CPS_ACTION, DeadlineKind.COURT, DeadlineKind.CUSTODY})


class CaseDeadline(BaseModel):
    """A deadline of a case: the date, its rule and source, what started it, and its state.

    ``due`` is None when the rule sets no limit (either-way offences) or when it cannot be
    worked out, in which case ``problem`` says what is missing. ``settled_on`` and
    ``settled_by`` say when and how the duty was met or stopped mattering.
    """

    model_config = ConfigDict(frozen=True)

    kind: DeadlineKind
    about: str
    due: date | None
    rule_id: str
    rule: str
    source: str
    started_by: str
    start: date | None
    detail: str = ""
    rules_version: str = ""
    problem: str = ""
    settled_on: date | None = None
    settled_by: str = ""

    @property
    def is_open(self) -> bool:
        """Still to be met, with a date to meet it by."""
        return self.due is not None and self.settled_on is None

    def days_left(self, today: date) -> int | None:
        """Days from ``today`` to the due date: 0 on the day, negative once overdue."""
        return (self.due - today).days if self.due is not None else None

    def is_overdue(self, today: date) -> bool:
        """Open and past its last day."""
        return self.is_open and self.due is not None and today > self.due

    @classmethod
    def from_rule(cls, kind: DeadlineKind, about: str, deadline: Deadline) -> CaseDeadline:
        return cls(
            kind=kind,
            about=about,
            due=deadline.due,
            rule_id=deadline.rule_id,
            rule=deadline.rule,
            source=deadline.source,
            started_by=deadline.started_by,
            start=deadline.start,
            detail=deadline.detail,
            rules_version=deadline.rules_version,
        )


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """The rule data and calendar that deadlines are worked out with."""

    catalogue: OffenceCatalogue
    time_limits: TimeLimitRules
    victims_code: VictimsCodeRules
    bail: BailRules
    calendar: WorkingDayCalendar


_EVENT_DUTIES: dict[EventKind, VictimEvent] = {
    EventKind.ARREST: VictimEvent.ARREST,
    EventKind.INTERVIEW_UNDER_CAUTION: VictimEvent.INTERVIEW_UNDER_CAUTION,
    EventKind.RELEASED_WITHOUT_CHARGE: VictimEvent.RELEASED_WITHOUT_CHARGE,
    EventKind.BAILED: VictimEvent.BAILED,
    EventKind.RELEASED_UNDER_INVESTIGATION: VictimEvent.RELEASED_UNDER_INVESTIGATION,
    EventKind.BAIL_CONDITIONS_CHANGED: VictimEvent.BAIL_CONDITIONS_CHANGED,
}
_STAGE_DUTIES: dict[Stage, VictimEvent] = {
    Stage.CHARGED: VictimEvent.CHARGED,
    Stage.NO_FURTHER_ACTION: VictimEvent.NO_CHARGE_DECISION,
}
_BAIL_ENDS = (
    EventKind.RELEASED_WITHOUT_CHARGE,
    EventKind.RELEASED_UNDER_INVESTIGATION,
)


def derive_case_deadlines(
    case: Case, events: Iterable[Event], *, rules: DeadlineRules
) -> list[CaseDeadline]:
    """Return every deadline of ``case``: time limits, Victims' Code duties, bail periods."""
    confirmed = sorted((e for e in events if e.counts), key=lambda e: e.occurred_at)
    deadlines = [_time_limit(case, offence, confirmed, rules) for offence in case.offences]
    deadlines.extend(_victims_code(case, confirmed, rules))
    deadlines.extend(_bail(case, confirmed, rules))
    return deadlines


def _first_change_to(case: Case, stage: Stage) -> datetime | None:
    return next((c.at for c in case.history if c.target is stage), None)


def _time_limit(
    case: Case, offence: CaseOffence, events: list[Event], rules: DeadlineRules
) -> CaseDeadline:
    try:
        known = rules.catalogue.get(offence.code)
    except UnknownOffenceError as error:
        return _problem(offence.code, str(error))
    if known.mode_of_trial is ModeOfTrial.SUMMARY_ONLY and offence.committed_on is None:
        return _problem(
            offence.code,
            f"{known.name} is summary-only, so a time limit applies, but the date of the "
            "offence is not recorded",
        )
    statements = [e for e in events if e.kind is EventKind.VICTIM_STATEMENT]
    statement_on = london_date(statements[0].occurred_at) if statements else None
    try:
        deadline = statutory_time_limit(
            known,
            offence.committed_on or case.reported_on,
            rules=rules.time_limits,
            domestic_abuse=case.domestic_abuse,
            statement_date=statement_on,
        )
    except RuleInputError as error:
        return _problem(offence.code, str(error))
    found = CaseDeadline.from_rule(DeadlineKind.TIME_LIMIT, offence.code, deadline)
    charged = _first_change_to(case, Stage.CHARGED)
    if charged is not None:
        return _settled(found, london_date(charged), "proceedings started: charged")
    if not case.stage.is_open:
        return _settled(found, _closed_on(case), f"case {case.stage.words}")
    return found


def _settled(item: CaseDeadline, on: date, how: str) -> CaseDeadline:
    return item.model_copy(update={"settled_on": on, "settled_by": how})


def _closed_on(case: Case) -> date:
    """The day the case reached its current stage."""
    return london_date(case.history[-1].at if case.history else case.opened_at)


def _problem(code: str, problem: str) -> CaseDeadline:
    return CaseDeadline(
        kind=DeadlineKind.TIME_LIMIT,
        about=code,
        due=None,
        rule_id="time_limit_unknown",
        rule="The time limit for starting proceedings cannot be worked out.",
        source="",
        started_by="",
        start=None,
        problem=problem,
    )


def _victims_code(case: Case, events: list[Event], rules: DeadlineRules) -> list[CaseDeadline]:
    enhanced = case.victim_has_enhanced_rights
    informed = [e.occurred_at for e in events if e.kind is EventKind.VICTIM_INFORMED]
    referred = [e.occurred_at for e in events if e.kind is EventKind.SUPPORT_REFERRAL]
    triggers: list[tuple[VictimEvent, datetime | None, date]] = [
        (VictimEvent.CRIME_REPORTED, None, case.reported_on)
    ]
    triggers.extend(
        (_EVENT_DUTIES[e.kind], e.occurred_at, london_date(e.occurred_at))
        for e in events
        if e.kind in _EVENT_DUTIES
    )
    triggers.extend(
        (_STAGE_DUTIES[c.target], c.at, london_date(c.at))
        for c in case.history
        if c.target in _STAGE_DUTIES
    )
    found: list[CaseDeadline] = []
    for event, moment, day in triggers:
        if rules.victims_code.rule_for(event, enhanced_rights=enhanced) is None:
            continue
        deadline = victims_code_deadline(
            event,
            day,
            enhanced_rights=enhanced,
            rules=rules.victims_code,
            calendar=rules.calendar,
        )
        item = CaseDeadline.from_rule(DeadlineKind.VICTIMS_CODE, event.value, deadline)
        if event is VictimEvent.CRIME_REPORTED:
            met = next((m for m in referred if london_date(m) >= day), None)
            how = "victim referred to support"
        else:
            met = next((m for m in informed if moment is None or m >= moment), None)
            how = "victim informed"
        if met is not None:
            item = _settled(item, london_date(met), how)
        found.append(item)
    return found


def _bail(case: Case, events: list[Event], rules: DeadlineRules) -> list[CaseDeadline]:
    bailed = [e for e in events if e.kind is EventKind.BAILED]
    if not bailed:
        return []
    latest = bailed[-1]
    start = london_date(latest.occurred_at)
    periods = bail_period_ends(start, rules=rules.bail)
    initial = periods[0]
    extensions = "; ".join(
        f"to {p.due.isoformat() if p.due else '?'} by {p.detail.rsplit(': ', 1)[-1].rstrip('.')}"
        for p in periods[1:]
    )
    item = CaseDeadline.from_rule(DeadlineKind.BAIL, "pre-charge bail", initial)
    if extensions:
        item = item.model_copy(update={"detail": f"{initial.detail} Extensions: {extensions}."})
    after = latest.occurred_at
    ends = [e.occurred_at for e in events if e.kind in _BAIL_ENDS and e.occurred_at > after]
    charged = _first_change_to(case, Stage.CHARGED)
    if ends:
        return [_settled(item, london_date(ends[0]), "released")]
    if charged is not None and charged > after:
        return [_settled(item, london_date(charged), "charged")]
    if not case.stage.is_open:
        return [_settled(item, _closed_on(case), f"case {case.stage.words}")]
    return [item]
