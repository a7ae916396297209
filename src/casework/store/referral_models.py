"""SQLAlchemy models of industry referrals: reports, their identifiers, held reports,
outcomes and known-hash lists (migration ``0004_referrals``).

A referral carries ``force`` (the force it is assigned to, empty until then) so that a
force's users can be scoped to theirs. The report itself, the reasons and the matches are
JSON: read and written whole with their row, never queried inside. Identifiers (accounts,
e-mails, phones, file hashes) are rows of their own, indexed, because deduplication looks
them up across all referrals.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base

REFERENCE = String(24)


class ReferralRow(Base):
    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_status_priority", "status", "priority"),
        Index("ix_referrals_force_status", "force", "status"),
        Index("ix_referrals_reporter_platform_report_id", "reporter", "platform_report_id"),
        Index("ix_referrals_received_at", "received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    reference: Mapped[str] = mapped_column(REFERENCE, unique=True)
    force: Mapped[str | None] = mapped_column(FORCE, nullable=True)
    located_force: Mapped[str | None] = mapped_column(FORCE, nullable=True)
    received_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(300))
    reporter: Mapped[str] = mapped_column(String(200))
    platform_report_id: Mapped[str] = mapped_column(String(100))
    incident_type: Mapped[str] = mapped_column(String(100))
    incident_at: Mapped[datetime]
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    priority: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(12))
    priority_reasons: Mapped[list[str]] = mapped_column(JSON)
    location_reasons: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))
    repeat_of: Mapped[str | None] = mapped_column(REFERENCE, nullable=True)
    repeats: Mapped[int] = mapped_column(Integer)
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    assigned_at: Mapped[datetime | None] = mapped_column(nullable=True)
    assigned_by: Mapped[str] = mapped_column(String(64))
    arrests: Mapped[int] = mapped_column(Integer)
    children_safeguarded: Mapped[int] = mapped_column(Integer)


class ReferralIdentifierRow(Base):
    """An account, e-mail, phone or file hash of a referral (deduplication looks them up)."""

    __tablename__ = "referral_identifiers"
    __table_args__ = (Index("ix_referral_identifiers_kind_value", "kind", "value"),)

    referral_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(320), primary_key=True)


class HeldReferralRow(Base):
    """A report that failed validation, kept with its errors until corrected."""

    __tablename__ = "held_referrals"
    __table_args__ = (Index("ix_held_referrals_received_at", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    source: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)
    errors: Mapped[list[str]] = mapped_column(JSON)
    corrected_by: Mapped[str | None] = mapped_column(REFERENCE, nullable=True)


class ReferralOutcomeRow(Base):
    """Arrests and children safeguarded that a force reported for a referral (append-only)."""

    __tablename__ = "referral_outcomes"
    __table_args__ = (Index("ix_referral_outcomes_force_on", "force", "on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    on: Mapped[date]
    arrests: Mapped[int] = mapped_column(Integer)
    children_safeguarded: Mapped[int] = mapped_column(Integer)
    final: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]


class KnownHashRow(Base):
    """One entry of a known-hash list (MD5, SHA-1 or PDQ)."""

    __tablename__ = "known_hashes"
    __table_args__ = (
        UniqueConstraint("kind", "value", "list_name"),
        Index("ix_known_hashes_kind_value", "kind", "value"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    list_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]
