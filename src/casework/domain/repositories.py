"""What the journey services need from storage, as protocols (ports).

``journey`` may import only ``domain``, so the services are written against these
protocols; ``store`` implements them with SQLAlchemy and the faces wire the two together.
Every method is keyword-only so that a call reads the same in a service and in a test.
"""

from __future__ import annotations

from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, field_serializer

from casework.domain.case_deadlines import CaseDeadline
from casework.domain.cases import Case, CaseOffence, CaseQuery, CaseReference, CaseSummary, Role
from casework.domain.pole import Confirmation, Event, Location, Person, PoleObject
from casework.domain.stages import Stage, StageChange


class ConcurrentChange(Exception):
    """The record changed under us (another user moved the case); read it again and retry."""


class DueDeadline(BaseModel):
    """An open deadline with the case it belongs to, for the cross-case "due soon" list."""

    model_config = ConfigDict(frozen=True)

    reference: CaseReference
    force: str
    stage: Stage
    deadline: CaseDeadline

    @field_serializer("reference")
    def _reference_text(self, reference: CaseReference) -> str:
        return str(reference)


class CaseRepository(Protocol):
    """Cases with their offences, parties and stage history."""

    def next_reference(self, *, force: str, year: int) -> CaseReference:
        """Return the next unused reference of ``force`` for ``year`` (safe under concurrency)."""
        ...

    def add(self, *, case: Case) -> None:
        """Store a new case with its offences, parties and history."""
        ...

    def get(self, *, reference: CaseReference) -> Case | None: ...

    def add_offence(self, *, case: Case, offence: CaseOffence) -> None: ...

    def add_party(
        self, *, case: Case, person_id: UUID, role: Role, added_by: str, added_at: datetime
    ) -> None: ...

    def record_stage_change(self, *, case: Case, change: StageChange) -> None:
        """Append ``change``; raise ``ConcurrentChange`` if the case is no longer at its source."""
        ...

    def search(self, *, query: CaseQuery) -> list[CaseSummary]: ...

    def references(self, *, force: str | None = None) -> list[CaseReference]:
        """Every case reference (of one force), oldest first: for recomputing deadlines."""
        ...


class PersonRepository(Protocol):
    """Persons, who exist once and appear in many cases."""

    def add(self, *, person: Person) -> None: ...

    def get(self, *, person_id: UUID) -> Person | None: ...

    def find(self, *, force: str, name_key: str, date_of_birth: date | None) -> list[Person]:
        """Persons of ``force`` with this name key (and date of birth, when one is given)."""
        ...

    def cases_of(self, *, person_id: UUID) -> list[tuple[CaseReference, Role]]:
        """Every case the person appears in, with their role there."""
        ...


class EventRepository(Protocol):
    """Events of cases: the suspect-focused timeline."""

    def add(self, *, event: Event) -> None: ...

    def get(self, *, event_id: UUID) -> Event | None: ...

    def for_case(self, *, case_id: UUID) -> list[Event]:
        """The case's events in the order they happened."""
        ...

    def set_status(self, *, event_id: UUID, status: Confirmation) -> None: ...


class ObjectRepository(Protocol):
    """Objects (vehicles, phones, weapons...) and their identifiers."""

    def add(self, *, item: PoleObject) -> None: ...

    def get(self, *, object_id: UUID) -> PoleObject | None: ...

    def find_by_identifier(self, *, scheme: str, value: str) -> list[PoleObject]: ...


class LocationRepository(Protocol):
    """Locations."""

    def add(self, *, location: Location) -> None: ...

    def get(self, *, location_id: UUID) -> Location | None: ...


class DeadlineRepository(Protocol):
    """Deadlines worked out for each case, kept so that "due soon" is one indexed query."""

    def replace_for_case(self, *, case: Case, deadlines: list[CaseDeadline]) -> None: ...

    def for_case(self, *, case_id: UUID) -> list[CaseDeadline]: ...

    def due(self, *, until: date, force: str | None = None) -> list[DueDeadline]:
        """Open deadlines due on or before ``until`` (overdue ones too), soonest first."""
        ...


class CaseStore(Protocol):
    """One unit of work over every repository: all changes commit together, or none do."""

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def persons(self) -> PersonRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def objects(self) -> ObjectRepository: ...

    @property
    def locations(self) -> LocationRepository: ...

    @property
    def deadlines(self) -> DeadlineRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
