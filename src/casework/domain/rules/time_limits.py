"""Statutory time limits for starting proceedings (laying an information or charging).

Summary-only offences: 6 months from the offence (MCA 1980 s.127). Common assault or
battery that is domestic abuse, once the victim has made a witness statement or a
video-recorded interview: 6 months from that statement, never more than 2 years from the
offence (CJA 1988 s.39A). Either-way and indictable-only offences: no statutory limit.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from pydantic import Field

from casework.domain.rules.calendar_months import add_months
from casework.domain.rules.data import RuleFile, load_rule_data
from casework.domain.rules.deadlines import Deadline, Rule, RuleInputError
from casework.domain.rules.offences import ModeOfTrial, Offence, OffenceCatalogue

TIME_LIMITS_FILE = "time_limits.json"


class SummaryOnlyRule(Rule):
    """A limit counted in calendar months from the day of the offence."""

    months_from_offence: int = Field(gt=0)


class DomesticAssaultRule(Rule):
    """A limit counted from the victim's statement, capped by a limit from the offence."""

    offences: tuple[str, ...] = Field(min_length=1)
    months_from_statement: int = Field(gt=0)
    months_from_offence_cap: int = Field(gt=0)


class TimeLimitRules(RuleFile):
    """The versioned set of time-limit rules."""

    summary_only: SummaryOnlyRule
    domestic_assault: DomesticAssaultRule
    no_limit: Rule

    def unknown_offences(self, catalogue: OffenceCatalogue) -> list[str]:
        """Offence codes named by these rules that the catalogue lacks (a data error)."""
        return [code for code in self.domestic_assault.offences if code not in catalogue]


@cache
def load_time_limit_rules() -> TimeLimitRules:
    """Load the packaged time-limit rules once."""
    return load_rule_data(TIME_LIMITS_FILE, TimeLimitRules)


def _deadline(
    rule: Rule,
    rules: TimeLimitRules,
    *,
    due: date | None,
    started_by: str,
    start: date,
    detail: str,
) -> Deadline:
    return Deadline(
        due=due,
        rule_id=rule.id,
        rule=rule.text,
        source=rule.source,
        started_by=started_by,
        start=start,
        detail=detail,
        rules_version=rules.version,
    )


def statutory_time_limit(
    offence: Offence,
    offence_date: date,
    *,
    rules: TimeLimitRules,
    domestic_abuse: bool = False,
    statement_date: date | None = None,
) -> Deadline:
    """Return the last day on which proceedings for ``offence`` may start.

    Args:
        offence: the offence from the catalogue.
        offence_date: the day it was committed (for a course of conduct, the last day).
        rules: the time-limit rules in force.
        domestic_abuse: the behaviour is domestic abuse (Domestic Abuse Act 2021 s.1).
        statement_date: the first day the victim made a witness statement to police or a
            video-recorded interview for use as evidence in chief.
    """
    if statement_date is not None and statement_date < offence_date:
        raise RuleInputError(
            f"the statement date {statement_date.isoformat()} is before the offence date "
            f"{offence_date.isoformat()}"
        )
    if not offence.in_force_on(offence_date):
        window = f"from {offence.in_force_from}" if offence.in_force_from else ""
        if offence.in_force_to is not None:
            window = f"{window} to {offence.in_force_to}".strip()
        raise RuleInputError(
            f"{offence.code} ({offence.citation}) applies to conduct {window}; "
            f"an offence on {offence_date.isoformat()} cannot be charged as it"
        )
    committed = f"offence committed on {offence_date.isoformat()}"

    if offence.mode_of_trial is not ModeOfTrial.SUMMARY_ONLY:
        return _deadline(
            rules.no_limit,
            rules,
            due=None,
            started_by=committed,
            start=offence_date,
            detail=f"{offence.name} ({offence.citation}) is {offence.mode_of_trial.label}.",
        )

    s127 = rules.summary_only
    s127_due = add_months(offence_date, s127.months_from_offence)
    da = rules.domestic_assault
    why_not = ""
    if offence.code not in da.offences:
        if domestic_abuse or statement_date is not None:
            why_not = f"{da.id} covers only {', '.join(da.offences)}; "
    elif not domestic_abuse:
        if statement_date is not None:
            why_not = f"{da.id} needs the behaviour to be domestic abuse; statement date ignored; "
    elif statement_date is None:
        why_not = f"{da.id} needs a victim's witness statement or video-recorded interview; "
    elif offence_date < da.effective_from:
        why_not = f"{da.id} applies to offences on or after {da.effective_from.isoformat()}; "
    else:
        from_statement = add_months(statement_date, da.months_from_statement)
        cap = add_months(offence_date, da.months_from_offence_cap)
        if cap < from_statement:
            return _deadline(
                da,
                rules,
                due=cap,
                started_by=f"{committed} (cap of {da.months_from_offence_cap} months)",
                start=offence_date,
                detail=(
                    f"{da.months_from_statement} months from the statement on "
                    f"{statement_date.isoformat()} would end on {from_statement.isoformat()}, "
                    f"but {da.months_from_offence_cap} months from the offence ends first, "
                    f"on {cap.isoformat()}."
                ),
            )
        return _deadline(
            da,
            rules,
            due=from_statement,
            started_by=(
                "victim's witness statement or video-recorded interview on "
                f"{statement_date.isoformat()}"
            ),
            start=statement_date,
            detail=(
                f"{da.months_from_statement} months from the statement; within the "
                f"{da.months_from_offence_cap}-month cap from the offence ({cap.isoformat()})."
            ),
        )
    return _deadline(
        s127,
        rules,
        due=s127_due,
        started_by=committed,
        start=offence_date,
        detail=f"{why_not}{s127.months_from_offence} months from the offence.",
    )
