"""Victims' Code duties of the police, counted in England and Wales working days."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from casework.domain.rules.data import RuleFile, load_rule_data
from casework.domain.rules.deadlines import Deadline, Rule, RuleInputError
from casework.domain.rules.working_days import WorkingDayCalendar

VICTIMS_CODE_FILE = "victims_code.json"
LONDON = ZoneInfo("Europe/London")


class VictimEvent(StrEnum):
    """Something that happens in a case and starts a duty to the victim."""

    CRIME_REPORTED = "crime_reported"
    ARREST = "arrest"
    INTERVIEW_UNDER_CAUTION = "interview_under_caution"
    RELEASED_WITHOUT_CHARGE = "released_without_charge"
    BAILED = "bailed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    BAIL_CONDITIONS_CHANGED = "bail_conditions_changed"
    CHARGED = "charged"
    NO_CHARGE_DECISION = "no_charge_decision"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class VictimsCodeRule(Rule):
    """A duty of N working days after one of ``events``.

    ``enhanced_rights`` is True or False when the period depends on whether the victim is
    entitled to Enhanced Rights, None when it applies to every victim.
    """

    events: tuple[VictimEvent, ...] = Field(min_length=1)
    enhanced_rights: bool | None = None
    working_days: int = Field(gt=0)


class VictimsCodeRules(RuleFile):
    """A version of the Victims' Code duties."""

    enhanced_rights_categories: tuple[str, ...] = ()
    rules: tuple[VictimsCodeRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_rule_per_case(self) -> VictimsCodeRules:
        for event in VictimEvent:
            for enhanced in (True, False):
                matching = [r.id for r in self._matching(event, enhanced=enhanced)]
                if len(matching) > 1:
                    raise ValueError(
                        f"rules {', '.join(matching)} all apply to {event.value} "
                        f"(enhanced_rights={enhanced})"
                    )
        return self

    def _matching(self, event: VictimEvent, *, enhanced: bool) -> list[VictimsCodeRule]:
        return [
            r for r in self.rules if event in r.events and r.enhanced_rights in (None, enhanced)
        ]

    def rule_for(self, event: VictimEvent, *, enhanced_rights: bool) -> VictimsCodeRule | None:
        """Return the rule for ``event``, or None when this Code sets no time for it."""
        matching = self._matching(event, enhanced=enhanced_rights)
        return matching[0] if matching else None


@cache
def load_victims_code_rules() -> VictimsCodeRules:
    """Load the packaged Victims' Code rules once."""
    return load_rule_data(VICTIMS_CODE_FILE, VictimsCodeRules)


def london_date(moment: datetime) -> date:
    """Return the calendar date in England and Wales of an aware ``moment``.

    An arrest at 00:30 BST is on the London date even though it is the previous day in UTC.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleInputError(f"{moment.isoformat()} has no time zone; give an aware datetime")
    return moment.astimezone(LONDON).date()


def victims_code_deadline(
    event: VictimEvent,
    event_date: date,
    *,
    enhanced_rights: bool,
    rules: VictimsCodeRules,
    calendar: WorkingDayCalendar,
) -> Deadline:
    """Return the last day to fulfil the Victims' Code duty that ``event`` starts.

    The day of the event is not counted: an arrest on a Friday with a 1-working-day duty
    is due on the Monday (the Tuesday after a bank holiday Monday).
    """
    rule = rules.rule_for(event, enhanced_rights=enhanced_rights)
    if rule is None:
        raise RuleInputError(f"the Victims' Code {rules.version} sets no time for {event.words}")
    due = calendar.add(event_date, rule.working_days)
    who = "a victim with Enhanced Rights" if enhanced_rights else "the victim"
    return Deadline(
        due=due,
        rule_id=rule.id,
        rule=rule.text,
        source=rule.source,
        started_by=f"{event.words} on {event_date.isoformat()}",
        start=event_date,
        detail=f"{rule.working_days} {calendar.name} working day(s) after the event, for {who}.",
        rules_version=rules.version,
    )
