"""SQLAlchemy models of the victim, risk, evidence, CPS, custody and suspect-timeline records.

On the shared ``Base`` (``store.models``), made by migration ``0002_victim_cps``. Every row
carries ``force``, keys are UUIDs, and each table has the index its one query needs: the
records of a case in time order. Lists (reasons, charges, safe times) are JSON, because
they are read and written whole with their row and never queried inside.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import CODE, FORCE, NAME, Base


def _case_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))


class VictimContactRow(Base):
    """One contact or attempt to contact the victim."""

    __tablename__ = "victim_contacts"
    __table_args__ = (Index("ix_victim_contacts_case_id_at", "case_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    at: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(NAME)
    summary: Mapped[str] = mapped_column(Text)
    agreed: Mapped[str] = mapped_column(Text)
    made: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]


class VictimWishesRow(Base):
    """The victim's wishes as recorded on a day; the latest row is the one in force."""

    __tablename__ = "victim_wishes"
    __table_args__ = (Index("ix_victim_wishes_case_id_recorded_at", "case_id", "recorded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    recorded_on: Mapped[date]
    outcome_wanted: Mapped[str] = mapped_column(String(30))
    outcome_notes: Mapped[str] = mapped_column(Text)
    safe_methods: Mapped[list[str]] = mapped_column(JSON)
    safe_times: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    cautions: Mapped[str] = mapped_column(Text)
    opted_out: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class SupportReferralRow(Base):
    """A referral of the victim to a support service (IDVA, MARAC, ...)."""

    __tablename__ = "support_referrals"
    __table_args__ = (
        Index("ix_support_referrals_case_id_made_on", "case_id", "made_on"),
        Index("ix_support_referrals_kind_case_id", "kind", "case_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    kind: Mapped[str] = mapped_column(String(20))
    made_on: Mapped[date]
    by: Mapped[str] = mapped_column(NAME)
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class VictimWithdrawalRow(Base):
    """The victim withdrew support: when, at which stage, and why."""

    __tablename__ = "victim_withdrawals"
    __table_args__ = (Index("ix_victim_withdrawals_case_id_recorded_at", "case_id", "recorded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    withdrawn_on: Mapped[date]
    stage: Mapped[str] = mapped_column(String(30))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    details: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class RiskAssessmentRow(Base):
    """A DASH or DARA assessment: the answers given and the graded result with its reasons."""

    __tablename__ = "risk_assessments"
    __table_args__ = (Index("ix_risk_assessments_case_id_assessed_on", "case_id", "assessed_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    tool: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(40))
    assessed_on: Mapped[date]
    assessed_by: Mapped[str] = mapped_column(NAME)
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    judgement_level: Mapped[str | None] = mapped_column(String(10))
    judgement_reason: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(10))
    count_level: Mapped[str | None] = mapped_column(String(10))
    yes_count: Mapped[int] = mapped_column(Integer)
    not_known_count: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(80))
    rule: Mapped[str] = mapped_column(Text)
    marac_referral_due: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime]


class EvidenceItemRow(Base):
    """The status of one evidence-checklist item on a case (one row per item)."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    item_id: Mapped[str] = mapped_column(CODE)
    status: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(NAME)
    updated_at: Mapped[datetime]


class VictimAvailabilityRow(Base):
    """Whether the victim is unavailable to give evidence, on which s.116(2) ground."""

    __tablename__ = "victim_availability"
    __table_args__ = (
        Index("ix_victim_availability_case_id_recorded_at", "case_id", "recorded_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    ground: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class ChargingDecisionRow(Base):
    """A prosecutor's charging decision (MG3): the test, the charges and the reasons."""

    __tablename__ = "charging_decisions"
    __table_args__ = (Index("ix_charging_decisions_case_id_decided_at", "case_id", "decided_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    outcome: Mapped[str] = mapped_column(String(30))
    test: Mapped[str | None] = mapped_column(String(20))
    charges: Mapped[list[str]] = mapped_column(JSON)
    reasons: Mapped[str] = mapped_column(Text)
    prosecutor: Mapped[str] = mapped_column(NAME)
    decided_at: Mapped[datetime]


class CpsActionItemRow(Base):
    """An action-plan item set by the prosecutor and the investigator's response."""

    __tablename__ = "cps_action_items"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    set_by: Mapped[str] = mapped_column(NAME)
    set_at: Mapped[datetime]
    response: Mapped[str] = mapped_column(Text)
    responded_by: Mapped[str] = mapped_column(NAME)
    responded_at: Mapped[datetime | None]


class CourtHearingRow(Base):
    """A court date of a case."""

    __tablename__ = "court_hearings"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    number: Mapped[int] = mapped_column(Integer)
    hearing: Mapped[str] = mapped_column(NAME)
    hearing_on: Mapped[date]
    court: Mapped[str] = mapped_column(NAME)
    status: Mapped[str] = mapped_column(String(10))
    listed_by: Mapped[str] = mapped_column(NAME)
    listed_at: Mapped[datetime]
    closed_on: Mapped[date | None]


class CustodyRecordRow(Base):
    """A suspect's detention: the PACE relevant time and, later, the release."""

    __tablename__ = "custody_records"
    __table_args__ = (
        Index("ix_custody_records_case_id_relevant_time", "case_id", "relevant_time"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = _case_fk()
    force: Mapped[str] = mapped_column(FORCE)
    suspect_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("persons.id"), index=True)
    offence_code: Mapped[str] = mapped_column(CODE)
    relevant_time: Mapped[datetime]
    authorised_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    release_note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(NAME)
    recorded_at: Mapped[datetime]


class EventConductRow(Base):
    """What makes a case event part of the suspect timeline (one row per such event)."""

    __tablename__ = "event_conduct"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    kind: Mapped[str] = mapped_column(String(30))
    fear_of_violence: Mapped[bool] = mapped_column(Boolean)
    date_only: Mapped[bool] = mapped_column(Boolean)
    doc_start: Mapped[int | None] = mapped_column(Integer)
    doc_end: Mapped[int | None] = mapped_column(Integer)
