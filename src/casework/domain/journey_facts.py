"""What the journey metrics read from storage: one row of facts per case, and the port.

``journey`` turns each ``JourneyFacts`` into a metrics record (deciding, for instance,
which stages count as an outcome); ``store`` fills them with one query over the cases, so
that metrics over many thousands of cases never load whole case objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casework.domain.pole import FORCE_CODE
from casework.domain.stages import Stage


@dataclass(frozen=True, slots=True)
class JourneyFacts:
    """The facts of one case that the metrics need.

    ``stage_since`` is when the case reached its current stage (the last stage change);
    ``first_charged_at`` when it was first charged, None if never; ``withdrawal_stage`` the
    stage at which the victim withdrew support, None when they did not (or when the store
    keeps no withdrawals).
    """

    reference: str
    force: str
    reported_on: date
    stage: Stage
    stage_since: datetime
    first_charged_at: datetime | None
    offences: tuple[str, ...]
    withdrawal_stage: str | None = None


class FactsQuery(BaseModel):
    """Which cases to measure: one force (or all), reported between two dates (inclusive)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    force: str | None = Field(default=None, pattern=FORCE_CODE)
    reported_from: date | None = None
    reported_to: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> FactsQuery:
        if (
            self.reported_from is not None
            and self.reported_to is not None
            and self.reported_from > self.reported_to
        ):
            raise ValueError(
                f"reported_from {self.reported_from.isoformat()} is after reported_to "
                f"{self.reported_to.isoformat()}"
            )
        return self


class JourneyFactsRepository(Protocol):
    """Reads the facts of many cases at once, for metrics."""

    def facts(self, *, query: FactsQuery) -> Iterator[JourneyFacts]:
        """The facts of every case the query selects, by report date then reference."""
        ...
