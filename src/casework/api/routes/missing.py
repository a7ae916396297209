"""``/api/missing``: missing-person cases: risk grading, reviews, and the append-only logs.

The same operations as ``casework missing``. A case of another force answers exactly like
one that does not exist (404). There is no route that changes or removes a log entry: the
decision log is added to, never edited (``PUT``/``PATCH``/``DELETE`` get 405).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.writing import naming
from casework.domain.missing import (
    HypothesisStatus,
    MediaAppeal,
    MissingCase,
    MissingStatus,
    NewMissingCase,
)
from casework.safeguarding import missing as missing_service
from casework.safeguarding.missing import MissingCaseFile
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.missing_repository import SqlMissingRepository

router = APIRouter(prefix="/api/missing", tags=["missing persons"])


def get_repo(store: SessionDep) -> SqlMissingRepository:
    return SqlMissingRepository(store.session)


RepoDep = Annotated[SqlMissingRepository, Depends(get_repo)]
MissingRef = Annotated[
    str, Path(max_length=40, description="A missing-person reference, e.g. WY-MP-2026-000001.")
]


def _now() -> datetime:
    return datetime.now(UTC)


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class OpenIn(_In):
    name: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None
    description: str = Field(default="", max_length=4000)
    home_address: str = Field(default="", max_length=1000)
    phone: str = Field(default="", max_length=40)
    last_seen_at: AwareDatetime
    last_seen_place: str = Field(default="", max_length=1000)
    circumstances: str = Field(default="", max_length=8000)
    reported_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    grade: str | None = Field(default=None, max_length=40, description="See /risk-grades.")
    rationale: str = Field(default="", max_length=8000, description="Why that grade.")


class GradeIn(_In):
    grade: str = Field(min_length=1, max_length=40)
    rationale: str = Field(min_length=1, max_length=8000)


class DecisionIn(_In):
    decision: str = Field(min_length=1, max_length=8000)
    rationale: str = Field(min_length=1, max_length=8000)
    decided_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    decided_by: str | None = Field(
        default=None, max_length=200, description="Default: the caller (else a logist writes)."
    )


class SearchIn(_In):
    place: str = Field(min_length=1, max_length=1000)
    method: str = Field(min_length=1, max_length=200)
    result: str = Field(min_length=1, max_length=4000)
    searched_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    searched_by: str | None = Field(default=None, max_length=200)


class HypothesisIn(_In):
    text: str = Field(min_length=1, max_length=4000)


class HypothesisStatusIn(_In):
    status: HypothesisStatus
    rationale: str = Field(min_length=1, max_length=8000)


class MediaIn(_In):
    appeal: MediaAppeal
    channels: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    family_consent: bool | None = None
    rationale: str = Field(min_length=1, max_length=8000)


class HandoverIn(_In):
    to: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=8000)
    outstanding: str = Field(default="", max_length=8000)


class FoundIn(_In):
    found_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    rationale: str = Field(min_length=1, max_length=8000, description="Well-being confirmed how.")


class StatusFilter(StrEnum):
    OPEN = "open"
    FOUND = "found"
    ALL = "all"


def case_json(case: MissingCase, *, now: datetime) -> dict[str, Any]:
    """A case as listed: who, the grade and the review countdown."""
    clock = missing_service.ReviewClock(case.review_due, now)
    data = case.model_dump(mode="json", exclude={"id"})
    data["grade_label"] = missing_service.risk_scheme().label(case.grade)
    data["review"] = {
        "due": case.review_due.isoformat() if case.review_due else None,
        "overdue": clock.overdue,
        "words": clock.words,
    }
    return data


def file_json(file: MissingCaseFile) -> dict[str, Any]:
    """The whole case file: the case and every log, oldest entry first."""

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [i.model_dump(mode="json", exclude={"case_id"}) for i in items]

    return {
        **case_json(file.case, now=file.clock.now),
        "gradings": rows(file.gradings),
        "decisions": rows(file.decisions),
        "searches": rows(file.searches),
        "hypotheses": rows(file.hypotheses),
        "media": rows(file.media),
        "handovers": rows(file.handovers),
    }


def _wrote(
    audit: AuditDep,
    store: SqlCaseStore,
    principal: Principal,
    action: Action,
    reference: str,
    target: str,
) -> None:
    audit.wrote(
        store,
        principal,
        action=action.value,
        case_reference=reference.strip().upper()[:24],
        target=target,
    )


@router.get("/risk-grades", **requires(Action.MISSING_READ))
def risk_grades(principal: Authorized) -> dict[str, Any]:
    """The grades of the risk scheme in use, lowest first, with their review periods."""
    scheme = missing_service.risk_scheme()
    return scheme.model_dump(mode="json")


@router.get("", **requires(Action.MISSING_READ))
def list_missing(
    principal: Authorized,
    repo: RepoDep,
    audit: AuditDep,
    status: StatusFilter = StatusFilter.OPEN,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """The force's missing-person cases, the most pressing review first."""
    wanted = None if status is StatusFilter.ALL else MissingStatus(status.value)
    cases = missing_service.list_cases(repo=repo, force=principal.force, status=wanted, limit=limit)
    audit.separately(
        principal,
        action=Action.MISSING_READ.value,
        target="missing",
        detail={"status": status.value, "count": len(cases)},
    )
    now = _now()
    return [case_json(c, now=now) for c in cases]


@router.post("", status_code=201, **requires(Action.MISSING_RECORD))
def open_missing(
    body: OpenIn, principal: Authorized, repo: RepoDep, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """Report a person missing; with ``grade``, grade the risk at once (rationale needed)."""
    now = _now()
    with naming("name"):
        new = NewMissingCase(
            force=principal.force,
            reported_at=body.reported_at or now,
            **body.model_dump(exclude={"grade", "rationale", "reported_at"}),
        )
        case = missing_service.open_case(
            repo=repo,
            new=new,
            actor=principal.full_name,
            now=now,
            grade=body.grade,
            rationale=body.rationale,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, case.reference, "missing.open")
    return case_json(case, now=now)


@router.get("/{missing_reference}", **requires(Action.MISSING_READ))
def get_missing(
    missing_reference: MissingRef, principal: Authorized, repo: RepoDep, audit: AuditDep
) -> dict[str, Any]:
    """The case with its grading, review countdown and every log."""
    file = missing_service.case_file(
        repo=repo, reference=missing_reference, now=_now(), force=principal.force
    )
    audit.separately(
        principal, action=Action.MISSING_READ.value, case_reference=file.case.reference
    )
    return file_json(file)


@router.post("/{missing_reference}/grading", status_code=201, **requires(Action.MISSING_GRADE))
def grade(
    missing_reference: MissingRef,
    body: GradeIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Grade or review the risk; the next review falls due after the grade's period."""
    with naming("grade", {"rationale": "rationale"}):
        grading = missing_service.grade_risk(
            repo=repo,
            reference=missing_reference,
            grade=body.grade,
            rationale=body.rationale,
            actor=principal.full_name,
            now=_now(),
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_GRADE, missing_reference, "missing.grading")
    return grading.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/decisions", status_code=201, **requires(Action.MISSING_RECORD))
def add_decision(
    missing_reference: MissingRef,
    body: DecisionIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Add the next numbered entry to the decision log (never edited, only added to)."""
    now = _now()
    with naming("decision"):
        entry = missing_service.record_decision(
            repo=repo,
            reference=missing_reference,
            decision=body.decision,
            rationale=body.rationale,
            decided_by=body.decided_by or principal.full_name,
            decided_at=body.decided_at or now,
            entered_by=principal.full_name,
            now=now,
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.decision")
    return entry.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/searches", status_code=201, **requires(Action.MISSING_RECORD))
def add_search(
    missing_reference: MissingRef,
    body: SearchIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Add a search to the search log."""
    now = _now()
    with naming("place"):
        entry = missing_service.record_search(
            repo=repo,
            reference=missing_reference,
            place=body.place,
            method=body.method,
            result=body.result,
            searched_at=body.searched_at or now,
            searched_by=body.searched_by or principal.full_name,
            actor=principal.full_name,
            now=now,
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.search")
    return entry.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/hypotheses", status_code=201, **requires(Action.MISSING_RECORD))
def add_hypothesis(
    missing_reference: MissingRef,
    body: HypothesisIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Add a hypothesis (a line of enquiry)."""
    with naming("text"):
        hypothesis = missing_service.raise_hypothesis(
            repo=repo,
            reference=missing_reference,
            text=body.text,
            actor=principal.full_name,
            now=_now(),
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.hypothesis")
    return hypothesis.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/hypotheses/{number}/status", **requires(Action.MISSING_RECORD))
def settle_hypothesis(
    missing_reference: MissingRef,
    number: Annotated[int, Path(ge=1, le=100_000)],
    body: HypothesisStatusIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Mark a hypothesis supported, eliminated or open; the reason goes in the decision log."""
    with naming("rationale"):
        hypothesis = missing_service.settle_hypothesis(
            repo=repo,
            reference=missing_reference,
            number=number,
            status=body.status,
            rationale=body.rationale,
            actor=principal.full_name,
            now=_now(),
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.hypothesis")
    return hypothesis.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/media", status_code=201, **requires(Action.MISSING_RECORD))
def set_media(
    missing_reference: MissingRef,
    body: MediaIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Set the media strategy; the reason goes in the decision log."""
    with naming("rationale"):
        strategy = missing_service.set_media_strategy(
            repo=repo,
            reference=missing_reference,
            appeal=body.appeal,
            channels=tuple(body.channels),
            family_consent=body.family_consent,
            rationale=body.rationale,
            actor=principal.full_name,
            now=_now(),
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.media")
    return strategy.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/handovers", status_code=201, **requires(Action.MISSING_RECORD))
def add_handover(
    missing_reference: MissingRef,
    body: HandoverIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Hand over to the next shift: summary and what is outstanding."""
    with naming("summary", {"to:": "to"}):
        handover = missing_service.hand_over(
            repo=repo,
            reference=missing_reference,
            to_officer=body.to,
            summary=body.summary,
            outstanding=body.outstanding,
            actor=principal.full_name,
            now=_now(),
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_RECORD, missing_reference, "missing.handover")
    return handover.model_dump(mode="json", exclude={"case_id"})


@router.post("/{missing_reference}/found", **requires(Action.MISSING_GRADE))
def found(
    missing_reference: MissingRef,
    body: FoundIn,
    principal: Authorized,
    repo: RepoDep,
    store: SessionDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Record the person found and their well-being confirmed; the case closes."""
    now = _now()
    with naming("found_at"):
        case = missing_service.mark_found(
            repo=repo,
            reference=missing_reference,
            found_at=body.found_at or now,
            rationale=body.rationale,
            actor=principal.full_name,
            now=now,
            force=principal.force,
        )
    _wrote(audit, store, principal, Action.MISSING_GRADE, missing_reference, "missing.found")
    return case_json(case, now=now)
