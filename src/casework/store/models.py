"""SQLAlchemy models of the case journey: POLE entities, cases, stage history, deadlines.

Rows hold plain values (enums as their string values), and the repositories turn them into
domain models. Every case-data row carries ``force`` so that queries can be scoped to a
force without a join. Keys are UUIDs; users see readable case references, never row ids.
The schema is created only by the Alembic migrations in ``store/migrations``; a change to
these models needs a new migration (``tests/store`` checks that they agree).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from casework.store.types import AwareDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FORCE = String(4)
CODE = String(60)
NAME = String(200)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can refer to them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        datetime: AwareDateTime(),
        date: Date(),
        uuid.UUID: Uuid(),
    }


class PersonRow(Base):
    __tablename__ = "persons"
    __table_args__ = (Index("ix_persons_force_name_key", "force", "name_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    given_names: Mapped[str] = mapped_column(NAME)
    family_name: Mapped[str] = mapped_column(NAME)
    name_key: Mapped[str] = mapped_column(String(401))
    date_of_birth: Mapped[date | None]
    created_at: Mapped[datetime]


class ObjectRow(Base):
    __tablename__ = "pole_objects"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    identifiers: Mapped[list[ObjectIdentifierRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ObjectIdentifierRow.position"
    )


class ObjectIdentifierRow(Base):
    __tablename__ = "object_identifiers"
    __table_args__ = (Index("ix_object_identifiers_scheme_value_key", "scheme", "value_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    object_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pole_objects.id", ondelete="CASCADE"), index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(NAME)
    value_key: Mapped[str] = mapped_column(NAME)
    """The value without spaces or punctuation, upper case: "ab12 cde" finds "AB12CDE"."""


class LocationRow(Base):
    __tablename__ = "locations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    force: Mapped[str] = mapped_column(FORCE, index=True)
    description: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class CaseCounterRow(Base):
    """The last case number given out per force and year (references never repeat)."""

    __tablename__ = "case_counters"

    force: Mapped[str] = mapped_column(FORCE, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("force", "year", "number"),
        Index("ix_cases_force_stage", "force", "stage"),
        Index("ix_cases_stage", "stage"),
        Index("ix_cases_opened_at", "opened_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    force: Mapped[str] = mapped_column(FORCE)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(30))
    reported_on: Mapped[date]
    opened_at: Mapped[datetime]
    domestic_abuse: Mapped[bool]
    restricted: Mapped[bool]
    enhanced_rights: Mapped[bool]

    offences: Mapped[list[CaseOffenceRow]] = relationship(
        order_by="CaseOffenceRow.position", cascade="all, delete-orphan"
    )
    parties: Mapped[list[CasePartyRow]] = relationship(
        order_by="CasePartyRow.position", cascade="all, delete-orphan"
    )
    history: Mapped[list[StageChangeRow]] = relationship(
        order_by="StageChangeRow.seq", cascade="all, delete-orphan"
    )


class CaseOffenceRow(Base):
    __tablename__ = "case_offences"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(CODE, index=True)
    committed_on: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class CasePartyRow(Base):
    __tablename__ = "case_parties"
    __table_args__ = (
        UniqueConstraint("case_id", "person_id", "role"),
        Index("ix_case_parties_role_person_id", "role", "person_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    added_by: Mapped[str] = mapped_column(NAME)
    added_at: Mapped[datetime]

    person: Mapped[PersonRow] = relationship(lazy="joined")


class StageChangeRow(Base):
    __tablename__ = "stage_changes"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    seq: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(30))
    target: Mapped[str] = mapped_column(String(30))
    decided_by: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(NAME)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case_id_occurred_at", "case_id", "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    kind: Mapped[str] = mapped_column(String(40))
    phase: Mapped[str | None] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime]
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    source: Mapped[str] = mapped_column(String(20))
    source_document: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]

    persons: Mapped[list[EventPersonRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EventPersonRow.position"
    )
    objects: Mapped[list[EventObjectRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EventObjectRow.position"
    )


class EventPersonRow(Base):
    __tablename__ = "event_persons"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id"), primary_key=True, index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)


class EventObjectRow(Base):
    __tablename__ = "event_objects"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    object_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pole_objects.id"), primary_key=True, index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)


_OPEN = text("settled_on IS NULL AND due IS NOT NULL")


class CaseDeadlineRow(Base):
    """A deadline worked out for a case; replaced whenever the case's facts change."""

    __tablename__ = "case_deadlines"
    __table_args__ = (
        Index("ix_case_deadlines_open_due", "due", postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index(
            "ix_case_deadlines_open_force_due",
            "force",
            "due",
            postgresql_where=_OPEN,
            sqlite_where=_OPEN,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    about: Mapped[str] = mapped_column(NAME)
    due: Mapped[date | None]
    rule_id: Mapped[str] = mapped_column(String(80))
    rule: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    started_by: Mapped[str] = mapped_column(Text)
    start: Mapped[date | None]
    detail: Mapped[str] = mapped_column(Text)
    rules_version: Mapped[str] = mapped_column(String(40))
    problem: Mapped[str] = mapped_column(Text)
    settled_on: Mapped[date | None]
    settled_by: Mapped[str] = mapped_column(NAME)
