"""Bad input: each bad row is named and left out; the rest are used; unusable files refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from casework.dfr.inputs import (
    load_boundary,
    load_incidents,
    load_sites,
    load_zones,
    profile_from,
    table_rows,
    text_rows,
)
from casework.errors import InvalidInput
from tests.dfr.samples import INCIDENTS_CSV, SITES_CSV

HEADER = "id,time,lat,lon,easting,northing,type,priority,first_arrival\n"


def _incidents(body: str) -> object:
    return load_incidents(text_rows(HEADER + body, "incidents.csv"), "incidents.csv")


def test_good_rows_by_grid_and_by_lat_lon_are_read() -> None:
    found = load_incidents(text_rows(INCIDENTS_CSV, "incidents.csv"), "incidents.csv")
    assert len(found) == 5 and not found.problems
    assert found.ids[0] == "A1"
    assert found.response_s[0] == 540.0
    assert found.response_s[2] != found.response_s[2]  # NaN: no arrival recorded
    mixed = load_incidents(
        text_rows(HEADER + "X,2026-03-01T10:00,52.63,1.29,,,theft,2,\n", "i.csv"), "i.csv"
    )
    assert 620_000 < mixed.easting[0] < 625_000 and 305_000 < mixed.northing[0] < 312_000


def test_the_hour_is_local_time_in_london() -> None:
    found = _incidents(
        "A,2026-07-01T09:30:00+00:00,,,600000,300000,theft,1,\n"
        "B,2026-07-01T09:30:00,,,600000,300000,theft,1,\n"
    )
    assert list(found.hour) == [10, 9]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("B,not a time,,,600000,300000,theft,1,", "time", "not a date and time"),
        ("B,2026-03-01T10:00,,,600000,300000,theft,7,", "priority", "not 1, 2, 3 or 4"),
        ("B,2026-03-01T10:00,,,600000,,theft,1,", "northing", "missing"),
        ("B,2026-03-01T10:00,1.29,52.63,,,theft,1,", "lat/lon", "swapped?"),
        ("B,2026-03-01T10:00,,,900000,300000,theft,1,", "easting/northing", "outside"),
        ("B,2026-03-01T10:00,,,,,theft,1,", "location", "give lat and lon"),
        ("B,2026-03-01T10:00,,,600000,300000,,1,", "type", "missing"),
        (
            "B,2026-03-01T10:00,,,600000,300000,theft,1,2026-03-01T09:00",
            "first_arrival",
            "before the time of the call",
        ),
        ("B,2026-03-01T10:00,,,six,300000,theft,1,", "easting", "not a number"),
    ],
)
def test_a_bad_row_is_named_and_left_out(row: str, field: str, words: str) -> None:
    found = _incidents(f"A,2026-03-01T10:00,,,600000,300000,theft,1,\n{row}\n")
    assert found.ids == ["A"]  # type: ignore[attr-defined]
    (problem,) = found.problems  # type: ignore[attr-defined]
    assert (problem.row, problem.field) == (3, field)
    assert words in problem.problem
    assert str(problem).startswith("incidents.csv row 3: ")


def test_a_file_with_no_good_rows_is_refused_with_the_first_problem() -> None:
    with pytest.raises(InvalidInput, match=r"no usable rows \(1 bad\).*row 2: priority"):
        _incidents("B,2026-03-01T10:00,,,600000,300000,theft,9,\n")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty file"),
        ("time,lat,lon,type\n2026-03-01T10:00,52,1,theft\n", "missing column"),
        ("time,type,priority,x,y\n2026-03-01T10:00,theft,1,1,2\n", "lat and lon, or easting"),
        ("time,type,priority,lat,lon\n", "no rows"),
    ],
)
def test_unusable_files_are_refused_naming_the_file(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as caught:
        load_incidents(text_rows(text, "incidents.csv"), "incidents.csv")
    assert caught.value.message.startswith("incidents.csv")


def test_incidents_from_xlsx_with_real_datetimes(tmp_path: Path) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Time", "Easting", "Northing", "Type", "Priority", "First_Arrival"])
    sheet.append(
        ["X1", datetime(2026, 3, 1, 10), 600000, 300000, "theft", 2, datetime(2026, 3, 1, 10, 7)]
    )
    sheet.append(["X2", datetime(2026, 3, 1, 11), 600000, 300000, "theft", "P9", None])
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    found = load_incidents(table_rows(path), str(path))
    assert found.ids == ["X1"] and found.response_s[0] == 420.0
    assert found.problems[0].row == 3 and found.problems[0].field == "priority"


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused(tmp_path: Path) -> None:
    latin = tmp_path / "incidents.csv"
    latin.write_bytes("time,type,priority,lat,lon\n2026,caf\xe9,1,52,1\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        table_rows(latin)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput, match="not a readable XLSX"):
        list(table_rows(broken))


def test_sites_duplicate_ids_are_left_out() -> None:
    text = SITES_CSV + "S1,again,600000,300000\n"
    sites, problems = load_sites(text_rows(text, "sites.csv"), "sites.csv")
    assert [s.id for s in sites] == ["S1", "S2", "S3"]
    assert problems[0].row == 5 and "appears twice" in problems[0].problem


def _square(lon: float, lat: float, kind: object = "no_fly") -> dict[str, object]:
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"name": "square", "kind": kind},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_zones_from_geojson_are_projected_to_the_grid() -> None:
    (zone,) = load_zones({"type": "FeatureCollection", "features": [_square(1.29, 52.63)]}, "z")
    assert zone.kind.value == "no_fly"
    assert 600_000 < zone.shape.bounds[0] < 650_000
    assert 600_000 < zone.shape.area < 800_000  # about 0.68 km x 1.11 km


def test_zones_in_grid_metres_when_the_file_says_epsg_27700() -> None:
    feature = {
        "type": "Feature",
        "properties": {"kind": "restricted"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[600000, 300000], [601000, 300000], [601000, 301000], [600000, 300000]]
            ],
        },
    }
    data = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [feature],
    }
    (zone,) = load_zones(data, "z")
    assert zone.shape.area == pytest.approx(500_000)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"type": "Point"}, "not a GeoJSON Feature"),
        (
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.2, 52.6]}},
            "a Point, not a polygon",
        ),
        ({"type": "FeatureCollection", "features": [_square(52.63, 1.29)]}, "longitude, latitude"),
        ({"type": "FeatureCollection", "features": [_square(1.29, 52.63, "maybe")]}, "kind"),
    ],
)
def test_bad_zones_are_refused_naming_the_feature(data: object, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        load_zones(data, "zones.geojson")


def test_boundary_is_the_union_of_its_polygons() -> None:
    data = {"type": "FeatureCollection", "features": [_square(1.29, 52.63), _square(1.40, 52.63)]}
    assert load_boundary(data, "b").geom_type == "MultiPolygon"


def test_profile_fields_are_checked() -> None:
    assert profile_from({"cruise_mps": 20}, "p").cruise_mps == 20.0
    with pytest.raises(InvalidInput, match="unknown field"):
        profile_from({"speed": 20}, "profile.json")
    with pytest.raises(InvalidInput, match="cruise_mps: 'fast' is not a number"):
        profile_from({"cruise_mps": "fast"}, "profile.json")
    with pytest.raises(InvalidInput, match=r"profile\.json: launch_s must be 0 or more"):
        profile_from({"launch_s": -1}, "profile.json")
    assert json.dumps(profile_from({}, "p").as_dict())


def test_a_bare_carriage_return_is_a_line_end_not_a_crash() -> None:
    # Found by schemathesis: the csv module refused "\r" inside a field read without newline="".
    rows = list(text_rows("site_id,easting\nS1\r2,3\n", "sites.csv"))
    assert [number for number, _ in rows] == [2, 3]


def test_text_the_csv_module_cannot_read_is_bad_input_naming_the_source() -> None:
    with pytest.raises(InvalidInput, match=r"sites\.csv.*not readable as CSV"):
        list(text_rows("a,b\n" + "x" * 200_000 + ",1\n", "sites.csv"))
