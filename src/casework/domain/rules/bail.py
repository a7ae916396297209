"""Pre-charge bail: when each bail period ends and who may extend it."""

from __future__ import annotations

from datetime import date
from functools import cache

from pydantic import Field, model_validator

from casework.domain.rules.calendar_months import end_of_months_beginning_with
from casework.domain.rules.data import RuleFile, load_rule_data
from casework.domain.rules.deadlines import Deadline, Rule

BAIL_FILE = "pre_charge_bail.json"


class BailPeriodRule(Rule):
    """A bail period of ``months`` beginning with the bail start date, set by ``authority``."""

    months: int = Field(gt=0)
    authority: str = Field(min_length=1)


class BailRules(RuleFile):
    """The bail periods in order, each longer than the one before."""

    periods: tuple[BailPeriodRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _increasing(self) -> BailRules:
        months = [p.months for p in self.periods]
        if months != sorted(set(months)):
            raise ValueError("periods must be in increasing order of months")
        return self


@cache
def load_bail_rules() -> BailRules:
    """Load the packaged pre-charge bail rules once."""
    return load_rule_data(BAIL_FILE, BailRules)


def bail_period_ends(bail_start: date, *, rules: BailRules) -> list[Deadline]:
    """Return the last day of each bail period, initial first, with who may grant it.

    "N months beginning with" a day includes that day, so the period ends the day before
    the corresponding date: bail starting on 1 January ends on 31 March; on 30 November,
    at the end of February.
    """
    return [
        Deadline(
            due=end_of_months_beginning_with(bail_start, period.months),
            rule_id=period.id,
            rule=period.text,
            source=period.source,
            started_by=f"bail start date {bail_start.isoformat()}",
            start=bail_start,
            detail=f"{period.months} months beginning with the bail start date; "
            f"authorised by: {period.authority}.",
            rules_version=rules.version,
        )
        for period in rules.periods
    ]
