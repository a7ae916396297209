"""Reads take a fixed number of queries, however many rows they return (no N+1).

Counted on the engine, on SQLite and PostgreSQL, each test rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from casework.domain.cases import CaseQuery, CaseReference
from casework.domain.pole import EventDetails, EventKind
from casework.journey import cases as case_service
from casework.store import SqlCaseStore
from tests.db import NOW, make_new_case


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements sent to ``engine`` inside the block."""
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _open(store: SqlCaseStore, n: int, *, officer: str = "Amy KHAN") -> CaseReference:
    case = case_service.open_case(
        store=store,
        new=make_new_case(
            officer=officer, offences=(("common_assault", None), ("criminal_damage", None))
        ),
        actor="amy",
        now=NOW + timedelta(minutes=n),
    )
    return case.reference


def test_listing_twenty_cases_takes_as_many_queries_as_listing_two(
    store: SqlCaseStore, db_engine: Engine
) -> None:
    for n in range(2):
        _open(store, n)
    with counted(db_engine) as few:
        assert len(store.cases.search(query=CaseQuery(force="WY"))) == 2
    for n in range(2, 20):
        _open(store, n, officer=f"Officer NUMBER{n}")
    with counted(db_engine) as many:
        listed = store.cases.search(query=CaseQuery(force="WY"))
    assert len(listed) == 20
    assert len(many) == len(few) <= 3
    assert listed[0].officers == ("Officer NUMBER19",)
    assert listed[-1].offences == ("common_assault", "criminal_damage")


def test_showing_a_case_with_twenty_events_takes_as_many_queries_as_with_one(
    store: SqlCaseStore, db_engine: Engine
) -> None:
    reference = _open(store, 0)

    def add_events(count: int) -> None:
        for i in range(count):
            case_service.record_event(
                store=store,
                reference=reference,
                details=EventDetails(
                    kind=EventKind.OTHER,
                    description=f"note {i}",
                    occurred_at=NOW + timedelta(hours=1, minutes=i),
                ),
                actor="amy",
                now=NOW + timedelta(days=1),
            )

    add_events(1)
    store.session.expire_all()
    with counted(db_engine) as few:
        case_service.get_case(store=store, reference=reference)
    add_events(19)
    store.session.expire_all()
    with counted(db_engine) as many:
        shown = case_service.get_case(store=store, reference=reference)
    assert len(shown.events) == 20
    assert len(many) == len(few)
