"""The 43 territorial police forces of England and Wales, with region and population.

Shipped as data (``operations/data/forces.json``) with its sources. No other force list
exists in the package (the demo cases name five forces; their codes are the same here).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, ValidationError

from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput


class Force(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    area: str
    """The police area's name (Police Act 1996 Sch. 1), e.g. ``West Yorkshire``."""
    name: str
    region: str
    country: str
    population: int
    """People living in the force area, counted on the basis ``population_source`` names."""
    population_source: str
    """The ``id`` of the ``PopulationSource`` (in ``ForceTable.population_sources``)."""


class PopulationSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    year: int
    basis: str
    source: str


class ForceTable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    source: str
    population_sources: tuple[PopulationSource, ...]
    population_note: str
    forces: tuple[Force, ...]

    def population_source_of(self, force: Force) -> PopulationSource:
        return next(s for s in self.population_sources if s.id == force.population_source)

    def population_basis(self) -> str:
        """One line for a page or a PDF: each basis with the forces counted on it."""
        parts = []
        for source in self.population_sources:
            counted = [f for f in self.forces if f.population_source == source.id]
            if len(counted) > 8:
                who = f"{len(counted)} force areas"
            else:
                who = ", ".join(f.area for f in counted)
            parts.append(f"{source.basis} ({who})")
        return "Per 100,000 people: " + "; ".join(parts) + "."


class ForceDataError(ValueError):
    """The packaged force table is broken (a bug in the release, not user input)."""


@cache
def force_table() -> ForceTable:
    """Load and check the packaged table: 43 forces, unique well-formed codes."""
    text = resources.files("casework.operations.data").joinpath("forces.json").read_text("utf-8")
    try:
        table = ForceTable.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as error:
        raise ForceDataError(f"operations/data/forces.json: {error}") from error
    codes = [f.code for f in table.forces]
    if len(codes) != 43 or len(set(codes)) != 43:
        raise ForceDataError("operations/data/forces.json: expected 43 forces with unique codes")
    bad = [c for c in codes if not re.fullmatch(FORCE_CODE, c)]
    if bad:
        raise ForceDataError(f"operations/data/forces.json: bad force codes {bad}")
    known = {s.id for s in table.population_sources}
    unsourced = [f.code for f in table.forces if f.population_source not in known]
    if unsourced or any(f.population <= 0 for f in table.forces):
        raise ForceDataError(
            f"operations/data/forces.json: population without a known source or not positive "
            f"({unsourced or 'a count <= 0'})"
        )
    return table


def all_forces() -> tuple[Force, ...]:
    return force_table().forces


@cache
def _index() -> dict[str, Force]:
    index: dict[str, Force] = {}
    for force in all_forces():
        for key in (force.code, force.area, force.name):
            index[_key(key)] = force
    return index


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def find_force(text: str, *, where: str = "force") -> Force:
    """The force named by code (``WY``), area (``West Yorkshire``) or full name; else an error."""
    found = _index().get(_key(text or ""))
    if found is None:
        raise InvalidInput(
            f"{where}: {text!r} is not one of the 43 forces of England and Wales; give a "
            "force code (e.g. WY) or name (e.g. West Yorkshire)"
        )
    return found


def regions() -> list[str]:
    """Regions in the order their first force appears in the table."""
    seen: dict[str, None] = {}
    for force in all_forces():
        seen.setdefault(force.region, None)
    return sorted(seen)
