"""`casework dfr demo-data|coverage|place` as a planner runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import Invoke


@pytest.fixture(scope="module")
def demoshire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from casework.dfr.demo import write_demo

    out = tmp_path_factory.mktemp("demoshire")
    write_demo(out, incident_count=1_200, site_count=25)
    return out


def _files(folder: Path) -> list[str]:
    return [
        "--incidents", str(folder / "incidents.csv"),
        "--sites", str(folder / "sites.csv"),
        "--zones", str(folder / "zones.geojson"),
        "--boundary", str(folder / "boundary.geojson"),
        "--profile", str(folder / "profile.json"),
    ]  # fmt: skip


def test_demo_data_writes_the_files_a_force_would_bring(cli: Invoke, tmp_path: Path) -> None:
    result = cli("dfr", "demo-data", "--out", str(tmp_path), "--incidents", "50", "--sites", "5")
    assert result.code == 0, result.err
    names = {"incidents.csv", "sites.csv", "zones.geojson", "boundary.geojson", "profile.json"}
    assert names <= {p.name for p in tmp_path.iterdir()}
    assert len((tmp_path / "incidents.csv").read_text().splitlines()) == 51


def test_place_json_has_both_methods_and_the_gap(
    cli: Invoke, demoshire: Path, tmp_path: Path
) -> None:
    svg = tmp_path / "map.svg"
    result = cli(
        "dfr", "place", *_files(demoshire), "--count", "3", "--format", "json", "--svg", str(svg)
    )
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert [s["method"] for s in found["solutions"]] == ["greedy", "exact"]
    assert found["solutions"][1]["proven_optimal"] is True
    assert len(found["chosen"]["docks"]) == 3
    assert found["greedy_gap"] >= 0
    assert svg.read_text().startswith("<svg")


def test_coverage_table_for_named_docks(cli: Invoke, demoshire: Path, tmp_path: Path) -> None:
    rows = tmp_path / "per-incident.csv"
    result = cli(
        "dfr", "coverage", *_files(demoshire), "--docks", "S001,S002", "--target", "90",
        "--per-incident", str(rows),
    )  # fmt: skip
    assert result.code == 0, result.err
    with rows.open(newline="") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == 1_200
    assert {r["dock"] for r in written} <= {"S001", "S002", ""}
    assert "docks: S001, S002" in result.out
    assert "on scene within 90 s" in result.out
    assert "minutes earlier" in result.out


def test_bad_rows_are_warned_and_the_rest_used(
    cli: Invoke, demoshire: Path, tmp_path: Path
) -> None:
    with (demoshire / "incidents.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[2]["priority"] = "9"  # file row 4 (the header is row 1)
    bad = tmp_path / "incidents.csv"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    args = ["--incidents", str(bad), "--sites", str(demoshire / "sites.csv")]
    result = cli("dfr", "coverage", *args, "--format", "json")
    assert result.code == 0, result.err
    assert "warning: left out" in result.err and "row 4: priority" in result.err
    found = json.loads(result.out)
    assert found["incidents"] == 1_199
    assert found["skipped_rows"][0]["row"] == 4


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--docks", "S001,NOPE"], "docks: unknown site id(s) NOPE"),
        (["--target", "0"], "target"),
    ],
)
def test_bad_choices_exit_2_with_a_message(
    cli: Invoke, demoshire: Path, extra: list[str], words: str
) -> None:
    result = cli("dfr", "coverage", *_files(demoshire), *extra)
    assert result.code == 2
    assert words in result.err and "Traceback" not in result.err


def test_a_missing_file_exits_2_naming_it(cli: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = cli(
        "dfr", "place", "--incidents", str(missing), "--sites", str(missing), "--count", "2"
    )
    assert result.code == 2
    assert "nope.csv: cannot read" in result.err


def test_more_docks_than_sites_is_refused(cli: Invoke, demoshire: Path) -> None:
    result = cli("dfr", "place", *_files(demoshire), "--count", "99")
    assert result.code == 2
    assert "count: 99 docks but only 25 candidate sites" in result.err
