"""The register's services on SQLite and PostgreSQL: what they keep, what they refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from casework.demo.dogs import PLANTED, load_demo_dogs
from casework.errors import Conflict, InvalidInput, NotFound
from casework.registers import service
from casework.registers.dashboard import unit_dashboard
from casework.registers.dogs import (
    DeploymentOutcome,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Qualification,
    RetirementDecision,
    WelfareKind,
)
from casework.registers.figures import Period, national_figures
from casework.registers.ports import RecordKind
from casework.registers.rules import RuleId
from casework.store.dog_models import SqlDogStore

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _dog(register: SqlDogStore, **changes: object) -> str:
    values: dict[str, object] = {
        "force": "WY",
        "name": "Bracken",
        "breed": "German Shepherd",
        "sex": DogSex.MALE,
        "born_on": date(2021, 5, 1),
        "microchip": "826098100000001",
        "source": DogSource.BREEDING,
        "roles": [DogRole.GENERAL_PURPOSE, DogRole.SEARCH_DRUGS],
        "acquired_on": date(2022, 5, 1),
        "handler_number": "4101",
        "actor": "sgt",
        "now": NOW,
        "today": TODAY,
        **changes,
    }
    return service.register_dog(register, **values).reference  # type: ignore[arg-type]


@pytest.fixture
def unit(register: SqlDogStore) -> SqlDogStore:
    service.add_handler(
        register,
        force="WY",
        number="4101",
        name="PC Ellie MARSH",
        now=NOW,
        qualifications=[Qualification(role=DogRole.GENERAL_PURPOSE, qualified_on=date(2022, 1, 5))],
    )
    service.add_handler(register, force="WY", number="4102", name="PC Tom BRIGGS", now=NOW)
    service.add_handler(register, force="GMP", number="7201", name="PC Ravi DESAI", now=NOW)
    return register


def test_a_dog_is_registered_with_a_reference_history_and_first_review(unit: SqlDogStore) -> None:
    first = _dog(unit)
    second = _dog(unit, name="Juno", microchip="826098100000002")
    other = _dog(unit, force="GMP", microchip="826098100000001", handler_number="7201")
    assert (first, second, other) == ("WY-DOG-0001", "WY-DOG-0002", "GMP-DOG-0001")
    file = service.dog_file(unit, reference="wy-dog-0001", force="WY")
    assert file.dog.status is DogStatus.IN_TRAINING
    assert file.dog.retirement_review_due_on == date(2029, 5, 1)
    assert [(s.handler_number, s.from_on, s.to_on) for s in file.handlers] == [
        ("4101", date(2022, 5, 1), None)
    ]
    [handler] = [h for h in service.list_handlers(unit, force="WY") if h.number == "4101"]
    assert handler.qualifications[0].role is DogRole.GENERAL_PURPOSE


def test_another_forces_dog_is_not_found(unit: SqlDogStore) -> None:
    _dog(unit, force="GMP", handler_number="7201")
    with pytest.raises(NotFound, match="no dog GMP-DOG-0001"):
        service.dog_file(unit, reference="GMP-DOG-0001", force="WY")
    assert service.list_dogs(unit, force="WY") == []
    assert len(service.list_dogs(unit, force=None)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"microchip": "12345"}, "microchip: '12345' is not a 15-digit code"),
        ({"roles": []}, "roles: give at least one role"),
        ({"born_on": date(2026, 4, 1)}, "born_on: 2026-04-01 is in the future"),
        ({"acquired_on": date(2020, 1, 1)}, "acquired_on: before the dog was born"),
        ({"name": "  "}, "name: must not be blank"),
        ({"status": DogStatus.RETIRED}, "status: a dog is retired with its own record"),
    ],
)
def test_bad_dogs_are_refused_by_field(
    unit: SqlDogStore, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _dog(unit, **changes)
    assert unit.rows(RecordKind.DOG) == []


def test_the_same_microchip_twice_in_a_force_is_a_conflict(unit: SqlDogStore) -> None:
    _dog(unit)
    with pytest.raises(Conflict, match="microchip 826098100000001 is already on the WY"):
        _dog(unit, name="Copy")


def test_an_unknown_handler_is_not_found(unit: SqlDogStore) -> None:
    with pytest.raises(NotFound, match="no handler 9999"):
        _dog(unit, handler_number="9999")


def test_a_passed_licence_licenses_the_dog_for_a_year(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    lic = service.record_licence(
        unit,
        reference=ref,
        force="WY",
        role=DogRole.GENERAL_PURPOSE,
        assessed_on=date(2026, 2, 1),
        passed=True,
        assessor="Insp HARGREAVES",
        today=TODAY,
    )
    assert (lic.handler_number, lic.expires_on) == ("4101", date(2027, 1, 31))
    assert service.find_dog(unit, reference=ref, force="WY").status is DogStatus.LICENSED


def test_a_licence_in_a_role_the_dog_lacks_is_refused(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    with pytest.raises(InvalidInput, match="role: WY-DOG-0001 is not trained for cash search"):
        service.record_licence(
            unit,
            reference=ref,
            force="WY",
            role=DogRole.SEARCH_CASH,
            assessed_on=TODAY,
            passed=True,
            assessor="x",
            today=TODAY,
        )


def test_a_bite_needs_injury_details_and_counts_as_force(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    kwargs: dict[str, object] = {
        "reference": ref,
        "force": "WY",
        "at": NOW - timedelta(hours=3),
        "incident": "burglary, LS6",
        "role": DogRole.GENERAL_PURPOSE,
        "outcome": DeploymentOutcome.ARREST,
        "arrests": 1,
        "bite": True,
        "actor": "PC MARSH",
        "now": NOW,
    }
    with pytest.raises(InvalidInput, match="injury: a bite needs the injury details"):
        service.record_deployment(unit, **kwargs)  # type: ignore[arg-type]
    made = service.record_deployment(unit, **{**kwargs, "injury": "forearm puncture"})  # type: ignore[arg-type]
    assert made.use_of_force and made.bite and made.handler_number == "4101"


def test_a_concern_needs_notes_and_a_check_needs_a_past_day(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    with pytest.raises(InvalidInput, match="notes: say what the concern is"):
        service.record_welfare(
            unit, reference=ref, force="WY", on=TODAY, kind=WelfareKind.VET, by="vet",
            concern=True, today=TODAY,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="on: 2026-03-03 is in the future"):
        service.record_welfare(
            unit, reference=ref, force="WY", on=date(2026, 3, 3), kind=WelfareKind.DAILY,
            by="PC MARSH", today=TODAY,
        )  # fmt: skip


def test_a_new_handler_ends_the_last_ones_time_with_the_dog(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    service.assign_handler(
        unit, reference=ref, force="WY", handler_number="4102", from_on=date(2026, 1, 1),
        today=TODAY,
    )  # fmt: skip
    file = service.dog_file(unit, reference=ref, force="WY")
    assert file.dog.handler_number == "4102"
    assert [(s.handler_number, s.to_on) for s in file.handlers] == [
        ("4101", date(2026, 1, 1)),
        ("4102", None),
    ]


def test_a_review_sets_the_next_and_retirement_is_final(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    reviewed = service.review_retirement(
        unit, reference=ref, force="WY", on=TODAY, decision=RetirementDecision.CONTINUE,
        today=TODAY,
    )  # fmt: skip
    assert reviewed.retirement_review_due_on == date(2027, 3, 2)
    service.retire(
        unit, reference=ref, force="WY", on=TODAY, reason="age", rehomed_with="handler",
        rehomed_on=TODAY, today=TODAY,
    )  # fmt: skip
    file = service.dog_file(unit, reference=ref, force="WY")
    assert file.dog.status is DogStatus.RETIRED and file.dog.handler_number is None
    assert file.handlers[-1].to_on == TODAY
    with pytest.raises(Conflict, match="is final"):
        service.set_status(unit, reference=ref, force="WY", status=DogStatus.LICENSED)
    with pytest.raises(Conflict, match="cannot be deployed"):
        service.record_deployment(
            unit, reference=ref, force="WY", at=NOW, incident="x",
            role=DogRole.GENERAL_PURPOSE, outcome=DeploymentOutcome.STOOD_DOWN,
            actor="x", now=NOW,
        )  # fmt: skip


def test_a_malformed_reference_is_invalid_input(unit: SqlDogStore) -> None:
    with pytest.raises(InvalidInput, match="is not a dog reference"):
        service.find_dog(unit, reference="WY-2026-000001", force="WY")


def test_the_demo_unit_breaks_exactly_the_planted_rules(register: SqlDogStore) -> None:
    report = load_demo_dogs(register, now=NOW, today=TODAY)
    assert len(report.added) == 9
    found = service.compliance(register, force=None, today=TODAY)
    assert [(f.dog_name, f.rule) for f in found] == list(PLANTED)
    assert [f.dog_reference for f in found] == [
        "GMP-DOG-0001",
        "WY-DOG-0003",
        "WY-DOG-0003",
        "WY-DOG-0004",
        "WY-DOG-0005",
    ]
    welfare = next(f for f in found if f.rule is RuleId.WELFARE_CHECK_MISSED)
    assert welfare.reason.endswith("2026-02-26, 2026-02-27")
    again = load_demo_dogs(register, now=NOW, today=TODAY)
    assert (again.added, again.skipped, again.handlers) == ([], 9, 0)


def test_the_dashboard_and_figures_of_the_demo_unit(register: SqlDogStore) -> None:
    load_demo_dogs(register, now=NOW, today=TODAY)
    board = unit_dashboard(register, force="WY", today=TODAY)
    assert board.by_status == {"in_training": 1, "licensed": 6, "suspended": 0, "retired": 1}
    assert (board.in_unit, board.checked_yesterday, board.handlers) == (7, 7, 5)
    assert board.findings_by_rule == {
        "licence_overdue": 1,
        "welfare_check_missed": 1,
        "unlicensed_deployment": 1,
        "retirement_review_overdue": 1,
    }
    recent = board.recent
    assert (recent.deployments, recent.finds, recent.arrests, recent.bites) == (5, 3, 3, 1)
    rows = national_figures(
        register, start=date(2026, 2, 1), end=date(2026, 3, 1), period=Period.MONTH
    )
    assert [(r.force, r.start, r.deployments, r.finds, r.arrests) for r in rows] == [
        ("WY", date(2026, 2, 1), 5, 3, 3),
        ("WY", date(2026, 3, 1), 0, 0, 0),
    ]


def test_figures_refuse_a_span_outside_plausible_years(register: SqlDogStore) -> None:
    with pytest.raises(InvalidInput, match="start: 9999-12-01 is outside 1900-2199"):
        national_figures(register, start=date(9999, 12, 1), end=date(9999, 12, 31))


def test_a_deployment_in_year_one_is_refused(unit: SqlDogStore) -> None:
    ref = _dog(unit)
    with pytest.raises(InvalidInput, match="at: 0001-01-01T00:00:00\\+00:00 is too long ago"):
        service.record_deployment(
            unit, reference=ref, force="WY", at=datetime(1, 1, 1, tzinfo=UTC), incident="x",
            role=DogRole.GENERAL_PURPOSE, outcome=DeploymentOutcome.STOOD_DOWN,
            actor="x", now=NOW,
        )  # fmt: skip
