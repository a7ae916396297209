"""England and Wales working days, with bank holidays from the `holidays` package."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from casework.journey.calendar import bank_holidays_in, england_and_wales, is_bank_holiday

CAL = england_and_wales()


def test_2026_bank_holidays_match_justice_md() -> None:
    assert bank_holidays_in(2026) == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    ]


@pytest.mark.parametrize(
    "day",
    [
        date(2022, 6, 3),  # Platinum Jubilee
        date(2022, 9, 19),  # State funeral of Queen Elizabeth II
        date(2023, 5, 8),  # Coronation of King Charles III
        date(2022, 12, 27),  # Christmas Day substitute
    ],
)
def test_one_off_and_substitute_holidays(day: date) -> None:
    assert is_bank_holiday(day)
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 12, 24), 1, date(2025, 12, 29)),  # Christmas and Boxing Day, weekend
        (date(2025, 12, 24), 2, date(2025, 12, 30)),
        (date(2025, 12, 31), 1, date(2026, 1, 2)),  # New Year's Day
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Boxing Day substitute on 28th
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Good Friday and Easter Monday
        (date(2024, 3, 28), 1, date(2024, 4, 2)),  # Easter 2024
        (date(2026, 1, 3), 1, date(2026, 1, 5)),  # Saturday: not itself counted
        (date(2022, 9, 16), 1, date(2022, 9, 20)),  # state funeral
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # coronation
        (date(2025, 12, 22), 5, date(2025, 12, 31)),  # Victims' Code 5 working days
        (date(2026, 1, 2), -1, date(2025, 12, 31)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
    ],
)
def test_known_dates(start: date, days: int, expected: date) -> None:
    assert CAL.add(start, days) == expected


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=300)


@given(dates, st.integers(min_value=1, max_value=300))
def test_lands_on_a_working_day(start: date, days: int) -> None:
    assert CAL.is_working_day(CAL.add(start, days))
    assert CAL.is_working_day(CAL.add(start, -days))


@given(dates, counts, counts)
def test_monotonic(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add(start, low) <= CAL.add(start, high)
    if low < high:
        assert CAL.add(start, low) < CAL.add(start, high)


@given(dates, st.integers(-300, 300), st.integers(-300, 300))
def test_composes_from_a_working_day(start: date, n: int, m: int) -> None:
    assume(CAL.is_working_day(start))
    assert CAL.add(CAL.add(start, n), m) == CAL.add(start, n + m)


@given(dates, st.integers(min_value=1, max_value=300))
def test_round_trip_and_count(start: date, days: int) -> None:
    later = CAL.add(start, days)
    assert CAL.count_between(start, later) == days
    if CAL.is_working_day(start):
        assert CAL.add(later, -days) == start


@given(dates, st.integers(min_value=1, max_value=300))
def test_at_least_n_calendar_days(start: date, days: int) -> None:
    assert (CAL.add(start, days) - start).days >= days
