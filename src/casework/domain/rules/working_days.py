"""Working-day arithmetic over an injected holiday calendar.

The domain stays free of third-party imports: the caller passes a function that says
whether a date is a public holiday (``journey.calendar`` supplies England and Wales bank
holidays from the maintained ``holidays`` package). Weekends are never working days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from casework.domain.rules.deadlines import RuleInputError

MAX_WORKING_DAYS = 10_000
"""About 40 years of working days: far beyond any rule, small enough to answer at once."""

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WorkingDayCalendar:
    """Working days of one jurisdiction: Monday to Friday, less its public holidays."""

    name: str
    is_holiday: Callable[[date], bool]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add(self, start: date, days: int) -> date:
        """Return the ``days``-th working day after ``start`` (before it when negative).

        ``start`` itself is never counted, whether or not it is a working day, so an event
        on a Saturday with a 1-working-day duty is due on the Monday (or the next working
        day after a bank holiday). ``add(start, 0)`` is ``start``.
        """
        if abs(days) > MAX_WORKING_DAYS:
            raise RuleInputError(
                f"{days} working days is out of range (at most {MAX_WORKING_DAYS} either way)"
            )
        step = _ONE_DAY if days > 0 else -_ONE_DAY
        day = start
        remaining = abs(days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count_between(self, start: date, end: date) -> int:
        """Count working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count
