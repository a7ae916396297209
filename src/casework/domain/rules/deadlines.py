"""A computed deadline and the rule that produced it, so that every date can be explained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict


class RuleInputError(ValueError):
    """Dates or facts given to a rule that cannot be right (a statement before the offence)."""


class Rule(BaseModel):
    """One rule as kept in a data file: a stable id, what it says, where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    source: str
    effective_from: date
    to_verify: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day by which something must happen, with its rule and what started it.

    ``due`` is a calendar date in Europe/London (the law counts days, not instants); it is
    ``None`` when the rule sets no limit, and the rule text then says so. ``detail`` tells
    how the date was reached (for example which of two limbs of a rule bound).
    """

    due: date | None
    rule_id: str
    rule: str
    source: str
    started_by: str
    start: date
    detail: str = ""
    rules_version: str = ""

    @property
    def has_limit(self) -> bool:
        return self.due is not None

    def is_overdue(self, today: date) -> bool:
        """True when ``today`` is after the last day; a deadline with no limit never is."""
        return self.due is not None and today > self.due
