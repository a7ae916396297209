"""A case: its readable reference, offences, the people in it and the road it has taken.

A ``Case`` is read whole (offences, parties, stage history) and changed one recorded fact
at a time by the services in ``journey.cases``; nothing here touches storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from casework.domain.pole import FORCE_CODE, Person, PersonDetails
from casework.domain.risk import RiskLevel
from casework.domain.stages import Stage, StageChange

_REFERENCE = re.compile(r"^(?P<force>[A-Z]{2,4})-(?P<year>\d{4})-(?P<number>\d{6,})$")
_OFFENCE_CODE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"


@dataclass(frozen=True, slots=True, order=True)
class CaseReference:
    """A readable case reference: force code, year and number, like ``WY-2026-000123``.

    Used in URLs and on paper instead of a database id; unique across all forces.
    """

    force: str
    year: int
    number: int

    def __post_init__(self) -> None:
        if not re.fullmatch(FORCE_CODE, self.force):
            raise ValueError(f"force code {self.force!r} must be 2 to 4 capital letters")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.number < 1:
            raise ValueError("case number must be 1 or more")

    def __str__(self) -> str:
        return f"{self.force}-{self.year:04d}-{self.number:06d}"

    @classmethod
    def parse(cls, text: str) -> CaseReference:
        """Read ``WY-2026-000123`` (any letter case); raise ``ValueError`` saying the form."""
        match = _REFERENCE.match(text.strip().upper())
        if match is None:
            raise ValueError(
                f"{text!r} is not a case reference; expected FORCE-YEAR-NUMBER, e.g. WY-2026-000123"
            )
        return cls(match["force"], int(match["year"]), int(match["number"]))


class Role(StrEnum):
    """How a person takes part in a case."""

    VICTIM = "victim"
    SUSPECT = "suspect"
    WITNESS = "witness"
    OFFICER_IN_CASE = "officer_in_case"
    SUPERVISOR = "supervisor"
    CPS_PROSECUTOR = "cps_prosecutor"
    IDVA = "idva"
    WITNESS_CARE_OFFICER = "witness_care_officer"
    APPROPRIATE_ADULT = "appropriate_adult"
    INTERPRETER = "interpreter"

    @property
    def words(self) -> str:
        return {
            Role.OFFICER_IN_CASE: "officer in the case",
            Role.CPS_PROSECUTOR: "CPS prosecutor",
            Role.IDVA: "IDVA",
        }.get(self, self.value.replace("_", " "))

    @property
    def is_professional(self) -> bool:
        """Staff who work the case, as opposed to the public whose case it is.

        Professionals are matched by name within a force when added again; members of the
        public only with a date of birth as well, so that two John Smiths never merge.
        """
        return self in PROFESSIONAL_ROLES


PROFESSIONAL_ROLES = frozenset(
    {
        Role.OFFICER_IN_CASE,
        Role.SUPERVISOR,
        Role.CPS_PROSECUTOR,
        Role.IDVA,
        Role.WITNESS_CARE_OFFICER,
        Role.APPROPRIATE_ADULT,
        Role.INTERPRETER,
    }
)


class CaseParty(BaseModel):
    """A person linked to a case in one role."""

    model_config = ConfigDict(frozen=True)

    person: Person
    role: Role
    added_by: str
    added_at: datetime


class OffenceDetails(BaseModel):
    """An offence as recorded: its catalogue code and when it was committed.

    For a course of conduct (coercive control, stalking) ``committed_on`` is the last day.
    It may be unknown at first; the time limit then cannot be worked out and says so.
    """

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    code: str = Field(pattern=_OFFENCE_CODE)
    committed_on: date | None = None


class CaseOffence(OffenceDetails):
    """An offence recorded on a case, with who recorded it and when."""

    id: UUID = Field(default_factory=uuid4)
    recorded_by: str
    recorded_at: datetime


class NewCase(BaseModel):
    """What an officer gives to open a case."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    force: str = Field(pattern=FORCE_CODE)
    reported_on: date
    offences: tuple[OffenceDetails, ...] = ()
    domestic_abuse: bool = False
    restricted: bool = False
    enhanced_rights: bool = False
    """The victim is entitled to Enhanced Rights under the Victims' Code; always true for
    domestic abuse (see ``Case.victim_has_enhanced_rights``)."""
    parties: tuple[tuple[Role, PersonDetails], ...] = ()

    @field_validator("force", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value


class Case(BaseModel):
    """A case as read from storage: facts, offences, parties, and its stage history."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    reference: CaseReference
    force: str = Field(pattern=FORCE_CODE)
    reported_on: date
    opened_at: datetime
    domestic_abuse: bool
    restricted: bool
    enhanced_rights: bool
    stage: Stage
    offences: tuple[CaseOffence, ...] = ()
    parties: tuple[CaseParty, ...] = ()
    history: tuple[StageChange, ...] = ()

    @field_serializer("reference")
    def _reference_text(self, reference: CaseReference) -> str:
        return str(reference)

    @property
    def victim_has_enhanced_rights(self) -> bool:
        """Victims of domestic abuse are entitled to Enhanced Rights (Victims' Code 2020)."""
        return self.enhanced_rights or self.domestic_abuse

    def people(self, role: Role) -> list[Person]:
        """Return the persons in ``role``, in the order they were added."""
        return [p.person for p in self.parties if p.role is role]

    def has_party(self, person_id: UUID, role: Role) -> bool:
        return any(p.person.id == person_id and p.role is role for p in self.parties)


class CaseQuery(BaseModel):
    """Filters for listing cases; every filter given must match."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    stage: Stage | None = None
    offence: str | None = None
    force: str | None = None
    officer: str | None = None
    """The officer in the case, by name (matched as ``pole.name_key`` does)."""
    risk: RiskLevel | None = None
    """The victim's risk level in force (the latest assessment's)."""
    limit: int = Field(default=100, ge=1, le=10_000)
    offset: int = Field(default=0, ge=0)


class CaseSummary(BaseModel):
    """One line of a case list."""

    model_config = ConfigDict(frozen=True)

    reference: CaseReference
    force: str
    stage: Stage
    reported_on: date
    domestic_abuse: bool
    restricted: bool
    offences: tuple[str, ...]
    officers: tuple[str, ...]

    @field_serializer("reference")
    def _reference_text(self, reference: CaseReference) -> str:
        return str(reference)


def new_case_id() -> UUID:
    """Return a fresh case id (the database key; users see the reference)."""
    return uuid4()
