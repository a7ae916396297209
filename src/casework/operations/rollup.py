"""Roll force returns up: national, per region, per force, per 100,000 people, rates, changes.

Pure: takes (force, measure, value) triples and the current returns' identities, so every
figure can be traced back to the force returns it adds up (``Rollup.returns``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casework.domain.operations_returns import StoredReturn
from casework.operations.definitions import Operation
from casework.operations.forces import Force, all_forces, force_table
from casework.operations.returns import derived_measures, with_derived

PER = 100_000


def _rate(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True, slots=True)
class Change:
    before: float | None
    now: float | None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        if self.difference is None or not self.before:
            return None
        return self.difference / self.before * 100


@dataclass
class Rollup:
    operation: Operation
    by_force: dict[str, dict[str, float]]
    """Force code -> measure -> value (entered and worked out), forces that submitted."""
    returns: list[StoredReturn]
    totals: dict[str, float] = field(default_factory=dict)
    reporting: dict[str, int] = field(default_factory=dict)
    """Measure -> how many forces gave a figure for it."""
    by_region: dict[str, dict[str, float]] = field(default_factory=dict)
    previous: Rollup | None = None

    @property
    def forces(self) -> dict[str, Force]:
        return {f.code: f for f in all_forces()}

    @property
    def submitted(self) -> list[Force]:
        return [f for f in self.operation.taking_part if f.code in self.by_force]

    @property
    def missing(self) -> list[Force]:
        return [f for f in self.operation.taking_part if f.code not in self.by_force]

    def total(self, key: str) -> float | None:
        return self.totals.get(key)

    def rate(self, key: str, values: Mapping[str, float] | None = None) -> float | None:
        source = self.totals if values is None else values
        for r in self.operation.rates:
            if r.key == key:
                return _rate(source.get(r.numerator), source.get(r.denominator))
        raise KeyError(key)

    def population_covered(self, key: str) -> int | None:
        """People living in the areas of forces that gave ``key`` and whose population is known."""
        people = 0
        for code, values in self.by_force.items():
            population = self.forces[code].population
            if key in values and population:
                people += population
        return people or None

    def per_100k(self, key: str, force: str | None = None) -> float | None:
        """Per 100,000 people: a force's, or the national figure over the areas that gave it.

        Only forces that reported ``key`` count, in both the figure and the people it is
        divided by: a force that has not sent it does not dilute the rate.
        """
        if force is not None:
            population = self.forces[force].population
            value = self.by_force.get(force, {}).get(key)
            return None if value is None or not population else value / population * PER
        total = 0.0
        found = False
        for code, values in self.by_force.items():
            if key in values and self.forces[code].population:
                total += values[key]
                found = True
        people = self.population_covered(key)
        return total / people * PER if found and people else None

    def change(self, key: str) -> Change | None:
        if self.previous is None:
            return None
        return Change(self.previous.totals.get(key), self.totals.get(key))

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``casework ops rollup --format json`` and ``GET .../rollup``."""
        op = self.operation
        table = force_table()
        return {
            "operation": op.name,
            "title": op.title,
            "starts": op.starts.isoformat(),
            "ends": op.ends.isoformat(),
            "forces_taking_part": len(op.taking_part),
            "forces_submitted": [f.code for f in self.submitted],
            "forces_missing": [f.code for f in self.missing],
            "measures": {
                m.key: {
                    "label": m.label,
                    "unit": m.unit,
                    "total": self.totals.get(m.key),
                    "forces_reporting": self.reporting.get(m.key, 0),
                    "per_100k": self.per_100k(m.key),
                    "previous": self.change(m.key).before if self.previous else None,  # type: ignore[union-attr]
                    "change": self.change(m.key).difference if self.previous else None,  # type: ignore[union-attr]
                }
                for m in op.measures
            },
            "rates": {
                r.key: {
                    "label": r.label,
                    "value": self.rate(r.key),
                    "numerator": r.numerator,
                    "denominator": r.denominator,
                }
                for r in op.rates
            },
            "by_region": self.by_region,
            "by_force": self.by_force,
            "returns": [
                {
                    "force": r.force,
                    "version": r.version,
                    "id": str(r.id),
                    "channel": r.channel.value,
                    "submitted_by": r.submitted_by,
                    "submitted_at": r.submitted_at.isoformat(),
                }
                for r in self.returns
            ],
            "previous_operation": self.previous.operation.name if self.previous else None,
            "population": {
                "sources": [source.model_dump() for source in table.population_sources],
                "note": table.population_note,
                "by_force": {
                    f.code: {"people": f.population, "source": f.population_source}
                    for f in table.forces
                },
            },
        }


def roll_up(
    operation: Operation,
    *,
    values: Iterable[tuple[str, str, float]],
    returns: list[StoredReturn],
    previous: Rollup | None = None,
) -> Rollup:
    """Add the current returns up; derived measures are worked out per force, then summed."""
    entered: dict[str, dict[str, float]] = defaultdict(dict)
    for force, key, value in values:
        entered[force][key] = value
    for r in returns:  # a return with every measure left blank still counts as submitted
        entered.setdefault(r.force, {})
    taking_part = {f.code for f in operation.taking_part}
    derived = derived_measures(operation)
    by_force = {
        code: with_derived(operation, figures, derived)
        for code, figures in sorted(entered.items())
        if code in taking_part
    }
    forces = {f.code: f for f in all_forces()}
    totals: dict[str, float] = {}
    reporting: dict[str, int] = {}
    by_region: dict[str, dict[str, float]] = defaultdict(dict)
    for code, figures in by_force.items():
        region = by_region[forces[code].region]
        for key, value in figures.items():
            totals[key] = totals.get(key, 0.0) + value
            reporting[key] = reporting.get(key, 0) + 1
            region[key] = region.get(key, 0.0) + value
    return Rollup(
        operation=operation,
        by_force=by_force,
        returns=sorted(returns, key=lambda r: r.force),
        totals=totals,
        reporting=reporting,
        by_region=dict(sorted(by_region.items())),
        previous=previous,
    )
