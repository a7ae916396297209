"""Working-day arithmetic over an injected holiday set (no third-party calendar needed)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.domain.rules import RuleInputError, WorkingDayCalendar

HOLIDAYS = {date(2030, 1, 1), date(2030, 1, 2)}  # a Tuesday and a Wednesday
CAL = WorkingDayCalendar(name="test", is_holiday=HOLIDAYS.__contains__)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2029, 12, 31), 1, date(2030, 1, 3)),  # Mon -> skips Tue, Wed holidays
        (date(2030, 1, 4), 1, date(2030, 1, 7)),  # Fri -> Mon
        (date(2030, 1, 5), 1, date(2030, 1, 7)),  # Sat: start not counted
        (date(2030, 1, 5), 0, date(2030, 1, 5)),
        (date(2030, 1, 3), -1, date(2029, 12, 31)),
        (date(2030, 1, 7), 5, date(2030, 1, 14)),
    ],
)
def test_add(start: date, days: int, expected: date) -> None:
    assert CAL.add(start, days) == expected


def test_no_holidays_is_monday_to_friday() -> None:
    plain = WorkingDayCalendar(name="plain", is_holiday=lambda _: False)
    assert [plain.is_working_day(date(2030, 1, d)) for d in range(7, 14)] == [True] * 5 + [
        False
    ] * 2


def test_out_of_range_refused() -> None:
    with pytest.raises(RuleInputError, match="out of range"):
        CAL.add(date(2030, 1, 1), 10_001)


holiday_sets = st.frozensets(
    st.dates(min_value=date(2029, 12, 1), max_value=date(2030, 3, 1)), max_size=20
)
starts = st.dates(min_value=date(2029, 12, 1), max_value=date(2030, 3, 1))


@given(holiday_sets, starts, st.integers(min_value=1, max_value=200))
def test_lands_on_a_working_day_and_counts_back(
    holidays: frozenset[date], start: date, days: int
) -> None:
    cal = WorkingDayCalendar(name="h", is_holiday=holidays.__contains__)
    result = cal.add(start, days)
    assert result > start
    assert cal.is_working_day(result)
    assert cal.count_between(start, result) == days
