"""Coordinates and distances in metres: WGS84 <-> British National Grid, haversine, Euclidean.

Every calculation of reach works on the British National Grid (EPSG:27700) plane, so that
distances, no-fly polygons and the map share one metric frame. The conversion uses pyproj's
bundled PROJ data with the OSGB36 <-> WGS84 Helmert transform (EPSG operation "OSGB36 to WGS
84 (6)", stated accuracy about 2 m); the OSTN15 grid shift that gives centimetres is not in
the wheel and is never downloaded. A few metres is well inside what dock planning needs.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from pyproj import Transformer
from pyproj.transformer import TransformerGroup

from casework.errors import InvalidInput

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), the usual sphere for haversine."""

GB_LAT = (49.5, 61.5)
GB_LON = (-9.0, 2.5)
BNG_EASTING = (0.0, 700_000.0)
BNG_NORTHING = (0.0, 1_300_000.0)

Floats = npt.NDArray[np.float64]


@lru_cache(maxsize=2)
def _transformer(to_grid: bool) -> Transformer:
    """The most accurate operation PROJ has without downloading a grid file.

    PROJ lists OSTN15 first but it is not installed (pyproj warns so); the first one
    available is then the 2 m Helmert. Never a "ballpark" offset.
    """
    source, target = ("EPSG:4326", "EPSG:27700") if to_grid else ("EPSG:27700", "EPSG:4326")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "best transformation is not available"
        # always_xy: longitude/easting first, whatever the CRS's declared axis order.
        group = TransformerGroup(source, target, always_xy=True, allow_ballpark=False)
    if not group.transformers:
        raise RuntimeError("PROJ offers no WGS84 <-> British National Grid transformation")
    return group.transformers[0]


def to_grid(lat: Floats | float, lon: Floats | float) -> tuple[Floats, Floats]:
    """WGS84 latitude/longitude (degrees) to BNG easting/northing (metres)."""
    easting, northing = _transformer(True).transform(np.asarray(lon), np.asarray(lat))
    return np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)


def to_wgs84(easting: Floats | float, northing: Floats | float) -> tuple[Floats, Floats]:
    """BNG easting/northing (metres) to WGS84 latitude/longitude (degrees)."""
    lon, lat = _transformer(False).transform(np.asarray(easting), np.asarray(northing))
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


def transform_description() -> str:
    """The PROJ operation in use (documents the accuracy in reports)."""
    return str(_transformer(True).description)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (spherical Earth, ~0.3%)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def grid_distance_m(e1: float, n1: float, e2: float, n2: float) -> float:
    """Euclidean distance between two BNG points, in grid metres."""
    return math.hypot(e2 - e1, n2 - n1)


def check_lat_lon(lat: float, lon: float, where: str) -> None:
    """Refuse a point outside Great Britain (often latitude and longitude swapped)."""
    if not (GB_LAT[0] <= lat <= GB_LAT[1]) or not (GB_LON[0] <= lon <= GB_LON[1]):
        raise InvalidInput(
            f"{where}: latitude {lat:g}, longitude {lon:g} is not in Great Britain "
            f"(latitude {GB_LAT[0]} to {GB_LAT[1]}, longitude {GB_LON[0]} to {GB_LON[1]}; "
            "swapped?)"
        )


def check_grid(easting: float, northing: float, where: str) -> None:
    """Refuse a grid reference outside the British National Grid."""
    if not (BNG_EASTING[0] <= easting <= BNG_EASTING[1]) or not (
        BNG_NORTHING[0] <= northing <= BNG_NORTHING[1]
    ):
        raise InvalidInput(
            f"{where}: easting {easting:g}, northing {northing:g} is outside the British "
            "National Grid (easting 0 to 700000, northing 0 to 1300000 metres)"
        )
