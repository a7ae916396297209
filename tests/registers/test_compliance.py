"""Each compliance rule: what breaks it, and the near-misses that must not."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from importlib import resources

import pytest

from casework.registers.compliance import (
    DogFinding,
    RegisterRecords,
    check_register,
    licence_expiry,
)
from casework.registers.dogs import (
    Deployment,
    Dog,
    DogRole,
    DogStatus,
    Licence,
    WelfareCheck,
    WelfareKind,
)
from casework.registers.rules import (
    RuleId,
    RuleSetError,
    add_months,
    dog_rules,
    parse_rule_set,
)
from tests.registers.factories import (
    TODAY,
    daily_checks,
    make_deployment,
    make_dog,
    make_licence,
)

RULES = dog_rules()


def findings(
    dogs: Sequence[Dog],
    licences: Sequence[Licence] = (),
    welfare: list[WelfareCheck] | None = None,
    deployments: Sequence[Deployment] = (),
) -> list[DogFinding]:
    """Findings on TODAY; every dog gets a full week of daily checks unless ``welfare`` given."""
    checks = (
        welfare
        if welfare is not None
        else [c for dog in dogs for c in daily_checks(dog, range(1, 8))]
    )
    records = RegisterRecords(
        dogs=list(dogs), licences=list(licences), welfare=checks, deployments=list(deployments)
    )
    return check_register(records, today=TODAY, rules=RULES)


def rules_of(found: list[DogFinding]) -> list[RuleId]:
    return [f.rule for f in found]


# The rule set ------------------------------------------------------------------------------


def test_every_rule_has_a_source_and_says_what_is_unverified() -> None:
    assert {r.id for r in RULES.rules} == set(RuleId)
    for rule in RULES.rules:
        assert "Police Dog Standard" in rule.source
        assert rule.verified is False
    licence = RULES.rule(RuleId.LICENCE_OVERDUE)
    welfare = RULES.rule(RuleId.WELFARE_CHECK_MISSED)
    assert "to verify" in licence.notes and "annual" in licence.notes.lower()
    assert "to verify" in welfare.notes and "daily" in welfare.notes.lower()


def test_a_rule_set_missing_a_rule_is_refused() -> None:
    text = resources.files("casework.registers.data").joinpath("dog_standard.json").read_text()
    data = json.loads(text)
    data["rules"] = data["rules"][1:]
    with pytest.raises(RuleSetError, match="missing: licence_overdue"):
        parse_rule_set(json.dumps(data))


def test_a_rule_without_a_source_is_refused() -> None:
    text = resources.files("casework.registers.data").joinpath("dog_standard.json").read_text()
    data = json.loads(text)
    data["rules"][0]["source"] = ""
    with pytest.raises(RuleSetError, match="source"):
        parse_rule_set(json.dumps(data))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
    ],
)
def test_add_months_keeps_to_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_licence_runs_twelve_months_by_default() -> None:
    assert licence_expiry(date(2026, 3, 2), RULES) == date(2027, 3, 1)


def test_a_compliant_dog_has_no_finding() -> None:
    dog = make_dog()
    assert findings([dog], [make_licence(dog)], deployments=[make_deployment(dog, 3)]) == []


# licence_overdue ---------------------------------------------------------------------------


def test_an_expired_licence_is_overdue_from_the_next_day() -> None:
    dog = make_dog()
    lic = make_licence(dog, expires_on=TODAY - timedelta(days=1))
    [finding] = findings([dog], [lic])
    assert finding.rule is RuleId.LICENCE_OVERDUE
    assert finding.on == TODAY
    assert "general purpose licence expired on 2026-03-01" in finding.reason
    assert finding.rule_set_version == RULES.version
    assert finding.source.startswith("NPCC Police Dog Standard")


def test_a_licence_expiring_today_is_not_yet_overdue() -> None:
    dog = make_dog()
    assert findings([dog], [make_licence(dog, expires_on=TODAY)]) == []


def test_a_licensed_dog_without_any_licence_is_flagged() -> None:
    dog = make_dog()
    [finding] = findings([dog])
    assert finding.reason == "no passed licence for general purpose"


def test_each_role_needs_its_own_licence() -> None:
    dog = make_dog(roles=(DogRole.GENERAL_PURPOSE, DogRole.SEARCH_DRUGS))
    found = findings([dog], [make_licence(dog)])
    assert [f.reason for f in found] == ["no passed licence for drugs search"]


def test_a_failed_assessment_does_not_renew_a_licence() -> None:
    dog = make_dog()
    old = make_licence(dog, assessed_on=date(2025, 1, 1), expires_on=date(2025, 12, 31))
    failed = make_licence(dog, assessed_on=date(2026, 1, 1), passed=False)
    assert rules_of(findings([dog], [old, failed])) == [RuleId.LICENCE_OVERDUE]


@pytest.mark.parametrize("status", [DogStatus.IN_TRAINING, DogStatus.RETIRED])
def test_dogs_in_training_or_retired_need_no_licence(status: DogStatus) -> None:
    dog = make_dog(status=status, retired_on=TODAY - timedelta(days=30))
    assert RuleId.LICENCE_OVERDUE not in rules_of(findings([dog], welfare=[]))


# welfare_check_missed ----------------------------------------------------------------------


def test_missed_daily_checks_are_listed_by_day() -> None:
    dog = make_dog()
    checks = daily_checks(dog, range(1, 8), skip=(3, 4))
    [finding] = findings([dog], [make_licence(dog)], welfare=checks)
    assert finding.rule is RuleId.WELFARE_CHECK_MISSED
    assert finding.on == TODAY - timedelta(days=4)
    assert finding.reason == (
        "no daily welfare check on 2 days of the last 7: 2026-02-26, 2026-02-27"
    )


def test_a_vet_check_does_not_stand_in_for_the_daily_check() -> None:
    dog = make_dog()
    checks = daily_checks(dog, range(1, 8), skip=(2,))
    vet = checks[0].model_copy(update={"on": TODAY - timedelta(days=2), "kind": WelfareKind.VET})
    found = findings([dog], [make_licence(dog)], welfare=[*checks, vet])
    assert rules_of(found) == [RuleId.WELFARE_CHECK_MISSED]


def test_today_and_days_outside_the_lookback_are_not_counted() -> None:
    dog = make_dog()
    checks = daily_checks(dog, range(1, 8))  # none today, none 8+ days ago
    assert findings([dog], [make_licence(dog)], welfare=checks) == []


def test_days_before_the_dog_joined_are_not_counted() -> None:
    dog = make_dog(status=DogStatus.IN_TRAINING, acquired_on=TODAY - timedelta(days=2))
    assert findings([dog], welfare=daily_checks(dog, range(1, 3))) == []


def test_a_retired_dog_needs_no_checks_after_retirement() -> None:
    retired = TODAY - timedelta(days=30)
    dog = make_dog(status=DogStatus.RETIRED, retired_on=retired)
    assert findings([dog], welfare=[]) == []


def test_a_dog_retired_three_days_ago_missed_checks_before() -> None:
    dog = make_dog(status=DogStatus.RETIRED, retired_on=TODAY - timedelta(days=3))
    [finding] = findings([dog], welfare=daily_checks(dog, range(3, 8), skip=(5,)))
    assert finding.reason.endswith("2026-02-25")


# unlicensed_deployment ---------------------------------------------------------------------


def test_a_deployment_after_the_licence_expired_is_flagged() -> None:
    dog = make_dog()
    lic = make_licence(
        dog, assessed_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=36)
    )
    found = findings([dog], [lic], deployments=[make_deployment(dog, 5)])
    assert rules_of(found) == [RuleId.LICENCE_OVERDUE, RuleId.UNLICENSED_DEPLOYMENT]
    assert found[1].on == TODAY - timedelta(days=5)
    assert "with handler 4101, a team not licensed" in found[1].reason


def test_a_deployment_with_another_handler_is_unlicensed() -> None:
    dog = make_dog()
    found = findings(
        [dog], [make_licence(dog)], deployments=[make_deployment(dog, 2, handler_number="4102")]
    )
    assert rules_of(found) == [RuleId.UNLICENSED_DEPLOYMENT]


def test_a_deployment_in_a_role_not_licensed_is_unlicensed() -> None:
    dog = make_dog(roles=(DogRole.GENERAL_PURPOSE, DogRole.SEARCH_DRUGS))
    licences = [make_licence(dog), make_licence(dog, role=DogRole.SEARCH_DRUGS, passed=False)]
    deployment = make_deployment(dog, 2, role=DogRole.SEARCH_DRUGS)
    found = findings([dog], licences, deployments=[deployment])
    assert RuleId.UNLICENSED_DEPLOYMENT in rules_of(found)


def test_a_deployment_on_the_last_day_of_the_licence_is_licensed() -> None:
    dog = make_dog()
    lic = make_licence(dog, expires_on=TODAY - timedelta(days=2))
    found = findings([dog], [lic], deployments=[make_deployment(dog, 2)])
    assert rules_of(found) == [RuleId.LICENCE_OVERDUE]


def test_a_deployment_before_the_assessment_is_unlicensed() -> None:
    dog = make_dog()
    lic = make_licence(dog, assessed_on=TODAY - timedelta(days=1))
    found = findings([dog], [lic], deployments=[make_deployment(dog, 2)])
    assert rules_of(found) == [RuleId.UNLICENSED_DEPLOYMENT]


# retirement_review_overdue -----------------------------------------------------------------


def test_a_review_due_yesterday_is_overdue() -> None:
    dog = make_dog(born_on=date(2017, 3, 1), retirement_review_due_on=TODAY - timedelta(days=1))
    [finding] = findings([dog], [make_licence(dog)])
    assert finding.rule is RuleId.RETIREMENT_REVIEW_OVERDUE
    assert finding.reason == "retirement review was due on 2026-03-01 (aged 9)"


def test_a_review_due_today_is_not_yet_overdue() -> None:
    dog = make_dog(retirement_review_due_on=TODAY)
    assert findings([dog], [make_licence(dog)]) == []


def test_a_retired_dog_needs_no_review() -> None:
    dog = make_dog(
        status=DogStatus.RETIRED,
        retired_on=TODAY - timedelta(days=20),
        retirement_review_due_on=TODAY - timedelta(days=400),
    )
    assert findings([dog], welfare=[]) == []


def test_findings_are_ordered_by_force_dog_then_rule() -> None:
    older = make_dog(retirement_review_due_on=TODAY - timedelta(days=1))
    other = make_dog(reference="GMP-DOG-0001", force="GMP", name="Nell")
    found = findings([older, other], [make_licence(older)])
    assert [(f.dog_reference, f.rule) for f in found] == [
        ("GMP-DOG-0001", RuleId.LICENCE_OVERDUE),
        ("WY-DOG-0001", RuleId.RETIREMENT_REVIEW_OVERDUE),
    ]
