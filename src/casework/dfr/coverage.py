"""What a set of docks would have done for the incidents on record: reach, arrival, gain.

Gain is the recorded first arrival minus the modelled drone arrival, in minutes: positive
where the drone would have been there first. Only incidents with a recorded arrival and
within the drone's reach count towards it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from casework.dfr.model import PRIORITIES, DroneProfile, Incidents
from casework.dfr.reach import Reach

Floats = npt.NDArray[np.float64]

GAIN_BANDS: tuple[tuple[str, float, float], ...] = (
    ("drone later", -np.inf, 0.0),
    ("0-2 min earlier", 0.0, 2.0),
    ("2-5 min earlier", 2.0, 5.0),
    ("5-10 min earlier", 5.0, 10.0),
    ("10+ min earlier", 10.0, np.inf),
)
PERCENTILES = (10, 25, 50, 75, 90)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _percentiles(values: Floats, digits: int = 1) -> dict[str, float] | None:
    if len(values) == 0:
        return None
    found = np.percentile(values, PERCENTILES)
    return {f"p{p}": round(float(v), digits) for p, v in zip(PERCENTILES, found, strict=True)}


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of one set of docks, plus the per-incident figures the map draws."""

    docks: list[str]
    target_s: float
    profile: DroneProfile
    summary: dict[str, object]
    arrival_s: Floats = field(repr=False)
    gain_min: Floats = field(repr=False)
    """NaN where the drone does not reach or no arrival was recorded."""
    dock_of: list[str] = field(repr=False, default_factory=list)
    """The dock whose drone arrives first at each incident ('' where none reaches)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "docks": self.docks,
            "target_s": self.target_s,
            "profile": self.profile.as_dict(),
            **self.summary,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)


def coverage_report(
    *,
    incidents: Incidents,
    reach: Reach,
    profile: DroneProfile,
    docks: list[int],
    target_s: float,
) -> CoverageReport:
    """Reach, modelled arrival and gain over recorded arrival, for the docks ``docks``."""
    arrival, from_dock = reach.best_arrival_and_dock(docks)
    reached = np.isfinite(arrival)
    in_time = arrival <= target_s
    total = len(incidents)
    by_priority = {}
    for grade in PRIORITIES:
        mine = incidents.priority == grade
        n = int(mine.sum())
        if n:
            by_priority[str(grade)] = {
                "incidents": n,
                "reached": int((reached & mine).sum()),
                "reached_share": _share(int((reached & mine).sum()), n),
                "within_target": int((in_time & mine).sum()),
                "within_target_share": _share(int((in_time & mine).sum()), n),
            }
    by_hour = []
    for hour in range(24):
        mine = incidents.hour == hour
        n = int(mine.sum())
        by_hour.append(
            {
                "hour": hour,
                "incidents": n,
                "reached_share": _share(int((reached & mine).sum()), n),
                "within_target_share": _share(int((in_time & mine).sum()), n),
            }
        )
    recorded = np.isfinite(incidents.response_s)
    gain = np.full(total, np.nan)
    both = reached & recorded
    gain[both] = (incidents.response_s[both] - arrival[both]) / 60.0
    gains = gain[both]
    bands = [
        {"band": name, "incidents": int(((gains >= lo) & (gains < hi)).sum())}
        for name, lo, hi in GAIN_BANDS
    ]
    summary: dict[str, object] = {
        "incidents": total,
        "reached": int(reached.sum()),
        "reached_share": _share(int(reached.sum()), total),
        "within_target": int(in_time.sum()),
        "within_target_share": _share(int(in_time.sum()), total),
        "by_priority": by_priority,
        "by_hour": by_hour,
        "modelled_arrival_s": _percentiles(arrival[reached]),
        "recorded_arrival_s": _percentiles(incidents.response_s[recorded]),
        "gain_min": {
            "compared": int(both.sum()),
            "drone_earlier": int((gains > 0).sum()),
            "drone_earlier_share": _share(int((gains > 0).sum()), int(both.sum())),
            "percentiles": _percentiles(gains, 2),
            "bands": bands,
        },
        "skipped_rows": [p.as_dict() for p in incidents.problems],
    }
    return CoverageReport(
        docks=[reach.sites[j].id for j in docks],
        target_s=target_s,
        profile=profile,
        summary=summary,
        arrival_s=arrival,
        gain_min=gain,
        dock_of=[reach.sites[j].id if j >= 0 else "" for j in from_dock.tolist()],
    )


INCIDENT_HEADER = (
    "id",
    "priority",
    "hour",
    "type",
    "dock",
    "modelled_arrival_s",
    "recorded_arrival_s",
    "minutes_earlier",
)


def incident_rows(incidents: Incidents, report: CoverageReport) -> list[list[object]]:
    """One row per incident: its dock, modelled and recorded arrival, minutes gained."""

    def number(value: float, digits: int) -> object:
        return "" if not np.isfinite(value) else round(float(value), digits)

    return [
        [
            incidents.ids[i],
            int(incidents.priority[i]),
            int(incidents.hour[i]),
            incidents.kind[i],
            report.dock_of[i],
            number(report.arrival_s[i], 1),
            number(incidents.response_s[i], 0),
            number(report.gain_min[i], 2),
        ]
        for i in range(len(incidents))
    ]
