"""Which incidents each dock reaches, and the modelled drone arrival time for each.

Arrival = launch time + flight distance / cruise speed. The flight is a straight line on
the BNG plane unless it would cross a zone the profile avoids; then it is the shortest path
around the zones' convex hulls (a visibility graph over the hull corners, set 1 m outside).
Going round the hull is never shorter than going round the zone itself, so for a concave
zone the detour is an upper bound; it is exact for convex zones. An incident inside an
avoided zone, or a dock inside one, is not reached. Reach also needs the flight within the
profile's range and the round trip plus time on scene within its endurance (``reach_m``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from casework.dfr.model import DockSite, DroneProfile, Incidents, Zone

HULL_MARGIN_M = 1.0
SIMPLIFY_M = 10.0
MAX_PLAIN_CORNERS = 24

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Reach:
    """For each dock, the incidents it reaches and the modelled arrival (CSR layout)."""

    sites: list[DockSite]
    incident_count: int
    start: Ints
    """Dock j's entries are ``incident[start[j]:start[j + 1]]``."""
    incident: Ints
    arrival_s: Floats
    detoured: int
    """How many dock-incident flights go round a zone."""

    def index_of(self, site_ids: list[str]) -> list[int]:
        where = {site.id: j for j, site in enumerate(self.sites)}
        return [where[i] for i in site_ids]

    def best_arrival(self, docks: list[int]) -> Floats:
        """Each incident's earliest modelled arrival from any of ``docks`` (inf: not reached)."""
        return self.best_arrival_and_dock(docks)[0]

    def best_arrival_and_dock(self, docks: list[int]) -> tuple[Floats, Ints]:
        """Earliest arrival and the dock it comes from (-1: not reached), per incident."""
        best = np.full(self.incident_count, np.inf)
        which = np.full(self.incident_count, -1, dtype=np.int64)
        for j in docks:
            lo, hi = self.start[j], self.start[j + 1]
            # One dock reaches each incident at most once, so a plain comparison suffices.
            incidents, arrivals = self.incident[lo:hi], self.arrival_s[lo:hi]
            sooner = arrivals < best[incidents]
            best[incidents[sooner]] = arrivals[sooner]
            which[incidents[sooner]] = j
        return best, which

    def within(self, target_s: float) -> csr_matrix:
        """Docks x incidents, 1 where the dock's drone arrives within ``target_s``."""
        keep = self.arrival_s <= target_s
        rows = np.repeat(np.arange(len(self.sites)), np.diff(self.start))[keep]
        data = np.ones(int(keep.sum()), dtype=np.int8)
        return csr_matrix(
            (data, (rows, self.incident[keep])), shape=(len(self.sites), self.incident_count)
        )


class Obstacles:
    """The convex hulls of the avoided zones, merged where they overlap, and their corners."""

    def __init__(self, zones: list[Zone], profile: DroneProfile) -> None:
        shapes = [z.shape for z in zones if profile.avoids(z.kind)]
        self.zones: BaseGeometry | None = shapely.union_all(shapes) if shapes else None
        hulls = _merged_hulls(shapes)
        self.hulls: list[Polygon] = hulls
        self.tree = shapely.STRtree(hulls) if hulls else None
        self.boxes = [hull.bounds for hull in hulls]
        corners = []
        for hull in hulls:
            corners.extend(_corners(hull))
        self.corners = np.asarray(corners, dtype=np.float64).reshape(-1, 2)
        self._graph = self._corner_graph()

    def __bool__(self) -> bool:
        return bool(self.hulls)

    def blocked(self, start: Floats, end: Floats) -> npt.NDArray[np.bool_]:
        """For each segment start[i] -> end[i]: whether it crosses a hull."""
        out = np.zeros(len(start), dtype=bool)
        if self.tree is None or len(start) == 0:
            return out
        # Only segments whose bounding box meets a hull's can cross it: test those alone.
        low = np.minimum(start, end)
        high = np.maximum(start, end)
        candidates = np.flatnonzero(self._near(low, high))
        if len(candidates) == 0:
            return out
        lines = shapely.linestrings(np.stack([start[candidates], end[candidates]], axis=1))
        hits, _ = self.tree.query(lines, predicate="intersects")
        out[candidates[hits]] = True
        return out

    def _near(self, low: Floats, high: Floats) -> npt.NDArray[np.bool_]:
        near = np.zeros(len(low), dtype=bool)
        for minx, miny, maxx, maxy in self.boxes:
            near |= (
                (low[:, 0] <= maxx)
                & (high[:, 0] >= minx)
                & (low[:, 1] <= maxy)
                & (high[:, 1] >= miny)
            )
        return near

    def within(self, origin: Floats, radius: float) -> bool:
        """Whether any hull comes within ``radius`` of ``origin`` (else nothing is blocked)."""
        point = shapely.points(origin)
        return any(shapely.distance(hull, point) <= radius for hull in self.hulls)

    def inside(self, points: Floats) -> npt.NDArray[np.bool_]:
        """Whether each point lies in an avoided zone itself."""
        if self.zones is None or len(points) == 0:
            return np.zeros(len(points), dtype=bool)
        return np.asarray(shapely.contains_xy(self.zones, points[:, 0], points[:, 1]), dtype=bool)

    def _corner_graph(self) -> Floats:
        count = len(self.corners)
        graph = np.full((count, count), np.inf)
        if count == 0:
            return graph
        a, b = np.triu_indices(count, k=1)
        free = ~self.blocked(self.corners[a], self.corners[b])
        lengths = np.hypot(*(self.corners[a] - self.corners[b]).T)
        graph[a[free], b[free]] = lengths[free]
        graph[b[free], a[free]] = lengths[free]
        return graph

    def from_point(self, origin: Floats) -> Floats:
        """Shortest free-path length from ``origin`` to every corner (inf if none)."""
        count = len(self.corners)
        direct = np.hypot(*(self.corners - origin).T)
        direct[self.blocked(np.repeat(origin[None, :], count, axis=0), self.corners)] = np.inf
        graph = np.zeros((count + 1, count + 1))
        graph[1:, 1:] = np.where(np.isfinite(self._graph), self._graph, 0)
        graph[0, 1:] = np.where(np.isfinite(direct), direct, 0)
        graph[1:, 0] = graph[0, 1:]
        distances = dijkstra(csr_matrix(graph), directed=False, indices=0)
        return np.asarray(distances[1:], dtype=np.float64)

    def visible_corners(self, points: Floats) -> tuple[Ints, Ints, Floats]:
        """(point index, corner index, length) for every unobstructed point-corner pair."""
        count = len(self.corners)
        p = np.repeat(np.arange(len(points)), count)
        c = np.tile(np.arange(count), len(points))
        free = ~self.blocked(points[p], self.corners[c])
        lengths = np.hypot(*(points[p[free]] - self.corners[c[free]]).T)
        return p[free], c[free], lengths


def _corners(hull: Polygon) -> list[tuple[float, float]]:
    """The hull's corners set ``HULL_MARGIN_M`` outside it, thinned if the zone is round.

    A round zone has a hundred corners or more; dropping those within ``SIMPLIFY_M`` of
    the line through their neighbours (after growing the hull by as much, so every kept
    edge stays outside it) adds at most a few tens of metres to a detour.
    """
    if len(hull.exterior.coords) <= MAX_PLAIN_CORNERS:
        ring = hull.buffer(HULL_MARGIN_M, join_style="mitre").exterior
    else:
        grown = hull.buffer(HULL_MARGIN_M + SIMPLIFY_M, join_style="mitre")
        ring = grown.simplify(SIMPLIFY_M, preserve_topology=True).exterior
    return [(float(x), float(y)) for x, y in list(ring.coords)[:-1]]


def _merged_hulls(shapes: list[BaseGeometry]) -> list[Polygon]:
    hulls = [s.convex_hull for s in shapes if not s.is_empty]
    while True:
        merged = shapely.union_all(hulls) if hulls else None
        parts = (
            []
            if merged is None
            else list(merged.geoms)
            if isinstance(merged, MultiPolygon)
            else [merged]
        )
        again = [p.convex_hull for p in parts if isinstance(p, Polygon)]
        if len(again) == len(hulls):
            return again
        hulls = again


def compute_reach(
    *, incidents: Incidents, sites: list[DockSite], profile: DroneProfile, zones: list[Zone]
) -> Reach:
    """Every dock's reachable incidents and modelled arrival times."""
    points = np.column_stack([incidents.easting, incidents.northing])
    radius = profile.reach_m
    tree = cKDTree(points)
    obstacles = Obstacles(zones, profile)
    no_go = obstacles.inside(points)
    starts = [0]
    incident_parts: list[Ints] = []
    arrival_parts: list[Floats] = []
    detoured = 0
    corner_cache: dict[int, tuple[Ints, Floats]] = {}
    for site in sites:
        origin = np.array([site.easting, site.northing])
        near = np.asarray(tree.query_ball_point(origin, r=radius), dtype=np.int64)
        near.sort()
        if obstacles and obstacles.inside(origin[None, :])[0]:
            near = near[:0]
        near = near[~no_go[near]]
        length = np.hypot(points[near, 0] - origin[0], points[near, 1] - origin[1])
        if obstacles and len(near) and obstacles.within(origin, radius):
            crossing = obstacles.blocked(
                np.repeat(origin[None, :], len(near), axis=0), points[near]
            )
            if crossing.any():
                length[crossing] = _detours(obstacles, origin, points, near[crossing], corner_cache)
                detoured += int(np.isfinite(length[crossing]).sum())
        ok = length <= radius
        incident_parts.append(near[ok])
        arrival_parts.append(profile.launch_s + length[ok] / profile.cruise_mps)
        starts.append(starts[-1] + int(ok.sum()))
    return Reach(
        sites=sites,
        incident_count=len(incidents),
        start=np.asarray(starts, dtype=np.int64),
        incident=np.concatenate(incident_parts) if incident_parts else np.zeros(0, np.int64),
        arrival_s=np.concatenate(arrival_parts) if arrival_parts else np.zeros(0),
        detoured=detoured,
    )


def _detours(
    obstacles: Obstacles,
    origin: Floats,
    points: Floats,
    targets: Ints,
    cache: dict[int, tuple[Ints, Floats]],
) -> Floats:
    """Shortest path lengths from ``origin`` round the hulls to each target incident."""
    to_corner = obstacles.from_point(origin)
    missing = [int(i) for i in targets if int(i) not in cache]
    if missing:
        p, c, lengths = obstacles.visible_corners(points[missing])
        order = np.argsort(p, kind="stable")
        p, c, lengths = p[order], c[order], lengths[order]
        bounds = np.searchsorted(p, np.arange(len(missing) + 1))
        for k, incident in enumerate(missing):
            lo, hi = bounds[k], bounds[k + 1]
            cache[incident] = (c[lo:hi], lengths[lo:hi])
    out = np.empty(len(targets))
    for k, incident in enumerate(targets):
        corners, lengths = cache[int(incident)]
        out[k] = float(np.min(to_corner[corners] + lengths)) if len(corners) else np.inf
    return out
