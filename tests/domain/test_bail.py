"""Pre-charge bail periods: 3, 6, 9 and 12 months beginning with the bail start date."""

from __future__ import annotations

from datetime import date

from casework.domain.rules import bail_period_ends, load_bail_rules


def test_periods_from_1_january() -> None:
    ends = bail_period_ends(date(2026, 1, 1), rules=load_bail_rules())
    assert [(d.rule_id, d.due) for d in ends] == [
        ("pace_s47zb_initial", date(2026, 3, 31)),
        ("pace_s47zd_inspector", date(2026, 6, 30)),
        ("pace_s47zda_superintendent", date(2026, 9, 30)),
        ("pace_s47zf_court", date(2026, 12, 31)),
    ]
    assert "superintendent" in ends[2].detail


def test_period_from_30_november_ends_in_february() -> None:
    ends = bail_period_ends(date(2025, 11, 30), rules=load_bail_rules())
    assert ends[0].due == date(2026, 2, 28)  # no 30 February: the month's last day
    assert bail_period_ends(date(2023, 11, 30), rules=load_bail_rules())[0].due == date(2024, 2, 29)
    assert bail_period_ends(date(2026, 1, 31), rules=load_bail_rules())[0].due == date(2026, 4, 30)
    assert bail_period_ends(date(2026, 1, 28), rules=load_bail_rules())[0].due == date(2026, 4, 27)
