"""SQL implementation of ``domain.operations_returns.OperationsRepository``. Flushes, never
commits: the caller's unit of work decides."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from casework.domain.operations_returns import (
    Channel,
    DealLine,
    LineStatus,
    NewReturn,
    StoredReturn,
)
from casework.store.operations_models import (
    DealLineLinkRow,
    DealLineRow,
    ForceReturnRow,
    OperationDefinitionRow,
)

_COLUMNS = [c for c in ForceReturnRow.__table__.c]


def _figures(text: str) -> dict[str, float]:
    figures: dict[str, float] = json.loads(text)
    return figures


def _stored(row: ForceReturnRow, values: dict[str, float]) -> StoredReturn:
    return StoredReturn(
        id=row.id,
        operation=row.operation,
        force=row.force,
        version=row.version,
        channel=Channel(row.channel),
        period_from=row.period_from,
        period_to=row.period_to,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        values=values,
        source=row.source,
        current=row.current,
    )


class SqlOperationsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_return(self, new: NewReturn) -> StoredReturn:
        latest = self.session.scalar(
            select(func.max(ForceReturnRow.version)).where(
                ForceReturnRow.operation == new.operation, ForceReturnRow.force == new.force
            )
        )
        self.session.execute(
            update(ForceReturnRow)
            .where(
                ForceReturnRow.operation == new.operation,
                ForceReturnRow.force == new.force,
                ForceReturnRow.current.is_(True),
            )
            .values(current=False)
        )
        row = ForceReturnRow(
            operation=new.operation,
            force=new.force,
            version=(latest or 0) + 1,
            current=True,
            channel=new.channel.value,
            period_from=new.period_from,
            period_to=new.period_to,
            submitted_by=new.submitted_by,
            submitted_at=new.submitted_at,
            source=new.source,
            figures=json.dumps(dict(new.values), sort_keys=True),
        )
        self.session.add(row)
        self.session.flush()
        return _stored(row, dict(new.values))

    def current_returns(self, operation: str, *, values: bool = True) -> list[StoredReturn]:
        # Plain rows, not mapped objects: a roll-up reads these for every week it adds up.
        rows = self.session.execute(
            select(*_COLUMNS)
            .where(ForceReturnRow.operation == operation, ForceReturnRow.current.is_(True))
            .order_by(ForceReturnRow.force)
        ).all()
        return [_stored(r, _figures(r.figures) if values else {}) for r in rows]  # type: ignore[arg-type]

    def history(self, operation: str, force: str) -> list[StoredReturn]:
        rows = list(
            self.session.scalars(
                select(ForceReturnRow)
                .where(ForceReturnRow.operation == operation, ForceReturnRow.force == force)
                .order_by(ForceReturnRow.version)
            )
        )
        return [_stored(r, _figures(r.figures)) for r in rows]

    def current_values(self, operation: str) -> list[tuple[str, str, float]]:
        rows = self.session.execute(
            select(ForceReturnRow.force, ForceReturnRow.figures).where(
                ForceReturnRow.operation == operation, ForceReturnRow.current.is_(True)
            )
        )
        return [(force, k, v) for force, text in rows for k, v in _figures(text).items()]

    def current_values_of(self, operations: list[str]) -> list[tuple[str, str, str, float]]:
        found: list[tuple[str, str, str, float]] = []
        for start in range(0, len(operations), 200):
            rows = self.session.connection().execute(  # Core: no ORM row processing
                select(
                    ForceReturnRow.operation, ForceReturnRow.force, ForceReturnRow.figures
                ).where(
                    ForceReturnRow.operation.in_(operations[start : start + 200]),
                    ForceReturnRow.current.is_(True),
                )
            )
            for operation, force, text in rows:
                found.extend((operation, force, k, v) for k, v in _figures(text).items())
        return found

    def current_returns_of(self, operations: list[str]) -> list[StoredReturn]:
        found: list[StoredReturn] = []
        for start in range(0, len(operations), 200):
            rows = (
                self.session.connection()
                .execute(
                    select(*_COLUMNS)
                    .where(
                        ForceReturnRow.operation.in_(operations[start : start + 200]),
                        ForceReturnRow.current.is_(True),
                    )
                    .order_by(ForceReturnRow.operation, ForceReturnRow.force)
                )
                .all()
            )
            found.extend(_stored(r, {}) for r in rows)  # type: ignore[arg-type]
        return found

    def defined_operations(self) -> list[tuple[str, str]]:
        rows = self.session.execute(
            select(OperationDefinitionRow.name, OperationDefinitionRow.definition).order_by(
                OperationDefinitionRow.name
            )
        )
        return [(name, text) for name, text in rows]

    def define_operation(self, *, name: str, text: str, by: str, at: datetime) -> None:
        row = self.session.get(OperationDefinitionRow, name)
        if row is None:
            self.session.add(
                OperationDefinitionRow(name=name, definition=text, defined_by=by, defined_at=at)
            )
        else:
            row.definition, row.defined_by, row.defined_at = text, by, at
        self.session.flush()

    def _line(self, row: DealLineRow, links: list[tuple[str, str]]) -> DealLine:
        return DealLine(
            number=row.number,
            force=row.force,
            status=LineStatus(row.status),
            name=row.name,
            opened_on=row.opened_on,
            closed_on=row.closed_on,
            people=tuple(t for k, t in links if k == "person"),
            places=tuple(t for k, t in links if k == "place"),
            updated_by=row.updated_by,
            updated_at=row.updated_at,
        )

    def lines(self, *, force: str | None = None) -> list[DealLine]:
        query = select(DealLineRow).order_by(DealLineRow.force, DealLineRow.number)
        if force is not None:
            query = query.where(DealLineRow.force == force)
        rows = list(self.session.scalars(query))
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        if rows:
            for number, kind, text in self.session.execute(
                select(DealLineLinkRow.number, DealLineLinkRow.kind, DealLineLinkRow.text)
                .where(DealLineLinkRow.number.in_([r.number for r in rows]))
                .order_by(DealLineLinkRow.text)
            ):
                links[number].append((kind, text))
        return [self._line(r, links[r.number]) for r in rows]

    def line(self, number: str) -> DealLine | None:
        row = self.session.get(DealLineRow, number)
        if row is None:
            return None
        links = self.session.execute(
            select(DealLineLinkRow.kind, DealLineLinkRow.text)
            .where(DealLineLinkRow.number == number)
            .order_by(DealLineLinkRow.text)
        )
        return self._line(row, [(k, t) for k, t in links])

    def save_line(self, line: DealLine) -> None:
        assert line.updated_at is not None
        row = self.session.get(DealLineRow, line.number)
        if row is None:
            row = DealLineRow(number=line.number)
            self.session.add(row)
        row.force, row.status, row.name = line.force, line.status.value, line.name
        row.opened_on, row.closed_on = line.opened_on, line.closed_on
        row.updated_by, row.updated_at = line.updated_by, line.updated_at
        self.session.flush()
        self.session.execute(delete(DealLineLinkRow).where(DealLineLinkRow.number == line.number))
        self.session.add_all(
            [
                DealLineLinkRow(number=line.number, force=line.force, kind="person", text=p)
                for p in line.people
            ]
            + [
                DealLineLinkRow(number=line.number, force=line.force, kind="place", text=p)
                for p in line.places
            ]
        )
        self.session.flush()
