"""Victim services: contact log, wishes, referrals, risk, withdrawal and the evidence checklist.

The rules are the domain's (``domain.victim``, ``domain.risk``, ``domain.evidence``); these
functions load the case, check what a person gave, store it in the unit of work ``store``
and say what follows (a MARAC referral due, contact against the victim's wishes). A
referral is also a case event, so that it meets the Victims' Code duty to refer in time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from casework.domain.cases import Case, CaseReference, Role
from casework.domain.evidence import (
    EvidenceRecord,
    EvidenceReview,
    EvidenceStatus,
    load_evidence_checklist,
    review_evidence,
)
from casework.domain.journey_repositories import JourneyStore, RecordedRisk
from casework.domain.pole import EventDetails, EventKind
from casework.domain.risk import (
    Answer,
    ProfessionalJudgement,
    RiskHistory,
    RiskLevel,
    load_question_set,
)
from casework.domain.risk import assess_risk as grade_risk
from casework.domain.rules.victims_code import london_date
from casework.domain.victim import (
    ContactCheck,
    ContactLogEntry,
    ContactMethod,
    ContactPolicy,
    EngagementReview,
    OutcomeWanted,
    ReferralKind,
    SupportReferral,
    TimeWindow,
    VictimRecord,
    VictimWishes,
    Withdrawal,
    WithdrawalReason,
    check_contact,
    review_engagement,
)
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import parse_reference, record_event

LONDON = ZoneInfo("Europe/London")
FUTURE_SLACK = timedelta(minutes=5)


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"time {moment.isoformat()} has no time zone")
    return moment


def _who(actor: str, what: str = "actor") -> str:
    if not actor.strip():
        raise InvalidInput(f"{what}: say who (it must not be blank)")
    return actor.strip()


def load_case(store: JourneyStore, reference: str | CaseReference) -> Case:
    """Return the case, or raise ``NotFound`` (a malformed reference is ``InvalidInput``)."""
    ref = parse_reference(reference)
    case = store.cases.get(reference=ref)
    if case is None:
        raise NotFound(f"no case {ref}")
    return case


def _not_future(moment: datetime, now: datetime, what: str) -> None:
    if moment > now + FUTURE_SLACK:
        raise InvalidInput(f"{what}: {moment.isoformat()} is in the future")


def _not_before_report(day: date, case: Case, what: str) -> None:
    if day < case.reported_on:
        raise InvalidInput(
            f"{what}: {day.isoformat()} is before the report on {case.reported_on.isoformat()}"
        )


@dataclass(frozen=True, slots=True)
class ContactLogged:
    """A logged contact, and whether it kept to the victim's safe ways and times."""

    entry: ContactLogEntry
    check: ContactCheck | None


def log_contact(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    at: datetime,
    method: ContactMethod,
    by: str,
    summary: str,
    agreed: str = "",
    made: bool = True,
    now: datetime | None = None,
) -> ContactLogged:
    """Log a contact with the victim (or an attempt, ``made=False``).

    It is logged even when it broke the victim's wishes (the log must be true); the check
    says so, and the engagement review flags it.
    """
    moment = _now(now)
    case = load_case(store, reference)
    _not_future(at, moment, "contact time")
    _not_before_report(london_date(at), case, "contact time")
    entry = ContactLogEntry(
        at=at,
        method=method,
        by=_who(by, "by"),
        summary=summary.strip(),
        agreed=agreed.strip(),
        made=made,
    )
    store.victims.add_contact(case=case, entry=entry, recorded_at=moment)
    wishes = store.victims.wishes(case_id=case.id)
    check = check_contact(wishes, method, at) if wishes is not None else None
    return ContactLogged(entry=entry, check=check)


def record_wishes(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    outcome_wanted: OutcomeWanted,
    actor: str,
    outcome_notes: str = "",
    safe_methods: Sequence[ContactMethod] = (),
    safe_times: Sequence[TimeWindow] = (),
    cautions: str = "",
    opted_out_of_updates: bool = False,
    now: datetime | None = None,
) -> VictimWishes:
    """Record the victim's wishes as they are now; earlier wishes stay in the history."""
    moment = _now(now)
    case = load_case(store, reference)
    wishes = VictimWishes(
        recorded_on=london_date(moment),
        outcome_wanted=outcome_wanted,
        outcome_notes=outcome_notes.strip(),
        safe_methods=tuple(dict.fromkeys(safe_methods)),
        safe_times=tuple(safe_times),
        cautions=cautions.strip(),
        opted_out_of_updates=opted_out_of_updates,
    )
    store.victims.set_wishes(case=case, wishes=wishes, recorded_by=_who(actor), recorded_at=moment)
    return wishes


def refer(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    kind: ReferralKind,
    actor: str,
    made_on: date | None = None,
    notes: str = "",
    accepted: bool | None = None,
    now: datetime | None = None,
) -> SupportReferral:
    """Record a referral of the victim to a support service (IDVA, MARAC, ...).

    It is also recorded as a ``support_referral`` event, which meets the Victims' Code duty
    to refer the victim to support services within 2 working days of the report.
    """
    moment = _now(now)
    who = _who(actor)
    case = load_case(store, reference)
    day = made_on or london_date(moment)
    if day > london_date(moment):
        raise InvalidInput(f"referral date {day.isoformat()} is in the future")
    _not_before_report(day, case, "referral date")
    referral = SupportReferral(
        kind=kind, made_on=day, by=who, accepted=accepted, notes=notes.strip()
    )
    store.victims.add_referral(case=case, referral=referral, recorded_at=moment)
    occurred = moment if day == london_date(moment) else datetime.combine(day, time(12), LONDON)
    record_event(
        store=store,
        reference=case.reference,
        details=EventDetails(
            kind=EventKind.SUPPORT_REFERRAL,
            description=f"victim referred to {kind.value.replace('_', ' ')}"
            + (f": {referral.notes}" if referral.notes else ""),
            occurred_at=occurred,
            person_ids=tuple(p.id for p in case.people(Role.VICTIM)),
        ),
        actor=who,
        now=moment,
    )
    return referral


def _history(store: JourneyStore, case: Case) -> RiskHistory:
    """Earlier domestic-abuse call-outs of the same victim or suspect, and the last MARAC.

    A call-out is another domestic-abuse case in which the victim or the suspect of this one
    is victim or suspect; its report date counts.
    """
    people = [p.id for p in (*case.people(Role.VICTIM), *case.people(Role.SUSPECT))]
    seen: set[CaseReference] = set()
    callouts: list[date] = []
    for person_id in people:
        for ref, role in store.persons.cases_of(person_id=person_id):
            if ref == case.reference or ref in seen or role not in (Role.VICTIM, Role.SUSPECT):
                continue
            seen.add(ref)
            other = store.cases.get(reference=ref)
            if other is not None and other.domestic_abuse:
                callouts.append(other.reported_on)
    marac = store.victims.marac_referrals(person_ids=[p.id for p in case.people(Role.VICTIM)])
    return RiskHistory(
        police_callouts=tuple(sorted(callouts)), last_marac_referral=max(marac, default=None)
    )


def assess_risk(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    tool: str,
    answers: Mapping[str, str],
    actor: str,
    judgement: RiskLevel | None = None,
    reason: str = "",
    assessed_on: date | None = None,
    now: datetime | None = None,
) -> RecordedRisk:
    """Grade the victim's risk with DASH or DARA, raised by judgement or escalation; keep it.

    Escalation draws on the store: earlier domestic-abuse cases of the same victim or
    suspect, and the victim's last MARAC referral. Every assessment is kept, so a rise
    (or a fall, which needs new answers) can be seen over time.
    """
    moment = _now(now)
    who = _who(actor)
    case = load_case(store, reference)
    day = assessed_on or london_date(moment)
    if day > london_date(moment):
        raise InvalidInput(f"assessment date {day.isoformat()} is in the future")
    question_set = load_question_set(tool.strip().lower())
    if judgement is None and reason.strip():
        raise InvalidInput(
            "a reason goes with a professional judgement: give its level, or leave the reason out"
        )
    given = ProfessionalJudgement(level=judgement, reason=reason, by=who) if judgement else None
    assessment = grade_risk(
        question_set,
        answers,
        assessed_on=day,
        judgement=given,
        history=_history(store, case),
    )
    risk = RecordedRisk(
        assessment=assessment,
        answers={k: Answer(str(v).strip().lower()).value for k, v in answers.items()},
        assessed_on=day,
        assessed_by=who,
        recorded_at=moment,
        judgement=given,
    )
    store.risks.add(case=case, risk=risk)
    _risk_on_checklist(store, case, risk, moment)
    return risk


RISK_ITEM = "risk_assessment"


def _risk_on_checklist(store: JourneyStore, case: Case, risk: RecordedRisk, now: datetime) -> None:
    """Tick the checklist's risk-assessment item: the outcome is evidence for bail and risk."""
    if RISK_ITEM not in load_evidence_checklist().ids:
        return
    a = risk.assessment
    note = f"{a.tool.upper()} {a.level.value} on {risk.assessed_on.isoformat()}"
    store.evidence.set_item(
        case=case,
        item_id=RISK_ITEM,
        record=EvidenceRecord(EvidenceStatus.OBTAINED, note),
        by=risk.assessed_by,
        at=now,
    )


def withdraw_support(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    reasons: Sequence[WithdrawalReason],
    actor: str,
    details: str = "",
    on: date | None = None,
    now: datetime | None = None,
) -> Withdrawal:
    """Record that the victim withdrew support, with the reasons and the case's stage now.

    The stage is taken from the case, not given, so attrition by stage is counted the same
    way every time. A case with an outcome has nothing left to withdraw from.
    """
    moment = _now(now)
    who = _who(actor)
    case = load_case(store, reference)
    if case.stage.is_outcome:
        raise Conflict(f"case {case.reference} has an outcome ({case.stage.words})")
    day = on or london_date(moment)
    if day > london_date(moment):
        raise InvalidInput(f"withdrawal date {day.isoformat()} is in the future")
    _not_before_report(day, case, "withdrawal date")
    withdrawal = Withdrawal(
        on=day,
        stage=case.stage.value,
        reasons=tuple(dict.fromkeys(reasons)),
        details=details.strip(),
        recorded_by=who,
    )
    store.victims.add_withdrawal(case=case, withdrawal=withdrawal, recorded_at=moment)
    return withdrawal


def update_evidence(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    statuses: Mapping[str, EvidenceStatus | str],
    actor: str,
    notes: Mapping[str, str] | None = None,
    victim_unavailable: str | None = None,
    victim_available: bool = False,
    now: datetime | None = None,
) -> EvidenceReview:
    """Set checklist items (and notes), or the victim's unavailability; return the review.

    Checked against the checklist before anything is stored: an unknown item, a bad status
    or a closed item without a note is refused whole, and so is a change of nothing.
    """
    if not statuses and not notes and victim_unavailable is None and not victim_available:
        raise InvalidInput(
            "nothing to change: give an item's status or note, or the victim's availability"
        )
    moment = _now(now)
    who = _who(actor)
    case = load_case(store, reference)
    notes = notes or {}
    strays = sorted(set(notes) - set(statuses))
    recorded = store.evidence.for_case(case_id=case.id)
    merged = dict(recorded)
    for item_id in set(statuses) | set(notes):
        current = recorded.get(item_id, EvidenceRecord(EvidenceStatus.MISSING))
        merged[item_id] = EvidenceRecord(
            statuses.get(item_id, current.status), notes.get(item_id, current.notes)
        )
    checklist = load_evidence_checklist()
    if victim_unavailable is not None and victim_available:
        raise InvalidInput("say the victim is unavailable or available, not both")
    if victim_unavailable is not None and not victim_unavailable.strip():
        raise InvalidInput("victim unavailable: give the s.116(2) ground")
    ground = victim_unavailable.strip() if victim_unavailable else None
    if not victim_available and ground is None:
        ground = store.evidence.victim_unavailable(case_id=case.id)
    review = review_evidence(checklist, merged, victim_unavailable_reason=ground)
    lines = {line.item.id: line for line in review.lines}
    for item_id in sorted(set(statuses) | set(strays)):
        line = lines[item_id]
        store.evidence.set_item(
            case=case,
            item_id=item_id,
            record=EvidenceRecord(line.status, line.notes),
            by=who,
            at=moment,
        )
    if victim_unavailable is not None or victim_available:
        store.evidence.set_victim_unavailable(case=case, ground=ground, by=who, at=moment)
    return review


def evidence_review(*, store: JourneyStore, reference: str | CaseReference) -> EvidenceReview:
    """Return the checklist as it stands on the case: what is missing and what it allows."""
    case = load_case(store, reference)
    return _evidence(store, case.id)


def _evidence(store: JourneyStore, case_id: UUID) -> EvidenceReview:
    return review_evidence(
        load_evidence_checklist(),
        store.evidence.for_case(case_id=case_id),
        victim_unavailable_reason=store.evidence.victim_unavailable(case_id=case_id),
    )


@dataclass(frozen=True, slots=True)
class VictimPanel:
    """Everything about the victim of a case on one screen, with the flags to act on."""

    reference: CaseReference
    enhanced_rights: bool
    contacts: tuple[ContactLogEntry, ...]
    wishes: VictimWishes | None
    referrals: tuple[SupportReferral, ...]
    risks: tuple[RecordedRisk, ...]
    withdrawal: Withdrawal | None
    engagement: EngagementReview
    evidence: EvidenceReview

    @property
    def risk(self) -> RecordedRisk | None:
        """The latest assessment, the one in force."""
        return self.risks[-1] if self.risks else None

    @property
    def risk_trend(self) -> str:
        """How the level moved between the last two assessments (for escalation)."""
        if len(self.risks) < 2:
            return ""
        before, now = self.risks[-2].assessment.level, self.risks[-1].assessment.level
        if now.rank > before.rank:
            return f"raised from {before.value}"
        if now.rank < before.rank:
            return f"lowered from {before.value}"
        return "unchanged"


def victim_panel(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    today: date | None = None,
    policy: ContactPolicy | None = None,
) -> VictimPanel:
    """Return the victim panel of a case: log, wishes, referrals, risk, withdrawal, flags."""
    case = load_case(store, reference)
    day = today or london_date(datetime.now(UTC))
    contacts = tuple(store.victims.contacts(case_id=case.id))
    wishes = store.victims.wishes(case_id=case.id)
    referrals = tuple(store.victims.referrals(case_id=case.id))
    risks = tuple(store.risks.for_case(case_id=case.id))
    withdrawal = store.victims.withdrawal(case_id=case.id)
    latest = risks[-1].assessment if risks else None
    engagement = review_engagement(
        VictimRecord(
            reported_on=case.reported_on,
            contacts=contacts,
            wishes=wishes,
            referrals=referrals,
            withdrawal=withdrawal,
            high_risk=latest is not None and latest.level is RiskLevel.HIGH,
            marac_referral_due=latest is not None and latest.marac_referral_due,
        ),
        today=max(day, case.reported_on),
        policy=policy,
    )
    return VictimPanel(
        reference=case.reference,
        enhanced_rights=case.victim_has_enhanced_rights,
        contacts=contacts,
        wishes=wishes,
        referrals=referrals,
        risks=risks,
        withdrawal=withdrawal,
        engagement=engagement,
        evidence=_evidence(store, case.id),
    )
