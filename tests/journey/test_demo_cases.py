"""The demo case set: planned from a seed, loaded through the services on both databases.

Each backend gets a fresh database of its own (the load commits, case by case, as the real
command does), loaded once for the module with 40 cases as of a fixed day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from casework.domain.cases import Role
from casework.domain.journey_facts import FactsQuery
from casework.domain.rules.victims_code import london_date
from casework.domain.stages import Stage
from casework.journey.case_metrics import case_metrics
from casework.journey.deadlines import deadlines_due
from casework.journey.demo_cases import FORCES, Move, plan_demo_cases
from casework.journey.demo_load import DemoLoadReport, load_demo_cases
from casework.journey.demo_names import DEMO_SUFFIX
from casework.store import make_engine, upgrade_database
from casework.store.journey_models import VictimWithdrawalRow
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.metrics_queries import SqlJourneyFactsRepository
from casework.store.models import CasePartyRow, CaseRow, EventRow, PersonRow
from tests.db import BACKENDS, drop_postgres_database, fresh_postgres_database

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = london_date(NOW)
SIZE = 40


@dataclass
class Loaded:
    engine: Engine
    first: DemoLoadReport
    second: DemoLoadReport
    counts_after_first: dict[str, int]


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (CaseRow, PersonRow, CasePartyRow, EventRow, VictimWithdrawalRow)
        }


def _load(engine: Engine, count: int = SIZE, now: datetime = NOW) -> DemoLoadReport:
    return load_demo_cases(
        open_store=lambda: SqlJourneyStore.open(engine), count=count, now=now, seed=2026
    )


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    dropped: str | None = None
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        url = f"sqlite:///{path}"
    else:
        admin: str = request.getfixturevalue("postgres_admin_url")
        dropped, url = fresh_postgres_database(admin)
    try:
        upgrade_database(url)
        engine = make_engine(url)
        first = _load(engine)
        counts = _counts(engine)
        second = _load(engine, now=NOW + timedelta(days=3))  # another day: still nothing new
        yield Loaded(engine, first, second, counts)
        engine.dispose()
    finally:
        if dropped is not None:
            drop_postgres_database(dropped)


def test_plan_is_seeded_and_grows_without_changing_earlier_cases() -> None:
    small = plan_demo_cases(now=NOW, count=20)
    large = plan_demo_cases(now=NOW, count=SIZE)
    assert large[:20] == small
    assert plan_demo_cases(now=NOW, count=SIZE, seed=7) != large


def test_victims_do_not_depend_on_the_day() -> None:
    """A later run recognises the cases of an earlier one by their victims."""
    before = [p.victim for p in plan_demo_cases(now=NOW, count=SIZE)]
    after = [p.victim for p in plan_demo_cases(now=NOW + timedelta(days=40), count=SIZE)]
    assert before == after
    keys = {
        (p.new.force, p.victim.full_name, p.victim.date_of_birth)
        for p in plan_demo_cases(now=NOW, count=400)
    }
    assert len(keys) == 400  # every victim is a different person


def test_plan_uses_real_forces_and_obviously_synthetic_names() -> None:
    plans = plan_demo_cases(now=NOW, count=100)
    assert {p.new.force for p in plans} == {f.code for f in FORCES}
    for plan in plans:
        assert all(person.family_name.endswith(DEMO_SUFFIX) for _, person in plan.new.parties)
        assert plan.new.domestic_abuse
        assert NOW - timedelta(days=731) <= plan.opened_at <= NOW
        assert all(s.at <= NOW for s in plan.steps)
    given = {person.given_names for p in plans for _, person in p.new.parties}
    assert len(given) > 40  # diverse


def test_police_never_charge_a_planned_case() -> None:
    for plan in plan_demo_cases(now=NOW, count=200):
        for step in plan.steps:
            if isinstance(step.action, Move) and step.action.to is Stage.CHARGED:
                assert step.action.decided_by.value == "cps"


def test_load_adds_every_planned_case(loaded: Loaded) -> None:
    assert loaded.first.added == SIZE and loaded.first.skipped == 0
    assert loaded.counts_after_first["cases"] == SIZE
    assert len(set(loaded.first.all_references)) == SIZE


def test_every_stage_is_represented(loaded: Loaded) -> None:
    assert set(loaded.first.by_stage) == {s.value for s in Stage}
    with loaded.engine.connect() as connection:
        stored = set(connection.scalars(select(CaseRow.stage).distinct()))
    assert stored == {s.value for s in Stage}


def test_second_load_adds_nothing(loaded: Loaded) -> None:
    assert loaded.second.added == 0 and loaded.second.skipped == SIZE
    assert loaded.second.all_references == loaded.first.all_references
    assert _counts(loaded.engine) == loaded.counts_after_first


def test_deadlines_due_soon_and_overdue(loaded: Loaded) -> None:
    with SqlJourneyStore.open(loaded.engine) as store:
        due = deadlines_due(store=store, within=timedelta(days=7), today=TODAY)
    overdue = [d for d in due if d.deadline.is_overdue(TODAY)]
    soon = [d for d in due if not d.deadline.is_overdue(TODAY)]
    assert overdue and soon
    kinds = {d.deadline.kind.value for d in due}
    assert {"victims_code", "bail", "time_limit"} <= kinds


def test_people_events_withdrawals_and_repeat_suspects(loaded: Loaded) -> None:
    counts = loaded.counts_after_first
    assert counts["events"] > 5 * SIZE
    assert counts["victim_withdrawals"] == loaded.first.withdrawals > 0
    with loaded.engine.connect() as connection:
        roles = Counter(connection.scalars(select(CasePartyRow.role)))
        suspects = Counter(
            connection.scalars(
                select(CasePartyRow.person_id).where(CasePartyRow.role == Role.SUSPECT.value)
            )
        )
    assert roles[Role.VICTIM.value] == SIZE
    assert roles[Role.WITNESS.value] > 0 and roles[Role.CPS_PROSECUTOR.value] > 0
    assert roles[Role.IDVA.value] > 0 and roles[Role.SUPERVISOR.value] == SIZE
    assert max(suspects.values()) >= 2  # a suspect with previous history


def test_metrics_over_the_demo_set(loaded: Loaded) -> None:
    with SqlJourneyStore.open(loaded.engine) as store:
        metrics = case_metrics(facts=SqlJourneyFactsRepository(store.session), query=FactsQuery())
    overall = metrics.overall
    assert overall.cases == SIZE
    assert overall.charged > 0 and overall.report_to_charge.median_days is not None
    assert overall.withdrawals == loaded.first.withdrawals
    assert set(metrics.by_force) <= {f.code for f in FORCES}


def test_a_larger_load_adds_only_the_new_cases(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'grow.sqlite3'}"
    upgrade_database(url)
    engine = make_engine(url)
    try:
        assert _load(engine, count=15).added == 15
        grown = _load(engine, count=20)
        assert (grown.added, grown.skipped) == (5, 15)
    finally:
        engine.dispose()
