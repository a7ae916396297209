"""SQLAlchemy models of missing-person cases and their logs (migration ``0004_missing``).

The decision log, gradings, search log, media strategies and handovers are append-only:
the ORM refuses to flush a change or a deletion of one of their rows (``AppendOnlyError``),
and the migration adds database triggers that refuse ``UPDATE`` and ``DELETE`` on SQLite
and PostgreSQL, so that not even hand-written SQL edits the policy file. Hypotheses are
the one log whose rows change (their status), and each change is also a decision entry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from casework.store.models import FORCE, NAME, Base

APPEND_ONLY_TABLES = (
    "missing_decisions",
    "missing_gradings",
    "missing_searches",
    "missing_media",
    "missing_handovers",
)


class AppendOnlyError(RuntimeError):
    """Something tried to change or remove an entry of an append-only log (a bug)."""


def _case_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("missing_cases.id"))


class MissingCaseRow(Base):
    """A missing-person case: who, when last seen, the current grade and next review."""

    __tablename__ = "missing_cases"
    __table_args__ = (
        UniqueConstraint("force", "year", "number"),
        Index("ix_missing_cases_force_status_review_due", "force", "status", "review_due"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    force: Mapped[str] = mapped_column(FORCE)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(NAME)
    date_of_birth: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text)
    home_address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(40))
    last_seen_at: Mapped[datetime]
    last_seen_place: Mapped[str] = mapped_column(Text)
    circumstances: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(NAME)
    opened_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10))
    grade: Mapped[str | None] = mapped_column(String(40))
    graded_at: Mapped[datetime | None]
    review_due: Mapped[datetime | None]
    found_at: Mapped[datetime | None]
    found_note: Mapped[str] = mapped_column(Text)


class MissingDecisionRow(Base):
    """An entry of the decision log (policy file)."""

    __tablename__ = "missing_decisions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(NAME)
    entered_at: Mapped[datetime]
    entered_by: Mapped[str] = mapped_column(NAME)


class MissingGradingRow(Base):
    """A risk grading and the review it set."""

    __tablename__ = "missing_gradings"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(NAME)
    scheme: Mapped[str] = mapped_column(String(80))
    rationale: Mapped[str] = mapped_column(Text)
    graded_by: Mapped[str] = mapped_column(NAME)
    graded_at: Mapped[datetime]
    review_due: Mapped[datetime]


class MissingSearchRow(Base):
    """An entry of the search log."""

    __tablename__ = "missing_searches"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(NAME)
    result: Mapped[str] = mapped_column(Text)
    searched_at: Mapped[datetime]
    searched_by: Mapped[str] = mapped_column(NAME)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class MissingHypothesisRow(Base):
    """A hypothesis; its status changes, each change also written to the decision log."""

    __tablename__ = "missing_hypotheses"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    raised_by: Mapped[str] = mapped_column(NAME)
    raised_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(NAME)
    updated_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text)


class MissingMediaRow(Base):
    """A media strategy as set; the latest is in force."""

    __tablename__ = "missing_media"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    appeal: Mapped[str] = mapped_column(String(12))
    channels: Mapped[list[str]] = mapped_column(JSON)
    family_consent: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class MissingHandoverRow(Base):
    """A handover between shifts."""

    __tablename__ = "missing_handovers"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    from_officer: Mapped[str] = mapped_column(NAME)
    to_officer: Mapped[str] = mapped_column(NAME)
    summary: Mapped[str] = mapped_column(Text)
    outstanding: Mapped[str] = mapped_column(Text)
    grade: Mapped[str | None] = mapped_column(String(40))
    handed_over_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(NAME)


def _refuse(kind: str) -> Any:
    def listener(mapper: Mapper[Any], connection: Any, target: Any) -> None:
        raise AppendOnlyError(
            f"{target.__tablename__} is append-only: an entry may not be {kind} "
            "(add a new entry that corrects it instead)"
        )

    return listener


for _model in (
    MissingDecisionRow,
    MissingGradingRow,
    MissingSearchRow,
    MissingMediaRow,
    MissingHandoverRow,
):
    orm_event.listen(_model, "before_update", _refuse("changed"))
    orm_event.listen(_model, "before_delete", _refuse("removed"))
