"""A synthetic force for demos, tests and the bench: incidents, dock sites, zones, boundary.

"Demoshire" is made up: a county-sized area in the east of England's grid squares with
market towns, a city, an airport flight restriction zone, a prison and a restricted
military range. Incident times follow a day's demand curve; recorded arrivals follow
patrol travel from the nearest station, slower in the country and for lower priorities.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from casework.dfr.geometry import to_wgs84
from casework.dfr.model import DockSite, DroneProfile, Incidents, Zone, ZoneKind
from casework.dfr.planning import PlanInputs

BOUNDARY_BNG = (
    (588_000, 282_000),
    (622_000, 276_000),
    (655_000, 286_000),
    (664_000, 312_000),
    (652_000, 338_000),
    (618_000, 344_000),
    (594_000, 332_000),
    (584_000, 306_000),
)


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    easting: float
    northing: float
    share: float
    spread_m: float


TOWNS = (
    Town("Northam (city)", 623_000, 309_000, 0.34, 2_600),
    Town("Eastwick", 648_000, 316_000, 0.09, 1_500),
    Town("Fenmarket", 598_000, 300_000, 0.08, 1_400),
    Town("Saltby", 640_000, 332_000, 0.06, 1_200),
    Town("Harleigh", 612_000, 286_000, 0.07, 1_300),
    Town("Wymond", 606_000, 326_000, 0.05, 1_100),
)
RURAL_SHARE = 1.0 - sum(t.share for t in TOWNS)
HOURLY_DEMAND = np.array(
    [3, 2.5, 2, 1.5, 1.2, 1.2, 1.6, 2.4, 3.2, 3.8, 4.2, 4.5,
     4.7, 4.8, 5.0, 5.3, 5.6, 5.8, 5.8, 5.6, 5.2, 4.8, 4.2, 3.6]
)  # fmt: skip
TYPES = (
    "domestic incident",
    "concern for welfare",
    "violence against the person",
    "theft",
    "burglary",
    "anti-social behaviour",
    "road traffic collision",
    "missing person",
    "suspicious circumstances",
)
PRIORITY_SHARES = (0.15, 0.35, 0.35, 0.15)
STATIONS = ((623_500, 308_500), (647_500, 316_500), (598_500, 300_500), (612_500, 286_500))
MISSING_ARRIVAL = 0.08


def boundary() -> Polygon:
    return Polygon(BOUNDARY_BNG)


def zones() -> list[Zone]:
    """An airport flight restriction zone, a prison and a restricted military range."""
    return [
        Zone("Northam airport FRZ", ZoneKind.NO_FLY, Point(628_500, 317_500).buffer(2_500, 32)),
        Zone("HMP Fenmarket", ZoneKind.NO_FLY, Point(601_000, 303_500).buffer(600, 16)),
        Zone(
            "Breckmoor range",
            ZoneKind.RESTRICTED,
            Polygon(
                [(632_000, 288_000), (642_000, 287_000), (641_000, 296_000), (633_000, 295_000)]
            ),
        ),
    ]


def _inside(points: np.ndarray, area: BaseGeometry) -> np.ndarray:
    return np.asarray(shapely.contains_xy(area, points[:, 0], points[:, 1]), dtype=bool)


def _scatter(rng: np.random.Generator, count: int, area: Polygon) -> np.ndarray:
    town_of = rng.choice(len(TOWNS) + 1, size=count, p=[t.share for t in TOWNS] + [RURAL_SHARE])
    points = np.empty((count, 2))
    minx, miny, maxx, maxy = area.bounds
    for k, town in enumerate(TOWNS):
        mine = town_of == k
        points[mine] = rng.normal(
            (town.easting, town.northing), town.spread_m, (int(mine.sum()), 2)
        )
    rural = town_of == len(TOWNS)
    points[rural] = rng.uniform((minx, miny), (maxx, maxy), (int(rural.sum()), 2))
    outside = ~_inside(points, area)
    while outside.any():  # draw again until every incident is in the force area
        points[outside] = rng.uniform((minx, miny), (maxx, maxy), (int(outside.sum()), 2))
        outside = ~_inside(points, area)
    return points


def incidents(count: int, *, seed: int = 7) -> Incidents:
    """``count`` synthetic incidents over a year in Demoshire."""
    rng = np.random.default_rng(seed)
    points = _scatter(rng, count, boundary())
    hour = rng.choice(24, size=count, p=HOURLY_DEMAND / HOURLY_DEMAND.sum()).astype(np.int8)
    priority = rng.choice(4, size=count, p=PRIORITY_SHARES).astype(np.int8) + 1
    stations = np.asarray(STATIONS, dtype=np.float64)
    nearest = np.min(
        np.hypot(
            points[:, None, 0] - stations[None, :, 0], points[:, None, 1] - stations[None, :, 1]
        ),
        axis=1,
    )
    # Patrol: dispatch delay by priority, then road travel (1.4 x crow-fly at ~13 m/s).
    dispatch = np.array([0, 60.0, 180.0, 600.0, 1200.0])[priority]
    response = dispatch + 1.4 * nearest / 13.0 + 120.0
    response *= rng.lognormal(0.0, 0.35, count)
    response[rng.random(count) < MISSING_ARRIVAL] = np.nan
    kinds = [TYPES[k] for k in rng.choice(len(TYPES), size=count)]
    return Incidents(
        ids=[f"DEMO-{i + 1:06d}" for i in range(count)],
        easting=points[:, 0].copy(),
        northing=points[:, 1].copy(),
        hour=hour,
        priority=priority,
        kind=kinds,
        response_s=response,
    )


def sites(count: int, *, seed: int = 11) -> list[DockSite]:
    """``count`` candidate dock sites: stations first, then a jittered grid over the area."""
    rng = np.random.default_rng(seed)
    area = boundary()
    found = [
        DockSite(f"S{k + 1:03d}", f"Station {k + 1}", e, n) for k, (e, n) in enumerate(STATIONS)
    ]
    minx, miny, maxx, maxy = area.bounds
    spacing = float(np.sqrt(area.area / max(count, 1)))
    xs = np.arange(minx + spacing / 2, maxx, spacing)
    ys = np.arange(miny + spacing / 2, maxy, spacing)
    grid = np.array([(x, y) for y in ys for x in xs])
    grid += rng.uniform(-spacing / 3, spacing / 3, grid.shape)
    grid = grid[_inside(grid, area)]
    rng.shuffle(grid)
    for e, n in grid[: max(0, count - len(found))]:
        found.append(
            DockSite(f"S{len(found) + 1:03d}", f"Site {len(found) + 1}", float(e), float(n))
        )
    return found[:count]


def demo_inputs(incident_count: int = 5_000, site_count: int = 80, *, seed: int = 7) -> PlanInputs:
    """Demoshire ready to plan: incidents, sites, the default profile, zones and boundary."""
    return PlanInputs(
        incidents=incidents(incident_count, seed=seed),
        sites=sites(site_count, seed=seed + 4),
        profile=DroneProfile(),
        zones=zones(),
        boundary=boundary(),
    )


def _geojson(shape: BaseGeometry) -> dict[str, object]:
    """A BNG shape as a WGS84 GeoJSON geometry (longitude, latitude)."""

    def project(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lat, lon = to_wgs84(x, y)
        return np.round(lon, 6), np.round(lat, 6)

    return dict(mapping(shapely.transform(shape, project, interleaved=False)))


LONDON = ZoneInfo("Europe/London")
START = datetime(2025, 1, 1, tzinfo=LONDON)
"""Local wall-clock arithmetic: the hour written is the hour the incidents were drawn at."""


def write_demo(
    out: Path, *, incident_count: int = 5_000, site_count: int = 80, seed: int = 7
) -> list[Path]:
    """Write Demoshire as the files a force would bring; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    inputs = demo_inputs(incident_count, site_count, seed=seed)
    found = inputs.incidents
    rng = np.random.default_rng(seed + 1)
    lat, lon = to_wgs84(found.easting, found.northing)
    days = rng.integers(0, 365, len(found))
    minutes = rng.integers(0, 60, len(found))
    paths = [
        out / "incidents.csv",
        out / "sites.csv",
        out / "zones.geojson",
        out / "boundary.geojson",
    ]
    with paths[0].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "time", "lat", "lon", "type", "priority", "first_arrival"])
        for i in range(len(found)):
            wall = START + timedelta(
                days=int(days[i]), hours=int(found.hour[i]), minutes=int(minutes[i])
            )
            called = wall.astimezone(UTC).astimezone(LONDON)  # a real instant, even in the gap
            response = found.response_s[i]
            arrived = (
                ""
                if np.isnan(response)
                else (called.astimezone(UTC) + timedelta(seconds=round(float(response))))
                .astimezone(LONDON)
                .isoformat()
            )
            writer.writerow(
                [
                    found.ids[i],
                    called.isoformat(),
                    f"{lat[i]:.6f}",
                    f"{lon[i]:.6f}",
                    found.kind[i],
                    int(found.priority[i]),
                    arrived,
                ]
            )
    with paths[1].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "easting", "northing"])
        for site in inputs.sites:
            writer.writerow([site.id, site.name, round(site.easting), round(site.northing)])
    zone_features = [
        {
            "type": "Feature",
            "properties": {"name": z.name, "kind": z.kind.value},
            "geometry": _geojson(z.shape),
        }
        for z in inputs.zones
    ]
    paths[2].write_text(
        json.dumps({"type": "FeatureCollection", "features": zone_features}, indent=1)
    )
    force = {
        "type": "Feature",
        "properties": {"name": "Demoshire"},
        "geometry": _geojson(boundary()),
    }
    paths[3].write_text(json.dumps({"type": "FeatureCollection", "features": [force]}, indent=1))
    profile = out / "profile.json"
    profile.write_text(
        json.dumps({k: v for k, v in DroneProfile().as_dict().items() if k != "reach_m"}, indent=2)
    )
    paths.append(profile)
    return paths
