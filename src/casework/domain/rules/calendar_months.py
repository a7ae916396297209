"""Calendar-month arithmetic as the law counts it.

"Month" in an Act means a calendar month (Interpretation Act 1978 Sch.1). A period of N
months from a day ends on the corresponding date N months later (Dodds v Walker [1981]
1 WLR 1027, HL); when that month has no corresponding date (31 August + 6 months) the
period ends on the last day of that month. The corresponding date is used even when the
start is the last day of a short month: 28 February + 6 months is 28 August, not 31.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """Return the corresponding date ``months`` calendar months after ``start``.

    Falls back to the last day of the target month when it is shorter than ``start``'s day.
    Negative ``months`` count backwards the same way.
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def add_years(start: date, years: int) -> date:
    """Return the corresponding date ``years`` years after ``start`` (29 February -> 28th)."""
    return add_months(start, 12 * years)


def end_of_months_beginning_with(start: date, months: int) -> date:
    """Return the last day of a period of ``months`` months "beginning with" ``start``.

    The start day counts, so the period ends the day before the corresponding date; when
    the target month has no corresponding date, it ends on that month's last day (3 months
    beginning with 30 November end on 28 or 29 February).
    """
    corresponding = add_months(start, months)
    if corresponding.day < start.day:
        return corresponding
    return corresponding - timedelta(days=1)
