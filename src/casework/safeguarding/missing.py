"""Missing-person cases: risk grading with review deadlines, and logs only ever added to.

Every change that matters is also written to the decision log (policy file) with its
rationale: a grading or a review of the risk, a hypothesis confirmed or eliminated, the
media strategy, the person found. Entries are numbered in sequence per case and carry two
times: when the decision was made (given by the officer, never in the future) and when it
was entered (the clock's). Nothing here changes or removes an entry; the store refuses it
too (``store/missing_models.py``).

Grades and their review periods are data (``safeguarding/data/missing_risk.json``), one
scheme per version of the APP's labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casework.domain.missing import (
    DecisionEntry,
    DecisionKind,
    Grading,
    Handover,
    Hypothesis,
    HypothesisStatus,
    MediaAppeal,
    MediaStrategy,
    MissingCase,
    MissingRepository,
    MissingStatus,
    NewMissingCase,
    SearchEntry,
    missing_reference,
)
from casework.errors import Conflict, InvalidInput, NotFound

CLOCK_SKEW = timedelta(minutes=2)
"""How far in the future a decision time may be (clocks differ); more is refused."""


class RiskGrade(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    review_hours: float = Field(gt=0, le=24 * 14)

    @property
    def review_period(self) -> timedelta:
        return timedelta(hours=self.review_hours)


class RiskScheme(BaseModel):
    """One version of the grading labels, lowest risk first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    words: str
    source: str
    grades: tuple[RiskGrade, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> RiskScheme:
        ids = [g.id for g in self.grades]
        if len(set(ids)) != len(ids):
            raise ValueError(f"grade ids repeat: {ids}")
        return self

    def grade(self, grade_id: str) -> RiskGrade:
        """Return a grade by id; InvalidInput lists the grades of the scheme."""
        for grade in self.grades:
            if grade.id == grade_id.strip().lower():
                return grade
        known = ", ".join(g.id for g in self.grades)
        raise InvalidInput(f"risk: {grade_id!r} is not a grade of {self.name}; use one of {known}")

    def label(self, grade_id: str | None) -> str:
        if grade_id is None:
            return "not graded"
        try:
            return self.grade(grade_id).label
        except InvalidInput:
            return grade_id


class RiskTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    default_scheme: str
    review_source: str
    schemes: dict[str, RiskScheme]


def load_risk_table(path: Path | None = None) -> RiskTable:
    """Read and validate a risk table (the packaged one unless ``path`` is given)."""
    name = str(path) if path else "safeguarding/data/missing_risk.json"
    try:
        if path is None:
            text = (
                resources.files("casework.safeguarding.data")
                .joinpath("missing_risk.json")
                .read_text("utf-8")
            )
        else:
            text = path.read_text("utf-8")
        table = RiskTable.model_validate(json.loads(text))
    except (OSError, ValueError, ValidationError) as error:
        raise InvalidInput(f"{name}: {error}") from error
    if table.default_scheme not in table.schemes:
        raise InvalidInput(f"{name}: default_scheme {table.default_scheme!r} is not a scheme")
    named = {k: v.model_copy(update={"name": k}) for k, v in table.schemes.items()}
    return table.model_copy(update={"schemes": named})


@cache
def _packaged() -> RiskTable:
    return load_risk_table()


def risk_scheme(name: str | None = None) -> RiskScheme:
    """Return a packaged scheme by name, or the default one."""
    table = _packaged()
    key = name or table.default_scheme
    if key not in table.schemes:
        raise InvalidInput(f"scheme: {key!r} is unknown; use one of {', '.join(table.schemes)}")
    return table.schemes[key]


@dataclass(frozen=True, slots=True)
class ReviewClock:
    """Time to the next review of the risk grading (negative when overdue)."""

    due: datetime | None
    now: datetime

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due <= self.now

    @property
    def remaining(self) -> timedelta | None:
        return None if self.due is None else self.due - self.now

    @property
    def words(self) -> str:
        if self.due is None:
            return "no review due"
        left = self.remaining
        assert left is not None
        minutes = int(abs(left).total_seconds() // 60)
        span = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
        return f"overdue by {span}" if self.overdue else f"due in {span}"


@dataclass(frozen=True, slots=True)
class MissingCaseFile:
    """Everything on a missing-person case, for the case page, ``show`` and the API."""

    case: MissingCase
    grade_label: str
    clock: ReviewClock
    gradings: list[Grading]
    decisions: list[DecisionEntry]
    searches: list[SearchEntry]
    hypotheses: list[Hypothesis]
    media: list[MediaStrategy]
    handovers: list[Handover]

    @property
    def media_strategy(self) -> MediaStrategy | None:
        return self.media[-1] if self.media else None


def _text(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{field}: must not be blank")
    return value


def get_case(*, repo: MissingRepository, reference: str, force: str | None = None) -> MissingCase:
    """Return a case; NotFound alike when it does not exist or belongs to another force."""
    key = reference.strip().upper()
    case = repo.get(reference=key)
    if case is None or (force is not None and case.force != force):
        raise NotFound(f"no missing-person case {key}")
    return case


EARLIEST = date(1900, 1, 1)
"""Moments before this are typing mistakes (and would not survive time-zone arithmetic)."""


def _moment(value: datetime, field: str) -> datetime:
    """A time given by a person: with a zone and not before 1900 (else bad input, named)."""
    if value.tzinfo is None:
        raise InvalidInput(f"{field}: give a time zone (e.g. +00:00)")
    if value.date() < EARLIEST:
        raise InvalidInput(f"{field}: {value.isoformat()} is too long ago (before 1900)")
    return value


def _open(case: MissingCase) -> None:
    if case.status is not MissingStatus.OPEN:
        raise Conflict(f"{case.reference} is closed (the person was found)")


def _append_decision(
    *,
    repo: MissingRepository,
    case: MissingCase,
    kind: DecisionKind,
    decision: str,
    rationale: str,
    decided_by: str,
    decided_at: datetime,
    entered_by: str,
    now: datetime,
) -> DecisionEntry:
    """Add the next numbered entry; the only way an entry is ever written."""
    _moment(decided_at, "decided_at")
    if decided_at > now + CLOCK_SKEW:
        raise InvalidInput(
            f"decided_at: {decided_at.isoformat()} is in the future; the log records decisions "
            "made, not planned"
        )
    entry = DecisionEntry(
        case_id=case.id,
        number=len(repo.decisions(case_id=case.id)) + 1,
        kind=kind,
        decision=_text(decision, "decision"),
        rationale=_text(rationale, "rationale"),
        decided_at=decided_at,
        decided_by=_text(decided_by, "decided_by"),
        entered_at=now,
        entered_by=_text(entered_by, "entered_by"),
    )
    repo.append_decision(entry=entry)
    return entry


def open_case(
    *,
    repo: MissingRepository,
    new: NewMissingCase,
    actor: str,
    now: datetime,
    grade: str | None = None,
    rationale: str = "",
    scheme: RiskScheme | None = None,
) -> MissingCase:
    """Open a missing-person case; with ``grade``, grade its risk at once (rationale needed)."""
    _moment(new.reported_at, "reported_at")
    _moment(new.last_seen_at, "last_seen_at")
    if new.date_of_birth is not None and new.date_of_birth < EARLIEST:
        raise InvalidInput(f"date_of_birth: {new.date_of_birth.isoformat()} is too long ago")
    if new.date_of_birth is not None and new.date_of_birth > now.date():
        raise InvalidInput(f"date_of_birth: {new.date_of_birth.isoformat()} is in the future")
    if new.reported_at > now + CLOCK_SKEW:
        raise InvalidInput("reported_at: must not be in the future")
    if new.last_seen_at > new.reported_at + CLOCK_SKEW:
        raise InvalidInput("last_seen_at: must not be after the report")
    if grade is not None and not rationale.strip():
        raise InvalidInput("rationale: a risk grading needs its rationale")
    if grade is not None:
        (scheme or risk_scheme()).grade(grade)  # refuse an unknown grade before storing
    year = now.year
    case = MissingCase(
        **new.model_dump(),
        reference=missing_reference(new.force, year, repo.next_number(force=new.force, year=year)),
        opened_by=_text(actor, "actor"),
        opened_at=now,
    )
    repo.add_case(case=case)
    if grade is not None:
        grade_risk(
            repo=repo,
            reference=case.reference,
            grade=grade,
            rationale=rationale,
            actor=actor,
            now=now,
            scheme=scheme,
        )
        refreshed = repo.get(reference=case.reference)
        assert refreshed is not None
        return refreshed
    return case


def grade_risk(
    *,
    repo: MissingRepository,
    reference: str,
    grade: str,
    rationale: str,
    actor: str,
    now: datetime,
    scheme: RiskScheme | None = None,
    force: str | None = None,
) -> Grading:
    """Grade (or review) the risk: the next review falls due after the grade's period.

    The grading and a decision-log entry (``risk``, or ``review`` when the grade stands)
    are written together.
    """
    scheme = scheme or risk_scheme()
    chosen = scheme.grade(grade)
    case = get_case(repo=repo, reference=reference, force=force)
    _open(case)
    kind = DecisionKind.REVIEW if case.grade == chosen.id else DecisionKind.RISK
    due = now + chosen.review_period
    grading = Grading(
        case_id=case.id,
        number=len(repo.gradings(case_id=case.id)) + 1,
        grade=chosen.id,
        label=chosen.label,
        scheme=scheme.name,
        rationale=_text(rationale, "rationale"),
        graded_by=_text(actor, "actor"),
        graded_at=now,
        review_due=due,
    )
    repo.append_grading(grading=grading)
    words = (
        f"Risk reviewed: remains {chosen.label}"
        if kind is DecisionKind.REVIEW
        else f"Risk graded {chosen.label}"
        + (f" (was {scheme.label(case.grade)})" if case.grade else "")
    )
    _append_decision(
        repo=repo,
        case=case,
        kind=kind,
        decision=f"{words}; next review due {due.isoformat(timespec='minutes')}",
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
        entered_by=actor,
        now=now,
    )
    repo.update_case(
        case=case.model_copy(update={"grade": chosen.id, "graded_at": now, "review_due": due})
    )
    return grading


def record_decision(
    *,
    repo: MissingRepository,
    reference: str,
    decision: str,
    rationale: str,
    decided_by: str,
    decided_at: datetime,
    entered_by: str,
    now: datetime,
    force: str | None = None,
) -> DecisionEntry:
    """Add a decision to the log (the SIO's or, written up by a logist, theirs)."""
    case = get_case(repo=repo, reference=reference, force=force)
    return _append_decision(
        repo=repo,
        case=case,
        kind=DecisionKind.DECISION,
        decision=decision,
        rationale=rationale,
        decided_by=decided_by,
        decided_at=decided_at,
        entered_by=entered_by,
        now=now,
    )


def record_search(
    *,
    repo: MissingRepository,
    reference: str,
    place: str,
    method: str,
    result: str,
    searched_at: datetime,
    searched_by: str,
    actor: str,
    now: datetime,
    force: str | None = None,
) -> SearchEntry:
    """Add a search to the search log."""
    case = get_case(repo=repo, reference=reference, force=force)
    _moment(searched_at, "searched_at")
    if searched_at > now + CLOCK_SKEW:
        raise InvalidInput("searched_at: must not be in the future")
    entry = SearchEntry(
        case_id=case.id,
        number=len(repo.searches(case_id=case.id)) + 1,
        place=_text(place, "place"),
        method=_text(method, "method"),
        result=_text(result, "result"),
        searched_at=searched_at,
        searched_by=_text(searched_by, "searched_by"),
        recorded_by=_text(actor, "actor"),
        recorded_at=now,
    )
    repo.append_search(entry=entry)
    return entry


def raise_hypothesis(
    *,
    repo: MissingRepository,
    reference: str,
    text: str,
    actor: str,
    now: datetime,
    force: str | None = None,
) -> Hypothesis:
    """Add a hypothesis (a line of enquiry), open until supported or eliminated."""
    case = get_case(repo=repo, reference=reference, force=force)
    hypothesis = Hypothesis(
        case_id=case.id,
        number=len(repo.hypotheses(case_id=case.id)) + 1,
        text=_text(text, "text"),
        raised_by=_text(actor, "actor"),
        raised_at=now,
    )
    repo.add_hypothesis(hypothesis=hypothesis)
    return hypothesis


def settle_hypothesis(
    *,
    repo: MissingRepository,
    reference: str,
    number: int,
    status: HypothesisStatus,
    rationale: str,
    actor: str,
    now: datetime,
    force: str | None = None,
) -> Hypothesis:
    """Mark a hypothesis supported, eliminated or open again; the reason goes in the log."""
    case = get_case(repo=repo, reference=reference, force=force)
    found = [h for h in repo.hypotheses(case_id=case.id) if h.number == number]
    if not found:
        raise NotFound(f"no hypothesis {number} on {case.reference}")
    updated = found[0].model_copy(
        update={
            "status": status,
            "updated_by": _text(actor, "actor"),
            "updated_at": now,
            "note": _text(rationale, "rationale"),
        }
    )
    repo.update_hypothesis(hypothesis=updated)
    _append_decision(
        repo=repo,
        case=case,
        kind=DecisionKind.HYPOTHESIS,
        decision=f"Hypothesis {number} ({found[0].text}) marked {status.value}",
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
        entered_by=actor,
        now=now,
    )
    return updated


def set_media_strategy(
    *,
    repo: MissingRepository,
    reference: str,
    appeal: MediaAppeal,
    rationale: str,
    actor: str,
    now: datetime,
    channels: tuple[str, ...] = (),
    family_consent: bool | None = None,
    force: str | None = None,
) -> MediaStrategy:
    """Set the media strategy (appeal, channels, family consent); the reason goes in the log."""
    case = get_case(repo=repo, reference=reference, force=force)
    strategy = MediaStrategy(
        case_id=case.id,
        number=len(repo.media(case_id=case.id)) + 1,
        appeal=appeal,
        channels=tuple(c.strip() for c in channels if c.strip()),
        family_consent=family_consent,
        notes=rationale.strip(),
        recorded_by=_text(actor, "actor"),
        recorded_at=now,
    )
    repo.append_media(strategy=strategy)
    consent = {None: "not asked", True: "given", False: "refused"}[family_consent]
    _append_decision(
        repo=repo,
        case=case,
        kind=DecisionKind.MEDIA,
        decision=(
            f"Media strategy: appeal {appeal.value}"
            + (f" via {', '.join(strategy.channels)}" if strategy.channels else "")
            + f"; family consent {consent}"
        ),
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
        entered_by=actor,
        now=now,
    )
    return strategy


def hand_over(
    *,
    repo: MissingRepository,
    reference: str,
    to_officer: str,
    summary: str,
    outstanding: str,
    actor: str,
    now: datetime,
    force: str | None = None,
) -> Handover:
    """Hand the case to the next shift, with the grade as it stands and what is outstanding."""
    case = get_case(repo=repo, reference=reference, force=force)
    handover = Handover(
        case_id=case.id,
        number=len(repo.handovers(case_id=case.id)) + 1,
        from_officer=_text(actor, "actor"),
        to_officer=_text(to_officer, "to"),
        summary=_text(summary, "summary"),
        outstanding=outstanding.strip(),
        grade=case.grade,
        handed_over_at=now,
        recorded_by=actor,
    )
    repo.append_handover(handover=handover)
    return handover


def mark_found(
    *,
    repo: MissingRepository,
    reference: str,
    found_at: datetime,
    rationale: str,
    actor: str,
    now: datetime,
    force: str | None = None,
) -> MissingCase:
    """Record the person found and well-being confirmed: the case closes, reviews stop."""
    case = get_case(repo=repo, reference=reference, force=force)
    _open(case)
    _moment(found_at, "found_at")
    if found_at > now + CLOCK_SKEW:
        raise InvalidInput("found_at: must not be in the future")
    if found_at < case.last_seen_at:
        raise InvalidInput("found_at: must not be before the person was last seen")
    _append_decision(
        repo=repo,
        case=case,
        kind=DecisionKind.CLOSURE,
        decision=f"Found at {found_at.isoformat(timespec='minutes')}; well-being confirmed",
        rationale=rationale,
        decided_by=actor,
        decided_at=now,
        entered_by=actor,
        now=now,
    )
    closed = case.model_copy(
        update={
            "status": MissingStatus.FOUND,
            "found_at": found_at,
            "found_note": rationale.strip(),
            "review_due": None,
        }
    )
    repo.update_case(case=closed)
    return closed


def case_file(
    *,
    repo: MissingRepository,
    reference: str,
    now: datetime,
    force: str | None = None,
    scheme: RiskScheme | None = None,
) -> MissingCaseFile:
    """Return the case with all its logs and the review countdown."""
    case = get_case(repo=repo, reference=reference, force=force)
    scheme = scheme or risk_scheme()
    return MissingCaseFile(
        case=case,
        grade_label=scheme.label(case.grade),
        clock=ReviewClock(case.review_due, now),
        gradings=repo.gradings(case_id=case.id),
        decisions=repo.decisions(case_id=case.id),
        searches=repo.searches(case_id=case.id),
        hypotheses=repo.hypotheses(case_id=case.id),
        media=repo.media(case_id=case.id),
        handovers=repo.handovers(case_id=case.id),
    )


def list_cases(
    *,
    repo: MissingRepository,
    force: str,
    status: MissingStatus | None = MissingStatus.OPEN,
    limit: int = 100,
) -> list[MissingCase]:
    """Return a force's cases, the most pressing review first."""
    return repo.list_cases(force=force, status=status, limit=limit)
