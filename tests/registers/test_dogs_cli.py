"""`casework dogs ...` as a unit runs it: exit codes, output, nothing stored on bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from casework.registers.service import london_today
from tests.conftest import Invoke


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CASEWORK_HOME with its own SQLite database."""
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.delenv("CASEWORK_DEMO_PASSWORD", raising=False)
    return tmp_path / "home"


def test_compliance_on_the_demo_data_is_exactly_the_planted_findings(
    cli: Invoke, home: Path
) -> None:
    assert cli("demo", "--cases", "2").code == 0
    result = cli("dogs", "compliance")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    today = london_today()
    assert [line.split(":")[0:2] for line in lines[:-1]] == [
        ["GMP-DOG-0001 Nell", " licence_overdue"],
        ["WY-DOG-0003 Rolo", " licence_overdue"],
        ["WY-DOG-0003 Rolo", " unlicensed_deployment"],
        ["WY-DOG-0004 Maple", " welfare_check_missed"],
        ["WY-DOG-0005 Bramble", " retirement_review_overdue"],
    ]
    missed = [(today - timedelta(days=d)).isoformat() for d in (4, 3)]
    assert f"of the last 7: {missed[0]}, {missed[1]}" in lines[3]
    assert lines[-1].startswith("5 findings on 4 dogs (")
    wy = cli("dogs", "compliance", "--force", "wy", "--format", "json")
    data = json.loads(wy.out)
    assert [f["rule"] for f in data["findings"]] == [
        "licence_overdue",
        "unlicensed_deployment",
        "welfare_check_missed",
        "retirement_review_overdue",
    ]
    again = cli("demo", "--cases", "2")
    assert "0 dog(s) added, 9 already there" in again.out


def test_a_unit_keeps_its_register_from_the_command_line(cli: Invoke, home: Path) -> None:
    assert cli("dogs", "handler", "--force", "WY", "--number", "4101", "--name", "PC MARSH",
               "--qualification", "general_purpose:2024-05-01").code == 0  # fmt: skip
    added = cli(
        "dogs", "add", "--force", "WY", "--name", "Bracken", "--breed", "German Shepherd",
        "--sex", "male", "--born", "2021-05-01", "--microchip", "826098100000001",
        "--source", "breeding", "--role", "general_purpose", "--acquired", "2022-05-01",
        "--handler", "4101",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert added.out.strip() == "WY-DOG-0001"
    month_ago = (london_today() - timedelta(days=30)).isoformat()
    licensed = cli("dogs", "licence", "WY-DOG-0001", "--role", "general_purpose",
                   "--assessor", "Insp HARGREAVES", "--assessed", month_ago)  # fmt: skip
    assert licensed.code == 0 and "licence passed" in licensed.out
    yesterday = (london_today() - timedelta(days=1)).isoformat()
    for days in range(1, 8):
        on = (london_today() - timedelta(days=days)).isoformat()
        assert cli("dogs", "welfare", "WY-DOG-0001", "--by", "PC MARSH", "--on", on).code == 0
    bite = cli("dogs", "deploy", "WY-DOG-0001", "--incident", "burglary", "--role",
               "general_purpose", "--outcome", "arrest", "--arrests", "1", "--bite",
               "--at", yesterday)  # fmt: skip
    assert bite.code == 2 and "injury: a bite needs the injury details" in bite.err
    deployed = cli("dogs", "deploy", "WY-DOG-0001", "--incident", "burglary", "--role",
                   "general_purpose", "--outcome", "arrest", "--arrests", "1", "--bite",
                   "--injury", "forearm", "--at", yesterday)  # fmt: skip
    assert deployed.code == 0, deployed.err
    clean = cli("dogs", "compliance")
    assert clean.out.splitlines() == [clean.out.splitlines()[-1]]
    assert clean.out.startswith("0 findings on 0 dogs")
    shown = cli("dogs", "show", "WY-DOG-0001")
    assert "BITE: forearm" in shown.out and "handler 4101" in shown.out
    figures = cli("dogs", "figures", "--from", yesterday, "--to", yesterday, "--format", "json")
    [row] = json.loads(figures.out)
    assert (row["deployments"], row["arrests"], row["bites"]) == (1, 1, 1)
    audit = cli("audit", "log", "--action", "dogs.deploy", "--format", "json")
    assert audit.code == 0, audit.err
    assert [e["outcome"] for e in json.loads(audit.out)] == ["failed", "allowed"]


def test_import_refuses_a_bad_row_and_stores_nothing(
    cli: Invoke, home: Path, tmp_path: Path
) -> None:
    good = (
        "Juno,Springer Spaniel,female,2022-01-01,826098100000002,procurement,"
        "search_drugs;search_cash"
    )
    bad = "Rolo,Malinois,male,2021-13-01,826098100000003,procurement,general_purpose"
    header = "name,breed,sex,born_on,microchip,source,roles"
    file = tmp_path / "dogs.csv"
    file.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    result = cli("dogs", "import", str(file), "--force", "WY")
    assert result.code == 2
    assert f"{file} row 3: born_on: '2021-13-01' is not a real date" in result.err
    assert cli("dogs", "list").out.strip() == "0 dog(s)"
    file.write_text("\n".join([header, good]) + "\n", encoding="utf-8")
    done = cli("dogs", "import", str(file), "--force", "WY")
    assert done.code == 0 and "1 dog(s) imported: WY-DOG-0001" in done.out
    listed = cli("dogs", "list", "--format", "json")
    assert json.loads(listed.out)[0]["roles"] == ["search_drugs", "search_cash"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dogs", "show", "WY-DOG-0042"), "no dog WY-DOG-0042"),
        (("dogs", "show", "Bracken"), "is not a dog reference"),
        (
            ("dogs", "figures", "--from", "2026-03-01", "--to", "2026-02-01"),
            "end: before the start",
        ),
    ],
)
def test_bad_input_names_what_is_wrong(
    cli: Invoke, home: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args)
    assert result.code in (1, 2, 3, 4) and message in result.err


def test_the_rules_say_their_sources(cli: Invoke, home: Path) -> None:
    result = cli("dogs", "rules")
    assert result.code == 0
    assert result.out.count("source: NPCC Police Dog Standard") == 4
    assert (
        "licence_overdue: Licence overdue (to verify; settings: validity_months=12)" in result.out
    )
