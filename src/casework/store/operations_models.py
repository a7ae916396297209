"""Tables of the weeks of action: operations defined in the database, force returns (every
version kept, figures included), and the county lines line register.

Made by migration ``0004_operations``. A return is never updated in place: a resubmission
is a new row with the next ``version``, and only the latest has ``current`` set, so a
roll-up reads one index range (``operation, current``) and history is never lost.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, NAME, Base

OPERATION = String(80)


class OperationDefinitionRow(Base):
    """An operation defined by a coordinator (shipped examples live in the package)."""

    __tablename__ = "ops_operations"

    name: Mapped[str] = mapped_column(OPERATION, primary_key=True)
    definition: Mapped[str] = mapped_column(Text)
    defined_by: Mapped[str] = mapped_column(NAME)
    defined_at: Mapped[datetime]


class ForceReturnRow(Base):
    """One version of one force's return for one operation."""

    __tablename__ = "ops_returns"
    __table_args__ = (
        UniqueConstraint("operation", "force", "version"),
        Index("ix_ops_returns_operation_current", "operation", "current"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    operation: Mapped[str] = mapped_column(OPERATION)
    force: Mapped[str] = mapped_column(FORCE)
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(8))
    period_from: Mapped[date]
    period_to: Mapped[date]
    submitted_by: Mapped[str] = mapped_column(NAME)
    submitted_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(200))
    figures: Mapped[str] = mapped_column(Text)
    """The figures as JSON (measure -> value; a blank measure is absent). A return is never
    changed once stored, so it is read whole: one row per return, not one per figure, which
    makes a year of roll-ups a read of a few thousand rows."""


class DealLineRow(Base):
    """A county lines deal-line number in the line register."""

    __tablename__ = "ops_lines"
    __table_args__ = (Index("ix_ops_lines_force", "force"),)

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    status: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    opened_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    updated_by: Mapped[str] = mapped_column(NAME)
    updated_at: Mapped[datetime]


class DealLineLinkRow(Base):
    """A person or place linked to a deal line."""

    __tablename__ = "ops_line_links"
    __table_args__ = (Index("ix_ops_line_links_number", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(ForeignKey("ops_lines.number", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(200))
