"""The dog register's compliance rule set: a versioned data file, each rule with its source.

``registers/data/dog_standard.json`` names every rule the compliance check runs, with the
part of the NPCC Police Dog Standard it comes from, notes saying what is not yet verified,
and its settings. It is validated on first use: an unknown rule, a rule missing, or a rule
without a source is refused, so a rule cannot run without saying where it comes from.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class RuleId(StrEnum):
    LICENCE_OVERDUE = "licence_overdue"
    WELFARE_CHECK_MISSED = "welfare_check_missed"
    UNLICENSED_DEPLOYMENT = "unlicensed_deployment"
    RETIREMENT_REVIEW_OVERDUE = "retirement_review_overdue"


class ComplianceRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: RuleId
    title: str = Field(min_length=1)
    source: str = Field(min_length=10)
    notes: str = ""
    verified: bool
    """False while the rule's figures are not checked against the Standard itself."""
    parameters: dict[str, int] = Field(default_factory=dict)

    def setting(self, name: str) -> int:
        if name not in self.parameters:
            raise RuleSetError(f"dog_standard.json: rule {self.id.value} has no setting {name!r}")
        return self.parameters[name]


class RuleSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(min_length=1)
    standard: str = Field(min_length=1)
    rules: tuple[ComplianceRule, ...]

    def rule(self, rule_id: RuleId) -> ComplianceRule:
        return next(r for r in self.rules if r.id is rule_id)


class RuleSetError(ValueError):
    """The packaged rule set is malformed (a packaging bug, caught by the tests)."""


def parse_rule_set(text: str, *, source: str = "dog_standard.json") -> RuleSet:
    """Read and check a rule set: every known rule exactly once."""
    try:
        rules = RuleSet.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as error:
        raise RuleSetError(f"{source}: {error}") from error
    ids = [r.id for r in rules.rules]
    missing = sorted(set(RuleId) - set(ids))
    if missing or len(ids) != len(set(ids)):
        raise RuleSetError(
            f"{source}: each rule exactly once; missing: {', '.join(missing) or 'none'}"
        )
    return rules


@cache
def dog_rules() -> RuleSet:
    """The packaged rule set."""
    text = resources.files("casework.registers.data").joinpath("dog_standard.json").read_text()
    return parse_rule_set(text)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, the last day of a shorter month when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
