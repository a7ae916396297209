"""Demo returns for ``casework demo``: Op Sceptre November 2023 from all 43 forces.

The national totals are the published ones; the split between forces is synthetic
(``operations.demo``). Also a few made-up deal lines in the county lines register. A
second load adds nothing (the returns are there already).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from casework.domain.operations_returns import Channel
from casework.operations import lines as line_service
from casework.operations import service
from casework.operations.demo import sceptre_returns
from casework.store.engine import session_factory
from casework.store.operations_repository import SqlOperationsRepository

ACTOR = "casework demo"
DEMO_LINES = (
    ("07700900101", "WY", "closed", "DEMO line Kay", ("Kai RIVERS-Demo",), ("Leeds LS9",)),
    ("07700900102", "WY", "open", "DEMO line Ace", ("Jordan ASH-Demo",), ("Bradford BD3",)),
    ("07700900103", "GMP", "closed", "DEMO line Zed", (), ("Salford M6",)),
)


@dataclass(frozen=True, slots=True)
class DemoOperationsReport:
    returns_added: int
    lines_added: int


def load_demo_operations(engine: Engine) -> DemoOperationsReport:
    with session_factory(engine)() as session, session.begin():
        repo = SqlOperationsRepository(session)
        op = service.operation_named(repo=repo, name="sceptre-2023-11")
        added = 0
        if not repo.current_returns(op.name, values=False):
            added = len(
                service.submit(
                    repo=repo,
                    operation=op,
                    raws=sceptre_returns(op),
                    channel=Channel.API,
                    source="casework demo (synthetic split of the published totals)",
                    submitted_by=ACTOR,
                    now=datetime(2023, 11, 21, 9, 0, tzinfo=UTC),
                    may_submit=lambda _force: True,
                )
            )
        lines = 0
        for number, force, status, name, people, places in DEMO_LINES:
            if repo.line(number) is None:
                line_service.record_line(
                    repo=repo,
                    number=number,
                    force=force,
                    status=status,
                    name=name,
                    closed_on=date(2023, 10, 11) if status == "closed" else None,
                    people=people,
                    places=places,
                    by=ACTOR,
                    now=datetime.now(UTC),
                )
                lines += 1
    return DemoOperationsReport(added, lines)
