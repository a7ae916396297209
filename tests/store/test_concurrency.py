"""Two users at once: case numbers are never given out twice, a case never moves twice."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casework.domain.cases import CaseReference
from casework.domain.stages import Stage
from casework.errors import Conflict
from casework.journey.cases import advance, get_case, open_case
from casework.store import SqlCaseStore, make_engine, upgrade_database
from tests.db import (
    BACKENDS,
    NOW,
    drop_postgres_database,
    fresh_postgres_database,
    make_new_case,
)


@pytest.fixture(params=BACKENDS)
def committed_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of its own: these tests commit, so they share nothing."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
        upgrade_database(url)
        yield url
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    name, url = fresh_postgres_database(admin)
    try:
        upgrade_database(url)
        yield url
    finally:
        drop_postgres_database(name)


def test_parallel_openings_get_distinct_numbers(committed_url: str) -> None:
    engine = make_engine(committed_url)

    def take(_: int) -> CaseReference:
        with SqlCaseStore.open(engine) as store:
            return store.cases.next_reference(force="WY", year=2026)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            numbers = sorted(r.number for r in pool.map(take, range(24)))
    finally:
        engine.dispose()
    assert numbers == list(range(1, 25))


def test_a_rolled_back_opening_does_not_burn_a_number_twice(committed_url: str) -> None:
    engine = make_engine(committed_url)
    try:
        store = SqlCaseStore.open(engine)
        with pytest.raises(RuntimeError), store:
            store.cases.next_reference(force="WY", year=2026)
            raise RuntimeError("the opening failed")
        with SqlCaseStore.open(engine) as store:
            assert store.cases.next_reference(force="WY", year=2026).number == 1
    finally:
        engine.dispose()


def test_two_users_move_the_same_case_one_is_refused(committed_url: str) -> None:
    engine = make_engine(committed_url)
    try:
        with SqlCaseStore.open(engine) as store:
            ref = str(open_case(store=store, new=make_new_case(), actor="x", now=NOW).reference)
        first, second = SqlCaseStore.open(engine), SqlCaseStore.open(engine)
        with first, second:
            # The second user has read the case (at reported) in their transaction.
            assert get_case(store=second, reference=ref).case.stage is Stage.REPORTED
            advance(store=first, reference=ref, to=Stage.INVESTIGATING, reason="a", actor="A")
            first.commit()
            with pytest.raises(Conflict):
                advance(store=second, reference=ref, to=Stage.INVESTIGATING, reason="b", actor="B")
        with SqlCaseStore.open(engine) as store:
            case = get_case(store=store, reference=ref).case
            assert case.stage is Stage.INVESTIGATING
            assert len(case.history) == 2
    finally:
        engine.dispose()
