"""The police dog register's records: dogs, handlers, licences, training, welfare, deployments.

Records are pydantic models so that a storage row (read with ``from_attributes``) and a
request body are checked the same way. Vocabulary follows the NPCC Police Dog Standard and
the College of Policing APP (April 2024): roles, statuses and the kinds of welfare check.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field


class DogSex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class DogSource(StrEnum):
    """How the force came to have the dog."""

    PROCUREMENT = "procurement"
    BREEDING = "breeding"


class DogRole(StrEnum):
    """The roles a police dog is trained and licensed for (APP, April 2024)."""

    GENERAL_PURPOSE = "general_purpose"
    SEARCH_DRUGS = "search_drugs"
    SEARCH_CASH = "search_cash"
    SEARCH_FIREARMS = "search_firearms"
    SEARCH_EXPLOSIVES = "search_explosives"
    SEARCH_VICTIM_RECOVERY = "search_victim_recovery"
    SEARCH_FORENSIC = "search_forensic"
    SEARCH_DIGITAL_MEDIA = "search_digital_media"
    FIREARMS_SUPPORT = "firearms_support"

    @property
    def words(self) -> str:
        if self.value.startswith("search_"):
            return f"{self.value.removeprefix('search_').replace('_', ' ')} search"
        return self.value.replace("_", " ")


class DogStatus(StrEnum):
    IN_TRAINING = "in_training"
    LICENSED = "licensed"
    SUSPENDED = "suspended"
    RETIRED = "retired"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class WelfareKind(StrEnum):
    """Daily check by the handler, veterinary check, kennel inspection."""

    DAILY = "daily"
    VET = "vet"
    KENNEL = "kennel"


class DeploymentOutcome(StrEnum):
    FIND = "find"
    ARREST = "arrest"
    FIND_AND_ARREST = "find_and_arrest"
    NOTHING_FOUND = "nothing_found"
    DETERRENCE = "deterrence"
    STOOD_DOWN = "stood_down"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class RetirementDecision(StrEnum):
    """What a retirement review decided."""

    CONTINUE = "continue"
    RETIRE = "retire"


_DOG_REFERENCE = re.compile(r"^(?P<force>[A-Z]{2,4})-DOG-(?P<number>\d{4,6})$")


def dog_reference(force: str, number: int) -> str:
    """A dog's readable reference: force code, ``DOG``, a number (``WY-DOG-0007``)."""
    return f"{force.upper()}-DOG-{number:04d}"


def parse_dog_reference(text: str) -> tuple[str, int] | None:
    """The force and number of a dog reference, or None if ``text`` is not one."""
    match = _DOG_REFERENCE.match(text.strip().upper())
    return (match["force"], int(match["number"])) if match else None


_RECORD = ConfigDict(frozen=True, from_attributes=True, extra="ignore")


class Dog(BaseModel):
    """A dog on the register; it belongs to the chief constable of ``force``."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    reference: str
    force: str
    name: str
    breed: str
    sex: DogSex
    born_on: date
    microchip: str
    source: DogSource
    roles: tuple[DogRole, ...]
    status: DogStatus
    acquired_on: date
    handler_number: str | None = None
    """The current handler (see the handler history for earlier ones)."""
    retirement_review_due_on: date
    retired_on: date | None = None
    retirement_reason: str = ""
    rehomed_with: str = ""
    rehomed_on: date | None = None
    recorded_by: str
    recorded_at: datetime

    def age_on(self, day: date) -> int:
        """Whole years of age on ``day``."""
        years = day.year - self.born_on.year
        return years - ((day.month, day.day) < (self.born_on.month, self.born_on.day))


class Qualification(BaseModel):
    """A handler's course or qualification in a role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: DogRole
    qualified_on: date
    course: str = Field(default="", max_length=200)


class Handler(BaseModel):
    """A dog handler, known by their staff (collar) number in the force."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    number: str
    name: str
    qualifications: tuple[Qualification, ...] = ()
    active: bool = True
    recorded_at: datetime


class HandlerSpell(BaseModel):
    """A handler's time with a dog (the handler history)."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID
    handler_number: str
    from_on: date
    to_on: date | None = None


class Licence(BaseModel):
    """A team (dog and handler) assessed in a role; valid from assessment to expiry if passed."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID
    handler_number: str
    role: DogRole
    assessed_on: date
    expires_on: date
    passed: bool
    assessor: str
    notes: str = ""

    def covers(self, day: date) -> bool:
        return self.passed and self.assessed_on <= day <= self.expires_on


class TrainingRecord(BaseModel):
    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID
    handler_number: str | None = None
    on: date
    hours: float
    topic: str
    trainer: str
    notes: str = ""


class WelfareCheck(BaseModel):
    """A daily check, a vet's check or a kennel inspection; ``concern`` if anything was wrong."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID
    on: date
    kind: WelfareKind
    by: str
    concern: bool = False
    notes: str = ""


class VisitorReport(BaseModel):
    """A report of the independent visitor scheme on the force's kennels."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    visited_on: date
    visitor: str
    kennels: str
    satisfactory: bool
    findings: str = ""


class Deployment(BaseModel):
    """A dog deployed to an incident: the outcome, finds, arrests, force used and any bite."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID
    handler_number: str
    at: datetime
    incident: str
    role: DogRole
    outcome: DeploymentOutcome
    finds: int = 0
    arrests: int = 0
    use_of_force: bool = False
    bite: bool = False
    injury: str = ""
    """Injury details when the dog bit or force was used (who, what, treatment)."""
    notes: str = ""
    recorded_by: str


class SafetyIncident(BaseModel):
    """A health and safety incident in the unit (with or without a dog)."""

    model_config = _RECORD

    id: UUID = Field(default_factory=uuid4)
    force: str
    dog_id: UUID | None = None
    on: date
    kind: str
    description: str
    injured: bool = False
    reported_by: str


class DogFile(BaseModel):
    """A dog with everything recorded about it, newest first where it is a log."""

    model_config = ConfigDict(frozen=True)

    dog: Dog
    handlers: tuple[HandlerSpell, ...]
    licences: tuple[Licence, ...]
    training: tuple[TrainingRecord, ...]
    welfare: tuple[WelfareCheck, ...]
    deployments: tuple[Deployment, ...]
    incidents: tuple[SafetyIncident, ...]
