"""Victim services over real storage (SQLite and PostgreSQL), each test rolled back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from casework.domain.cases import Role
from casework.domain.evidence import EvidenceStatus
from casework.domain.risk import RiskLevel
from casework.domain.stages import Stage
from casework.domain.victim import (
    ContactMethod,
    FlagKind,
    OutcomeWanted,
    ReferralKind,
    TimeWindow,
    WithdrawalReason,
)
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import add_party, advance, get_case, open_case
from casework.journey.victim import (
    assess_risk,
    evidence_review,
    log_contact,
    record_wishes,
    refer,
    update_evidence,
    victim_panel,
    withdraw_support,
)
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.repositories import SqlCaseStore
from tests.db import NOW, make_new_case

DASH_IDS = [
    "q01_injury",
    "q02_frightened",
    "q03_fear_of_what",
    "q04_isolation",
    "q05_depression",
    "q06_separation",
    "q07_child_contact",
    "q08_stalking",
    "q09_pregnancy",
    "q10_frequency",
    "q11_severity",
    "q12_control_jealousy",
    "q13_weapons",
    "q14_threats_to_kill",
    "q15_strangulation",
    "q16_sexual_abuse",
    "q17_other_threats",
    "q18_hurt_others",
    "q19_animals",
    "q20_finances",
    "q21_substances_mental_health",
    "q22_abuser_suicide",
    "q23_breach",
    "q24_criminal_history",
]


def dash(yes: int) -> dict[str, str]:
    """DASH answers with the first ``yes`` questions answered yes."""
    return {q: "yes" if i < yes else "no" for i, q in enumerate(DASH_IDS)}


@pytest.fixture
def journey(store: SqlCaseStore) -> SqlJourneyStore:
    return SqlJourneyStore(store.session)


def _open(store: SqlJourneyStore, **overrides: object) -> str:
    new = make_new_case(**overrides)  # type: ignore[arg-type]
    return str(open_case(store=store, new=new, actor="DC Khan", now=NOW).reference)


def test_contact_log_wishes_and_contact_against_wishes(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    first = log_contact(
        store=journey,
        reference=ref,
        at=NOW - timedelta(days=1),
        method=ContactMethod.PHONE,
        by="PC Jones",
        summary="explained the process",
        agreed="call again Friday",
        now=NOW,
    )
    assert first.check is None  # no wishes recorded yet
    record_wishes(
        store=journey,
        reference=ref,
        outcome_wanted=OutcomeWanted.PROSECUTION,
        safe_methods=[ContactMethod.TEXT],
        safe_times=[TimeWindow(frozenset({0, 1, 2, 3, 4}), time(9), time(12))],
        cautions="suspect reads her phone in the evenings",
        actor="PC Jones",
        now=NOW,
    )
    late = log_contact(
        store=journey,
        reference=ref,
        at=NOW + timedelta(hours=9),  # 19:00 London
        method=ContactMethod.PHONE,
        by="PC Jones",
        summary="update",
        now=NOW + timedelta(hours=10),
    )
    assert late.check is not None and not late.check.safe
    panel = victim_panel(store=journey, reference=ref, today=date(2026, 3, 2))
    assert [c.summary for c in panel.contacts] == ["explained the process", "update"]
    assert panel.contacts[0].agreed == "call again Friday"
    assert panel.wishes is not None and panel.wishes.outcome_wanted is OutcomeWanted.PROSECUTION
    assert panel.wishes.safe_times[0].start == time(9)
    kinds = [f.kind for f in panel.engagement.flags]
    assert kinds == [FlagKind.CONTACT_AGAINST_WISHES]


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (NOW + timedelta(days=1), "in the future"),
        (datetime(2026, 2, 1, 12, tzinfo=NOW.tzinfo), "before the report"),
    ],
)
def test_contact_refused(journey: SqlJourneyStore, at: datetime, message: str) -> None:
    ref = _open(journey)
    with pytest.raises(InvalidInput, match=message):
        log_contact(
            store=journey,
            reference=ref,
            at=at,
            method=ContactMethod.PHONE,
            by="x",
            summary="x",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="by"):
        log_contact(
            store=journey,
            reference=ref,
            at=NOW,
            method=ContactMethod.PHONE,
            by=" ",
            summary="x",
            now=NOW,
        )


def test_referral_meets_the_victims_code_duty(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    before = get_case(store=journey, reference=ref).deadlines
    duty = next(d for d in before if d.about == "crime_reported")
    assert duty.settled_on is None
    refer(store=journey, reference=ref, kind=ReferralKind.IDVA, actor="PC Jones", now=NOW)
    after = get_case(store=journey, reference=ref)
    duty = next(d for d in after.deadlines if d.about == "crime_reported")
    assert duty.settled_by == "victim referred to support"
    assert any(e.kind == "support_referral" for e in after.events)
    panel = victim_panel(store=journey, reference=ref, today=date(2026, 3, 2))
    assert [r.kind for r in panel.referrals] == [ReferralKind.IDVA]


def test_risk_graded_kept_and_escalated_by_earlier_cases(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    low = assess_risk(
        store=journey, reference=ref, tool="dash", answers=dash(5), actor="PC Jones", now=NOW
    )
    assert low.assessment.level is RiskLevel.STANDARD
    raised = assess_risk(
        store=journey,
        reference=ref,
        tool="dash",
        answers=dash(5),
        judgement=RiskLevel.HIGH,
        reason="recent strangulation and separation",
        actor="PC Jones",
        now=NOW,
    )
    assert raised.assessment.level is RiskLevel.HIGH and raised.assessment.marac_referral_due
    panel = victim_panel(store=journey, reference=ref, today=date(2026, 3, 2))
    assert [r.assessment.level for r in panel.risks] == [RiskLevel.STANDARD, RiskLevel.HIGH]
    assert panel.risk_trend == "raised from standard"
    assert panel.risk is not None and panel.risk.judgement is not None
    assert panel.risk.answers["q01_injury"] == "yes"
    item = next(line for line in panel.evidence.lines if line.item.id == "risk_assessment")
    assert (item.status, item.notes) == (EvidenceStatus.OBTAINED, "DASH high on 2026-03-02")
    flags = {f.kind for f in panel.engagement.flags}
    assert {FlagKind.IDVA_REFERRAL_MISSING, FlagKind.MARAC_REFERRAL_MISSING} <= flags
    # Earlier cases of a namesake (no date of birth: another person) do not escalate.
    for day in (date(2025, 6, 1), date(2025, 9, 1), date(2026, 1, 5)):
        _open(journey, reported_on=day, offences=(("common_assault", day),))
    namesakes = assess_risk(
        store=journey, reference=ref, tool="dash", answers=dash(2), actor="PC Jones", now=NOW
    )
    assert namesakes.assessment.level is RiskLevel.STANDARD


@pytest.mark.parametrize(("role", "escalates"), [(Role.VICTIM, True), (Role.WITNESS, False)])
def test_escalation_follows_the_same_person(
    journey: SqlJourneyStore, role: Role, escalates: bool
) -> None:
    ref = _open(journey)
    victim = get_case(store=journey, reference=ref).case.people(Role.VICTIM)[0]
    for day in (date(2025, 6, 1), date(2025, 9, 1), date(2026, 1, 5)):
        other = _open(
            journey, reported_on=day, offences=(("common_assault", day),), victim="Ann OTHER"
        )
        add_party(store=journey, reference=other, role=role, person=victim.id, actor="x", now=NOW)
    result = assess_risk(
        store=journey, reference=ref, tool="dash", answers=dash(2), actor="x", now=NOW
    )
    assert (result.assessment.level is RiskLevel.HIGH) is escalates
    assert result.assessment.marac_referral_due is escalates
    if escalates:
        assert any("3 earlier call-outs" in r for r in result.assessment.reasons)


def test_risk_bad_input(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    with pytest.raises(InvalidInput, match="unknown risk tool"):
        assess_risk(store=journey, reference=ref, tool="nope", answers={}, actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="q24_criminal_history"):
        answers = dash(3)
        del answers["q24_criminal_history"]
        assess_risk(store=journey, reference=ref, tool="dash", answers=answers, actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="below"):
        assess_risk(
            store=journey,
            reference=ref,
            tool="dash",
            answers=dash(15),
            judgement=RiskLevel.MEDIUM,
            reason="x",
            actor="x",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="a reason goes with a professional judgement"):
        assess_risk(
            store=journey,
            reference=ref,
            tool="dash",
            answers=dash(1),
            reason="x",
            actor="x",
            now=NOW,
        )
    assert victim_panel(store=journey, reference=ref, today=date(2026, 3, 2)).risks == ()


def test_withdrawal_records_the_stage(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    advance(store=journey, reference=ref, to=Stage.INVESTIGATING, reason="x", actor="x", now=NOW)
    withdrawal = withdraw_support(
        store=journey,
        reference=ref,
        reasons=[WithdrawalReason.FEAR_OF_SUSPECT, WithdrawalReason.CHILDREN],
        details="worried about contact arrangements",
        actor="PC Jones",
        now=NOW,
    )
    assert withdrawal.stage == "investigating"
    panel = victim_panel(store=journey, reference=ref, today=date(2026, 3, 30))
    assert panel.withdrawal == withdrawal
    kinds = [f.kind for f in panel.engagement.flags]
    assert FlagKind.VICTIM_WITHDREW in kinds
    assert FlagKind.NO_RECENT_CONTACT not in kinds  # withdrawn: flagged for that instead
    with pytest.raises(InvalidInput, match="reason"):
        withdraw_support(store=journey, reference=ref, reasons=[], actor="x", now=NOW)
    with pytest.raises(InvalidInput, match="'other' needs details"):
        withdraw_support(
            store=journey, reference=ref, reasons=[WithdrawalReason.OTHER], actor="x", now=NOW
        )


def test_no_withdrawal_after_an_outcome(journey: SqlJourneyStore) -> None:
    ref = _open(journey, domestic_abuse=False)
    for stage in (Stage.INVESTIGATING, Stage.CHARGED, Stage.AT_COURT, Stage.CONVICTED):
        advance(store=journey, reference=ref, to=stage, reason="x", actor="x", now=NOW)
    with pytest.raises(Conflict, match="has an outcome"):
        withdraw_support(
            store=journey,
            reference=ref,
            reasons=[WithdrawalReason.DELAY],
            actor="x",
            now=NOW,
        )


def test_evidence_checklist(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    review = evidence_review(store=journey, reference=ref)
    assert len(review.missing) == len(review.lines)
    assert not review.could_proceed_without_victim
    review = update_evidence(
        store=journey,
        reference=ref,
        statuses={"call_999_recording": EvidenceStatus.OBTAINED, "cctv": "not_applicable"},
        notes={"cctv": "no cameras at the address"},
        actor="DC Khan",
        now=NOW,
    )
    assert review.could_proceed_without_victim
    stored = evidence_review(store=journey, reference=ref)
    assert "call_999_recording" not in {line.item.id for line in stored.missing}
    cctv = next(line for line in stored.lines if line.item.id == "cctv")
    assert (cctv.status, cctv.notes) == (EvidenceStatus.NOT_APPLICABLE, "no cameras at the address")
    # the statement carries the case only when the victim is unavailable
    update_evidence(
        store=journey,
        reference=ref,
        statuses={"victim_statement": "obtained", "call_999_recording": "missing"},
        actor="x",
        now=NOW,
    )
    assert not evidence_review(store=journey, reference=ref).could_proceed_without_victim
    review = update_evidence(
        store=journey,
        reference=ref,
        statuses={},
        victim_unavailable="in fear: s.116(2)(e)",
        actor="x",
        now=NOW,
    )
    assert review.could_proceed_without_victim
    assert evidence_review(store=journey, reference=ref).could_proceed_without_victim
    update_evidence(store=journey, reference=ref, statuses={}, victim_available=True, actor="x")
    assert not evidence_review(store=journey, reference=ref).could_proceed_without_victim


@pytest.mark.parametrize(
    ("statuses", "notes", "message"),
    [
        ({"dna": "obtained"}, {}, "unknown evidence item"),
        ({"cctv": "lost"}, {}, "not one of"),
        ({"cctv": "not_available"}, {}, "say why"),
    ],
)
def test_evidence_refused_whole(
    journey: SqlJourneyStore, statuses: dict[str, str], notes: dict[str, str], message: str
) -> None:
    ref = _open(journey)
    with pytest.raises(InvalidInput, match=message):
        update_evidence(
            store=journey,
            reference=ref,
            statuses={"admissions": "obtained", **statuses},
            notes=notes,
            actor="x",
            now=NOW,
        )
    assert evidence_review(store=journey, reference=ref).obtained == ()


def test_evidence_update_of_nothing_is_refused(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    with pytest.raises(InvalidInput, match="nothing to change"):
        update_evidence(store=journey, reference=ref, statuses={}, notes={}, actor="x", now=NOW)


def test_unknown_case(journey: SqlJourneyStore) -> None:
    with pytest.raises(NotFound, match="no case WY-2026-000099"):
        victim_panel(store=journey, reference="WY-2026-000099")
    with pytest.raises(InvalidInput, match="not a case reference"):
        evidence_review(store=journey, reference="nonsense")
