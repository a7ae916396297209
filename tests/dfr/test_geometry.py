"""Distances in metres from latitude/longitude and from grid references; zones and detours."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, box

from casework.dfr.geometry import (
    grid_distance_m,
    haversine_m,
    to_grid,
    to_wgs84,
    transform_description,
)
from casework.dfr.model import DockSite, DroneProfile, Incidents, Zone, ZoneKind
from casework.dfr.reach import compute_reach
from casework.errors import InvalidInput

# Ordnance Survey's worked example of the projection ("A guide to coordinate systems in
# Great Britain", annex C): OSGB36 52 39 27.2531 N, 1 43 04.5177 E is E 651409.903,
# N 313177.270. The same latitude and longitude read as WGS84 lie about 100 m away: the
# datum shift our Helmert transform applies (stated accuracy about 2 m; OSTN15 not bundled).
CAISTER_LAT = 52 + 39 / 60 + 27.2531 / 3600
CAISTER_LON = 1 + 43 / 60 + 4.5177 / 3600
CAISTER_E, CAISTER_N = 651_409.903, 313_177.270


def test_the_bundled_projection_matches_the_ordnance_survey_example_to_millimetres() -> None:
    osgb36 = Transformer.from_crs("EPSG:4277", "EPSG:27700", always_xy=True)
    easting, northing = osgb36.transform(CAISTER_LON, CAISTER_LAT)
    assert easting == pytest.approx(CAISTER_E, abs=0.005)
    assert northing == pytest.approx(CAISTER_N, abs=0.005)


def test_wgs84_to_grid_applies_the_osgb36_datum_shift() -> None:
    easting, northing = to_grid(CAISTER_LAT, CAISTER_LON)
    shift = math.hypot(float(easting) - CAISTER_E, float(northing) - CAISTER_N)
    assert 80 < shift < 160  # WGS84 and OSGB36 differ by about 100 m in East Anglia


def test_grid_to_lat_lon_and_back_is_stable_to_centimetres() -> None:
    lat, lon = to_wgs84(np.array([CAISTER_E, 530_000.0]), np.array([CAISTER_N, 180_000.0]))
    easting, northing = to_grid(lat, lon)
    assert np.allclose(easting, [CAISTER_E, 530_000.0], atol=0.01)
    assert np.allclose(northing, [CAISTER_N, 180_000.0], atol=0.01)


def test_the_transform_is_the_bundled_helmert_not_a_downloaded_grid() -> None:
    assert "OSGB36 to WGS 84" in transform_description()


def test_haversine_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_m(52.0, 0.0, 53.0, 0.0) == pytest.approx(111_195, rel=1e-4)
    assert haversine_m(52.0, 1.0, 52.0, 1.0) == 0.0


def test_grid_distance_is_euclidean_in_metres() -> None:
    assert grid_distance_m(600_000, 300_000, 603_000, 304_000) == 5_000.0


def test_grid_and_haversine_distances_agree_for_dock_ranges() -> None:
    """Over a dock's range the grid's scale error is well under a percent."""
    lat1, lon1, lat2, lon2 = 52.63, 1.29, 52.66, 1.36
    e, n = to_grid(np.array([lat1, lat2]), np.array([lon1, lon2]))
    on_grid = grid_distance_m(e[0], n[0], e[1], n[1])
    assert on_grid == pytest.approx(haversine_m(lat1, lon1, lat2, lon2), rel=0.005)


def _incidents(points: list[tuple[float, float]]) -> Incidents:
    count = len(points)
    return Incidents(
        ids=[f"I{i}" for i in range(count)],
        easting=np.array([p[0] for p in points], dtype=np.float64),
        northing=np.array([p[1] for p in points], dtype=np.float64),
        hour=np.zeros(count, dtype=np.int8),
        priority=np.ones(count, dtype=np.int8),
        kind=["theft"] * count,
        response_s=np.full(count, 600.0),
    )


DOCK = DockSite("D", "dock", 500_000.0, 200_000.0)
WALL = Zone("prison", ZoneKind.NO_FLY, box(500_900, 199_500, 501_100, 200_500))
"""200 m wide, 1 km tall, square across the straight line from the dock east."""
FAST = DroneProfile(cruise_mps=20.0, launch_s=10.0, max_range_m=5_000.0)


def _arrivals(
    points: list[tuple[float, float]], zones: list[Zone], profile: DroneProfile
) -> list[float]:
    reach = compute_reach(incidents=_incidents(points), sites=[DOCK], profile=profile, zones=zones)
    return [float(v) for v in reach.best_arrival([0])]


def test_arrival_is_launch_plus_straight_distance_over_speed() -> None:
    assert _arrivals([(503_000, 204_000)], [], FAST) == [pytest.approx(10 + 5_000 / 20)]


def test_a_no_fly_zone_across_the_line_forces_the_way_round_its_corners() -> None:
    # Straight: 2 km east. Round the wall: to the corner (900, 500) and on to (2000, 0).
    detour = math.hypot(900, 500) + 200 + math.hypot(900, 500)
    (arrival,) = _arrivals([(502_000, 200_000)], [WALL], FAST)
    flown = (arrival - 10) * 20
    assert flown == pytest.approx(detour, abs=4.0)  # corners are set 1 m outside the zone
    assert flown > 2_000


def test_a_line_that_misses_the_zone_is_not_detoured() -> None:
    (arrival,) = _arrivals([(500_000, 202_000)], [WALL], FAST)
    assert arrival == pytest.approx(10 + 2_000 / 20)


def test_an_incident_inside_a_no_fly_zone_is_not_reached() -> None:
    assert _arrivals([(501_000, 200_000)], [WALL], FAST) == [math.inf]


def test_a_restricted_zone_is_flown_through_with_permission_only() -> None:
    range_zone = Zone("range", ZoneKind.RESTRICTED, WALL.shape)
    avoid = _arrivals([(502_000, 200_000)], [range_zone], FAST)[0]
    permitted = DroneProfile(cruise_mps=20.0, launch_s=10.0, avoid_restricted=False)
    through = _arrivals([(502_000, 200_000)], [range_zone], permitted)[0]
    assert through == pytest.approx(10 + 2_000 / 20)
    assert avoid > through


def test_a_detour_past_the_range_is_out_of_reach() -> None:
    short = DroneProfile(cruise_mps=20.0, launch_s=10.0, max_range_m=2_100.0)
    assert _arrivals([(502_000, 200_000)], [WALL], short) == [math.inf]
    assert _arrivals([(502_000, 200_000)], [], short) == [pytest.approx(110.0)]


def test_reach_is_limited_by_endurance_as_well_as_range() -> None:
    # 600 s endurance, 300 s on scene: 150 s each way at 20 m/s = 3 km.
    profile = DroneProfile(cruise_mps=20.0, endurance_s=600.0, on_scene_s=300.0)
    assert profile.reach_m == 3_000.0
    assert _arrivals([(502_900, 200_000), (503_100, 200_000)], [], profile)[1] == math.inf


def test_overlapping_zones_are_passed_round_as_one() -> None:
    zones = [
        Zone("a", ZoneKind.NO_FLY, Point(501_000, 200_000).buffer(300)),
        Zone("b", ZoneKind.NO_FLY, Point(501_000, 200_400).buffer(300)),
    ]
    (arrival,) = _arrivals([(502_000, 200_000)], zones, FAST)
    assert math.isfinite(arrival)
    assert (arrival - 10) * 20 > 2_000


def test_a_profile_with_no_speed_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cruise_mps"):
        DroneProfile(cruise_mps=0)
