"""The PACE detention clock: limits from the relevant time and the review schedule.

Hours are elapsed hours: the arithmetic is done in UTC and shown in Europe/London, so a
24-hour limit that spans the spring clock change ends at 25 hours of wall-clock time.
(Adding a ``timedelta`` to a ``ZoneInfo`` datetime would move the wall clock instead.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from pydantic import Field

from casework.domain.rules.data import RuleFile, load_rule_data
from casework.domain.rules.deadlines import Rule, RuleInputError
from casework.domain.rules.offences import ModeOfTrial, Offence

PACE_FILE = "pace_detention.json"
LONDON = ZoneInfo("Europe/London")


class HoursRule(Rule):
    hours: int = Field(gt=0)


class ReviewRule(Rule):
    first_after_hours: int = Field(gt=0)
    interval_hours: int = Field(gt=0)


class PaceRules(RuleFile):
    """Detention limits and review intervals."""

    detention_limit: HoursRule
    superintendent_extension: HoursRule
    warrant_limit: HoursRule
    reviews: ReviewRule


@cache
def load_pace_rules() -> PaceRules:
    """Load the packaged PACE detention rules once."""
    return load_rule_data(PACE_FILE, PaceRules)


@dataclass(frozen=True, slots=True)
class TimedDeadline:
    """A moment (Europe/London) by which something must happen, with its rule."""

    due_at: datetime
    rule_id: str
    rule: str
    source: str
    started_by: str


@dataclass(frozen=True, slots=True)
class DetentionClock:
    """The limits on one detention and when it must be reviewed.

    ``superintendent_limit`` and ``warrant_limit`` are None for a summary-only offence
    (ss.42 and 43 need an indictable offence); ``reviews`` run up to the latest limit that
    may apply, so that none is missed if detention is extended. Each review time assumes
    the one before was held at its latest; a review held earlier brings the next forward.
    """

    relevant_time: datetime
    limit: TimedDeadline
    superintendent_limit: TimedDeadline | None
    warrant_limit: TimedDeadline | None
    reviews: tuple[TimedDeadline, ...]


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleInputError(f"{what} {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)


def _after(start_utc: datetime, hours: int) -> datetime:
    return (start_utc + timedelta(hours=hours)).astimezone(LONDON)


def detention_clock(
    relevant_time: datetime,
    offence: Offence,
    *,
    rules: PaceRules,
    detention_authorised: datetime | None = None,
) -> DetentionClock:
    """Return the detention limits and review times for a person in custody.

    Args:
        relevant_time: arrival at the station after arrest, or 24 hours after arrest,
            whichever is earlier (s.41(2)); aware.
        offence: the most serious offence the person is detained for.
        rules: the PACE rules in force.
        detention_authorised: when the custody officer first authorised detention; the
            review clock runs from it (s.40(3)); defaults to ``relevant_time``.
    """
    start = _aware(relevant_time, "relevant time")
    authorised = _aware(detention_authorised or relevant_time, "detention authorised")
    if authorised < start - timedelta(hours=24):
        raise RuleInputError("detention was authorised more than 24 hours before the relevant time")
    shown = start.astimezone(LONDON).isoformat(timespec="minutes")

    def timed(rule: Rule, hours: int) -> TimedDeadline:
        return TimedDeadline(
            due_at=_after(start, hours),
            rule_id=rule.id,
            rule=rule.text,
            source=rule.source,
            started_by=f"relevant time {shown}",
        )

    indictable = offence.mode_of_trial is not ModeOfTrial.SUMMARY_ONLY
    ext = rules.superintendent_extension
    limit = timed(rules.detention_limit, rules.detention_limit.hours)
    warrant = timed(rules.warrant_limit, rules.warrant_limit.hours) if indictable else None
    latest = warrant.due_at if warrant is not None else limit.due_at
    review = rules.reviews
    reviews: list[TimedDeadline] = []
    hours = review.first_after_hours
    authorised_shown = authorised.astimezone(LONDON).isoformat(timespec="minutes")
    while authorised + timedelta(hours=hours) < latest:
        reviews.append(
            TimedDeadline(
                due_at=_after(authorised, hours),
                rule_id=review.id,
                rule=review.text,
                source=review.source,
                started_by=f"detention first authorised {authorised_shown}",
            )
        )
        hours += review.interval_hours
    return DetentionClock(
        relevant_time=start.astimezone(LONDON),
        limit=limit,
        superintendent_limit=timed(ext, ext.hours) if indictable else None,
        warrant_limit=warrant,
        reviews=tuple(reviews),
    )
