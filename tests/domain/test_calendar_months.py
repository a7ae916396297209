"""Calendar-month counting: corresponding date, else the last day of the month."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.domain.rules.calendar_months import add_months, add_years


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 1), 6, date(2024, 7, 1)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # no 31 February: last day of the month
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2025, 2, 28), 6, date(2025, 8, 28)),  # corresponding date, not end of month
        (date(2024, 2, 29), 6, date(2024, 8, 29)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2025, 7, 15), 6, date(2026, 1, 15)),  # across the year end
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2024, 7, 1), -6, date(2024, 1, 1)),
        (date(2024, 1, 1), 0, date(2024, 1, 1)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_years_from_29_february() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(dates, st.integers(min_value=-240, max_value=240))
def test_lands_in_the_target_month(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    if start.day <= 28:
        assert result.day == start.day


@given(dates, st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_monotonic_in_months(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_months(start, low) <= add_months(start, high)
