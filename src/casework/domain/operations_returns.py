"""Force returns of national weeks of action and the county lines register, as plain data.

The types the ``operations`` services and the ``store`` share (neither may import the
other); the rules about them live in ``casework.operations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class Channel(StrEnum):
    """How a force sent its return."""

    WEB = "web"
    XLSX = "xlsx"
    CSV = "csv"
    API = "api"


@dataclass(frozen=True, slots=True)
class NewReturn:
    """One force's figures for one operation, validated, about to be stored."""

    operation: str
    force: str
    channel: Channel
    period_from: date
    period_to: date
    submitted_by: str
    submitted_at: datetime
    values: Mapping[str, float]
    """Measure key -> value; a measure left blank is absent (not reported)."""
    source: str = ""
    """Where it came from: a file name, ``web form``, ``api``."""


@dataclass(frozen=True, slots=True)
class StoredReturn:
    """A stored version of a force's return; only the latest version is ``current``."""

    id: UUID
    operation: str
    force: str
    version: int
    channel: Channel
    period_from: date
    period_to: date
    submitted_by: str
    submitted_at: datetime
    values: Mapping[str, float]
    source: str
    current: bool


class LineStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class DealLine:
    """A county lines deal-line phone number and what is known to be linked to it."""

    number: str
    force: str
    status: LineStatus
    name: str = ""
    """The line's brand name as users know it ("the Tony line")."""
    opened_on: date | None = None
    closed_on: date | None = None
    people: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = field(default=())
    updated_by: str = ""
    updated_at: datetime | None = None


class OperationsRepository(Protocol):
    """Storage of operation definitions, force returns and the line register."""

    def add_return(self, new: NewReturn) -> StoredReturn:
        """Store ``new`` as the force's next version; the previous one stops being current."""
        ...

    def current_returns(self, operation: str, *, values: bool = True) -> list[StoredReturn]:
        """The current version of each force's return (``values=False``: without figures)."""
        ...

    def history(self, operation: str, force: str) -> list[StoredReturn]:
        """Every version of one force's return, oldest first."""
        ...

    def current_values(self, operation: str) -> list[tuple[str, str, float]]:
        """(force, measure, value) of every current return: what a roll-up adds up."""
        ...

    def current_values_of(self, operations: list[str]) -> list[tuple[str, str, str, float]]:
        """(operation, force, measure, value) of the current returns of many operations."""
        ...

    def current_returns_of(self, operations: list[str]) -> list[StoredReturn]:
        """The current returns of many operations, without their figures."""
        ...

    def defined_operations(self) -> list[tuple[str, str]]:
        """(name, YAML text) of operations defined in the database, by name."""
        ...

    def define_operation(self, *, name: str, text: str, by: str, at: datetime) -> None: ...

    def lines(self, *, force: str | None = None) -> list[DealLine]: ...

    def line(self, number: str) -> DealLine | None: ...

    def save_line(self, line: DealLine) -> None: ...
