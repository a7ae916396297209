"""``/api/referrals``: industry referrals, the same operations as ``casework referrals``.

Intake answers 201 with the referral (or 200 when the report was already received); a
malformed report answers 422 naming each field, and is held for correction (its id in
``held_id``), never dropped. A national role (triage) sees every referral; a force's user
(``referral.read``) sees only those assigned to their force and records their outcomes
(``referral.outcome``); intake, held reports, hash lists and assignment stay with triage.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.writing import RecorderDep, fields_of
from casework.domain.referrals import HashKind, ReferralQuery, ReferralStatus
from casework.journey.deadlines import today_in_london
from casework.safeguarding import referrals as service
from casework.safeguarding.referrals import Intake, IntakeResult
from casework.security.principal import Principal
from casework.security.roles import Action, is_national
from casework.store.referral_repository import SqlReferralRepository

router = APIRouter(prefix="/api/referrals", tags=["referrals"])
TRIAGE = requires(Action.REFERRAL_TRIAGE)
READ = requires(Action.REFERRAL_READ)
OUTCOME = requires(Action.REFERRAL_OUTCOME)
ReportBody = Annotated[
    dict[str, Any],
    Body(description="A report: CyberTipline-style JSON (see README, Industry referrals)."),
]


def _scope(principal: Principal) -> str | None:
    """The force a caller is limited to (None: a national role, every referral)."""
    return None if is_national(principal.role) else principal.force


def _problem(error: str) -> dict[str, Any]:
    """A held report's error (``field.path: message``) as the API's field problem."""
    field, _, message = error.partition(": ")
    loc: list[int | str] = [int(p) if p.isdigit() else p for p in field.split(".")]
    return {"field": field, "loc": loc, "msg": message, "type": "report"}


def _intake_answer(result: Intake) -> JSONResponse:
    if result.result is IntakeResult.HELD and result.held is not None:
        problems = [_problem(e) for e in result.errors]
        return JSONResponse(
            status_code=422,
            content={
                "detail": "; ".join(result.errors),
                "field": problems[0]["field"] if problems else None,
                "errors": problems,
                "held_id": str(result.held.id),
            },
        )
    assert result.referral is not None
    return JSONResponse(
        status_code=200 if result.result is IntakeResult.ALREADY_RECEIVED else 201,
        content={"result": result.result.value, "referral": service.as_json(result.referral)},
    )


@router.post("", status_code=201, **TRIAGE)
def intake(body: ReportBody, rec: RecorderDep) -> JSONResponse:
    """Take in one report; malformed: 422 naming each field, held for correction."""
    repo = SqlReferralRepository(rec.store.session)
    result = service.intake(
        repo=repo, payload=json.dumps(body), source="api", now=datetime.now(UTC)
    )
    held = result.held
    target = f"held:{held.id}" if held else result.referral.reference if result.referral else ""
    rec.wrote(
        Action.REFERRAL_TRIAGE,
        target=target,
        detail={"intake": result.result.value},
    )
    return _intake_answer(result)


@router.get("", **READ)
def referral_queue(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    status: ReferralStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """The queue, most urgent first, each with the reasons for its priority."""
    repo = SqlReferralRepository(store.session)
    query = ReferralQuery(status=status, force=_scope(principal), limit=limit, offset=offset)
    found = service.queue(repo=repo, query=query)
    audit.separately(
        principal,
        action=Action.REFERRAL_READ.value,
        target="referrals",
        detail={"count": len(found)},
    )
    return [service.as_json(r) for r in found]


@router.get("/held", **TRIAGE)
def held_reports(principal: Authorized, store: SessionDep, audit: AuditDep) -> list[dict[str, Any]]:
    """Reports held for correction, with what is wrong in each."""
    found = SqlReferralRepository(store.session).held()
    audit.separately(principal, action=Action.REFERRAL_TRIAGE.value, target="referrals.held")
    return [
        {
            "id": str(h.id),
            "source": h.source,
            "received_at": h.received_at.isoformat(),
            "errors": list(h.errors),
            "payload": h.payload,
        }
        for h in found
    ]


@router.post("/held/{held_id}/correct", status_code=201, **TRIAGE)
def correct_held(held_id: UUID, body: ReportBody, rec: RecorderDep) -> JSONResponse:
    """Send the corrected version of a held report."""
    repo = SqlReferralRepository(rec.store.session)
    result = service.correct(
        repo=repo, held_id=held_id, payload=json.dumps(body), now=datetime.now(UTC)
    )
    rec.wrote(
        Action.REFERRAL_TRIAGE,
        target=f"held:{held_id}",
        detail={"intake": result.result.value},
    )
    return _intake_answer(result)


class MonthOut(BaseModel):
    month: str
    received: int
    assigned: int
    arrests: int
    children_safeguarded: int


@router.get("/figures", **READ)
def figures(principal: Authorized, store: SessionDep, audit: AuditDep) -> list[MonthOut]:
    """Monthly figures: referrals received and assigned, arrests, children safeguarded."""
    rows = service.monthly_figures(
        repo=SqlReferralRepository(store.session), force=_scope(principal)
    )
    audit.separately(principal, action=Action.REFERRAL_READ.value, target="referrals.figures")
    return [
        MonthOut(
            month=r.month,
            received=r.received,
            assigned=r.assigned,
            arrests=r.arrests,
            children_safeguarded=r.children_safeguarded,
        )
        for r in rows
    ]


class KnownHashIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: HashKind
    value: str = Field(min_length=32, max_length=64)
    label: str = Field(default="", max_length=200)


class HashListIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60, description="The list's name.")
    hashes: list[KnownHashIn] = Field(min_length=1, max_length=100_000)


@router.post("/hashes", **TRIAGE)
def load_hashes(body: HashListIn, rec: RecorderDep) -> dict[str, int]:
    """Add entries to a known-hash list, then match open referrals against the lists again."""
    hashes = [
        service.known_hash(
            kind=h.kind.value,
            value=h.value,
            label=h.label,
            list_name=body.name,
            where=f"hashes.{i}",
        )
        for i, h in enumerate(body.hashes)
    ]
    repo = SqlReferralRepository(rec.store.session)
    added = service.load_known_hashes(repo=repo, hashes=hashes)
    changed = service.rematch(repo=repo)
    rec.wrote(
        Action.REFERRAL_TRIAGE,
        target="referrals.hashes",
        detail={"list": body.name, "added": added, "rescored": len(changed)},
    )
    return {"added": added, "rescored": len(changed)}


@router.get("/{referral_ref}", **READ)
def show(
    referral_ref: str, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """One referral with its report, priority and location reasons, matches and outcome."""
    repo = SqlReferralRepository(store.session)
    referral = service.get_referral(repo=repo, reference=referral_ref, force=_scope(principal))
    audit.separately(
        principal, action=Action.REFERRAL_READ.value, target=f"referral:{referral.reference}"
    )
    return {**service.as_json(referral), "report": referral.report}


class AssignIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    force: str | None = Field(
        default=None, max_length=4, description="Force code; default: the located force."
    )


@router.post("/{referral_ref}/assign", **TRIAGE)
def assign(referral_ref: str, body: AssignIn, rec: RecorderDep) -> dict[str, Any]:
    """Send a referral to a force to investigate."""
    referral = service.assign(
        repo=SqlReferralRepository(rec.store.session),
        reference=referral_ref,
        actor=rec.principal.username,
        now=datetime.now(UTC),
        **fields_of(body),
    )
    rec.wrote(
        Action.REFERRAL_TRIAGE,
        target=f"referral:{referral.reference}",
        detail={"assigned": referral.force},
    )
    return service.as_json(referral)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    arrests: int = Field(default=0, ge=0, le=service.MAX_OUTCOME)
    children_safeguarded: int = Field(default=0, ge=0, le=service.MAX_OUTCOME)
    final: bool = False
    on: date | None = Field(default=None, description="Default: today (London).")
    notes: str = Field(default="", max_length=4000)


@router.post("/{referral_ref}/outcomes", status_code=201, **OUTCOME)
def record_outcome(referral_ref: str, body: OutcomeIn, rec: RecorderDep) -> dict[str, Any]:
    """Record a force's outcome: arrests and children safeguarded (added up)."""
    referral = service.record_outcome(
        repo=SqlReferralRepository(rec.store.session),
        reference=referral_ref,
        actor=rec.principal.username,
        force=_scope(rec.principal),
        now=datetime.now(UTC),
        **fields_of(body, on=today_in_london()),
    )
    rec.wrote(
        Action.REFERRAL_OUTCOME,
        target=f"referral:{referral.reference}",
        detail={"arrests": body.arrests, "children_safeguarded": body.children_safeguarded},
    )
    return service.as_json(referral)
