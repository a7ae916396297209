"""Metrics over stored cases (SQLite and PostgreSQL): known medians and p90s, filters, shapes.

The cases are built through the services with chosen dates, so every number is known:
charges after 10, 30 and 50 days (median 30, p90 46), outcomes after 40, 100 and 200 days
(median 100, p90 180), two withdrawals (at investigating and at charged).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.orm import Session

from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.journey_facts import FactsQuery
from casework.domain.pole import PersonDetails
from casework.domain.stages import Agency, Stage
from casework.domain.victim import WithdrawalReason
from casework.errors import InvalidInput
from casework.journey.case_metrics import case_metrics, metrics_query, record_of
from casework.journey.cases import advance, open_case
from casework.journey.metrics import DurationStats
from casework.journey.victim import withdraw_support
from casework.store import SqlCaseStore
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.metrics_queries import SqlJourneyFactsRepository

CHARGE_ROAD = (Stage.INVESTIGATING, Stage.WITH_CPS, Stage.CHARGED)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def _open(store: SqlJourneyStore, force: str, reported: date, *offences: str) -> str:
    new = NewCase(
        force=force,
        reported_on=reported,
        offences=tuple(OffenceDetails(code=c, committed_on=reported) for c in offences),
        domestic_abuse=True,
        parties=(
            (Role.VICTIM, PersonDetails(given_names="Vee", family_name=f"Victim-{reported}")),
            (Role.OFFICER_IN_CASE, PersonDetails(given_names="Oh", family_name="Officer")),
        ),
    )
    return str(open_case(store=store, new=new, actor="DC Test", now=_at(reported)).reference)


def _move(store: SqlJourneyStore, reference: str, day: date, *stages: Stage) -> None:
    for stage in stages:
        decided = Agency.CPS if stage is Stage.CHARGED else Agency.POLICE
        if stage in (Stage.AT_COURT, Stage.CONVICTED, Stage.ACQUITTED):
            decided = Agency.COURT
        advance(
            store=store,
            reference=reference,
            to=stage,
            reason="test",
            actor="tester",
            decided_by=decided,
            now=_at(day),
        )


def _withdraw(store: SqlJourneyStore, reference: str, day: date) -> None:
    withdraw_support(
        store=store,
        reference=reference,
        reasons=[WithdrawalReason.FEAR_OF_SUSPECT],
        actor="tester",
        now=_at(day),
    )


def build_known_cases(store: SqlJourneyStore) -> list[str]:
    """Five cases in WY and GMP, January to March 2025, with known durations."""
    d = date
    a = _open(store, "WY", d(2025, 1, 10), "common_assault")
    _move(store, a, d(2025, 1, 20), *CHARGE_ROAD)  # charged after 10 days
    _move(store, a, d(2025, 2, 1), Stage.AT_COURT)
    _move(store, a, d(2025, 4, 20), Stage.CONVICTED)  # outcome after 100 days
    b = _open(store, "WY", d(2025, 1, 15), "abh", "coercive_control")
    _move(store, b, d(2025, 2, 14), *CHARGE_ROAD)  # 30 days
    _move(store, b, d(2025, 3, 1), Stage.AT_COURT)
    _move(store, b, d(2025, 8, 3), Stage.ACQUITTED)  # 200 days
    c = _open(store, "GMP", d(2025, 2, 1), "common_assault")
    _move(store, c, d(2025, 2, 2), Stage.INVESTIGATING)
    _withdraw(store, c, d(2025, 2, 20))
    _move(store, c, d(2025, 3, 13), Stage.NO_FURTHER_ACTION)  # 40 days
    e = _open(store, "GMP", d(2025, 2, 10), "coercive_control")
    _move(store, e, d(2025, 4, 1), *CHARGE_ROAD)  # 50 days, no outcome yet
    _withdraw(store, e, d(2025, 4, 10))
    f = _open(store, "WY", d(2025, 3, 5), "abh")
    _move(store, f, d(2025, 3, 6), Stage.INVESTIGATING)
    return [a, b, c, e, f]


@pytest.fixture
def journey_store(store: SqlCaseStore) -> SqlJourneyStore:
    return SqlJourneyStore(store.session)


def _facts(session: Session) -> SqlJourneyFactsRepository:
    return SqlJourneyFactsRepository(session)


def test_facts_of_stored_cases(journey_store: SqlJourneyStore) -> None:
    refs = build_known_cases(journey_store)
    facts = list(_facts(journey_store.session).facts(query=FactsQuery()))
    assert [f.reference for f in facts] == refs  # by report date
    first = facts[0]
    assert first.force == "WY" and first.stage is Stage.CONVICTED
    assert first.first_charged_at == _at(date(2025, 1, 20))
    assert first.stage_since == _at(date(2025, 4, 20))
    assert facts[1].offences == ("abh", "coercive_control")
    assert [f.withdrawal_stage for f in facts] == [None, None, "investigating", "charged", None]
    record = record_of(facts[2])
    assert record.outcome == "no_further_action" and record.outcome_on == date(2025, 3, 13)
    assert record_of(facts[3]).outcome is None  # charged, not yet ended


def test_metrics_with_known_medians_and_p90(journey_store: SqlJourneyStore) -> None:
    build_known_cases(journey_store)
    overall = case_metrics(facts=_facts(journey_store.session), query=FactsQuery()).overall
    assert overall.cases == 5
    assert overall.charged == 3 and overall.charge_rate == pytest.approx(0.6)
    assert overall.report_to_charge == DurationStats(3, 30, 46)
    assert overall.report_to_outcome == DurationStats(3, 100, 180)
    assert overall.withdrawals == 2 and overall.withdrawal_rate == pytest.approx(0.4)
    assert overall.withdrawals_by_stage == {"charged": 1, "investigating": 1}
    assert overall.outcomes == {
        "acquitted": 1,
        "convicted": 1,
        "no_further_action": 1,
        "pending": 2,
    }


def test_breakdowns_by_force_offence_and_month(journey_store: SqlJourneyStore) -> None:
    build_known_cases(journey_store)
    metrics = case_metrics(facts=_facts(journey_store.session), query=FactsQuery())
    assert list(metrics.by_force) == ["GMP", "WY"]
    wy = metrics.by_force["WY"]
    assert wy.cases == 3 and wy.report_to_charge == DurationStats(2, 20, 28)
    assert metrics.by_force["GMP"].withdrawal_rate == 1.0
    assert list(metrics.by_month) == ["2025-01", "2025-02", "2025-03"]
    assert metrics.by_month["2025-02"].outcomes == {"no_further_action": 1, "pending": 1}
    assert metrics.by_offence["coercive_control"].report_to_charge == DurationStats(2, 40, 48)
    assert metrics.by_offence["abh"].outcomes == {"acquitted": 1, "pending": 1}


@pytest.mark.parametrize(
    ("filters", "cases"),
    [
        ({"force": "gmp"}, 2),
        ({"force": "WY"}, 3),
        ({"reported_from": date(2025, 2, 1)}, 3),
        ({"reported_to": date(2025, 1, 31)}, 2),
        ({"reported_from": date(2025, 1, 15), "reported_to": date(2025, 2, 10)}, 3),
        ({"force": "XX"}, 0),
    ],
)
def test_filters(journey_store: SqlJourneyStore, filters: dict[str, object], cases: int) -> None:
    build_known_cases(journey_store)
    query = metrics_query(**filters)  # type: ignore[arg-type]
    metrics = case_metrics(facts=_facts(journey_store.session), query=query)
    assert metrics.overall.cases == cases


def test_reopened_case_has_no_outcome(journey_store: SqlJourneyStore) -> None:
    ref = _open(journey_store, "WY", date(2025, 1, 10), "abh")
    _move(journey_store, ref, date(2025, 1, 11), Stage.INVESTIGATING)
    _move(journey_store, ref, date(2025, 2, 1), Stage.NO_FURTHER_ACTION)
    _move(journey_store, ref, date(2025, 3, 1), Stage.INVESTIGATING)
    (facts,) = _facts(journey_store.session).facts(query=FactsQuery())
    assert facts.stage is Stage.INVESTIGATING
    assert record_of(facts).outcome is None


def test_a_case_without_offences(journey_store: SqlJourneyStore) -> None:
    _open(journey_store, "WY", date(2025, 1, 10))
    (facts,) = _facts(journey_store.session).facts(query=FactsQuery())
    assert facts.offences == () and facts.first_charged_at is None


def test_json_of_stored_metrics(journey_store: SqlJourneyStore) -> None:
    build_known_cases(journey_store)
    data = json.loads(
        case_metrics(facts=_facts(journey_store.session), query=FactsQuery()).to_json()
    )
    assert data["overall"]["report_to_outcome"] == {"count": 3, "median_days": 100, "p90_days": 180}
    assert set(data["by_force"]) == {"GMP", "WY"}


def test_empty_database(journey_store: SqlJourneyStore) -> None:
    metrics = case_metrics(facts=_facts(journey_store.session), query=FactsQuery())
    assert metrics.overall.cases == 0 and metrics.overall.report_to_charge.median_days is None


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"reported_from": date(2025, 3, 1), "reported_to": date(2025, 2, 1)}, "is after"),
        ({"force": "W1"}, "force"),
    ],
)
def test_bad_queries(filters: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        metrics_query(**filters)  # type: ignore[arg-type]


def test_one_query_per_metrics_call(journey_store: SqlJourneyStore) -> None:
    """The facts come from one SELECT, however many cases there are."""
    from sqlalchemy import event

    build_known_cases(journey_store)
    statements: list[str] = []
    connection = journey_store.session.connection()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", count)
    try:
        case_metrics(facts=_facts(journey_store.session), query=FactsQuery())
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
