"""Read a force's incidents, dock sites, drone profile and zones from files or text.

A bad row is left out and named (``RowProblem``); the rest are used. A file that cannot be
used at all (no header, wrong columns, no good rows) is an ``InvalidInput`` naming it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from casework.dfr.geometry import check_grid, check_lat_lon, to_grid
from casework.dfr.model import (
    PRIORITIES,
    DockSite,
    DroneProfile,
    Incidents,
    RowProblem,
    Zone,
    ZoneKind,
)
from casework.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")
MAX_ROWS = 2_000_000

Row = dict[str, Any]


def _rows_from_csv(text: str, source: str) -> Iterator[tuple[int, Row]]:
    # newline="" lets the csv module see a bare carriage return itself (RFC 4180 quoting).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames:
            raise InvalidInput(f"{source}: empty file (a header row is needed)")
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
        for number, row in enumerate(reader, start=2):
            yield number, {k: v for k, v in row.items() if k is not None}
    except csv.Error as error:
        where = f"{source} line {reader.line_num}"
        raise InvalidInput(f"{where}: not readable as CSV ({error})") from error


def _rows_from_xlsx(data: bytes, source: str) -> Iterator[tuple[int, Row]]:
    from openpyxl import load_workbook  # only XLSX input needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise InvalidInput(f"{source}: not a readable XLSX workbook ({error})") from error
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise InvalidInput(f"{source}: empty sheet (a header row is needed)")
    names = [str(cell or "").strip().lower() for cell in header]
    for number, values in enumerate(rows, start=2):
        if all(v is None for v in values):
            continue
        yield number, dict(zip(names, values, strict=False))


def table_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """Rows of a CSV or XLSX file with their row number in the file (header is row 1)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror})") from error
    return bytes_rows(data, str(path))


XLSX_MAGIC = b"PK\x03\x04"


def bytes_rows(data: bytes, source: str) -> Iterator[tuple[int, Row]]:
    """Rows of CSV or XLSX content (told apart by content: an XLSX is a ZIP)."""
    if data.startswith(XLSX_MAGIC):
        return _rows_from_xlsx(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source}: not UTF-8 text (save the CSV as UTF-8)") from error
    return _rows_from_csv(text, source)


def text_rows(text: str, source: str) -> Iterator[tuple[int, Row]]:
    """Rows of CSV text (an API body) with their row numbers."""
    return _rows_from_csv(text, source)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(row: Row, name: str) -> float:
    value = row.get(name)
    if _blank(value):
        raise ValueError(f"{name}: missing")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    return number


def _when(row: Row, name: str) -> datetime:
    value = row.get(name)
    if isinstance(value, datetime):
        moment = value
    elif _blank(value):
        raise ValueError(f"{name}: missing")
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(
                f"{name}: {value!r} is not a date and time (ISO 8601, e.g. 2026-03-01T14:05:00)"
            ) from None
    # Times without a zone are local: control rooms log in UK time.
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def _position(row: Row) -> tuple[float, float, bool]:
    """(x, y, is_grid): lat/lon or easting/northing, whichever the row has."""
    has_grid = not _blank(row.get("easting")) or not _blank(row.get("northing"))
    if has_grid:
        easting, northing = _number(row, "easting"), _number(row, "northing")
        try:
            check_grid(easting, northing, "easting/northing")
        except InvalidInput as error:
            raise ValueError(str(error)) from None
        return easting, northing, True
    if _blank(row.get("lat")) and _blank(row.get("lon")):
        raise ValueError("location: give lat and lon, or easting and northing")
    lat, lon = _number(row, "lat"), _number(row, "lon")
    try:
        check_lat_lon(lat, lon, "lat/lon")
    except InvalidInput as error:
        raise ValueError(str(error)) from None
    return lat, lon, False


def _field_of(message: str) -> tuple[str, str]:
    name, _, problem = message.partition(": ")
    return name, problem


def _check_columns(names: set[str], source: str, required: set[str]) -> None:
    missing = sorted(required - names)
    if missing:
        raise InvalidInput(f"{source}: missing column(s) {', '.join(missing)}")
    if not ({"lat", "lon"} <= names or {"easting", "northing"} <= names):
        raise InvalidInput(f"{source}: needs columns lat and lon, or easting and northing")


def load_incidents(rows: Iterator[tuple[int, Row]], source: str) -> Incidents:
    """Incidents from rows with time, location, type, priority and (optionally) first arrival.

    Columns: ``time``; ``lat``/``lon`` or ``easting``/``northing``; ``type``; ``priority``
    (1 to 4); optional ``id`` and ``first_arrival`` (date and time the first unit arrived).
    """
    ids: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    grid: list[bool] = []
    hours: list[int] = []
    grades: list[int] = []
    kinds: list[str] = []
    responses: list[float] = []
    problems: list[RowProblem] = []
    checked = False
    for number, row in rows:
        if not checked:
            _check_columns(set(row), source, {"time", "type", "priority"})
            checked = True
        if number > MAX_ROWS + 1:
            raise InvalidInput(f"{source}: more than {MAX_ROWS} rows")
        try:
            called = _when(row, "time")
            x, y, is_grid = _position(row)
            text = str(row.get("priority") or "").strip().upper().removeprefix("P")
            if not text.isdigit() or int(text) not in PRIORITIES:
                raise ValueError(f"priority: {row.get('priority')!r} is not 1, 2, 3 or 4")
            kind = str(row.get("type") or "").strip()
            if not kind:
                raise ValueError("type: missing")
            response = math.nan
            if not _blank(row.get("first_arrival")):
                arrived = _when(row, "first_arrival")
                response = (arrived - called).total_seconds()
                if response < 0:
                    raise ValueError("first_arrival: before the time of the call")
        except ValueError as error:
            problems.append(RowProblem(source, number, *_field_of(str(error))))
            continue
        ids.append(str(row.get("id") or "").strip() or f"row-{number}")
        xs.append(x)
        ys.append(y)
        grid.append(is_grid)
        hours.append(called.astimezone(LONDON).hour)
        grades.append(int(text))
        kinds.append(kind)
        responses.append(response)
    if not checked:
        raise InvalidInput(f"{source}: no rows")
    if not ids:
        first = f"; first problem: {problems[0]}" if problems else ""
        raise InvalidInput(f"{source}: no usable rows ({len(problems)} bad){first}")
    easting, northing = _to_grid_columns(xs, ys, grid)
    return Incidents(
        ids=ids,
        easting=easting,
        northing=northing,
        hour=np.asarray(hours, dtype=np.int8),
        priority=np.asarray(grades, dtype=np.int8),
        kind=kinds,
        response_s=np.asarray(responses, dtype=np.float64),
        problems=problems,
    )


def _to_grid_columns(
    xs: list[float], ys: list[float], grid: list[bool]
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    is_grid = np.asarray(grid, dtype=bool)
    easting, northing = x.copy(), y.copy()
    if (~is_grid).any():
        e, n = to_grid(x[~is_grid], y[~is_grid])  # x is latitude, y longitude there
        easting[~is_grid], northing[~is_grid] = e, n
    return easting, northing


def load_sites(
    rows: Iterator[tuple[int, Row]], source: str
) -> tuple[list[DockSite], list[RowProblem]]:
    """Candidate dock sites: ``id``, optional ``name``, and lat/lon or easting/northing."""
    sites: list[DockSite] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    checked = False
    for number, row in rows:
        if not checked:
            _check_columns(set(row), source, {"id"})
            checked = True
        try:
            site_id = str(row.get("id") or "").strip()
            if not site_id:
                raise ValueError("id: missing")
            if site_id in seen:
                raise ValueError(f"id: {site_id!r} appears twice")
            x, y, is_grid = _position(row)
        except ValueError as error:
            problems.append(RowProblem(source, number, *_field_of(str(error))))
            continue
        if not is_grid:
            e, n = to_grid(x, y)
            x, y = float(e), float(n)
        seen.add(site_id)
        name = str(row.get("name") or "").strip() or site_id
        sites.append(DockSite(site_id, name, x, y))
    if not sites:
        first = f"; first problem: {problems[0]}" if problems else ""
        raise InvalidInput(f"{source}: no usable dock sites{first}")
    return sites, problems


_PROFILE_FIELDS = {
    "name": str,
    "cruise_mps": float,
    "launch_s": float,
    "max_range_m": float,
    "endurance_s": float,
    "on_scene_s": float,
    "avoid_no_fly": bool,
    "avoid_restricted": bool,
}


def profile_from(data: object, source: str) -> DroneProfile:
    """A drone profile from a JSON object; fields left out keep the planning defaults."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: a drone profile is a JSON object")
    unknown = sorted(set(data) - set(_PROFILE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"{source}: unknown field(s) {', '.join(unknown)} (known: {', '.join(_PROFILE_FIELDS)})"
        )
    values: dict[str, Any] = {}
    for name, kind in _PROFILE_FIELDS.items():
        if name not in data:
            continue
        value = data[name]
        if kind is bool and not isinstance(value, bool):
            raise InvalidInput(f"{source}: {name}: {value!r} is not true or false")
        if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidInput(f"{source}: {name}: {value!r} is not a number")
        if kind is str and not isinstance(value, str):
            raise InvalidInput(f"{source}: {name}: {value!r} is not text")
        values[name] = float(value) if kind is float else value
    try:
        return DroneProfile(**values)
    except InvalidInput as error:
        raise InvalidInput(f"{source}: {error.message.removeprefix('profile: ')}") from error


def read_json(path: Path) -> object:
    """A JSON file, or an InvalidInput naming it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror})") from error
    return parse_json(data, str(path))


def parse_json(data: bytes, source: str) -> object:
    """JSON content, or an InvalidInput naming where it came from."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{source}: not JSON ({error})") from error


def _is_grid_crs(data: dict[str, Any]) -> bool:
    """GeoJSON is WGS84 (RFC 7946); an old-style ``crs`` member may say EPSG:27700."""
    crs = data.get("crs")
    name = (
        str(((crs or {}).get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    )
    return "27700" in name


def _to_grid_geometry(geometry: BaseGeometry) -> BaseGeometry:
    def project(lon: np.ndarray[Any, Any], lat: np.ndarray[Any, Any]) -> tuple[Any, Any]:
        return to_grid(lat, lon)  # GeoJSON order: longitude, latitude

    return shapely.transform(geometry, project, interleaved=False)


def _features(data: object, source: str) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise InvalidInput(f"{source}: not a GeoJSON Feature or FeatureCollection")
    items = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(items, list):
        raise InvalidInput(f"{source}: features: not a list")
    return list(enumerate(items, start=1)), _is_grid_crs(data)


def _polygon(feature: object, source: str, number: int, grid: bool) -> BaseGeometry:
    where = f"{source} feature {number}"
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        raise InvalidInput(f"{where}: geometry: missing")
    try:
        geometry = shape(feature["geometry"])
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise InvalidInput(f"{where}: geometry: not valid GeoJSON ({error})") from error
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise InvalidInput(f"{where}: geometry: a {geometry.geom_type}, not a polygon")
    if not grid:
        minx, miny, maxx, maxy = geometry.bounds
        for lon, lat in ((minx, miny), (maxx, maxy)):
            try:
                check_lat_lon(lat, lon, f"{where}: geometry")
            except InvalidInput as error:
                raise InvalidInput(f"{error.message} (GeoJSON is longitude, latitude)") from error
        geometry = _to_grid_geometry(geometry)
    return geometry if geometry.is_valid else make_valid(geometry)


def load_zones(data: object, source: str) -> list[Zone]:
    """No-fly and restricted zones: polygons with properties ``name`` and ``kind``."""
    features, grid = _features(data, source)
    zones = []
    for number, feature in features:
        geometry = _polygon(feature, source, number, grid)
        props = feature.get("properties") or {}
        kind_text = str(props.get("kind", ZoneKind.NO_FLY.value)).strip().lower().replace("-", "_")
        try:
            kind = ZoneKind(kind_text)
        except ValueError:
            raise InvalidInput(
                f"{source} feature {number}: kind: {props.get('kind')!r} is not no_fly or "
                "restricted"
            ) from None
        zones.append(Zone(str(props.get("name") or f"zone {number}"), kind, geometry))
    return zones


def load_boundary(data: object, source: str) -> BaseGeometry:
    """The force area: the union of the polygons in a GeoJSON file, in BNG metres."""
    from shapely import union_all

    features, grid = _features(data, source)
    if not features:
        raise InvalidInput(f"{source}: no features")
    return union_all([_polygon(feature, source, number, grid) for number, feature in features])
