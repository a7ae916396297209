"""`casework ops ...` end to end on the embedded database: template, fill, submit, roll up."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import Invoke


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    return tmp_path


def _fill(path: Path, force: str, values: dict[str, object]) -> None:
    book = load_workbook(path)
    sheet = book["Return"]
    sheet["C4"] = force
    for row in range(1, sheet.max_row + 1):
        key = sheet.cell(row, 1).value
        if key in values:
            sheet.cell(row, 3, values[key])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_template_submit_rollup_and_reports(cli: Invoke, home: Path) -> None:
    op = "sceptre-2023-11"
    files = []
    for force, arrests in (("WY", 30), ("GMP", 25)):
        path = home / f"{force}.xlsx"
        made = cli("ops", "template", "--operation", op, "--format", "xlsx", "--out", str(path))
        assert made.code == 0, made.err
        _fill(path, force, {"arrests": arrests, "knife_arrests": 10, "test_purchases": 4})
        files.append(str(path))
    (home / "rest.csv").write_text(
        "force,arrests,test_purchases,test_purchase_failures\nKent,5,2,1\n"
    )
    files.append(str(home / "rest.csv"))
    submitted = cli("ops", "submit", *files, "--operation", op)
    assert submitted.code == 0, submitted.err
    assert "3 return(s) stored" in submitted.out
    again = cli("ops", "submit", files[0], "--operation", op)
    assert "WY version 2 replaces version 1" in again.out
    rolled = cli("ops", "rollup", "--operation", op, "--format", "json")
    data = json.loads(rolled.out)
    assert data["measures"]["arrests"]["total"] == 60
    assert data["rates"]["test_purchase_failure_rate"]["value"] == 0.1
    assert len(data["forces_missing"]) == 40
    assert {r["force"]: r["version"] for r in data["returns"]} == {"GMP": 1, "KEN": 1, "WY": 2}
    table = cli("ops", "rollup", "--operation", op, "--format", "table")
    assert "returns from 3 of 43 forces" in table.out and "not yet submitted:" in table.out
    status = cli("ops", "status", "--operation", op)
    assert "3 of 43 forces submitted; 40 not yet" in status.out
    pdf = home / "summary.pdf"
    assert cli("ops", "summary", "--operation", op, "--format", "pdf", "--out", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "missing" in cli("ops", "quality", "--operation", op).out
    dictionary = cli("data-dictionary")
    assert "knife_arrests" in dictionary.out and "Case.reported_on" in dictionary.out


def test_a_bad_file_exits_2_naming_the_cell_and_stores_nothing(cli: Invoke, home: Path) -> None:
    path = home / "wy.xlsx"
    cli("ops", "template", "--operation", "sceptre-2023-11", "--format", "xlsx", "--out", str(path))
    _fill(path, "WY", {"arrests": 3, "knife_arrests": 9})
    bad = cli("ops", "submit", str(path), "--operation", "sceptre-2023-11")
    assert bad.code == 2
    assert "wy.xlsx" in bad.err and "cell C" in bad.err and "more than Arrests (3)" in bad.err
    rolled = json.loads(
        cli("ops", "rollup", "--operation", "sceptre-2023-11", "--format", "json").out
    )
    assert rolled["returns"] == []
    unknown = cli("ops", "rollup", "--operation", "nope", "--format", "json")
    assert unknown.code == 2 and "not defined" in unknown.err
