"""Repositories store and read back domain models unchanged, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import text

from casework.domain.case_deadlines import CaseDeadline, DeadlineKind
from casework.domain.cases import (
    Case,
    CaseOffence,
    CaseParty,
    CaseQuery,
    CaseReference,
    Role,
)
from casework.domain.pole import (
    Confirmation,
    Event,
    EventKind,
    EventPhase,
    EventSource,
    Identifier,
    Location,
    ObjectKind,
    Person,
    PoleObject,
)
from casework.domain.repositories import ConcurrentChange
from casework.domain.stages import Agency, Stage, StageChange
from casework.store import SqlCaseStore
from tests.db import NOW


def _person(store: SqlCaseStore, name: str = "Jane SMITH", **extra: object) -> Person:
    given, family = name.rsplit(" ", 1)
    person = Person(force="WY", given_names=given, family_name=family, created_at=NOW, **extra)
    store.persons.add(person=person)
    return person


def _case(store: SqlCaseStore, *, force: str = "WY", da: bool = True, **extra: object) -> Case:
    reference = store.cases.next_reference(force=force, year=2026)
    victim = _person(store, "Jane SMITH")
    officer = _person(store, "Amy KHAN")
    case = Case(
        id=uuid4(),
        reference=reference,
        force=force,
        reported_on=date(2026, 2, 21),
        opened_at=NOW,
        domestic_abuse=da,
        restricted=False,
        enhanced_rights=da,
        stage=Stage.REPORTED,
        offences=(
            CaseOffence(
                code="common_assault",
                committed_on=date(2026, 2, 20),
                recorded_by="DC Khan",
                recorded_at=NOW,
            ),
        ),
        parties=(
            CaseParty(person=victim, role=Role.VICTIM, added_by="DC Khan", added_at=NOW),
            CaseParty(person=officer, role=Role.OFFICER_IN_CASE, added_by="DC Khan", added_at=NOW),
        ),
        history=(
            StageChange(
                source=None,
                target=Stage.REPORTED,
                decided_by=Agency.POLICE,
                actor="DC Khan",
                reason="case opened",
                at=NOW,
            ),
        ),
        **extra,
    )
    store.cases.add(case=case)
    return case


def test_references_count_up_per_force_and_year(store: SqlCaseStore) -> None:
    assert str(store.cases.next_reference(force="WY", year=2026)) == "WY-2026-000001"
    assert str(store.cases.next_reference(force="WY", year=2026)) == "WY-2026-000002"
    assert str(store.cases.next_reference(force="MPS", year=2026)) == "MPS-2026-000001"
    assert str(store.cases.next_reference(force="WY", year=2027)) == "WY-2027-000001"


def test_case_round_trip(store: SqlCaseStore) -> None:
    case = _case(store)
    assert store.cases.get(reference=case.reference) == case


def test_unknown_case_is_none(store: SqlCaseStore) -> None:
    assert store.cases.get(reference=CaseReference("WY", 2026, 99)) is None


def test_times_come_back_aware_and_equal(store: SqlCaseStore) -> None:
    bst = timezone(timedelta(hours=1))
    moment = datetime(2026, 7, 1, 0, 30, tzinfo=bst)
    case = _case(store)
    store.cases.add_offence(
        case=case,
        offence=CaseOffence(
            code="abh", committed_on=None, recorded_by="DC Khan", recorded_at=moment
        ),
    )
    store.session.expire_all()
    loaded = store.cases.get(reference=case.reference)
    assert loaded is not None
    recorded = loaded.offences[-1].recorded_at
    assert recorded.tzinfo is not None
    assert recorded == moment


def test_naive_datetimes_are_refused(store: SqlCaseStore) -> None:
    case = _case(store)
    offence = CaseOffence.model_construct(
        id=uuid4(),
        code="abh",
        committed_on=None,
        recorded_by="x",
        recorded_at=datetime(2026, 1, 1, 12, 0),  # naive, bypassing validation on purpose
    )
    with pytest.raises(Exception, match="naive"):
        store.cases.add_offence(case=case, offence=offence)


def test_stage_change_is_guarded_by_the_current_stage(store: SqlCaseStore) -> None:
    case = _case(store)
    change = StageChange(
        source=Stage.REPORTED,
        target=Stage.INVESTIGATING,
        decided_by=Agency.POLICE,
        actor="DS Lee",
        reason="assigned",
        at=NOW,
    )
    store.cases.record_stage_change(case=case, change=change)
    loaded = store.cases.get(reference=case.reference)
    assert loaded is not None
    assert loaded.stage is Stage.INVESTIGATING
    assert [c.target for c in loaded.history] == [Stage.REPORTED, Stage.INVESTIGATING]
    # A second writer still holding the old case (at reported) must not move it again.
    with pytest.raises(ConcurrentChange, match="no longer at reported"):
        store.cases.record_stage_change(case=case, change=change.model_copy(update={"id": uuid4()}))


def test_same_person_twice_in_one_role_is_refused(store: SqlCaseStore) -> None:
    case = _case(store)
    victim = case.people(Role.VICTIM)[0]
    with pytest.raises(ConcurrentChange, match="already victim"):
        store.cases.add_party(
            case=case, person_id=victim.id, role=Role.VICTIM, added_by="x", added_at=NOW
        )


def test_person_find_and_cases_of(store: SqlCaseStore) -> None:
    born = date(1990, 5, 1)
    person = _person(store, "Zoë O'BRIEN", date_of_birth=born)
    assert store.persons.find(force="WY", name_key="zoe o'brien", date_of_birth=born) == [person]
    assert store.persons.find(force="WY", name_key="zoe o'brien", date_of_birth=None) == [person]
    assert store.persons.find(force="NY", name_key="zoe o'brien", date_of_birth=None) == []
    assert (
        store.persons.find(force="WY", name_key="zoe o'brien", date_of_birth=date(1990, 5, 2)) == []
    )
    first = _case(store)
    second = _case(store)
    for case in (first, second):
        store.cases.add_party(
            case=case, person_id=person.id, role=Role.WITNESS, added_by="x", added_at=NOW
        )
    assert store.persons.cases_of(person_id=person.id) == [
        (first.reference, Role.WITNESS),
        (second.reference, Role.WITNESS),
    ]


def test_search_filters(store: SqlCaseStore) -> None:
    wy = _case(store)
    mps = _case(store, force="MPS", da=False)
    store.cases.add_offence(
        case=mps,
        offence=CaseOffence(code="stalking", recorded_by="x", recorded_at=NOW),
    )

    def refs(**filters: object) -> list[str]:
        return [str(s.reference) for s in store.cases.search(query=CaseQuery(**filters))]

    assert set(refs()) == {str(wy.reference), str(mps.reference)}
    assert refs(force="MPS") == [str(mps.reference)]
    assert refs(offence="stalking") == [str(mps.reference)]
    assert refs(stage=Stage.INVESTIGATING) == []
    assert set(refs(officer="amy  khan")) == {str(wy.reference), str(mps.reference)}
    assert refs(officer="Someone ELSE") == []
    summary = store.cases.search(query=CaseQuery(force="WY"))[0]
    assert summary.officers == ("Amy KHAN",)
    assert summary.offences == ("common_assault",)
    assert len(store.cases.search(query=CaseQuery(limit=1))) == 1


def test_events_round_trip_with_people_objects_and_place(store: SqlCaseStore) -> None:
    case = _case(store)
    suspect = _person(store, "Terry WILLIAMS")
    phone = PoleObject(
        force="WY",
        kind=ObjectKind.PHONE,
        description="Victim's phone",
        identifiers=(Identifier(scheme="IMEI", value="35-209900-176148-1"),),
    )
    car = PoleObject(
        force="WY",
        kind=ObjectKind.VEHICLE,
        description="Blue Ford Fiesta",
        identifiers=(Identifier(scheme="VRM", value="AB12 CDE"),),
    )
    store.objects.add(item=phone)
    store.objects.add(item=car)
    home = Location(force="WY", description="Victim's home", postcode="LS1 4AP")
    store.locations.add(location=home)
    event = Event(
        case_id=case.id,
        force="WY",
        kind=EventKind.INCIDENT,
        description="Suspect took the victim's phone",
        occurred_at=NOW - timedelta(days=3),
        phase=EventPhase.DURING,
        location_id=home.id,
        person_ids=(suspect.id,),
        object_ids=(phone.id, car.id),
        source=EventSource.DOCUMENT,
        source_document="MG11 Jane SMITH p.2",
        status=Confirmation.PROPOSED,
        recorded_by="DC Khan",
        recorded_at=NOW,
    )
    store.events.add(event=event)
    assert store.events.for_case(case_id=case.id) == [event]
    store.events.set_status(event_id=event.id, status=Confirmation.CONFIRMED)
    confirmed = store.events.get(event_id=event.id)
    assert confirmed is not None and confirmed.status is Confirmation.CONFIRMED
    assert store.objects.find_by_identifier(scheme="VRM", value="ab12cde") == [car]
    assert store.locations.get(location_id=home.id) == home


def _deadline(due: date | None, *, settled: date | None = None, about: str = "x") -> CaseDeadline:
    return CaseDeadline(
        kind=DeadlineKind.VICTIMS_CODE,
        about=about,
        due=due,
        rule_id="r",
        rule="rule",
        source="src",
        started_by="s",
        start=date(2026, 1, 1),
        settled_on=settled,
    )


def test_due_lists_open_deadlines_soonest_first(store: SqlCaseStore) -> None:
    wy = _case(store)
    mps = _case(store, force="MPS")
    store.deadlines.replace_for_case(
        case=wy,
        deadlines=[
            _deadline(date(2026, 3, 10), about="later"),
            _deadline(date(2026, 3, 1), about="overdue"),
            _deadline(date(2026, 3, 1), settled=date(2026, 2, 28), about="met"),
            _deadline(None, about="no limit"),
            _deadline(date(2026, 5, 1), about="far"),
        ],
    )
    store.deadlines.replace_for_case(case=mps, deadlines=[_deadline(date(2026, 3, 5), about="mps")])
    due = store.deadlines.due(until=date(2026, 3, 10))
    assert [(d.deadline.about, str(d.reference)) for d in due] == [
        ("overdue", str(wy.reference)),
        ("mps", str(mps.reference)),
        ("later", str(wy.reference)),
    ]
    assert [
        d.deadline.about for d in store.deadlines.due(until=date(2026, 3, 10), force="MPS")
    ] == ["mps"]
    # Replacing keeps only the new set, in order.
    store.deadlines.replace_for_case(case=wy, deadlines=[_deadline(date(2026, 3, 2), about="new")])
    assert [d.about for d in store.deadlines.for_case(case_id=wy.id)] == ["new"]


def test_due_query_uses_the_partial_index(store: SqlCaseStore) -> None:
    dialect = store.session.get_bind().dialect.name
    sql = (
        "SELECT id FROM case_deadlines WHERE settled_on IS NULL AND due IS NOT NULL "
        "AND due <= '2026-03-10' ORDER BY due"
    )
    if dialect == "sqlite":
        plan = " ".join(str(r) for r in store.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "ix_case_deadlines_open_due" in plan
    else:
        store.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(str(r) for r in store.session.execute(text(f"EXPLAIN {sql}")))
        assert "ix_case_deadlines_open_due" in plan


def test_force_is_on_every_row_written(store: SqlCaseStore) -> None:
    case = _case(store, force="MPS")
    store.deadlines.replace_for_case(case=case, deadlines=[_deadline(date(2026, 3, 5))])
    for table in ("case_offences", "case_parties", "stage_changes", "case_deadlines"):
        forces = store.session.execute(
            text(f"SELECT DISTINCT force FROM {table} WHERE case_id = :id"),
            {
                "id": case.id
                if store.session.get_bind().dialect.name == "postgresql"
                else case.id.hex
            },
        ).scalars()
        assert list(forces) == ["MPS"], table


def test_aware_times_from_other_zones_are_stored_as_the_same_instant(store: SqlCaseStore) -> None:
    case = _case(store)
    change = StageChange(
        source=Stage.REPORTED,
        target=Stage.INVESTIGATING,
        decided_by=Agency.POLICE,
        actor="x",
        reason="y",
        at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    )
    store.cases.record_stage_change(case=case, change=change)
    loaded = store.cases.get(reference=case.reference)
    assert loaded is not None
    assert loaded.history[-1].at == change.at
