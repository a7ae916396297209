"""POLE entities (Person, Object, Location, Event), the convention of UK police data.

A person exists once and can appear in many cases (earlier incidents matter in domestic
abuse), so persons, objects and locations stand on their own; cases link them through
roles, and events link them to what happened. Every record carries the code of the force
that holds it, because access is scoped by force.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORCE_CODE = r"^[A-Z]{2,4}$"
"""A force's short code, as in case references: ``WY`` (West Yorkshire), ``MPS``."""

_SPACES = re.compile(r"\s+")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must be timezone-aware")
    return value


def name_key(full_name: str) -> str:
    """Return the form of a name used to match persons: case-folded, accents and spaces tidied.

    "Terry WILLIAMS" and "terry  williams" share a key; "Zoë" and "Zoe" too.
    """
    decomposed = unicodedata.normalize("NFKD", full_name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip().casefold()


class PersonDetails(BaseModel):
    """What is known of a person when they are first recorded."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    given_names: str = Field(default="", max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None

    @classmethod
    def from_full_name(cls, full_name: str, *, date_of_birth: date | None = None) -> PersonDetails:
        """Split "Jane Ann SMITH" or "SMITH, Jane Ann" into given names and family name.

        Raises ``ValueError`` for a blank name.
        """
        text = _SPACES.sub(" ", full_name).strip()
        if not text:
            raise ValueError("a person's name must not be blank")
        if "," in text:
            family, _, given = text.partition(",")
            return cls(
                given_names=given.strip(), family_name=family.strip(), date_of_birth=date_of_birth
            )
        *names, family = text.split(" ")
        return cls(given_names=" ".join(names), family_name=family, date_of_birth=date_of_birth)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class Person(PersonDetails):
    """A person held by a force, who may appear in many cases."""

    id: UUID = Field(default_factory=uuid4)
    force: str = Field(pattern=FORCE_CODE)
    created_at: datetime

    _check_created = field_validator("created_at")(_aware)

    @property
    def name_key(self) -> str:
        return name_key(self.full_name)


class ObjectKind(StrEnum):
    """What sort of thing an Object is."""

    VEHICLE = "vehicle"
    PHONE = "phone"
    COMPUTER = "computer"
    WEAPON = "weapon"
    DOCUMENT = "document"
    MONEY = "money"
    DRUGS = "drugs"
    CLOTHING = "clothing"
    OTHER = "other"


class Identifier(BaseModel):
    """One identifier of an object: a scheme and its value (``VRM`` AB12 CDE, ``IMEI`` ...)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    scheme: str = Field(min_length=1, max_length=40, pattern=r"^[A-Z][A-Z0-9_]*$")
    value: str = Field(min_length=1, max_length=200)


class PoleObject(BaseModel):
    """The O of POLE: a vehicle, phone, weapon or other thing, with its identifiers."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: UUID = Field(default_factory=uuid4)
    force: str = Field(pattern=FORCE_CODE)
    kind: ObjectKind
    description: str = Field(min_length=1, max_length=1000)
    identifiers: tuple[Identifier, ...] = ()


class Location(BaseModel):
    """The L of POLE: an address or place, optionally with coordinates."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: UUID = Field(default_factory=uuid4)
    force: str = Field(pattern=FORCE_CODE)
    description: str = Field(min_length=1, max_length=1000)
    postcode: str | None = Field(default=None, max_length=10)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both_coordinates(self) -> Location:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class EventKind(StrEnum):
    """What an event is. Some start Victims' Code duties or time limits; see ``case_deadlines``."""

    INCIDENT = "incident"
    OFFENCE = "offence"
    VICTIM_STATEMENT = "victim_statement"
    """The victim's witness statement or video-recorded interview (starts CJA 1988 s.39A)."""
    ARREST = "arrest"
    INTERVIEW_UNDER_CAUTION = "interview_under_caution"
    RELEASED_WITHOUT_CHARGE = "released_without_charge"
    BAILED = "bailed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    BAIL_CONDITIONS_CHANGED = "bail_conditions_changed"
    VICTIM_INFORMED = "victim_informed"
    """The victim was told of a development: meets a pending Victims' Code duty."""
    SUPPORT_REFERRAL = "support_referral"
    """The victim was referred to support services: meets the Right 4 duty."""
    CONTACT = "contact"
    OTHER = "other"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class EventPhase(StrEnum):
    """When, relative to the offence, the suspect's action took place (suspect-focused)."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class EventSource(StrEnum):
    """How the event came to be recorded."""

    MANUAL = "manual"
    DOCUMENT = "document"


class Confirmation(StrEnum):
    """Whether an investigator has accepted the event; only confirmed events count."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class EventDetails(BaseModel):
    """What happened, when, where and who: as entered or as proposed from a document."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    kind: EventKind
    description: str = Field(min_length=1, max_length=4000)
    occurred_at: datetime
    phase: EventPhase | None = None
    location_id: UUID | None = None
    person_ids: tuple[UUID, ...] = ()
    object_ids: tuple[UUID, ...] = ()
    source: EventSource = EventSource.MANUAL
    source_document: str | None = Field(default=None, max_length=1000)
    """The document (and place in it) an event proposed from a document was read from."""

    _check_occurred = field_validator("occurred_at")(_aware)

    @model_validator(mode="after")
    def _document_named(self) -> EventDetails:
        if self.source is EventSource.DOCUMENT and not self.source_document:
            raise ValueError("an event proposed from a document must name the document")
        return self


class Event(EventDetails):
    """The E of POLE: an event of one case."""

    id: UUID = Field(default_factory=uuid4)
    case_id: UUID
    force: str = Field(pattern=FORCE_CODE)
    status: Confirmation
    recorded_by: str = Field(min_length=1, max_length=200)
    recorded_at: datetime

    _check_recorded = field_validator("recorded_at")(_aware)

    @property
    def counts(self) -> bool:
        """Whether the event is confirmed, so that rules may act on it."""
        return self.status is Confirmation.CONFIRMED
