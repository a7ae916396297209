"""Case services over real storage (SQLite and PostgreSQL), each test rolled back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from casework.domain.cases import CaseQuery, OffenceDetails, Role
from casework.domain.pole import (
    Confirmation,
    EventDetails,
    EventKind,
    EventSource,
    PersonDetails,
)
from casework.domain.stages import Agency, Stage
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import (
    add_party,
    advance,
    confirm_event,
    get_case,
    list_cases,
    open_case,
    record_event,
    record_offence,
)
from casework.journey.deadlines import deadlines_due, recompute_all_deadlines
from casework.store import SqlCaseStore
from tests.db import NOW, make_new_case


def _open(store: SqlCaseStore, **overrides: object) -> str:
    case = open_case(store=store, new=make_new_case(**overrides), actor="DC Khan", now=NOW)  # type: ignore[arg-type]
    return str(case.reference)


def test_open_case_gives_a_reference_and_starts_at_reported(store: SqlCaseStore) -> None:
    case = open_case(store=store, new=make_new_case(), actor="DC Khan", now=NOW)
    assert str(case.reference) == "WY-2026-000001"
    assert case.stage is Stage.REPORTED
    assert case.enhanced_rights  # domestic abuse gives Enhanced Rights
    file = get_case(store=store, reference="wy-2026-000001")
    assert file.case == case
    assert [p.role for p in file.case.parties] == [Role.VICTIM, Role.SUSPECT, Role.OFFICER_IN_CASE]
    assert file.case.history[0].reason == "case opened"
    assert file.case.history[0].at == NOW
    kinds = {(d.kind.value, d.about) for d in file.deadlines}
    assert kinds == {("time_limit", "common_assault"), ("victims_code", "crime_reported")}
    assert _open(store) == "WY-2026-000002"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"offences": (("common_asault", None),)}, "did you mean common_assault"),
        ({"offences": (("abh", None), ("abh", None))}, "more than once"),
        ({"offences": (("abh", date(2026, 12, 1)),)}, "in the future"),
        ({"offences": (("non_fatal_strangulation", date(2020, 1, 1)),)}, "not in force"),
        ({"reported_on": date(2027, 1, 1)}, "in the future"),
    ],
)
def test_open_case_refuses_bad_input(
    store: SqlCaseStore, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _open(store, **overrides)


def test_blank_actor_refused(store: SqlCaseStore) -> None:
    with pytest.raises(InvalidInput, match="actor"):
        open_case(store=store, new=make_new_case(), actor="  ", now=NOW)


def test_a_person_exists_once_across_cases(store: SqlCaseStore) -> None:
    first = _open(store)
    second = _open(store, victim="Mary JONES")
    one = get_case(store=store, reference=first).case
    two = get_case(store=store, reference=second).case
    # Same officer (a professional, matched by name in the force): one person.
    assert one.people(Role.OFFICER_IN_CASE) == two.people(Role.OFFICER_IN_CASE)
    # Same suspect name but no date of birth: never merged on a name alone.
    assert one.people(Role.SUSPECT)[0].id != two.people(Role.SUSPECT)[0].id
    # With a date of birth, the suspect is recognised and linked in a third case.
    born = date(1980, 5, 1)
    suspect = PersonDetails.from_full_name("Terry WILLIAMS", date_of_birth=born)
    add_party(store=store, reference=first, role=Role.WITNESS, person=suspect, actor="x", now=NOW)
    add_party(store=store, reference=second, role=Role.WITNESS, person=suspect, actor="x", now=NOW)
    a = get_case(store=store, reference=first).case.people(Role.WITNESS)[0]
    b = get_case(store=store, reference=second).case.people(Role.WITNESS)[0]
    assert a.id == b.id
    assert [str(r) for r, _ in store.persons.cases_of(person_id=a.id)] == [first, second]


def test_add_party_by_id_and_twice(store: SqlCaseStore) -> None:
    ref = _open(store)
    victim = get_case(store=store, reference=ref).case.people(Role.VICTIM)[0]
    other = _open(store, victim="Mary JONES")
    case = add_party(
        store=store, reference=other, role=Role.WITNESS, person=victim.id, actor="x", now=NOW
    )
    assert case.people(Role.WITNESS) == [victim]
    with pytest.raises(Conflict, match="already witness"):
        add_party(
            store=store, reference=other, role=Role.WITNESS, person=victim.id, actor="x", now=NOW
        )
    with pytest.raises(NotFound, match="no person"):
        add_party(
            store=store,
            reference=other,
            role=Role.WITNESS,
            person=UUID(int=1),
            actor="x",
            now=NOW,
        )


def test_record_offence_reworks_the_time_limit(store: SqlCaseStore) -> None:
    ref = _open(store, offences=())
    assert not [d for d in get_case(store=store, reference=ref).deadlines if d.kind == "time_limit"]
    case = record_offence(
        store=store,
        reference=ref,
        offence=OffenceDetails(code="battery", committed_on=date(2026, 2, 1)),
        actor="DC Khan",
        now=NOW,
    )
    assert [o.code for o in case.offences] == ["battery"]
    limits = [d for d in get_case(store=store, reference=ref).deadlines if d.kind == "time_limit"]
    assert [(d.about, d.due) for d in limits] == [("battery", date(2026, 8, 1))]
    with pytest.raises(Conflict, match="already has battery"):
        record_offence(
            store=store,
            reference=ref,
            offence=OffenceDetails(code="battery", committed_on=date(2026, 2, 1)),
            actor="x",
            now=NOW,
        )


def test_journey_of_a_domestic_abuse_case(store: SqlCaseStore) -> None:
    ref = _open(store)
    later = [NOW + timedelta(hours=h) for h in range(1, 10)]
    advance(
        store=store,
        reference=ref,
        to=Stage.INVESTIGATING,
        reason="OIC",
        actor="DS Lee",
        now=later[0],
    )
    with pytest.raises(Conflict, match="CPS for the charging decision"):
        advance(
            store=store, reference=ref, to=Stage.CHARGED, reason="charge", actor="PC", now=later[1]
        )
    advance(
        store=store, reference=ref, to=Stage.WITH_CPS, reason="MG3", actor="DC Khan", now=later[1]
    )
    case = advance(
        store=store,
        reference=ref,
        to=Stage.CHARGED,
        reason="FCT met",
        actor="DC Khan",
        now=later[2],
    )
    assert case.stage is Stage.CHARGED
    last = case.history[-1]
    assert (last.source, last.target, last.decided_by) == (
        Stage.WITH_CPS,
        Stage.CHARGED,
        Agency.CPS,
    )
    assert (last.actor, last.reason, last.at) == ("DC Khan", "FCT met", later[2])
    advance(
        store=store,
        reference=ref,
        to=Stage.AT_COURT,
        reason="first hearing",
        actor="x",
        now=later[3],
    )
    case = advance(
        store=store,
        reference=ref,
        to=Stage.CONVICTED,
        reason="guilty plea",
        actor="x",
        now=later[4],
    )
    assert [c.target for c in case.history] == [
        Stage.REPORTED,
        Stage.INVESTIGATING,
        Stage.WITH_CPS,
        Stage.CHARGED,
        Stage.AT_COURT,
        Stage.CONVICTED,
    ]
    deadlines = get_case(store=store, reference=ref).deadlines
    limit = next(d for d in deadlines if d.kind == "time_limit")
    assert limit.settled_by == "proceedings started: charged"
    assert any(d.about == "charged" and d.due is not None for d in deadlines)
    with pytest.raises(Conflict, match="cannot move"):
        advance(
            store=store, reference=ref, to=Stage.INVESTIGATING, reason="x", actor="x", now=later[5]
        )
    with pytest.raises(Conflict, match="has an outcome"):
        record_offence(
            store=store, reference=ref, offence=OffenceDetails(code="abh"), actor="x", now=later[5]
        )


def test_advance_errors(store: SqlCaseStore) -> None:
    ref = _open(store, domestic_abuse=False)
    with pytest.raises(Conflict, match="already at reported"):
        advance(store=store, reference=ref, to=Stage.REPORTED, reason="x", actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="reason"):
        advance(store=store, reference=ref, to=Stage.INVESTIGATING, reason=" ", actor="x", now=NOW)
    with pytest.raises(Conflict, match="cannot move to convicted"):
        advance(store=store, reference=ref, to=Stage.CONVICTED, reason="x", actor="x", now=NOW)
    with pytest.raises(NotFound, match="no case WY-2026-000099"):
        advance(store=store, reference="WY-2026-000099", to=Stage.CHARGED, reason="x", actor="x")
    with pytest.raises(InvalidInput, match="not a case reference"):
        get_case(store=store, reference="nonsense")
    advance(store=store, reference=ref, to=Stage.INVESTIGATING, reason="x", actor="x", now=NOW)
    advance(store=store, reference=ref, to=Stage.WITH_CPS, reason="x", actor="x", now=NOW)
    with pytest.raises(InvalidInput, match=r"say which agency .*\(cps or police\)"):
        advance(store=store, reference=ref, to=Stage.INVESTIGATING, reason="AP", actor="x", now=NOW)
    case = advance(
        store=store,
        reference=ref,
        to=Stage.INVESTIGATING,
        reason="action plan",
        actor="x",
        decided_by=Agency.CPS,
        now=NOW,
    )
    assert case.history[-1].decided_by is Agency.CPS


def test_police_charge_a_case_that_is_not_domestic_abuse(store: SqlCaseStore) -> None:
    ref = _open(store, domestic_abuse=False, offences=(("criminal_damage", date(2026, 2, 1)),))
    advance(store=store, reference=ref, to=Stage.INVESTIGATING, reason="x", actor="x", now=NOW)
    case = advance(store=store, reference=ref, to=Stage.CHARGED, reason="x", actor="x", now=NOW)
    assert case.history[-1].decided_by is Agency.POLICE


def test_events_start_and_meet_victims_code_duties(store: SqlCaseStore) -> None:
    ref = _open(store)
    arrest_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday
    record_event(
        store=store,
        reference=ref,
        details=EventDetails(kind=EventKind.ARREST, description="arrested", occurred_at=arrest_at),
        actor="PC",
        now=NOW,
    )
    duty = next(d for d in get_case(store=store, reference=ref).deadlines if d.about == "arrest")
    assert duty.due == date(2026, 3, 3) and duty.settled_on is None
    proposed = record_event(
        store=store,
        reference=ref,
        details=EventDetails(
            kind=EventKind.VICTIM_INFORMED,
            description="phoned the victim",
            occurred_at=arrest_at + timedelta(hours=3),
            source=EventSource.DOCUMENT,
            source_document="OEL entry 14",
        ),
        actor="PC",
        now=NOW,
    )
    assert proposed.status is Confirmation.PROPOSED
    duty = next(d for d in get_case(store=store, reference=ref).deadlines if d.about == "arrest")
    assert duty.settled_on is None  # a proposal is not yet a fact
    confirm_event(store=store, reference=ref, event_id=proposed.id, status=Confirmation.CONFIRMED)
    duty = next(d for d in get_case(store=store, reference=ref).deadlines if d.about == "arrest")
    assert duty.settled_on == date(2026, 3, 2)


def test_event_naming_unknown_person_refused(store: SqlCaseStore) -> None:
    ref = _open(store)
    with pytest.raises(InvalidInput, match="not recorded"):
        record_event(
            store=store,
            reference=ref,
            details=EventDetails(
                kind=EventKind.INCIDENT,
                description="x",
                occurred_at=NOW,
                person_ids=(uuid4(),),
            ),
            actor="x",
            now=NOW,
        )


def test_deadlines_due_across_cases(store: SqlCaseStore) -> None:
    first = _open(store)  # reported Sat 21 Feb 2026: referral due Tue 24 Feb
    second = _open(store, force="MPS", reported_on=date(2026, 3, 2))  # due Wed 4 Mar
    due = deadlines_due(store=store, within=timedelta(days=7), today=date(2026, 3, 2))
    assert [(str(d.reference), d.deadline.about, d.deadline.due) for d in due] == [
        (first, "crime_reported", date(2026, 2, 24)),
        (second, "crime_reported", date(2026, 3, 4)),
    ]
    assert due[0].deadline.is_overdue(date(2026, 3, 2))
    only_mps = deadlines_due(
        store=store, within=timedelta(days=7), today=date(2026, 3, 2), force="MPS"
    )
    assert [str(d.reference) for d in only_mps] == [second]
    wide = deadlines_due(store=store, within=timedelta(days=200), today=date(2026, 3, 2))
    assert {d.deadline.about for d in wide} == {"crime_reported", "common_assault"}
    with pytest.raises(InvalidInput, match="negative"):
        deadlines_due(store=store, within=timedelta(days=-1))
    assert recompute_all_deadlines(store=store) == 2


def test_list_cases_filters(store: SqlCaseStore) -> None:
    a = _open(store)
    b = _open(store, force="MPS", officer="Priya PATEL", offences=(("stalking", None),))
    advance(store=store, reference=b, to=Stage.INVESTIGATING, reason="x", actor="x", now=NOW)

    def refs(**filters: object) -> list[str]:
        return [str(c.reference) for c in list_cases(store=store, query=CaseQuery(**filters))]

    assert set(refs()) == {a, b}
    assert refs(stage=Stage.INVESTIGATING) == [b]
    assert refs(force="mps") == [b]
    assert refs(offence="stalking") == [b]
    assert refs(officer="AMY KHAN") == [a]
    with pytest.raises(InvalidInput, match="unknown offence"):
        refs(offence="stalkin")
