"""Victims' Code deadlines on the England and Wales calendar."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from casework.domain.rules import (
    RuleDataError,
    RuleInputError,
    VictimEvent,
    VictimsCodeRules,
    load_victims_code_rules,
    london_date,
)
from casework.domain.rules.data import parse_rule_data
from casework.journey.rules import victim_notification_deadline


@pytest.mark.parametrize(
    ("event", "day", "enhanced", "expected", "rule_id"),
    [
        (VictimEvent.ARREST, date(2026, 4, 2), True, date(2026, 4, 7), "vc_right6_enhanced"),
        (VictimEvent.ARREST, date(2026, 4, 2), False, date(2026, 4, 13), "vc_right6_standard"),
        (VictimEvent.BAILED, date(2025, 12, 24), True, date(2025, 12, 29), "vc_right6_enhanced"),
        (
            VictimEvent.RELEASED_UNDER_INVESTIGATION,
            date(2025, 12, 22),
            False,
            date(2025, 12, 31),
            "vc_right6_standard",
        ),
        (
            VictimEvent.CHARGED,
            date(2026, 5, 1),
            True,
            date(2026, 5, 5),
            "vc_right6_decision_enhanced",
        ),
        (
            VictimEvent.NO_CHARGE_DECISION,
            date(2026, 5, 1),
            False,
            date(2026, 5, 11),
            "vc_right6_decision_standard",
        ),
        # Referral to support: 2 working days, whoever the victim is.
        (
            VictimEvent.CRIME_REPORTED,
            date(2026, 12, 24),
            True,
            date(2026, 12, 30),
            "vc_right4_referral",
        ),
        (
            VictimEvent.CRIME_REPORTED,
            date(2026, 1, 3),
            False,
            date(2026, 1, 6),
            "vc_right4_referral",
        ),
    ],
)
def test_deadlines(
    event: VictimEvent, day: date, enhanced: bool, expected: date, rule_id: str
) -> None:
    deadline = victim_notification_deadline(event=event, event_date=day, enhanced_rights=enhanced)
    assert (deadline.due, deadline.rule_id) == (expected, rule_id)
    assert "Victims' Code" in deadline.source
    assert deadline.started_by == f"{event.words} on {day.isoformat()}"


def test_every_event_has_a_rule_for_every_victim() -> None:
    rules = load_victims_code_rules()
    for event in VictimEvent:
        for enhanced in (True, False):
            assert rules.rule_for(event, enhanced_rights=enhanced) is not None


def test_overlapping_rules_refused() -> None:
    raw = json.loads(load_victims_code_rules().model_dump_json())
    raw["rules"].append(dict(raw["rules"][0], id="duplicate"))
    with pytest.raises(RuleDataError, match="all apply to arrest"):
        parse_rule_data(json.dumps(raw), VictimsCodeRules, name="victims_code.json")


def test_london_date_of_an_aware_moment() -> None:
    # 23:30 UTC on 30 June is 00:30 BST on 1 July.
    assert london_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert london_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)
    with pytest.raises(RuleInputError, match="no time zone"):
        london_date(datetime(2026, 1, 1, 12, 0))
