"""SQL implementations of ``domain.journey_repositories``, and ``SqlJourneyStore``.

``SqlJourneyStore`` is a ``SqlCaseStore`` with the victim, risk, evidence, CPS, custody and
timeline repositories on the same session, so one unit of work covers a charging decision
and the stage change it causes. Repositories flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain.cases import Case, Role
from casework.domain.cps import (
    ActionItem,
    ChargingDecision,
    ChargingOutcome,
    ChargingTest,
    CourtHearing,
    CustodyRecord,
    HearingStatus,
)
from casework.domain.evidence import EvidenceRecord
from casework.domain.journey_repositories import ConductDetails, RecordedRisk
from casework.domain.pole import EventPhase
from casework.domain.repositories import ConcurrentChange
from casework.domain.risk import ProfessionalJudgement, RiskAssessment, RiskLevel
from casework.domain.timeline import ConductKind
from casework.domain.victim import (
    ContactLogEntry,
    ContactMethod,
    OutcomeWanted,
    ReferralKind,
    SupportReferral,
    TimeWindow,
    VictimWishes,
    Withdrawal,
    WithdrawalReason,
)
from casework.store.engine import session_factory
from casework.store.journey_models import (
    ChargingDecisionRow,
    CourtHearingRow,
    CpsActionItemRow,
    CustodyRecordRow,
    EventConductRow,
    EvidenceItemRow,
    RiskAssessmentRow,
    SupportReferralRow,
    VictimAvailabilityRow,
    VictimContactRow,
    VictimWishesRow,
    VictimWithdrawalRow,
)
from casework.store.models import CasePartyRow, EventRow
from casework.store.repositories import SqlCaseStore


def _window(data: dict[str, Any]) -> TimeWindow:
    return TimeWindow(
        days=frozenset(int(d) for d in data["days"]),
        start=time.fromisoformat(data["start"]),
        end=time.fromisoformat(data["end"]),
    )


def _window_data(window: TimeWindow) -> dict[str, Any]:
    return {
        "days": sorted(window.days),
        "start": window.start.isoformat(timespec="minutes"),
        "end": window.end.isoformat(timespec="minutes"),
    }


class SqlVictimRepository:
    """Contact log, wishes, referrals and withdrawals in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_contact(self, *, case: Case, entry: ContactLogEntry, recorded_at: datetime) -> None:
        self._session.add(
            VictimContactRow(
                case_id=case.id,
                force=case.force,
                at=entry.at,
                method=entry.method.value,
                by=entry.by,
                summary=entry.summary,
                agreed=entry.agreed,
                made=entry.made,
                recorded_at=recorded_at,
            )
        )
        self._session.flush()

    def contacts(self, *, case_id: UUID) -> list[ContactLogEntry]:
        rows = self._session.scalars(
            select(VictimContactRow)
            .where(VictimContactRow.case_id == case_id)
            .order_by(VictimContactRow.at, VictimContactRow.recorded_at)
        )
        return [
            ContactLogEntry(
                at=r.at,
                method=ContactMethod(r.method),
                by=r.by,
                summary=r.summary,
                agreed=r.agreed,
                made=r.made,
            )
            for r in rows
        ]

    def set_wishes(
        self, *, case: Case, wishes: VictimWishes, recorded_by: str, recorded_at: datetime
    ) -> None:
        self._session.add(
            VictimWishesRow(
                case_id=case.id,
                force=case.force,
                recorded_on=wishes.recorded_on,
                outcome_wanted=wishes.outcome_wanted.value,
                outcome_notes=wishes.outcome_notes,
                safe_methods=[m.value for m in wishes.safe_methods],
                safe_times=[_window_data(w) for w in wishes.safe_times],
                cautions=wishes.cautions,
                opted_out=wishes.opted_out_of_updates,
                recorded_by=recorded_by,
                recorded_at=recorded_at,
            )
        )
        self._session.flush()

    def wishes(self, *, case_id: UUID) -> VictimWishes | None:
        row = self._session.scalars(
            select(VictimWishesRow)
            .where(VictimWishesRow.case_id == case_id)
            .order_by(VictimWishesRow.recorded_at.desc(), VictimWishesRow.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        return VictimWishes(
            recorded_on=row.recorded_on,
            outcome_wanted=OutcomeWanted(row.outcome_wanted),
            outcome_notes=row.outcome_notes,
            safe_methods=tuple(ContactMethod(m) for m in row.safe_methods),
            safe_times=tuple(_window(w) for w in row.safe_times),
            cautions=row.cautions,
            opted_out_of_updates=row.opted_out,
        )

    def add_referral(self, *, case: Case, referral: SupportReferral, recorded_at: datetime) -> None:
        self._session.add(
            SupportReferralRow(
                case_id=case.id,
                force=case.force,
                kind=referral.kind.value,
                made_on=referral.made_on,
                by=referral.by,
                accepted=referral.accepted,
                notes=referral.notes,
                recorded_at=recorded_at,
            )
        )
        self._session.flush()

    def referrals(self, *, case_id: UUID) -> list[SupportReferral]:
        rows = self._session.scalars(
            select(SupportReferralRow)
            .where(SupportReferralRow.case_id == case_id)
            .order_by(SupportReferralRow.made_on, SupportReferralRow.recorded_at)
        )
        return [
            SupportReferral(
                kind=ReferralKind(r.kind),
                made_on=r.made_on,
                by=r.by,
                accepted=r.accepted,
                notes=r.notes,
            )
            for r in rows
        ]

    def marac_referrals(self, *, person_ids: list[UUID]) -> list[date]:
        if not person_ids:
            return []
        victims_cases = select(CasePartyRow.case_id).where(
            CasePartyRow.person_id.in_(person_ids), CasePartyRow.role == Role.VICTIM.value
        )
        rows = self._session.scalars(
            select(SupportReferralRow.made_on)
            .where(
                SupportReferralRow.kind == ReferralKind.MARAC.value,
                SupportReferralRow.case_id.in_(victims_cases),
            )
            .order_by(SupportReferralRow.made_on)
        )
        return list(rows)

    def add_withdrawal(self, *, case: Case, withdrawal: Withdrawal, recorded_at: datetime) -> None:
        self._session.add(
            VictimWithdrawalRow(
                case_id=case.id,
                force=case.force,
                withdrawn_on=withdrawal.on,
                stage=withdrawal.stage,
                reasons=[r.value for r in withdrawal.reasons],
                details=withdrawal.details,
                recorded_by=withdrawal.recorded_by,
                recorded_at=recorded_at,
            )
        )
        self._session.flush()

    def withdrawal(self, *, case_id: UUID) -> Withdrawal | None:
        row = self._session.scalars(
            select(VictimWithdrawalRow)
            .where(VictimWithdrawalRow.case_id == case_id)
            .order_by(VictimWithdrawalRow.recorded_at.desc(), VictimWithdrawalRow.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        return Withdrawal(
            on=row.withdrawn_on,
            stage=row.stage,
            reasons=tuple(WithdrawalReason(r) for r in row.reasons),
            details=row.details,
            recorded_by=row.recorded_by,
        )


class SqlRiskRepository:
    """Risk assessments in SQL, answers and result together."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, case: Case, risk: RecordedRisk) -> None:
        a = risk.assessment
        self._session.add(
            RiskAssessmentRow(
                id=risk.id,
                case_id=case.id,
                force=case.force,
                tool=a.tool,
                version=a.version,
                assessed_on=risk.assessed_on,
                assessed_by=risk.assessed_by,
                answers=dict(risk.answers),
                judgement_level=risk.judgement.level.value if risk.judgement else None,
                judgement_reason=risk.judgement.reason if risk.judgement else "",
                level=a.level.value,
                count_level=a.count_level.value if a.count_level else None,
                yes_count=a.yes_count,
                not_known_count=a.not_known_count,
                rule_id=a.rule_id,
                rule=a.rule,
                marac_referral_due=a.marac_referral_due,
                reasons=list(a.reasons),
                sources=list(a.sources),
                recorded_at=risk.recorded_at,
            )
        )
        self._session.flush()

    def for_case(self, *, case_id: UUID) -> list[RecordedRisk]:
        rows = self._session.scalars(
            select(RiskAssessmentRow)
            .where(RiskAssessmentRow.case_id == case_id)
            .order_by(RiskAssessmentRow.assessed_on, RiskAssessmentRow.recorded_at)
        )
        return [_risk(r) for r in rows]


def _risk(row: RiskAssessmentRow) -> RecordedRisk:
    judgement = (
        ProfessionalJudgement(
            level=RiskLevel(row.judgement_level), reason=row.judgement_reason, by=row.assessed_by
        )
        if row.judgement_level is not None
        else None
    )
    return RecordedRisk(
        id=row.id,
        assessment=RiskAssessment(
            tool=row.tool,
            version=row.version,
            level=RiskLevel(row.level),
            yes_count=row.yes_count,
            not_known_count=row.not_known_count,
            rule_id=row.rule_id,
            rule=row.rule,
            marac_referral_due=row.marac_referral_due,
            reasons=tuple(row.reasons),
            sources=tuple(row.sources),
            count_level=RiskLevel(row.count_level) if row.count_level else None,
        ),
        answers=dict(row.answers),
        assessed_on=row.assessed_on,
        assessed_by=row.assessed_by,
        recorded_at=row.recorded_at,
        judgement=judgement,
    )


class SqlEvidenceRepository:
    """The evidence checklist of each case in SQL: one row per item, updated in place."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def set_item(
        self, *, case: Case, item_id: str, record: EvidenceRecord, by: str, at: datetime
    ) -> None:
        row = self._session.scalars(
            select(EvidenceItemRow).where(
                EvidenceItemRow.case_id == case.id, EvidenceItemRow.item_id == item_id
            )
        ).one_or_none()
        status = str(getattr(record.status, "value", record.status))
        if row is None:
            self._session.add(
                EvidenceItemRow(
                    case_id=case.id,
                    force=case.force,
                    item_id=item_id,
                    status=status,
                    notes=record.notes,
                    updated_by=by,
                    updated_at=at,
                )
            )
        else:
            row.status, row.notes, row.updated_by, row.updated_at = status, record.notes, by, at
        try:
            self._session.flush()
        except IntegrityError as error:
            raise ConcurrentChange(f"evidence {item_id} changed meanwhile") from error

    def for_case(self, *, case_id: UUID) -> dict[str, EvidenceRecord]:
        rows = self._session.scalars(
            select(EvidenceItemRow).where(EvidenceItemRow.case_id == case_id)
        )
        return {r.item_id: EvidenceRecord(r.status, r.notes) for r in rows}

    def set_victim_unavailable(
        self, *, case: Case, ground: str | None, by: str, at: datetime
    ) -> None:
        self._session.add(
            VictimAvailabilityRow(
                case_id=case.id, force=case.force, ground=ground, recorded_by=by, recorded_at=at
            )
        )
        self._session.flush()

    def victim_unavailable(self, *, case_id: UUID) -> str | None:
        row = self._session.scalars(
            select(VictimAvailabilityRow)
            .where(VictimAvailabilityRow.case_id == case_id)
            .order_by(VictimAvailabilityRow.recorded_at.desc(), VictimAvailabilityRow.id)
            .limit(1)
        ).first()
        return row.ground if row is not None else None


class SqlCpsRepository:
    """Charging decisions, action plans and court dates in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _flush(self, what: str) -> None:
        try:
            self._session.flush()
        except IntegrityError as error:
            raise ConcurrentChange(f"{what}: someone else added one meanwhile") from error

    def add_decision(self, *, decision: ChargingDecision) -> None:
        self._session.add(
            ChargingDecisionRow(
                id=decision.id,
                case_id=decision.case_id,
                force=decision.force,
                outcome=decision.outcome.value,
                test=decision.test.value if decision.test else None,
                charges=list(decision.charges),
                reasons=decision.reasons,
                prosecutor=decision.prosecutor,
                decided_at=decision.decided_at,
            )
        )
        self._flush("charging decision")

    def decisions(self, *, case_id: UUID) -> list[ChargingDecision]:
        rows = self._session.scalars(
            select(ChargingDecisionRow)
            .where(ChargingDecisionRow.case_id == case_id)
            .order_by(ChargingDecisionRow.decided_at, ChargingDecisionRow.id)
        )
        return [
            ChargingDecision(
                id=r.id,
                case_id=r.case_id,
                force=r.force,
                outcome=ChargingOutcome(r.outcome),
                test=ChargingTest(r.test) if r.test else None,
                charges=tuple(r.charges),
                reasons=r.reasons,
                prosecutor=r.prosecutor,
                decided_at=r.decided_at,
            )
            for r in rows
        ]

    def add_action(self, *, item: ActionItem) -> None:
        self._session.add(
            CpsActionItemRow(
                id=item.id,
                case_id=item.case_id,
                force=item.force,
                number=item.number,
                action=item.action,
                due_on=item.due_on,
                set_by=item.set_by,
                set_at=item.set_at,
                response=item.response,
                responded_by=item.responded_by,
                responded_at=item.responded_at,
            )
        )
        self._flush(f"action plan item {item.number}")

    def actions(self, *, case_id: UUID) -> list[ActionItem]:
        rows = self._session.scalars(
            select(CpsActionItemRow)
            .where(CpsActionItemRow.case_id == case_id)
            .order_by(CpsActionItemRow.number)
        )
        return [
            ActionItem(
                id=r.id,
                case_id=r.case_id,
                force=r.force,
                number=r.number,
                action=r.action,
                due_on=r.due_on,
                set_by=r.set_by,
                set_at=r.set_at,
                response=r.response,
                responded_by=r.responded_by,
                responded_at=r.responded_at,
            )
            for r in rows
        ]

    def respond(self, *, item_id: UUID, response: str, by: str, at: datetime) -> None:
        self._session.execute(
            update(CpsActionItemRow)
            .where(CpsActionItemRow.id == item_id)
            .values(response=response, responded_by=by, responded_at=at)
        )
        self._session.expire_all()

    def add_hearing(self, *, hearing: CourtHearing) -> None:
        self._session.add(
            CourtHearingRow(
                id=hearing.id,
                case_id=hearing.case_id,
                force=hearing.force,
                number=hearing.number,
                hearing=hearing.hearing,
                hearing_on=hearing.on,
                court=hearing.court,
                status=hearing.status.value,
                listed_by=hearing.listed_by,
                listed_at=hearing.listed_at,
                closed_on=hearing.closed_on,
            )
        )
        self._flush(f"hearing {hearing.number}")

    def hearings(self, *, case_id: UUID) -> list[CourtHearing]:
        rows = self._session.scalars(
            select(CourtHearingRow)
            .where(CourtHearingRow.case_id == case_id)
            .order_by(CourtHearingRow.number)
        )
        return [
            CourtHearing(
                id=r.id,
                case_id=r.case_id,
                force=r.force,
                number=r.number,
                hearing=r.hearing,
                on=r.hearing_on,
                court=r.court,
                status=HearingStatus(r.status),
                listed_by=r.listed_by,
                listed_at=r.listed_at,
                closed_on=r.closed_on,
            )
            for r in rows
        ]

    def close_hearing(self, *, hearing_id: UUID, status: HearingStatus, on: date) -> None:
        self._session.execute(
            update(CourtHearingRow)
            .where(CourtHearingRow.id == hearing_id)
            .values(status=status.value, closed_on=on)
        )
        self._session.expire_all()


class SqlCustodyRepository:
    """Detentions in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, record: CustodyRecord) -> None:
        self._session.add(
            CustodyRecordRow(
                id=record.id,
                case_id=record.case_id,
                force=record.force,
                suspect_id=record.suspect_id,
                offence_code=record.offence_code,
                relevant_time=record.relevant_time,
                authorised_at=record.authorised_at,
                released_at=record.released_at,
                release_note=record.release_note,
                recorded_by=record.recorded_by,
                recorded_at=record.recorded_at,
            )
        )
        self._session.flush()

    def for_case(self, *, case_id: UUID) -> list[CustodyRecord]:
        rows = self._session.scalars(
            select(CustodyRecordRow)
            .where(CustodyRecordRow.case_id == case_id)
            .order_by(CustodyRecordRow.relevant_time, CustodyRecordRow.id)
        )
        return [
            CustodyRecord(
                id=r.id,
                case_id=r.case_id,
                force=r.force,
                suspect_id=r.suspect_id,
                offence_code=r.offence_code,
                relevant_time=r.relevant_time,
                authorised_at=r.authorised_at,
                released_at=r.released_at,
                release_note=r.release_note,
                recorded_by=r.recorded_by,
                recorded_at=r.recorded_at,
            )
            for r in rows
        ]

    def release(self, *, record_id: UUID, at: datetime, note: str) -> None:
        self._session.execute(
            update(CustodyRecordRow)
            .where(CustodyRecordRow.id == record_id)
            .values(released_at=at, release_note=note)
        )
        self._session.expire_all()


class SqlConductRepository:
    """Suspect-timeline details of events in SQL (one row per event, beside ``events``)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, event_id: UUID, force: str, details: ConductDetails) -> None:
        self._session.add(
            EventConductRow(
                event_id=event_id,
                force=force,
                kind=details.kind.value,
                fear_of_violence=details.fear_of_violence,
                date_only=details.date_only,
                doc_start=details.start,
                doc_end=details.end,
            )
        )
        self._session.flush()

    def for_events(self, *, event_ids: list[UUID]) -> dict[UUID, ConductDetails]:
        if not event_ids:
            return {}
        rows = self._session.scalars(
            select(EventConductRow).where(EventConductRow.event_id.in_(event_ids))
        )
        return {
            r.event_id: ConductDetails(
                kind=ConductKind(r.kind),
                fear_of_violence=r.fear_of_violence,
                date_only=r.date_only,
                start=r.doc_start,
                end=r.doc_end,
            )
            for r in rows
        }

    def confirm(
        self,
        *,
        event_id: UUID,
        force: str,
        details: ConductDetails,
        phase: EventPhase | None,
        description: str | None,
    ) -> None:
        values: dict[str, Any] = {"phase": phase.value if phase is not None else None}
        if description is not None:
            values["description"] = description
        self._session.execute(update(EventRow).where(EventRow.id == event_id).values(**values))
        row = self._session.get(EventConductRow, event_id)
        if row is None:
            self.add(event_id=event_id, force=force, details=details)
        else:
            row.kind = details.kind.value
            row.fear_of_violence = details.fear_of_violence
            self._session.flush()
        self._session.expire_all()


class SqlJourneyStore(SqlCaseStore):
    """A ``SqlCaseStore`` with the victim, risk, evidence, CPS, custody and timeline records."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._victims = SqlVictimRepository(session)
        self._risks = SqlRiskRepository(session)
        self._evidence = SqlEvidenceRepository(session)
        self._cps = SqlCpsRepository(session)
        self._custody = SqlCustodyRepository(session)
        self._conduct = SqlConductRepository(session)

    @classmethod
    def open(cls, engine: Engine) -> SqlJourneyStore:
        return cls(session_factory(engine)())

    @property
    def victims(self) -> SqlVictimRepository:
        return self._victims

    @property
    def risks(self) -> SqlRiskRepository:
        return self._risks

    @property
    def evidence(self) -> SqlEvidenceRepository:
        return self._evidence

    @property
    def cps(self) -> SqlCpsRepository:
        return self._cps

    @property
    def custody(self) -> SqlCustodyRepository:
        return self._custody

    @property
    def conduct(self) -> SqlConductRepository:
        return self._conduct
