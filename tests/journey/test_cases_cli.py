"""`casework case ...` and `casework deadlines` as users run them: exit codes and output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Invoke


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CASEWORK_HOME: the first command finds no database and must make one."""
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    return tmp_path / "home"


def _open_da_case(cli: Invoke) -> str:
    result = cli(
        "case",
        "open",
        "--force",
        "WY",
        "--offence",
        "common_assault",
        "--offence",
        "coercive_control",
        "--offence-date",
        "2026-01-10",
        "--domestic-abuse",
        "--reported",
        "2026-01-12",
        "--victim",
        "Jane SMITH",
        "--suspect",
        "Terry WILLIAMS",
        "--officer",
        "Amy KHAN",
        "--by",
        "DC Khan",
    )
    assert result.code == 0, result.err
    return result.out.strip()


def test_open_on_a_fresh_machine_creates_the_database(cli: Invoke, home: Path) -> None:
    assert not home.exists()
    assert _open_da_case(cli) == f"WY-{date.today().year}-000001"
    assert (home / "casework.sqlite3").exists()


def test_show_prints_summary_parties_offences_history_and_deadlines(
    cli: Invoke, home: Path
) -> None:
    ref = _open_da_case(cli)
    result = cli("case", "show", ref)
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith(f"{ref}  reported")
    assert "domestic abuse:  yes" in out
    assert "victim               Jane SMITH" in out
    assert "officer in the case  Amy KHAN" in out
    assert "common_assault       Common assault (Criminal Justice Act 1988 s.39)" in out
    assert "- -> reported  decided by police, recorded by DC Khan: case opened" in out
    assert "mca1980_s127" in out  # no statement yet: 6 months from the offence
    assert "2026-07-10" in out
    assert "Magistrates' Courts Act 1980 s.127" in out
    assert "vc_right4_referral" in out


def test_show_json(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    result = cli("case", "show", ref, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["case"]["reference"] == ref
    assert data["case"]["stage"] == "reported"
    assert {d["rule_id"] for d in data["deadlines"]} >= {"mca1980_s127", "vc_right4_referral"}


def test_advance_through_the_cps(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    ok = cli("case", "advance", ref, "--to", "investigating", "--reason", "OIC assigned")
    assert (ok.code, ok.out.strip()) == (0, f"{ref}: reported -> investigating")
    refused = cli("case", "advance", ref, "--to", "charged", "--reason", "police charge")
    assert refused.code == 1
    assert "domestic-abuse case goes to the CPS for the charging decision" in refused.err
    assert "Traceback" not in refused.err
    assert cli("case", "advance", ref, "--to", "with_cps", "--reason", "MG3").code == 0
    charged = cli("case", "advance", ref, "--to", "charged", "--reason", "FCT met")
    assert charged.code == 0, charged.err
    show = cli("case", "show", ref).out
    assert "with_cps -> charged  decided by cps" in show
    assert "met 20" in show  # the time limit is met by the charge


def test_disallowed_transition_exits_1_naming_the_allowed_ones(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    result = cli("case", "advance", ref, "--to", "convicted", "--reason", "x")
    assert result.code == 1
    assert "cannot move to convicted; allowed: investigating, no_further_action" in result.err


def test_unknown_stage_is_bad_usage(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    result = cli("case", "advance", ref, "--to", "sentenced", "--reason", "x")
    assert result.code == 2
    assert "--to" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offence", "common_asault"], "--offence: unknown offence code 'common_asault'"),
        (["--reported", "2026-02-30"], "--reported: '2026-02-30' is not a real date"),
        (["--reported", "12/01/2026"], "--reported: '12/01/2026' is not a date"),
        (["--offence-date", "yesterday"], "--offence-date"),
        (["--victim", "  "], "--victim: a person's name must not be blank"),
    ],
)
def test_open_bad_input_exits_2_naming_the_flag(
    cli: Invoke, home: Path, args: list[str], message: str
) -> None:
    result = cli("case", "open", "--force", "WY", *args)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""


def test_open_bad_force_code(cli: Invoke, home: Path) -> None:
    result = cli("case", "open", "--force", "West Yorkshire")
    assert result.code == 2
    assert "force" in result.err


def test_unknown_and_malformed_references(cli: Invoke, home: Path) -> None:
    missing = cli("case", "show", "WY-2026-000999")
    assert (missing.code, missing.err.strip()) == (2, "error: no case WY-2026-000999")
    bad = cli("case", "show", "123")
    assert bad.code == 2
    assert "not a case reference; expected FORCE-YEAR-NUMBER" in bad.err


def test_list_with_filters(cli: Invoke, home: Path) -> None:
    first = _open_da_case(cli)
    second = cli(
        "case", "open", "--force", "mps", "--offence", "stalking", "--officer", "Priya PATEL"
    ).out.strip()
    assert second == f"MPS-{date.today().year}-000001"
    everything = cli("case", "list")
    assert everything.code == 0
    assert first in everything.out and second in everything.out
    assert everything.out.strip().endswith("2 case(s)")
    by_officer = cli("case", "list", "--officer", "amy khan")
    assert first in by_officer.out and second not in by_officer.out
    assert "OIC: Amy KHAN DA" in by_officer.out
    by_force = cli("case", "list", "--force", "MPS", "--format", "json")
    assert [c["reference"] for c in json.loads(by_force.out)] == [second]
    by_stage = cli("case", "list", "--stage", "investigating")
    assert by_stage.out.strip() == "0 case(s)"
    bad = cli("case", "list", "--offence", "stalkin")
    assert bad.code == 2 and "unknown offence code 'stalkin'" in bad.err


def test_events_and_deadlines_due(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    event = cli(
        "case", "event", ref, "--kind", "arrest", "--at", "2026-01-13T09:00",
        "--description", "arrested at home", "--phase", "after",
    )  # fmt: skip
    assert event.code == 0, event.err
    due = cli("deadlines", "--due-within", "7d")
    assert due.code == 0, due.err
    lines = due.out.strip().splitlines()
    # Everything of a January case is overdue by now; the count line says so.
    assert any("vc_right6_enhanced" in line and "OVERDUE" in line for line in lines)
    assert any("vc_right4_referral" in line for line in lines)
    assert lines[-1].endswith("overdue")
    as_json = json.loads(cli("deadlines", "--due-within", "48h", "--format", "json").out)
    assert all(row["overdue"] for row in as_json)
    assert {row["reference"] for row in as_json} == {ref}
    assert cli("deadlines", "--force", "MPS").out.startswith("0 deadline(s)")


@pytest.mark.parametrize("window", ["7", "7x", "d7", "-1d", "seven days"])
def test_bad_window_exits_2_naming_the_flag(cli: Invoke, home: Path, window: str) -> None:
    result = cli("deadlines", "--due-within", window)
    assert result.code == 2
    assert result.err.startswith("error: --due-within:")
    assert "e.g. 7d or 48h" in result.err


def test_bad_event_time(cli: Invoke, home: Path) -> None:
    ref = _open_da_case(cli)
    result = cli(
        "case", "event", ref, "--kind", "arrest", "--at", "lunchtime", "--description", "x"
    )
    assert result.code == 2
    assert "--at: 'lunchtime' is not a date and time" in result.err


def test_unsupported_database_url(cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", "mysql://u@localhost/db")
    result = cli("case", "list")
    assert result.code == 2
    assert "CASEWORK_DATABASE_URL" in result.err


def test_unreachable_database_exits_1(
    cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "CASEWORK_DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    )
    result = cli("case", "list")
    assert result.code == 1
    assert "cannot open the database" in result.err
    assert "secret" not in result.err
