"""The demo's phones, vehicles and addresses, and the clusters planted for the link chart.

The demo is loaded once into SQLite (28 cases: the showcase and the planted cluster),
then read the way the link chart reads it: ``network_of`` for a West Yorkshire supervisor,
and ``network_for`` over two forces' mentions for the cross-force link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from casework.api.routes.network import as_mentions, network_of
from casework.journey.demo_cases import Happening, plan_demo_cases
from casework.journey.demo_load import DemoLoadReport, load_demo_cases
from casework.safeguarding.linkage import EntityKind
from casework.safeguarding.linkage_normalise import phone_key, postcode_key
from casework.safeguarding.network import Network, NetworkNode, network_for
from casework.security.principal import Principal
from casework.security.roles import UserRole
from casework.store import make_engine, upgrade_database
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.models import EventRow, LocationRow, ObjectRow
from casework.store.network_queries import case_mentions

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SIZE = 28
DRAMA = re.compile(r"^\+447700900\d{3}$")


@dataclass
class Loaded:
    engine: Engine
    first: DemoLoadReport
    second: DemoLoadReport
    rows_after_first: tuple[int, int, int]


def _rows(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        events, objects, places = (
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (EventRow, ObjectRow, LocationRow)
        )
    return events, objects, places


def _load(engine: Engine, now: datetime) -> DemoLoadReport:
    return load_demo_cases(
        open_store=lambda: SqlJourneyStore.open(engine), count=SIZE, now=now, seed=2026
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    path: Path = tmp_path_factory.mktemp("demo-links") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    engine = make_engine(url)
    first = _load(engine, NOW)
    rows = _rows(engine)
    second = _load(engine, NOW + timedelta(days=2))
    yield Loaded(engine, first, second, rows)
    engine.dispose()


def _supervisor(force: str) -> Principal:
    return Principal(
        user_id=uuid4(),
        username="supervisor",
        full_name="Demo Supervisor",
        role=UserRole.SUPERVISOR,
        force=force,
    )


@pytest.fixture(scope="module")
def west_yorkshire(loaded: Loaded) -> Network:
    with Session(loaded.engine) as session:
        return network_of(session=session, principal=_supervisor("WY"))


def _nodes(network: Network, kind: EntityKind, *, cases: int) -> list[NetworkNode]:
    return [n for n in network.nodes if n.kind is kind and len(n.cases) >= cases]


def test_plan_writes_phones_vehicles_and_places_in_varied_synthetic_forms() -> None:
    phones: set[str] = set()
    marks: set[str] = set()
    postcodes: set[str] = set()
    for plan in plan_demo_cases(now=NOW, count=120):
        for step in plan.steps:
            action = step.action
            if isinstance(action, Happening):
                phones.update(action.phones)
                marks.update(action.vehicles)
                if action.place is not None and action.place.postcode:
                    postcodes.add(action.place.postcode)
    assert all(DRAMA.match(phone_key(p)[0]) for p in phones)  # Ofcom's drama range only
    assert {p[:3] for p in phones} >= {"077", "+44"} and any(" " in p for p in phones)
    assert any(" " not in p and p.startswith("07") for p in phones)
    assert all(m.replace(" ", "").upper().startswith("Z") for m in marks)  # never issued
    assert any(" " in m for m in marks) and any(" " not in m for m in marks)
    assert all(postcode_key(p) for p in postcodes)
    assert any(" " not in p for p in postcodes) and any(" " in p for p in postcodes)


def test_events_carry_phones_vehicles_and_places(loaded: Loaded) -> None:
    _, objects, places = loaded.rows_after_first
    assert loaded.first.objects == objects > 20
    assert loaded.first.places == places > SIZE


def test_second_load_records_nothing_again(loaded: Loaded) -> None:
    assert (loaded.second.added, loaded.second.skipped) == (0, SIZE)
    assert _rows(loaded.engine) == loaded.rows_after_first


def test_one_phone_written_three_ways_links_four_cases(west_yorkshire: Network) -> None:
    [line] = [n for n in _nodes(west_yorkshire, EntityKind.PHONE, cases=4)]
    assert line.label == "+447700900777"
    assert set(line.spellings) == {"07700 900777", "+447700900777", "07700900777"}


def test_shared_car_and_flat_in_three_cases_each(west_yorkshire: Network) -> None:
    cars = [n for n in _nodes(west_yorkshire, EntityKind.VEHICLE, cases=3) if n.label == "ZB19HKT"]
    assert len(cars) == 1 and len(cars[0].spellings) == 3
    flats = [
        n
        for n in _nodes(west_yorkshire, EntityKind.ADDRESS, cases=3)
        if "CARRICK" in n.label.upper()
    ]
    assert len(flats) == 1 and flats[0].label.endswith("LS7 3NW")


def test_spelling_variants_resolve_to_one_suspect(west_yorkshire: Network) -> None:
    persons = _nodes(west_yorkshire, EntityKind.PERSON, cases=2)
    spellings = {n.spellings for n in persons}
    assert ("Mohammed Rahman-Demo", "Muhammad Rahman-Demo") in spellings
    assert ("Ciaran Doherty-Demo", "Kieran Doherty-Demo") in spellings
    kieran = next(n for n in persons if "Kieran Doherty-Demo" in n.spellings)
    reasons = " ".join(link.reason for link in west_yorkshire.evidence(kieran.id))
    assert "known spelling variant" in reasons and "day and month transposed" in reasons


def test_the_group_is_one_cluster_of_five_cases(west_yorkshire: Network) -> None:
    line = next(n for n in west_yorkshire.nodes if n.label == "+447700900777")
    cluster = west_yorkshire.around(line.id, depth=2)
    cases = {c for n in cluster.nodes if n.kind is not EntityKind.PERSON for c in n.cases}
    assert len(cases) == 5


def test_a_suspect_and_his_car_link_two_forces(loaded: Loaded) -> None:
    with Session(loaded.engine) as session:
        rows = case_mentions(session=session, force="WY")
        rows += case_mentions(session=session, force="GMP")
    network = network_for(as_mentions(rows))
    across = [e for e in network.entities if e.forces == ("GMP", "WY")]
    kinds = {e.kind: e for e in across}
    assert set(kinds) == {EntityKind.PERSON, EntityKind.VEHICLE}
    assert kinds[EntityKind.PERSON].spellings == ("Yousef Hussain-Demo", "Yusuf Hussain-Demo")
    assert kinds[EntityKind.VEHICLE].label == "ZK67TVR"
