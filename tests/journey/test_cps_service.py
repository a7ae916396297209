"""CPS services over real storage (SQLite and PostgreSQL), each test rolled back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework.domain.cases import Role
from casework.domain.cps import (
    ChargingDecisionDetails,
    ChargingOutcome,
    ChargingTest,
    HearingStatus,
)
from casework.domain.stages import Agency, Stage
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import advance, get_case, open_case
from casework.journey.cps import (
    close_hearing,
    cps_file,
    list_hearing,
    record_charging_decision,
    record_custody,
    release_from_custody,
    respond_to_action,
    set_action,
)
from casework.journey.deadlines import deadlines_due
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.repositories import SqlCaseStore
from tests.db import NOW, make_new_case

LONDON = ZoneInfo("Europe/London")
CHARGE = ChargingDecisionDetails(
    test=ChargingTest.FULL_CODE,
    charges=("common_assault",),
    reasons="999 call and body-worn video: realistic prospect; public interest met",
)


@pytest.fixture
def journey(store: SqlCaseStore) -> SqlJourneyStore:
    return SqlJourneyStore(store.session)


def _with_cps(store: SqlJourneyStore, **overrides: object) -> str:
    new = make_new_case(**overrides)  # type: ignore[arg-type]
    ref = str(open_case(store=store, new=new, actor="DC Khan", now=NOW).reference)
    for stage in (Stage.INVESTIGATING, Stage.WITH_CPS):
        advance(store=store, reference=ref, to=stage, reason="file", actor="DC Khan", now=NOW)
    return ref


def test_decision_to_charge_moves_the_case_through_advance(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey)
    result = record_charging_decision(
        store=journey, reference=ref, details=CHARGE, prosecutor="Sam PATEL", now=NOW
    )
    assert result.case.stage is Stage.CHARGED
    change = result.case.history[-1]
    assert (change.source, change.decided_by, change.actor) == (
        Stage.WITH_CPS,
        Agency.CPS,
        "Sam PATEL",
    )
    assert "Full Code Test (common_assault)" in change.reason
    assert [p.full_name for p in result.case.people(Role.CPS_PROSECUTOR)] == ["Sam PATEL"]
    file = cps_file(store=journey, reference=ref)
    assert file.decision == result.decision
    assert file.decision is not None and file.decision.charges == ("common_assault",)
    # the charge met the time limit and started the Victims' Code duty to tell the victim
    deadlines = get_case(store=journey, reference=ref).deadlines
    assert any(d.about == "charged" for d in deadlines)


def test_decision_only_on_a_file_with_the_cps(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey)
    advance(
        store=journey,
        reference=ref,
        to=Stage.INVESTIGATING,
        reason="more work",
        actor="x",
        decided_by=Agency.CPS,
        now=NOW,
    )
    with pytest.raises(Conflict, match="a charging decision is made on a file sent to the CPS"):
        record_charging_decision(
            store=journey, reference=ref, details=CHARGE, prosecutor="Sam PATEL", now=NOW
        )
    assert cps_file(store=journey, reference=ref).decisions == ()


@pytest.mark.parametrize(
    ("outcome", "test", "stage"),
    [
        (ChargingOutcome.NO_FURTHER_ACTION, ChargingTest.FULL_CODE, Stage.NO_FURTHER_ACTION),
        (ChargingOutcome.FURTHER_INVESTIGATION, None, Stage.INVESTIGATING),
        (ChargingOutcome.OUT_OF_COURT_RESOLUTION, None, Stage.OUT_OF_COURT_RESOLUTION),
    ],
)
def test_other_decisions(
    journey: SqlJourneyStore, outcome: ChargingOutcome, test: ChargingTest | None, stage: Stage
) -> None:
    ref = _with_cps(journey)
    details = ChargingDecisionDetails(outcome=outcome, test=test, reasons="evidential stage")
    result = record_charging_decision(
        store=journey, reference=ref, details=details, prosecutor="Sam PATEL", now=NOW
    )
    assert result.case.stage is stage


def test_unknown_charge_is_refused(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey)
    details = CHARGE.model_copy(update={"charges": ("common_asault",)})
    with pytest.raises(InvalidInput, match="common_assault"):
        record_charging_decision(
            store=journey, reference=ref, details=details, prosecutor="Sam PATEL", now=NOW
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"charges": ("abh",), "reasons": "x"}, "which test"),
        ({"test": "full_code", "reasons": "x"}, "at least one charge"),
        ({"outcome": "no_further_action", "reasons": "x"}, "which test was not met"),
        (
            {"outcome": "no_further_action", "test": "threshold", "reasons": "x"},
            "Threshold Test is only",
        ),
        ({"test": "full_code", "charges": ("abh",), "reasons": ""}, "at least 1 character"),
    ],
)
def test_decision_details_validated(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ChargingDecisionDetails.model_validate(data)


def test_action_plan_items_are_deadlines_answered_item_by_item(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey)
    first = set_action(
        store=journey,
        reference=ref,
        action="Obtain the 999 call recording",
        due_on=date(2026, 3, 6),
        prosecutor="Sam PATEL",
        now=NOW,
    )
    second = set_action(
        store=journey,
        reference=ref,
        action="Statement from the neighbour at no. 12",
        due_on=date(2026, 3, 20),
        prosecutor="Sam PATEL",
        now=NOW,
    )
    assert (first.number, second.number) == (1, 2)
    due = deadlines_due(store=journey, within=timedelta(days=7), today=date(2026, 3, 2))
    actions = [d.deadline for d in due if d.deadline.kind == "cps_action"]
    assert [a.about for a in actions] == ["action 1: Obtain the 999 call recording"]
    assert "Director's Guidance on Charging" in actions[0].source
    # a later change to the case keeps the recorded deadlines
    advance(
        store=journey,
        reference=ref,
        to=Stage.INVESTIGATING,
        reason="action plan",
        actor="x",
        decided_by=Agency.CPS,
        now=NOW,
    )
    answered = respond_to_action(
        store=journey,
        reference=ref,
        number=1,
        response="Recording obtained, exhibit AK/1",
        actor="DC Khan",
        now=NOW + timedelta(days=1),
    )
    assert answered.responded and answered.responded_by == "DC Khan"
    deadlines = get_case(store=journey, reference=ref).deadlines
    by_about = {d.about: d for d in deadlines if d.kind == "cps_action"}
    assert by_about["action 1: Obtain the 999 call recording"].settled_by == "responded by DC Khan"
    assert by_about["action 2: Statement from the neighbour at no. 12"].is_open
    with pytest.raises(Conflict, match="was answered by DC Khan"):
        respond_to_action(store=journey, reference=ref, number=1, response="x", actor="x", now=NOW)
    with pytest.raises(NotFound, match=r"no action plan item 9 \(items: 1, 2\)"):
        respond_to_action(store=journey, reference=ref, number=9, response="x", actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="in the past"):
        set_action(
            store=journey,
            reference=ref,
            action="x",
            due_on=date(2026, 3, 1),
            prosecutor="Sam PATEL",
            now=NOW,
        )
    file = cps_file(store=journey, reference=ref)
    assert [a.response for a in file.actions] == ["Recording obtained, exhibit AK/1", ""]


def test_court_dates_are_deadlines_until_held(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey)
    record_charging_decision(
        store=journey, reference=ref, details=CHARGE, prosecutor="Sam PATEL", now=NOW
    )
    hearing = list_hearing(
        store=journey,
        reference=ref,
        hearing="first hearing",
        on=date(2026, 3, 5),
        court="Leeds Magistrates' Court",
        actor="Witness Care",
        now=NOW,
    )
    due = deadlines_due(store=journey, within=timedelta(days=7), today=date(2026, 3, 2))
    assert [d.deadline.about for d in due if d.deadline.kind == "court"] == [
        "hearing 1: first hearing at Leeds Magistrates' Court"
    ]
    closed = close_hearing(
        store=journey, reference=ref, number=hearing.number, status=HearingStatus.HELD, now=NOW
    )
    assert closed.status is HearingStatus.HELD
    due = deadlines_due(store=journey, within=timedelta(days=7), today=date(2026, 3, 2))
    assert not [d for d in due if d.deadline.kind == "court"]
    with pytest.raises(Conflict, match="already held"):
        close_hearing(store=journey, reference=ref, number=1, status=HearingStatus.VACATED)
    with pytest.raises(NotFound, match="no hearing 4"):
        close_hearing(store=journey, reference=ref, number=4, status=HearingStatus.VACATED)


def test_custody_clock_with_the_case_deadlines(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey, offences=(("common_assault", date(2026, 2, 20)), ("abh", None)))
    detained = datetime(2026, 3, 1, 22, 0, tzinfo=LONDON)
    clock = record_custody(
        store=journey, reference=ref, relevant_time=detained, actor="Sgt Bell", now=NOW
    )
    assert clock.record.offence_code == "abh"  # the indictable one decides extensions
    assert clock.record.suspect_id is not None
    assert clock.clock.limit.due_at == datetime(2026, 3, 2, 22, 0, tzinfo=LONDON)
    assert clock.clock.warrant_limit is not None
    deadlines = [d for d in get_case(store=journey, reference=ref).deadlines if d.kind == "custody"]
    assert [d.about for d in deadlines] == [
        "detention limit at 2026-03-02 22:00",
        "detention review 1 at 2026-03-02 04:00",
        "detention review 2 at 2026-03-02 13:00",
    ]
    assert "superintendent may extend to 2026-03-03 10:00" in deadlines[0].detail
    with pytest.raises(Conflict, match="already has a suspect in custody"):
        record_custody(store=journey, reference=ref, relevant_time=detained, actor="x", now=NOW)
    released = release_from_custody(
        store=journey,
        reference=ref,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=LONDON),
        note="bailed",
        now=NOW,
    )
    assert not released.record.in_custody
    deadlines = [d for d in get_case(store=journey, reference=ref).deadlines if d.kind == "custody"]
    assert {d.settled_by for d in deadlines} == {"released: bailed"}
    with pytest.raises(Conflict, match="no suspect in custody"):
        release_from_custody(store=journey, reference=ref, at=NOW, now=NOW)


def test_custody_refusals(journey: SqlJourneyStore) -> None:
    ref = _with_cps(journey, offences=())
    with pytest.raises(InvalidInput, match="no offence recorded"):
        record_custody(store=journey, reference=ref, relevant_time=NOW, actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="in the future"):
        record_custody(
            store=journey,
            reference=ref,
            relevant_time=NOW + timedelta(hours=2),
            offence_code="abh",
            actor="x",
            now=NOW,
        )
    summary_only = record_custody(
        store=journey, reference=ref, relevant_time=NOW, offence_code="common_assault", actor="x"
    )
    assert summary_only.clock.superintendent_limit is None
