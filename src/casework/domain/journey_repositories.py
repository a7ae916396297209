"""What the victim, risk, evidence, CPS and timeline services need from storage (ports).

These extend ``domain.repositories``: a ``JourneyStore`` is a ``CaseStore`` with more
repositories on the same unit of work, so a service can record a charging decision and
move the case to ``charged`` in one transaction. ``store`` implements them in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from uuid import UUID, uuid4

from casework.domain.cases import Case
from casework.domain.cps import (
    ActionItem,
    ChargingDecision,
    CourtHearing,
    CustodyRecord,
    HearingStatus,
)
from casework.domain.evidence import EvidenceRecord
from casework.domain.pole import EventPhase
from casework.domain.repositories import CaseStore
from casework.domain.risk import ProfessionalJudgement, RiskAssessment
from casework.domain.timeline import ConductKind
from casework.domain.victim import ContactLogEntry, SupportReferral, VictimWishes, Withdrawal


@dataclass(frozen=True, slots=True)
class RecordedRisk:
    """A risk assessment as kept: the answers given, the judgement, and the graded result.

    The answers are kept with the result so that the grade can be explained (and checked
    again) against the question set version that was used.
    """

    assessment: RiskAssessment
    answers: Mapping[str, str]
    assessed_on: date
    assessed_by: str
    recorded_at: datetime
    judgement: ProfessionalJudgement | None = None
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class ConductDetails:
    """What makes a case event part of the suspect timeline.

    ``date_only`` says the time of day is unknown (the event's stored instant is then noon,
    London time, and means only the day); ``start``/``end`` are offsets in the source
    document of an event proposed from it.
    """

    kind: ConductKind
    fear_of_violence: bool = False
    date_only: bool = False
    start: int | None = None
    end: int | None = None


class VictimRepository(Protocol):
    """Contact log, wishes, referrals and withdrawal of the victim of a case."""

    def add_contact(self, *, case: Case, entry: ContactLogEntry, recorded_at: datetime) -> None: ...

    def contacts(self, *, case_id: UUID) -> list[ContactLogEntry]:
        """The contact log, oldest first."""
        ...

    def set_wishes(
        self, *, case: Case, wishes: VictimWishes, recorded_by: str, recorded_at: datetime
    ) -> None:
        """Record the victim's wishes as they now are (earlier ones are kept as history)."""
        ...

    def wishes(self, *, case_id: UUID) -> VictimWishes | None:
        """The wishes last recorded, or None."""
        ...

    def add_referral(
        self, *, case: Case, referral: SupportReferral, recorded_at: datetime
    ) -> None: ...

    def referrals(self, *, case_id: UUID) -> list[SupportReferral]: ...

    def marac_referrals(self, *, person_ids: list[UUID]) -> list[date]:
        """Dates of MARAC referrals in any case where one of these persons is the victim."""
        ...

    def add_withdrawal(
        self, *, case: Case, withdrawal: Withdrawal, recorded_at: datetime
    ) -> None: ...

    def withdrawal(self, *, case_id: UUID) -> Withdrawal | None:
        """The latest withdrawal of support, or None."""
        ...


class RiskRepository(Protocol):
    """Risk assessments of a case, kept in full so that escalation can be seen over time."""

    def add(self, *, case: Case, risk: RecordedRisk) -> None: ...

    def for_case(self, *, case_id: UUID) -> list[RecordedRisk]:
        """Every assessment, oldest first."""
        ...


class EvidenceRepository(Protocol):
    """The evidence-led prosecution checklist as it stands on a case."""

    def set_item(
        self, *, case: Case, item_id: str, record: EvidenceRecord, by: str, at: datetime
    ) -> None:
        """Set the status (and note) of one checklist item, replacing the previous one."""
        ...

    def for_case(self, *, case_id: UUID) -> dict[str, EvidenceRecord]: ...

    def set_victim_unavailable(
        self, *, case: Case, ground: str | None, by: str, at: datetime
    ) -> None:
        """Record the s.116(2) ground on which the victim is unavailable (None: available)."""
        ...

    def victim_unavailable(self, *, case_id: UUID) -> str | None: ...


class CpsRepository(Protocol):
    """Charging decisions, action plans and court dates."""

    def add_decision(self, *, decision: ChargingDecision) -> None: ...

    def decisions(self, *, case_id: UUID) -> list[ChargingDecision]:
        """Every decision, oldest first (the last is the one in force)."""
        ...

    def add_action(self, *, item: ActionItem) -> None: ...

    def actions(self, *, case_id: UUID) -> list[ActionItem]:
        """The action plan in item order."""
        ...

    def respond(self, *, item_id: UUID, response: str, by: str, at: datetime) -> None: ...

    def add_hearing(self, *, hearing: CourtHearing) -> None: ...

    def hearings(self, *, case_id: UUID) -> list[CourtHearing]:
        """Court dates in the order they were listed."""
        ...

    def close_hearing(self, *, hearing_id: UUID, status: HearingStatus, on: date) -> None: ...


class CustodyRepository(Protocol):
    """Detentions of suspects in a case, for the PACE clock."""

    def add(self, *, record: CustodyRecord) -> None: ...

    def for_case(self, *, case_id: UUID) -> list[CustodyRecord]:
        """Detentions, oldest first."""
        ...

    def release(self, *, record_id: UUID, at: datetime, note: str) -> None: ...


class ConductRepository(Protocol):
    """The suspect-timeline details of case events (the events themselves are POLE events)."""

    def add(self, *, event_id: UUID, force: str, details: ConductDetails) -> None: ...

    def for_events(self, *, event_ids: list[UUID]) -> dict[UUID, ConductDetails]: ...

    def confirm(
        self,
        *,
        event_id: UUID,
        force: str,
        details: ConductDetails,
        phase: EventPhase | None,
        description: str | None,
    ) -> None:
        """Set what an investigator said a proposed event was, as they confirm it."""
        ...


class JourneyStore(CaseStore, Protocol):
    """A ``CaseStore`` with the victim, risk, evidence, CPS, custody and timeline records."""

    @property
    def victims(self) -> VictimRepository: ...

    @property
    def risks(self) -> RiskRepository: ...

    @property
    def evidence(self) -> EvidenceRepository: ...

    @property
    def cps(self) -> CpsRepository: ...

    @property
    def custody(self) -> CustodyRepository: ...

    @property
    def conduct(self) -> ConductRepository: ...
