"""England and Wales working days, with bank holidays from the maintained ``holidays`` package.

This lives in ``journey`` because ``holidays`` is a third-party import that ``domain`` may
not make; the pure arithmetic is ``domain.rules.working_days.WorkingDayCalendar``, which
receives the holiday test from here. England and Wales share one set of bank holidays
(``holidays`` subdivision ``ENG``), including one-off days such as 19 September 2022.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

from casework.domain.rules.working_days import WorkingDayCalendar

ENGLAND_AND_WALES = "England and Wales"


@cache
def _bank_holidays() -> holidays.HolidayBase:
    # expand=True (the default) fills in each year on first lookup.
    return holidays.country_holidays("GB", subdiv="ENG")


def is_bank_holiday(day: date) -> bool:
    """Whether ``day`` is an England and Wales bank holiday (including substitute days)."""
    return day in _bank_holidays()


def bank_holidays_in(year: int) -> list[date]:
    """Return the bank holidays of ``year`` that fall on weekdays, in order."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return sorted(d for d in days if d.weekday() < 5)


@cache
def england_and_wales() -> WorkingDayCalendar:
    """Return the working-day calendar of England and Wales."""
    return WorkingDayCalendar(name=ENGLAND_AND_WALES, is_holiday=is_bank_holiday)
