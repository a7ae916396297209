"""The two questions a planner asks: what would these docks cover, and which N are best."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from casework.dfr.coverage import CoverageReport, coverage_report
from casework.dfr.model import DEFAULT_WEIGHTS, DockSite, DroneProfile, Incidents, RowProblem, Zone
from casework.dfr.placement import Method, Solution, exact, greedy, signatures
from casework.dfr.reach import Reach, compute_reach
from casework.errors import InvalidInput

DEFAULT_TARGET_S = 120.0
"""Two minutes from the call: Chula Vista's drones are on scene in 80-90 s."""


@dataclass
class PlanInputs:
    """Everything loaded for one planning run; the reach is worked out once and kept."""

    incidents: Incidents
    sites: list[DockSite]
    profile: DroneProfile = field(default_factory=DroneProfile)
    zones: list[Zone] = field(default_factory=list)
    boundary: BaseGeometry | None = None
    site_problems: list[RowProblem] = field(default_factory=list)
    _reach: Reach | None = None
    reach_seconds: float = 0.0

    @property
    def reach(self) -> Reach:
        if self._reach is None:
            began = time.perf_counter()
            self._reach = compute_reach(
                incidents=self.incidents, sites=self.sites, profile=self.profile, zones=self.zones
            )
            self.reach_seconds = time.perf_counter() - began
        return self._reach

    @property
    def problems(self) -> list[RowProblem]:
        """Every row left out, incidents' first."""
        return [*self.incidents.problems, *self.site_problems]

    def site_indexes(self, ids: list[str], what: str = "docks") -> list[int]:
        known = {site.id: j for j, site in enumerate(self.sites)}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InvalidInput(f"{what}: unknown site id(s) {', '.join(unknown[:5])}")
        if len(set(ids)) != len(ids):
            raise InvalidInput(f"{what}: a site is named twice")
        return [known[i] for i in ids]


def _check_target(target_s: float) -> None:
    if not 0 < target_s <= 3600:
        raise InvalidInput(f"target: {target_s:g} s; give 1 to 3600 seconds")


def cover(inputs: PlanInputs, *, docks: list[str] | None, target_s: float) -> CoverageReport:
    """Coverage of the named docks (all candidate sites when none are named)."""
    _check_target(target_s)
    chosen = inputs.site_indexes(docks) if docks else list(range(len(inputs.sites)))
    report = coverage_report(
        incidents=inputs.incidents,
        reach=inputs.reach,
        profile=inputs.profile,
        docks=chosen,
        target_s=target_s,
    )
    report.summary["skipped_rows"] = [p.as_dict() for p in inputs.problems]
    return report


@dataclass(frozen=True)
class PlacementResult:
    count: int
    target_s: float
    weights: dict[int, float]
    signature_count: int
    reach_seconds: float
    solutions: list[Solution]
    total_weight: float
    best: CoverageReport
    site_ids: list[str]

    def _solution(self, s: Solution) -> dict[str, object]:
        return {
            "method": s.method.value,
            "docks": [self.site_ids[j] for j in s.docks],
            "weighted_reached": round(s.objective, 3),
            "weighted_share": round(s.objective / self.total_weight, 4)
            if self.total_weight
            else None,
            "seconds": round(s.seconds, 3),
            "proven_optimal": s.optimal,
            "solver_mip_gap": s.mip_gap,
        }

    @property
    def greedy_gap(self) -> float | None:
        """How far the greedy falls short of the exact optimum, as a share of the optimum."""
        found = {s.method: s.objective for s in self.solutions}
        if Method.EXACT in found and Method.GREEDY in found and found[Method.EXACT] > 0:
            return round((found[Method.EXACT] - found[Method.GREEDY]) / found[Method.EXACT], 6)
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "target_s": self.target_s,
            "priority_weights": {str(k): v for k, v in sorted(self.weights.items())},
            "coverage_signatures": self.signature_count,
            "reach_seconds": round(self.reach_seconds, 3),
            "solutions": [self._solution(s) for s in self.solutions],
            "greedy_gap": self.greedy_gap,
            "chosen": self.best.as_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)


def place(
    inputs: PlanInputs,
    *,
    count: int,
    target_s: float,
    method: Method = Method.BOTH,
    weights: dict[int, float] | None = None,
    keep: list[str] | None = None,
    time_limit_s: float = 120.0,
    gap: float = 0.0,
) -> PlacementResult:
    """Choose ``count`` docks that reach the most priority-weighted incidents within target.

    ``keep`` names docks already in place that every answer must include. With
    ``method=both`` the exact answer is the one reported in ``chosen``; ``gap`` lets the
    exact solver stop within that share of the optimum.
    """
    _check_target(target_s)
    table = DEFAULT_WEIGHTS | (weights or {})
    if any(w < 0 for w in table.values()):
        raise InvalidInput("weights: a priority weight must be 0 or more")
    kept = inputs.site_indexes(keep or [], "keep")
    if len(kept) > count:
        raise InvalidInput(f"keep: {len(kept)} docks kept but only {count} to choose")
    incident_weight = inputs.incidents.weights(table)
    sig = signatures(inputs.reach.within(target_s), incident_weight)
    solutions = []
    if method in (Method.GREEDY, Method.BOTH):
        solutions.append(greedy(sig, count, kept))
    if method in (Method.EXACT, Method.BOTH):
        solutions.append(exact(sig, count, keep=kept, time_limit_s=time_limit_s, gap=gap))
    best = solutions[-1]
    report = coverage_report(
        incidents=inputs.incidents,
        reach=inputs.reach,
        profile=inputs.profile,
        docks=best.docks,
        target_s=target_s,
    )
    report.summary["skipped_rows"] = [p.as_dict() for p in inputs.problems]
    return PlacementResult(
        count=count,
        target_s=target_s,
        weights=table,
        signature_count=len(sig.weight),
        reach_seconds=inputs.reach_seconds,
        solutions=solutions,
        total_weight=float(incident_weight.sum()),
        best=report,
        site_ids=[s.id for s in inputs.sites],
    )
