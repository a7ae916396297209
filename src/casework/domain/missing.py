"""Missing-person cases (College of Policing APP): the records and what storage must do.

"Anyone whose whereabouts cannot be established will be considered as missing until
located, and their well-being or otherwise confirmed." A missing-person case is not a
criminal case: it has its own reference (``WY-MP-2026-000001``), a risk grading with a
review deadline, and logs that are only ever added to: the decision log (policy file),
the search log, hypotheses, the media strategy and the handovers between shifts.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_validator

from casework.domain.pole import FORCE_CODE

MISSING_REFERENCE = re.compile(r"^(?P<force>[A-Z]{2,4})-MP-(?P<year>\d{4})-(?P<number>\d{6})$")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must be timezone-aware")
    return value


def _aware_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _aware(value)


def missing_reference(force: str, year: int, number: int) -> str:
    """Return the readable reference of a missing-person case: ``WY-MP-2026-000001``."""
    return f"{force}-MP-{year:04d}-{number:06d}"


class MissingStatus(StrEnum):
    OPEN = "open"
    FOUND = "found"


class DecisionKind(StrEnum):
    """What a decision-log entry records; the service writes the non-``decision`` kinds itself."""

    DECISION = "decision"
    RISK = "risk"
    REVIEW = "review"
    HYPOTHESIS = "hypothesis"
    MEDIA = "media"
    CLOSURE = "closure"


class HypothesisStatus(StrEnum):
    OPEN = "open"
    SUPPORTED = "supported"
    ELIMINATED = "eliminated"


class MediaAppeal(StrEnum):
    NONE = "none"
    CONSIDERED = "considered"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)


class NewMissingCase(_Frozen):
    """What is known when a person is reported missing."""

    force: str = Field(pattern=FORCE_CODE)
    name: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None
    description: str = Field(default="", max_length=4000)
    home_address: str = Field(default="", max_length=1000)
    phone: str = Field(default="", max_length=40)
    last_seen_at: datetime
    last_seen_place: str = Field(default="", max_length=1000)
    circumstances: str = Field(default="", max_length=8000)
    reported_at: datetime

    _check = field_validator("last_seen_at", "reported_at")(_aware)


class MissingCase(NewMissingCase):
    """A missing-person case as it stands: the current grading and the next review."""

    id: UUID = Field(default_factory=uuid4)
    reference: str = Field(pattern=MISSING_REFERENCE.pattern)
    opened_by: str = Field(min_length=1, max_length=200)
    opened_at: datetime
    status: MissingStatus = MissingStatus.OPEN
    grade: str | None = None
    graded_at: datetime | None = None
    review_due: datetime | None = None
    found_at: datetime | None = None
    found_note: str = ""

    _check_more = field_validator("opened_at")(_aware)
    _check_optional = field_validator("graded_at", "review_due", "found_at")(_aware_or_none)


class DecisionEntry(_Frozen):
    """One entry of the decision log: numbered, timed twice, reasoned, never changed."""

    case_id: UUID
    number: int = Field(ge=1)
    kind: DecisionKind
    decision: str = Field(min_length=1, max_length=8000)
    rationale: str = Field(min_length=1, max_length=8000)
    decided_at: datetime
    """When the decision was made."""
    decided_by: str = Field(min_length=1, max_length=200)
    """Who made it (the SIO or the officer in charge), as they sign it."""
    entered_at: datetime
    """When it was written in the log (by the system clock: never chosen by the writer)."""
    entered_by: str = Field(min_length=1, max_length=200)
    """Who wrote it (the decision maker or a logist)."""

    _check = field_validator("decided_at", "entered_at")(_aware)


class Grading(_Frozen):
    """A risk grading, with the scheme it came from and the review it sets."""

    case_id: UUID
    number: int = Field(ge=1)
    grade: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=200)
    scheme: str = Field(min_length=1, max_length=80)
    rationale: str = Field(min_length=1, max_length=8000)
    graded_by: str = Field(min_length=1, max_length=200)
    graded_at: datetime
    review_due: datetime

    _check = field_validator("graded_at", "review_due")(_aware)


class SearchEntry(_Frozen):
    """A search made: where, how, when, by whom, and what was found."""

    case_id: UUID
    number: int = Field(ge=1)
    place: str = Field(min_length=1, max_length=1000)
    method: str = Field(min_length=1, max_length=200)
    result: str = Field(min_length=1, max_length=4000)
    searched_at: datetime
    searched_by: str = Field(min_length=1, max_length=200)
    recorded_by: str = Field(min_length=1, max_length=200)
    recorded_at: datetime

    _check = field_validator("searched_at", "recorded_at")(_aware)


class Hypothesis(_Frozen):
    """A line of enquiry about what has happened to the person."""

    case_id: UUID
    number: int = Field(ge=1)
    text: str = Field(min_length=1, max_length=4000)
    status: HypothesisStatus = HypothesisStatus.OPEN
    raised_by: str = Field(min_length=1, max_length=200)
    raised_at: datetime
    updated_by: str = ""
    updated_at: datetime | None = None
    note: str = ""

    _check = field_validator("raised_at")(_aware)
    _check_optional = field_validator("updated_at")(_aware_or_none)


class MediaStrategy(_Frozen):
    """The media strategy as set at a time; the latest is the one in force."""

    case_id: UUID
    number: int = Field(ge=1)
    appeal: MediaAppeal
    channels: tuple[str, ...] = ()
    family_consent: bool | None = None
    notes: str = Field(default="", max_length=4000)
    recorded_by: str = Field(min_length=1, max_length=200)
    recorded_at: datetime

    _check = field_validator("recorded_at")(_aware)


class Handover(_Frozen):
    """A handover between shifts: who to whom, the state of the case, what is outstanding."""

    case_id: UUID
    number: int = Field(ge=1)
    from_officer: str = Field(min_length=1, max_length=200)
    to_officer: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=8000)
    outstanding: str = Field(default="", max_length=8000)
    grade: str | None = None
    handed_over_at: datetime
    recorded_by: str = Field(min_length=1, max_length=200)

    _check = field_validator("handed_over_at")(_aware)


class MissingRepository(Protocol):
    """What the missing-person service needs from storage; one unit of work per call chain.

    The logs have ``append_*`` and read methods only: there is deliberately no way here
    to change or remove an entry (the store refuses it too).
    """

    def next_number(self, *, force: str, year: int) -> int: ...

    def add_case(self, *, case: MissingCase) -> None: ...

    def get(self, *, reference: str) -> MissingCase | None: ...

    def list_cases(
        self, *, force: str, status: MissingStatus | None = None, limit: int = 100
    ) -> list[MissingCase]:
        """Cases of a force, the next review due first (cases with no review last)."""
        ...

    def update_case(self, *, case: MissingCase) -> None:
        """Store the case's current state: grade, next review, status (the logs keep history)."""
        ...

    def append_decision(self, *, entry: DecisionEntry) -> None: ...

    def decisions(self, *, case_id: UUID) -> list[DecisionEntry]: ...

    def append_grading(self, *, grading: Grading) -> None: ...

    def gradings(self, *, case_id: UUID) -> list[Grading]: ...

    def append_search(self, *, entry: SearchEntry) -> None: ...

    def searches(self, *, case_id: UUID) -> list[SearchEntry]: ...

    def add_hypothesis(self, *, hypothesis: Hypothesis) -> None: ...

    def update_hypothesis(self, *, hypothesis: Hypothesis) -> None: ...

    def hypotheses(self, *, case_id: UUID) -> list[Hypothesis]: ...

    def append_media(self, *, strategy: MediaStrategy) -> None: ...

    def media(self, *, case_id: UUID) -> list[MediaStrategy]: ...

    def append_handover(self, *, handover: Handover) -> None: ...

    def handovers(self, *, case_id: UUID) -> list[Handover]: ...
