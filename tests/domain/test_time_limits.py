"""Time limits for starting proceedings, against the worked examples of justice.md."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.domain.rules import (
    RuleInputError,
    load_offence_catalogue,
    load_time_limit_rules,
    statutory_time_limit,
)
from casework.domain.rules.calendar_months import add_months

S127 = "mca1980_s127"
S39A = "cja1988_s39a"
NONE = "no_statutory_time_limit"


def limit(
    code: str, offence: date, *, da: bool = False, statement: date | None = None
) -> tuple[date | None, str]:
    deadline = statutory_time_limit(
        load_offence_catalogue().get(code),
        offence,
        rules=load_time_limit_rules(),
        domestic_abuse=da,
        statement_date=statement,
    )
    return deadline.due, deadline.rule_id


# justice.md, "Time limits for starting proceedings", worked examples.
@pytest.mark.parametrize(
    ("code", "offence", "da", "statement", "expected"),
    [
        # offence 2024-01-01, statement 2025-03-01 -> last day 2025-09-01
        ("common_assault", date(2024, 1, 1), True, date(2025, 3, 1), (date(2025, 9, 1), S39A)),
        # offence 2024-01-01, statement 2025-12-01 -> last day 2026-01-01 (2-year cap)
        ("common_assault", date(2024, 1, 1), True, date(2025, 12, 1), (date(2026, 1, 1), S39A)),
        ("battery", date(2024, 1, 1), True, date(2025, 3, 1), (date(2025, 9, 1), S39A)),
        ("battery", date(2024, 1, 1), True, date(2025, 12, 1), (date(2026, 1, 1), S39A)),
        # no statement/interview -> s.127 (6 months from offence)
        ("common_assault", date(2024, 1, 1), True, None, (date(2024, 7, 1), S127)),
        # not domestic abuse -> s.127, the statement does not matter
        ("common_assault", date(2024, 1, 1), False, date(2025, 3, 1), (date(2024, 7, 1), S127)),
        ("common_assault", date(2024, 1, 1), False, None, (date(2024, 7, 1), S127)),
    ],
)
def test_worked_examples(
    code: str, offence: date, da: bool, statement: date | None, expected: tuple[date, str]
) -> None:
    assert limit(code, offence, da=da, statement=statement) == expected


@pytest.mark.parametrize(
    ("code", "offence", "expected"),
    [
        ("common_assault", date(2024, 8, 31), date(2025, 2, 28)),
        ("harassment", date(2023, 8, 31), date(2024, 2, 29)),
        ("stalking", date(2024, 2, 29), date(2024, 8, 29)),
        ("battery", date(2025, 2, 28), date(2025, 8, 28)),
        ("sharing_intimate_image", date(2024, 3, 31), date(2024, 9, 30)),
    ],
)
def test_summary_only_six_calendar_months(code: str, offence: date, expected: date) -> None:
    assert limit(code, offence) == (expected, S127)


def test_two_year_cap_from_29_february() -> None:
    assert limit("battery", date(2024, 2, 29), da=True, statement=date(2025, 12, 1)) == (
        date(2026, 2, 28),
        S39A,
    )


def test_s39a_only_for_common_assault_and_battery() -> None:
    assert limit("harassment", date(2024, 1, 1), da=True, statement=date(2025, 3, 1)) == (
        date(2024, 7, 1),
        S127,
    )


def test_s39a_only_for_offences_from_commencement() -> None:
    before = limit("common_assault", date(2022, 6, 27), da=True, statement=date(2022, 12, 1))
    assert before == (date(2022, 12, 27), S127)
    on = limit("common_assault", date(2022, 6, 28), da=True, statement=date(2023, 1, 10))
    assert on == (date(2023, 7, 10), S39A)


@pytest.mark.parametrize(
    "code", ["abh", "gbh_s20", "gbh_s18", "coercive_control", "criminal_damage", "rape"]
)
def test_no_limit_for_either_way_and_indictable(code: str) -> None:
    deadline = statutory_time_limit(
        load_offence_catalogue().get(code), date(2024, 1, 1), rules=load_time_limit_rules()
    )
    assert deadline.due is None
    assert deadline.rule_id == NONE
    assert "no statutory time limit" in deadline.rule
    assert not deadline.is_overdue(date(2099, 1, 1))


def test_deadline_explains_itself() -> None:
    deadline = statutory_time_limit(
        load_offence_catalogue().get("common_assault"),
        date(2024, 1, 1),
        rules=load_time_limit_rules(),
        domestic_abuse=True,
        statement_date=date(2025, 12, 1),
    )
    assert "Criminal Justice Act 1988 s.39A" in deadline.source
    assert "2 years" in deadline.rule
    assert "2024-01-01" in deadline.started_by
    assert "2026-06-01" in deadline.detail
    assert deadline.rules_version == load_time_limit_rules().version
    assert deadline.is_overdue(date(2026, 1, 2))
    assert not deadline.is_overdue(date(2026, 1, 1))


def test_statement_before_offence_refused() -> None:
    with pytest.raises(RuleInputError, match="before the offence date"):
        limit("common_assault", date(2024, 2, 1), da=True, statement=date(2024, 1, 31))


def test_offence_not_in_force_refused() -> None:
    with pytest.raises(RuleInputError, match="from 2015-12-29"):
        limit("coercive_control", date(2015, 6, 1))
    with pytest.raises(RuleInputError, match="to 2024-01-30"):
        limit("disclosing_private_sexual_images", date(2024, 2, 1))


offence_dates = st.dates(min_value=date(2022, 6, 28), max_value=date(2100, 1, 1))


@given(offence_dates, st.integers(min_value=0, max_value=1500))
def test_s39a_never_shorter_than_s127_nor_past_two_years(offence: date, delay: int) -> None:
    statement = date.fromordinal(offence.toordinal() + delay)
    due, _ = limit("common_assault", offence, da=True, statement=statement)
    assert due is not None
    assert add_months(offence, 6) <= due <= add_months(offence, 24)
