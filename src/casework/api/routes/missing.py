"""``/api/missing``: missing-person cases: risk grading, reviews, and the append-only logs.

The same operations as ``casework missing``. A case of another force answers exactly like
one that does not exist (404). There is no route that changes or removes a log entry: the
decision log is added to, never edited (``PUT``/``PATCH``/``DELETE`` get 405).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.writing import Recorder, RecorderDep, fields_of, naming
from casework.domain.missing import (
    HypothesisStatus,
    MediaAppeal,
    MissingCase,
    MissingStatus,
    NewMissingCase,
)
from casework.safeguarding import missing as missing_service
from casework.safeguarding.missing import MissingCaseFile
from casework.security.roles import Action
from casework.store.missing_repository import SqlMissingRepository

router = APIRouter(prefix="/api/missing", tags=["missing persons"])
Made = TypeVar("Made")


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


def _logged(
    write: Callable[..., Made],
    reference: str,
    rec: Recorder,
    *,
    action: Action = Action.MISSING_RECORD,
    target: str,
    field: str,
    by_words: Mapping[str, str] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Made:
    """Add to the case's logs in the caller's force, audited in the same unit of work.

    Bad input names ``field`` (see ``naming``); ``fields`` are the service's own arguments.
    """
    with naming(field, by_words):
        made = write(
            repo=SqlMissingRepository(rec.store.session),
            reference=reference,
            now=now or _now(),
            force=rec.principal.force,
            **fields,
        )
    rec.wrote(action, case_reference=reference.strip().upper()[:24], target=target)
    return made


def _entry_json(entry: BaseModel) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude={"case_id"})


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
def open_missing(body: OpenIn, rec: RecorderDep, repo: RepoDep) -> dict[str, Any]:
    """Report a person missing; with ``grade``, grade the risk at once (rationale needed)."""
    now = _now()
    with naming("name"):
        new = NewMissingCase(
            force=rec.principal.force,
            reported_at=body.reported_at or now,
            **body.model_dump(exclude={"grade", "rationale", "reported_at"}),
        )
        case = missing_service.open_case(
            repo=repo,
            new=new,
            actor=rec.principal.full_name,
            now=now,
            grade=body.grade,
            rationale=body.rationale,
        )
    rec.wrote(
        Action.MISSING_RECORD,
        case_reference=case.reference.strip().upper()[:24],
        target="missing.open",
    )
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
def grade(missing_reference: MissingRef, body: GradeIn, rec: RecorderDep) -> dict[str, Any]:
    """Grade or review the risk; the next review falls due after the grade's period."""
    grading = _logged(
        missing_service.grade_risk,
        missing_reference,
        rec,
        action=Action.MISSING_GRADE,
        target="missing.grading",
        field="grade",
        by_words={"rationale": "rationale"},
        actor=rec.principal.full_name,
        **fields_of(body),
    )
    return _entry_json(grading)


@router.post("/{missing_reference}/decisions", status_code=201, **requires(Action.MISSING_RECORD))
def add_decision(
    missing_reference: MissingRef, body: DecisionIn, rec: RecorderDep
) -> dict[str, Any]:
    """Add the next numbered entry to the decision log (never edited, only added to)."""
    now, caller = _now(), rec.principal.full_name
    entry = _logged(
        missing_service.record_decision,
        missing_reference,
        rec,
        target="missing.decision",
        field="decision",
        now=now,
        entered_by=caller,
        **fields_of(body, decided_by=caller, decided_at=now),
    )
    return _entry_json(entry)


@router.post("/{missing_reference}/searches", status_code=201, **requires(Action.MISSING_RECORD))
def add_search(missing_reference: MissingRef, body: SearchIn, rec: RecorderDep) -> dict[str, Any]:
    """Add a search to the search log."""
    now, caller = _now(), rec.principal.full_name
    entry = _logged(
        missing_service.record_search,
        missing_reference,
        rec,
        target="missing.search",
        field="place",
        now=now,
        actor=caller,
        **fields_of(body, searched_at=now, searched_by=caller),
    )
    return _entry_json(entry)


@router.post("/{missing_reference}/hypotheses", status_code=201, **requires(Action.MISSING_RECORD))
def add_hypothesis(
    missing_reference: MissingRef, body: HypothesisIn, rec: RecorderDep
) -> dict[str, Any]:
    """Add a hypothesis (a line of enquiry)."""
    hypothesis = _logged(
        missing_service.raise_hypothesis,
        missing_reference,
        rec,
        target="missing.hypothesis",
        field="text",
        actor=rec.principal.full_name,
        **fields_of(body),
    )
    return _entry_json(hypothesis)


@router.post("/{missing_reference}/hypotheses/{number}/status", **requires(Action.MISSING_RECORD))
def settle_hypothesis(
    missing_reference: MissingRef,
    number: Annotated[int, Path(ge=1, le=100_000)],
    body: HypothesisStatusIn,
    rec: RecorderDep,
) -> dict[str, Any]:
    """Mark a hypothesis supported, eliminated or open; the reason goes in the decision log."""
    hypothesis = _logged(
        missing_service.settle_hypothesis,
        missing_reference,
        rec,
        target="missing.hypothesis",
        field="rationale",
        number=number,
        actor=rec.principal.full_name,
        **fields_of(body),
    )
    return _entry_json(hypothesis)


@router.post("/{missing_reference}/media", status_code=201, **requires(Action.MISSING_RECORD))
def set_media(missing_reference: MissingRef, body: MediaIn, rec: RecorderDep) -> dict[str, Any]:
    """Set the media strategy; the reason goes in the decision log."""
    strategy = _logged(
        missing_service.set_media_strategy,
        missing_reference,
        rec,
        target="missing.media",
        field="rationale",
        appeal=body.appeal,
        channels=tuple(body.channels),
        family_consent=body.family_consent,
        rationale=body.rationale,
        actor=rec.principal.full_name,
    )
    return _entry_json(strategy)


@router.post("/{missing_reference}/handovers", status_code=201, **requires(Action.MISSING_RECORD))
def add_handover(
    missing_reference: MissingRef, body: HandoverIn, rec: RecorderDep
) -> dict[str, Any]:
    """Hand over to the next shift: summary and what is outstanding."""
    handover = _logged(
        missing_service.hand_over,
        missing_reference,
        rec,
        target="missing.handover",
        field="summary",
        by_words={"to:": "to"},
        to_officer=body.to,
        summary=body.summary,
        outstanding=body.outstanding,
        actor=rec.principal.full_name,
    )
    return _entry_json(handover)


@router.post("/{missing_reference}/found", **requires(Action.MISSING_GRADE))
def found(missing_reference: MissingRef, body: FoundIn, rec: RecorderDep) -> dict[str, Any]:
    """Record the person found and their well-being confirmed; the case closes."""
    now = _now()
    case = _logged(
        missing_service.mark_found,
        missing_reference,
        rec,
        action=Action.MISSING_GRADE,
        target="missing.found",
        field="found_at",
        now=now,
        actor=rec.principal.full_name,
        **fields_of(body, found_at=now),
    )
    return case_json(case, now=now)
