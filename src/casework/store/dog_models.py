"""SQLAlchemy models of the police dog register, and the store the register's services use.

Made by migration ``0004_dogs``. Every row carries ``force``; keys are UUIDs; a dog is
shown by its readable reference (``WY-DOG-0001``). ``SqlDogStore`` moves plain values in
and out by table (``registers.ports.DogRegisterStore``); the register's own models check
them, so this module needs none of the register's types.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from casework.store.models import CODE, FORCE, NAME, Base

SHORT = String(20)


def _dog_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("dogs.id", ondelete="CASCADE"))


class DogRow(Base):
    """A dog on the register."""

    __tablename__ = "dogs"
    __table_args__ = (
        UniqueConstraint("reference"),
        UniqueConstraint("force", "microchip"),
        Index("ix_dogs_force_status", "force", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20))
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    breed: Mapped[str] = mapped_column(String(60))
    sex: Mapped[str] = mapped_column(SHORT)
    born_on: Mapped[date]
    microchip: Mapped[str] = mapped_column(SHORT)
    source: Mapped[str] = mapped_column(SHORT)
    roles: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(SHORT)
    acquired_on: Mapped[date]
    handler_number: Mapped[str | None] = mapped_column(SHORT)
    retirement_review_due_on: Mapped[date]
    retired_on: Mapped[date | None]
    retirement_reason: Mapped[str] = mapped_column(Text)
    rehomed_with: Mapped[str] = mapped_column(NAME)
    rehomed_on: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class DogHandlerRow(Base):
    """A handler, by staff number in the force, with their qualifications (JSON, read whole)."""

    __tablename__ = "dog_handlers"
    __table_args__ = (UniqueConstraint("force", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[str] = mapped_column(SHORT)
    name: Mapped[str] = mapped_column(NAME)
    qualifications: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]


class DogHandlerSpellRow(Base):
    """A handler's time with a dog."""

    __tablename__ = "dog_handler_history"
    __table_args__ = (Index("ix_dog_handler_history_dog_id_from_on", "dog_id", "from_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID] = _dog_fk()
    handler_number: Mapped[str] = mapped_column(SHORT)
    from_on: Mapped[date]
    to_on: Mapped[date | None]


class DogLicenceRow(Base):
    """A licensing assessment of a team (dog and handler) in a role."""

    __tablename__ = "dog_licences"
    __table_args__ = (Index("ix_dog_licences_dog_id_assessed_on", "dog_id", "assessed_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID] = _dog_fk()
    handler_number: Mapped[str] = mapped_column(SHORT)
    role: Mapped[str] = mapped_column(CODE)
    assessed_on: Mapped[date]
    expires_on: Mapped[date]
    passed: Mapped[bool] = mapped_column(Boolean)
    assessor: Mapped[str] = mapped_column(NAME)
    notes: Mapped[str] = mapped_column(Text)


class DogTrainingRow(Base):
    __tablename__ = "dog_training"
    __table_args__ = (Index("ix_dog_training_dog_id_on", "dog_id", "on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID] = _dog_fk()
    handler_number: Mapped[str | None] = mapped_column(SHORT)
    on: Mapped[date]
    hours: Mapped[float] = mapped_column(Float)
    topic: Mapped[str] = mapped_column(NAME)
    trainer: Mapped[str] = mapped_column(NAME)
    notes: Mapped[str] = mapped_column(Text)


class DogWelfareCheckRow(Base):
    __tablename__ = "dog_welfare_checks"
    __table_args__ = (Index("ix_dog_welfare_checks_dog_id_on", "dog_id", "on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID] = _dog_fk()
    on: Mapped[date]
    kind: Mapped[str] = mapped_column(SHORT)
    by: Mapped[str] = mapped_column(NAME)
    concern: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)


class DogVisitorReportRow(Base):
    """A report of the independent visitor scheme on a force's kennels."""

    __tablename__ = "dog_visitor_reports"
    __table_args__ = (Index("ix_dog_visitor_reports_force_visited_on", "force", "visited_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    visited_on: Mapped[date]
    visitor: Mapped[str] = mapped_column(NAME)
    kennels: Mapped[str] = mapped_column(NAME)
    satisfactory: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[str] = mapped_column(Text)


class DogDeploymentRow(Base):
    __tablename__ = "dog_deployments"
    __table_args__ = (
        Index("ix_dog_deployments_dog_id_at", "dog_id", "at"),
        Index("ix_dog_deployments_force_at", "force", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID] = _dog_fk()
    handler_number: Mapped[str] = mapped_column(SHORT)
    at: Mapped[datetime]
    incident: Mapped[str] = mapped_column(NAME)
    role: Mapped[str] = mapped_column(CODE)
    outcome: Mapped[str] = mapped_column(SHORT)
    finds: Mapped[int] = mapped_column(Integer)
    arrests: Mapped[int] = mapped_column(Integer)
    use_of_force: Mapped[bool] = mapped_column(Boolean)
    bite: Mapped[bool] = mapped_column(Boolean)
    injury: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(NAME)


class DogSafetyIncidentRow(Base):
    __tablename__ = "dog_safety_incidents"
    __table_args__ = (Index("ix_dog_safety_incidents_force_on", "force", "on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    dog_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("dogs.id", ondelete="SET NULL"))
    on: Mapped[date]
    kind: Mapped[str] = mapped_column(CODE)
    description: Mapped[str] = mapped_column(Text)
    injured: Mapped[bool] = mapped_column(Boolean)
    reported_by: Mapped[str] = mapped_column(NAME)


TABLES: dict[str, type[Base]] = {
    model.__tablename__: model
    for model in (
        DogRow,
        DogHandlerRow,
        DogHandlerSpellRow,
        DogLicenceRow,
        DogTrainingRow,
        DogWelfareCheckRow,
        DogVisitorReportRow,
        DogDeploymentRow,
        DogSafetyIncidentRow,
    )
}
_ORDER = {
    "dogs": "number",
    "dog_handlers": "recorded_at",
    "dog_handler_history": "from_on",
    "dog_licences": "assessed_on",
    "dog_training": "on",
    "dog_welfare_checks": "on",
    "dog_visitor_reports": "visited_on",
    "dog_deployments": "at",
    "dog_safety_incidents": "on",
}


class SqlDogStore:
    """The dog register's rows in the session's unit of work (``DogRegisterStore``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _model(kind: str) -> type[Base]:
        try:
            return TABLES[str(kind)]
        except KeyError:
            raise ValueError(f"no dog register table {kind!r}") from None

    def add(self, kind: str, values: Mapping[str, object]) -> None:
        model = self._model(kind)
        row = model(**values)
        if isinstance(row, DogRow):
            parsed = str(values["reference"]).rsplit("-", 1)[-1]
            row.number = int(parsed)
        self.session.add(row)
        self.session.flush()

    def update(self, kind: str, row_id: uuid.UUID, values: Mapping[str, object]) -> None:
        model = self._model(kind)
        self.session.execute(
            update(model).where(model.id == row_id).values(**values)  # type: ignore[attr-defined]
        )

    def rows(
        self,
        kind: str,
        where: Mapping[str, object] | None = None,
        *,
        since: tuple[str, date] | None = None,
    ) -> Sequence[object]:
        """Plain rows (column name -> value), not mapped objects: reads stay cheap in bulk."""
        model = self._model(kind)
        table = model.__table__
        query = select(*table.columns)
        for name, value in (where or {}).items():
            query = query.where(table.c[name] == value)
        if since is not None:
            query = query.where(table.c[since[0]] >= since[1])
        query = query.order_by(table.c[_ORDER[model.__tablename__]], table.c.id)
        return [dict(row) for row in self.session.execute(query).mappings()]

    def next_dog_number(self, force: str) -> int:
        found = self.session.scalar(select(func.max(DogRow.number)).where(DogRow.force == force))
        return (found or 0) + 1
