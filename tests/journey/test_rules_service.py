"""journey.rules: domain errors become InvalidInput; broken data is not the user's fault."""

from __future__ import annotations

from datetime import date

import pytest

from casework.domain.rules import load_time_limit_rules
from casework.errors import InvalidInput
from casework.journey import rules
from casework.journey.rules import BrokenRuleDataError


def test_time_limit_service() -> None:
    deadline = rules.time_limit(
        offence_code="common_assault",
        offence_date=date(2024, 1, 1),
        domestic_abuse=True,
        statement_date=date(2025, 3, 1),
    )
    assert deadline.due == date(2025, 9, 1)
    assert deadline.rule_id == "cja1988_s39a"


def test_unknown_offence_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="casework rules offences") as caught:
        rules.find_offence("assault")
    assert caught.value.exit_code == 2


def test_rule_input_error_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="before the offence date"):
        rules.time_limit(
            offence_code="battery",
            offence_date=date(2024, 1, 2),
            domestic_abuse=True,
            statement_date=date(2024, 1, 1),
        )


def test_working_days_service() -> None:
    assert rules.add_working_days(start=date(2025, 12, 24), days=1) == date(2025, 12, 29)
    with pytest.raises(InvalidInput, match="out of range"):
        rules.add_working_days(start=date(2025, 12, 24), days=-20_000)


def test_rules_naming_a_missing_offence_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = load_time_limit_rules()
    broken = real.model_copy(
        update={
            "domestic_assault": real.domestic_assault.model_copy(
                update={"offences": ("common_assault", "batery")}
            )
        }
    )
    monkeypatch.setattr(rules, "load_time_limit_rules", lambda: broken)
    with pytest.raises(BrokenRuleDataError, match=r"domestic_assault\.offences .* batery"):
        rules.offence_catalogue()
    assert BrokenRuleDataError("x").exit_code == 1
