"""What DFR planning works on: incidents, dock sites, a drone profile and airspace zones.

Positions are British National Grid metres (see ``geometry``); incidents are held as
column arrays because a force's history runs to hundreds of thousands of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from shapely.geometry.base import BaseGeometry

from casework.errors import InvalidInput

PRIORITIES = (1, 2, 3, 4)
"""Call grades: 1 emergency (immediate), 2 priority, 3 scheduled, 4 resolved without attending."""

DEFAULT_WEIGHTS: dict[int, float] = {1: 4.0, 2: 2.0, 3: 1.0, 4: 0.5}
"""How much reaching an incident of each priority counts when choosing docks."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was left out, and why (the rest of the file is still used)."""

    source: str
    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source} row {self.row}: {self.field}: {self.problem}"

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "row": self.row,
            "field": self.field,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class Incidents:
    """Incidents as columns; ``response_s`` is NaN where no arrival was recorded."""

    ids: list[str]
    easting: npt.NDArray[np.float64]
    northing: npt.NDArray[np.float64]
    hour: npt.NDArray[np.int8]
    """Hour of the call in Europe/London time."""
    priority: npt.NDArray[np.int8]
    kind: list[str]
    response_s: npt.NDArray[np.float64]
    """Recorded first arrival minus the time of the call, in seconds."""
    problems: list[RowProblem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def weights(self, by_priority: dict[int, float] | None = None) -> npt.NDArray[np.float64]:
        """Each incident's weight from its priority."""
        table = DEFAULT_WEIGHTS | (by_priority or {})
        lookup = np.zeros(max(PRIORITIES) + 1)
        for grade, weight in table.items():
            if grade in PRIORITIES:
                lookup[grade] = weight
        return lookup[self.priority]


@dataclass(frozen=True, slots=True)
class DockSite:
    """A candidate place for a drone dock."""

    id: str
    name: str
    easting: float
    northing: float


class ZoneKind(StrEnum):
    NO_FLY = "no_fly"
    """Never flown through (airport flight restriction zone, prison)."""
    RESTRICTED = "restricted"
    """Flown through only under a permission the profile says it holds."""


@dataclass(frozen=True, slots=True)
class Zone:
    """An airspace zone as a polygon in BNG metres."""

    name: str
    kind: ZoneKind
    shape: BaseGeometry


@dataclass(frozen=True, slots=True)
class DroneProfile:
    """What one drone and its dock can do; defaults are the planning figures in operations.md."""

    name: str = "standard dock"
    cruise_mps: float = 17.0
    launch_s: float = 30.0
    max_range_m: float = 5_000.0
    """Furthest the drone may fly from its dock (one way)."""
    endurance_s: float = 1_800.0
    on_scene_s: float = 600.0
    """Time it must be able to hover over the scene before flying home."""
    avoid_no_fly: bool = True
    avoid_restricted: bool = True
    """False where the operator holds permission to fly through restricted zones."""

    def __post_init__(self) -> None:
        for name in ("cruise_mps", "max_range_m", "endurance_s"):
            if not getattr(self, name) > 0:
                raise InvalidInput(f"profile: {name} must be more than 0")
        for name in ("launch_s", "on_scene_s"):
            if not getattr(self, name) >= 0:
                raise InvalidInput(f"profile: {name} must be 0 or more")

    @property
    def reach_m(self) -> float:
        """The furthest one-way flight: within range, and there, hover and back on one battery."""
        by_battery = (self.endurance_s - self.on_scene_s) * self.cruise_mps / 2
        return max(0.0, min(self.max_range_m, by_battery))

    def avoids(self, kind: ZoneKind) -> bool:
        return self.avoid_no_fly if kind is ZoneKind.NO_FLY else self.avoid_restricted

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "cruise_mps": self.cruise_mps,
            "launch_s": self.launch_s,
            "max_range_m": self.max_range_m,
            "endurance_s": self.endurance_s,
            "on_scene_s": self.on_scene_s,
            "avoid_no_fly": self.avoid_no_fly,
            "avoid_restricted": self.avoid_restricted,
            "reach_m": round(self.reach_m, 1),
        }
