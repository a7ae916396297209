"""Victim, risk, evidence, CPS and timeline rows round-trip on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import func, select

from casework.domain.evidence import EvidenceRecord
from casework.domain.journey_repositories import ConductDetails, RecordedRisk
from casework.domain.pole import EventDetails, EventKind
from casework.domain.risk import ProfessionalJudgement, RiskLevel, assess_risk, load_question_set
from casework.domain.timeline import ConductKind
from casework.domain.victim import (
    ContactMethod,
    OutcomeWanted,
    ReferralKind,
    SupportReferral,
    TimeWindow,
    VictimWishes,
    Withdrawal,
    WithdrawalReason,
)
from casework.journey.cases import open_case, record_event
from casework.store.journey_models import EventConductRow, VictimWishesRow
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.models import CaseRow
from casework.store.repositories import SqlCaseStore
from tests.db import NOW, make_new_case


def test_victim_records_round_trip(store: SqlCaseStore) -> None:
    journey = SqlJourneyStore(store.session)
    case = open_case(store=journey, new=make_new_case(), actor="x", now=NOW)
    wishes = VictimWishes(
        recorded_on=date(2026, 3, 2),
        outcome_wanted=OutcomeWanted.PROTECTION_ONLY,
        safe_methods=(ContactMethod.TEXT, ContactMethod.VIA_IDVA),
        safe_times=(TimeWindow(frozenset({5, 6}), time(10), time(16, 30)),),
        cautions="not at home",
        opted_out_of_updates=True,
    )
    journey.victims.set_wishes(case=case, wishes=wishes, recorded_by="x", recorded_at=NOW)
    later = wishes.__class__(recorded_on=date(2026, 3, 3))
    journey.victims.set_wishes(
        case=case, wishes=later, recorded_by="x", recorded_at=NOW + timedelta(days=1)
    )
    assert journey.victims.wishes(case_id=case.id) == later  # the latest is in force
    assert store.session.scalar(select(func.count()).select_from(VictimWishesRow)) == 2
    withdrawal = Withdrawal(
        on=date(2026, 3, 2), stage="reported", reasons=(WithdrawalReason.DELAY,), recorded_by="x"
    )
    journey.victims.add_withdrawal(case=case, withdrawal=withdrawal, recorded_at=NOW)
    assert journey.victims.withdrawal(case_id=case.id) == withdrawal
    journey.victims.add_referral(
        case=case,
        referral=SupportReferral(ReferralKind.MARAC, date(2026, 3, 2), "x", accepted=True),
        recorded_at=NOW,
    )
    victim = case.parties[0].person
    assert journey.victims.marac_referrals(person_ids=[victim.id]) == [date(2026, 3, 2)]
    assert journey.victims.marac_referrals(person_ids=[case.parties[1].person.id]) == []


def test_risk_and_evidence_round_trip(store: SqlCaseStore) -> None:
    journey = SqlJourneyStore(store.session)
    case = open_case(store=journey, new=make_new_case(), actor="x", now=NOW)
    questions = load_question_set("dara")
    answers = {q: "not_known" for q in questions.question_ids}
    judgement = ProfessionalJudgement(RiskLevel.MEDIUM, "history of threats", "x")
    assessment = assess_risk(questions, answers, assessed_on=date(2026, 3, 2), judgement=judgement)
    risk = RecordedRisk(assessment, answers, date(2026, 3, 2), "x", NOW, judgement)
    journey.risks.add(case=case, risk=risk)
    assert journey.risks.for_case(case_id=case.id) == [risk]
    journey.evidence.set_item(
        case=case, item_id="cctv", record=EvidenceRecord("requested", "ref 12"), by="x", at=NOW
    )
    journey.evidence.set_item(
        case=case, item_id="cctv", record=EvidenceRecord("obtained", "AK/2"), by="x", at=NOW
    )
    assert journey.evidence.for_case(case_id=case.id) == {
        "cctv": EvidenceRecord("obtained", "AK/2")
    }


def test_conduct_rows_go_with_their_event_and_case(store: SqlCaseStore) -> None:
    journey = SqlJourneyStore(store.session)
    case = open_case(store=journey, new=make_new_case(), actor="x", now=NOW)
    event = record_event(
        store=journey,
        reference=case.reference,
        details=EventDetails(kind=EventKind.INCIDENT, description="threat", occurred_at=NOW),
        actor="x",
        now=NOW,
    )
    details = ConductDetails(ConductKind.THREAT, fear_of_violence=True, date_only=True)
    journey.conduct.add(event_id=event.id, force=case.force, details=details)
    assert journey.conduct.for_events(event_ids=[event.id]) == {event.id: details}
    store.session.delete(store.session.get(CaseRow, case.id))
    store.session.flush()
    assert store.session.scalar(select(func.count()).select_from(EventConductRow)) == 0
