"""``/api/cases/{reference}/victim/...`` and ``/evidence``: record what the victim care side does.

The victim's wishes, support referrals, risk assessments (DASH or DARA answers in, the
graded result out), withdrawal of support, and the evidence-led prosecution checklist;
the same operations as ``casework victim`` and ``casework evidence``. Each route parses,
lets the guard ask the policy, writes the audit entry in the same unit of work and calls
a ``journey.victim`` service; no rule lives here.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import CaseInScope, requires
from casework.api.routes.journey import JourneyDep
from casework.api.routes.writing import RecorderDep, as_json, fields_of, naming
from casework.domain.evidence import EvidenceReview, EvidenceStatus
from casework.domain.risk import Answer, RiskLevel
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
from casework.errors import InvalidInput
from casework.journey import victim as victim_service
from casework.security.roles import Action

router = APIRouter(prefix="/api/cases", tags=["victim, CPS and suspect"])


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class SafeTimeIn(BaseModel):
    """A time the victim may safely be contacted, in London time."""

    days: list[Weekday] = Field(min_length=1, max_length=7)
    start: time = Field(description="e.g. 09:00")
    end: time = Field(description="e.g. 12:00; after the start")


class WishesIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    outcome_wanted: OutcomeWanted = OutcomeWanted.UNDECIDED
    outcome_notes: str = Field(default="", max_length=8000, description="In their words.")
    safe_methods: list[ContactMethod] = Field(default_factory=list, max_length=10)
    safe_times: list[SafeTimeIn] = Field(default_factory=list, max_length=20)
    cautions: str = Field(default="", max_length=4000, description="What to take care about.")
    opted_out_of_updates: bool = False


class ReferralIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    to: ReferralKind
    made_on: date | None = Field(default=None, description="Default: today (London).")
    notes: str = Field(default="", max_length=4000)
    accepted: bool | None = None


class RiskIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    tool: str = Field(default="dash", min_length=1, max_length=20, description="dash or dara.")
    answers: dict[Annotated[str, Field(max_length=60)], Answer] = Field(
        max_length=100, description="Question id -> yes, no or not_known."
    )
    judgement: RiskLevel | None = Field(default=None, description="Professional judgement.")
    reason: str = Field(default="", max_length=4000, description="Why (with a judgement).")
    assessed_on: date | None = Field(default=None, description="Default: today (London).")


class WithdrawalIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reasons: list[WithdrawalReason] = Field(min_length=1, max_length=10)
    details: str = Field(default="", max_length=8000, description="In the victim's words.")
    on: date | None = Field(default=None, description="Default: today (London).")


class EvidenceIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    statuses: dict[Annotated[str, Field(max_length=60)], EvidenceStatus] = Field(
        default_factory=dict, max_length=50, description="Item id -> status."
    )
    notes: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict, max_length=50, description="Item id -> note (why not available)."
    )
    victim_unavailable: str | None = Field(
        default=None, max_length=1000, description="The s.116(2) ground, e.g. 'in fear'."
    )
    victim_available: bool = False


_DAYS = {day: index for index, day in enumerate(Weekday)}


def _window(given: SafeTimeIn, index: int) -> TimeWindow:
    days = frozenset(_DAYS[d] for d in given.days)
    start, end = given.start.replace(tzinfo=None), given.end.replace(tzinfo=None)  # London
    try:
        return TimeWindow(days, start, end)
    except InvalidInput as error:
        raise InvalidInput(f"safe_times.{index}: {error}") from error


@router.post("/{reference}/victim/wishes", status_code=201, **requires(Action.VICTIM_RECORD))
def record_wishes(
    body: WishesIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record the victim's wishes as they are now: the outcome wanted, safe ways and times."""
    windows = [_window(w, i) for i, w in enumerate(body.safe_times)]
    rec.wrote(
        Action.VICTIM_RECORD,
        case_reference=case.reference,
        target="victim.wishes",
        detail={"outcome_wanted": body.outcome_wanted.value},
    )
    wishes = victim_service.record_wishes(
        store=store,
        reference=case.reference,
        outcome_wanted=body.outcome_wanted,
        outcome_notes=body.outcome_notes,
        safe_methods=body.safe_methods,
        safe_times=windows,
        cautions=body.cautions,
        opted_out_of_updates=body.opted_out_of_updates,
        actor=rec.principal.username,
    )
    return as_json(VictimWishes, wishes)


@router.post("/{reference}/victim/referrals", status_code=201, **requires(Action.VICTIM_RECORD))
def refer(
    body: ReferralIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record a referral of the victim to a support service (IDVA, MARAC, ...)."""
    rec.wrote(
        Action.VICTIM_RECORD,
        case_reference=case.reference,
        target="victim.referral",
        detail={"to": body.to.value},
    )
    with naming("made_on"):
        referral = victim_service.refer(
            store=store,
            reference=case.reference,
            kind=body.to,
            made_on=body.made_on,
            notes=body.notes,
            accepted=body.accepted,
            actor=rec.principal.username,
        )
    return as_json(SupportReferral, referral)


@router.post(
    "/{reference}/victim/risk-assessments", status_code=201, **requires(Action.VICTIM_RECORD)
)
def assess_risk(
    body: RiskIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Grade the victim's risk from DASH or DARA answers; the level, why, and if MARAC is due."""
    if body.judgement is not None and not body.reason:
        raise InvalidInput("reason: give the reason for the professional judgement")
    rec.wrote(
        Action.VICTIM_RECORD,
        case_reference=case.reference,
        target="victim.risk",
        detail={"tool": body.tool.lower()},
    )
    with naming(
        "answers",
        {
            "risk tool": "tool",
            "a reason is required": "reason",
            "judgement": "judgement",
            "assessment date": "assessed_on",
        },
    ):
        recorded = victim_service.assess_risk(
            store=store,
            reference=case.reference,
            tool=body.tool,
            answers={k: v.value for k, v in body.answers.items()},
            judgement=body.judgement,
            reason=body.reason,
            assessed_on=body.assessed_on,
            actor=rec.principal.username,
        )
    a = recorded.assessment
    return {
        "id": str(recorded.id),
        "tool": a.tool,
        "version": a.version,
        "level": a.level.value,
        "reasons": list(a.reasons),
        "marac_referral_due": a.marac_referral_due,
        "assessed_on": recorded.assessed_on.isoformat(),
        "assessed_by": recorded.assessed_by,
        "answers": dict(recorded.answers),
    }


@router.post("/{reference}/victim/withdrawals", status_code=201, **requires(Action.VICTIM_RECORD))
def withdraw(
    body: WithdrawalIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Record that the victim withdrew support, with the reasons; the stage is the case's."""
    rec.wrote(
        Action.VICTIM_RECORD,
        case_reference=case.reference,
        target="victim.withdrawal",
        detail={"reasons": ",".join(r.value for r in body.reasons)},
    )
    with naming("on"):
        withdrawal = victim_service.withdraw_support(
            store=store,
            reference=case.reference,
            actor=rec.principal.username,
            **fields_of(body),
        )
    return as_json(Withdrawal, withdrawal)


@router.patch("/{reference}/evidence", **requires(Action.EVIDENCE_RECORD))
def update_evidence(
    body: EvidenceIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Set checklist items (and notes) or the victim's unavailability; say what is missing."""
    changes = body.statuses or body.notes or body.victim_unavailable is not None
    if not changes and not body.victim_available:
        raise InvalidInput("statuses: give at least one item (or the victim's availability)")
    rec.wrote(
        Action.EVIDENCE_RECORD,
        case_reference=case.reference,
        target="evidence",
        detail={"items": ",".join(sorted(body.statuses))[:500]},
    )
    with naming(
        "statuses",
        {
            "in the notes": "notes",
            "not both": "victim_available",
            "victim unavailable": "victim_unavailable",
        },
    ):
        review = victim_service.update_evidence(
            store=store,
            reference=case.reference,
            actor=rec.principal.username,
            **fields_of(body),
        )
    data = as_json(EvidenceReview, review)
    data["missing"] = [line.item.id for line in review.missing]
    return data
