"""What the dog register needs from storage: plain rows by kind, written and read whole.

The register's records are checked by their pydantic models on the way in and out, so the
store only moves values: ``store`` implements this on SQLAlchemy (``store.dog_models``)
without knowing the register's types, and the register never imports the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class RecordKind(StrEnum):
    """Each kind of record, named as its table."""

    DOG = "dogs"
    HANDLER = "dog_handlers"
    HANDLER_SPELL = "dog_handler_history"
    LICENCE = "dog_licences"
    TRAINING = "dog_training"
    WELFARE = "dog_welfare_checks"
    VISIT = "dog_visitor_reports"
    DEPLOYMENT = "dog_deployments"
    INCIDENT = "dog_safety_incidents"


class DogRegisterStore(Protocol):
    """Rows of the register in one unit of work (committed or rolled back by its owner)."""

    def add(self, kind: RecordKind, values: Mapping[str, object]) -> None:
        """Insert one row (``values`` name every column)."""
        ...

    def update(self, kind: RecordKind, row_id: UUID, values: Mapping[str, object]) -> None:
        """Change some columns of one row."""
        ...

    def rows(
        self,
        kind: RecordKind,
        where: Mapping[str, object] | None = None,
        *,
        since: tuple[str, date] | None = None,
    ) -> Sequence[object]:
        """Rows whose columns equal ``where`` (all rows without it), oldest first.

        ``since`` (column, day) keeps only rows on or after the day. Each row is a mapping
        of column names (or an object with them as attributes) that the record's model reads.
        """
        ...

    def next_dog_number(self, force: str) -> int:
        """The next free number of a dog reference in ``force`` (1 for the first)."""
        ...
