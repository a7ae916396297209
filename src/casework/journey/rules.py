"""Services over the rule data: look up offences, compute time limits and working days.

They turn the domain's ``ValueError``s into ``InvalidInput`` so that every face reports
them the same way (CLI exit 2, API 422).
"""

from __future__ import annotations

from datetime import date, datetime

from casework.domain.rules import (
    Deadline,
    DetentionClock,
    Offence,
    OffenceCatalogue,
    RuleDataError,
    RuleInputError,
    TimeLimitRules,
    UnknownOffenceError,
    VictimEvent,
    detention_clock,
    load_offence_catalogue,
    load_pace_rules,
    load_time_limit_rules,
    load_victims_code_rules,
    statutory_time_limit,
    victims_code_deadline,
)
from casework.errors import CaseworkError, InvalidInput
from casework.journey.calendar import england_and_wales

LIST_OFFENCES_HINT = "run `casework rules offences` to see the valid codes"


class BrokenRuleDataError(CaseworkError):
    """The packaged rule data is broken: a fault of the installation, not of the user."""


def offence_catalogue() -> OffenceCatalogue:
    """Return the offence catalogue, checked against the rules that name its codes."""
    catalogue, _ = _checked_rules()
    return catalogue


def time_limit_rules() -> TimeLimitRules:
    """Return the time-limit rules, checked against the offence catalogue."""
    _, rules = _checked_rules()
    return rules


def _checked_rules() -> tuple[OffenceCatalogue, TimeLimitRules]:
    try:
        catalogue = load_offence_catalogue()
        rules = load_time_limit_rules()
    except RuleDataError as error:
        raise BrokenRuleDataError(str(error)) from error
    missing = rules.unknown_offences(catalogue)
    if missing:
        raise BrokenRuleDataError(
            f"time_limits.json: field domestic_assault.offences names codes missing from "
            f"offences.json: {', '.join(missing)}"
        )
    return catalogue, rules


def find_offence(code: str) -> Offence:
    """Return the offence with ``code``, or raise ``InvalidInput`` saying how to list codes."""
    try:
        return offence_catalogue().get(code)
    except UnknownOffenceError as error:
        raise InvalidInput(f"{error}; {LIST_OFFENCES_HINT}") from error


def time_limit(
    *,
    offence_code: str,
    offence_date: date,
    domestic_abuse: bool = False,
    statement_date: date | None = None,
) -> Deadline:
    """Return the last day on which proceedings for the offence may start, with its rule."""
    offence = find_offence(offence_code)
    try:
        return statutory_time_limit(
            offence,
            offence_date,
            rules=time_limit_rules(),
            domestic_abuse=domestic_abuse,
            statement_date=statement_date,
        )
    except RuleInputError as error:
        raise InvalidInput(str(error)) from error


def add_working_days(*, start: date, days: int) -> date:
    """Return the date ``days`` England and Wales working days after ``start``."""
    try:
        return england_and_wales().add(start, days)
    except RuleInputError as error:
        raise InvalidInput(str(error)) from error


def victim_notification_deadline(
    *, event: VictimEvent, event_date: date, enhanced_rights: bool
) -> Deadline:
    """Return when the victim must be told of ``event`` (or referred, for a new report).

    Domestic-abuse victims are entitled to Enhanced Rights; the caller says so.
    """
    try:
        return victims_code_deadline(
            event,
            event_date,
            enhanced_rights=enhanced_rights,
            rules=load_victims_code_rules(),
            calendar=england_and_wales(),
        )
    except RuleDataError as error:
        raise BrokenRuleDataError(str(error)) from error
    except RuleInputError as error:
        raise InvalidInput(str(error)) from error


def custody_clock(
    *, offence_code: str, relevant_time: datetime, detention_authorised: datetime | None = None
) -> DetentionClock:
    """Return the PACE detention limits and review times for a detained suspect."""
    offence = find_offence(offence_code)
    try:
        return detention_clock(
            relevant_time,
            offence,
            rules=load_pace_rules(),
            detention_authorised=detention_authorised,
        )
    except RuleDataError as error:
        raise BrokenRuleDataError(str(error)) from error
    except RuleInputError as error:
        raise InvalidInput(str(error)) from error
