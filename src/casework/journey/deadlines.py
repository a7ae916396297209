"""Deadlines of cases: worked out from the rules when a case changes, listed when due.

Each case's deadlines are recomputed from scratch whenever one of its facts changes (an
offence, an event, a stage) and stored, so that "what is due in the next seven days across
every case" is one indexed query rather than a walk over every case. After a new version of
the rule data, ``recompute_all_deadlines`` brings the stored dates up to date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from casework.domain.case_deadlines import (
    CaseDeadline,
    DeadlineKind,
    DeadlineRules,
    derive_case_deadlines,
)
from casework.domain.cases import Case
from casework.domain.repositories import CaseStore, DueDeadline
from casework.domain.rules import RuleDataError, load_bail_rules, load_victims_code_rules
from casework.domain.rules.victims_code import london_date
from casework.errors import InvalidInput
from casework.journey.calendar import england_and_wales
from casework.journey.rules import BrokenRuleDataError, offence_catalogue, time_limit_rules

MAX_WITHIN = timedelta(days=3660)


def deadline_rules() -> DeadlineRules:
    """Return the packaged rule data and the England and Wales calendar."""
    try:
        return DeadlineRules(
            catalogue=offence_catalogue(),
            time_limits=time_limit_rules(),
            victims_code=load_victims_code_rules(),
            bail=load_bail_rules(),
            calendar=england_and_wales(),
        )
    except RuleDataError as error:
        raise BrokenRuleDataError(str(error)) from error


def today_in_london(now: datetime | None = None) -> date:
    """The calendar date in England and Wales (deadlines are counted in its days)."""
    return london_date(now or datetime.now(UTC))


def refresh_deadlines(
    *, store: CaseStore, case: Case, rules: DeadlineRules | None = None
) -> list[CaseDeadline]:
    """Work out ``case``'s deadlines from its facts and store them in place of the old ones.

    Recorded deadlines (CPS action plan, court dates, custody) are kept as they are: the
    services that own their records replace them (``replace_recorded_deadlines``).
    """
    events = store.events.for_case(case_id=case.id)
    deadlines = derive_case_deadlines(case, events, rules=rules or deadline_rules())
    kept = [d for d in store.deadlines.for_case(case_id=case.id) if d.kind.is_recorded]
    store.deadlines.replace_for_case(case=case, deadlines=[*deadlines, *kept])
    return deadlines


def replace_recorded_deadlines(
    *, store: CaseStore, case: Case, kind: DeadlineKind, deadlines: list[CaseDeadline]
) -> None:
    """Store ``deadlines`` as the case's recorded deadlines of ``kind``, keeping all others."""
    if not kind.is_recorded:
        raise ValueError(f"{kind.value} deadlines are derived from the case's facts, not recorded")
    others = [d for d in store.deadlines.for_case(case_id=case.id) if d.kind is not kind]
    store.deadlines.replace_for_case(case=case, deadlines=[*others, *deadlines])


def deadlines_due(
    *,
    store: CaseStore,
    within: timedelta = timedelta(days=7),
    today: date | None = None,
    force: str | None = None,
) -> list[DueDeadline]:
    """Return open deadlines that are overdue or fall due within ``within``, soonest first."""
    if within < timedelta(0):
        raise InvalidInput("the window must not be negative")
    if within > MAX_WITHIN:
        raise InvalidInput(f"the window is at most {MAX_WITHIN.days} days")
    day = today or today_in_london()
    return store.deadlines.due(until=day + timedelta(days=within.days), force=force)


def recompute_all_deadlines(*, store: CaseStore, force: str | None = None) -> int:
    """Recompute every case's deadlines (after the rule data changed); return how many cases."""
    rules = deadline_rules()
    references = store.cases.references(force=force)
    for reference in references:
        case = store.cases.get(reference=reference)
        if case is not None:
            refresh_deadlines(store=store, case=case, rules=rules)
    return len(references)
