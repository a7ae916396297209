"""`casework rules ...` as users' scripts call it (CONTRACTS.md, Cases and rules)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import CliResult

Invoke = Callable[..., CliResult]


def test_offences_lists_codes_with_statute_and_mode(cli: Invoke) -> None:
    result = cli("rules", "offences")
    assert result.code == 0
    line = next(x for x in result.out.splitlines() if x.startswith("coercive_control "))
    assert "either-way" in line
    assert "Serious Crime Act 2015 s.76" in line
    assert any(x.startswith("gbh_s18 ") and "indictable-only" in x for x in result.out.splitlines())


def test_offences_json(cli: Invoke) -> None:
    result = cli("rules", "offences", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    battery = next(o for o in data["offences"] if o["code"] == "battery")
    assert battery == {
        "code": "battery",
        "name": "Battery",
        "statute": "Criminal Justice Act 1988 s.39",
        "mode_of_trial": "summary_only",
        "domestic_abuse": "frequent",
    }


@pytest.mark.parametrize(
    ("args", "last_day", "source"),
    [
        (
            ["--domestic-abuse", "--statement-date", "2025-03-01"],
            "2025-09-01",
            "Criminal Justice Act 1988 s.39A",
        ),
        (
            ["--domestic-abuse", "--statement-date", "2025-12-01"],
            "2026-01-01",
            "Criminal Justice Act 1988 s.39A",
        ),
        (["--domestic-abuse"], "2024-07-01", "Magistrates' Courts Act 1980 s.127"),
        ([], "2024-07-01", "Magistrates' Courts Act 1980 s.127"),
    ],
)
def test_time_limit_json_worked_examples(
    cli: Invoke, args: list[str], last_day: str, source: str
) -> None:
    result = cli(
        "rules",
        "time-limit",
        "--offence",
        "common_assault",
        "--offence-date",
        "2024-01-01",
        *args,
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"last_day", "rule", "source"}
    assert data["last_day"] == last_day
    assert data["source"].startswith(source)
    assert data["rule"]


def test_time_limit_json_no_limit(cli: Invoke) -> None:
    result = cli(
        "rules",
        "time-limit",
        "--offence",
        "abh",
        "--offence-date",
        "2024-01-01",
        "--format",
        "json",
    )
    assert result.code == 0
    data = json.loads(result.out)
    assert data["last_day"] is None
    assert "no statutory time limit" in data["rule"]
    assert "s.127(2)" in data["source"]


def test_time_limit_text(cli: Invoke) -> None:
    result = cli(
        "rules",
        "time-limit",
        "--offence",
        "battery",
        "--offence-date",
        "2024-01-01",
        "--domestic-abuse",
        "--statement-date",
        "2025-12-01",
    )
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "last day:   2026-01-01"
    assert lines[1].startswith("rule:       cja1988_s39a: ")
    assert "Criminal Justice Act 1988 s.39A" in lines[2]
    assert "started by: offence committed on 2024-01-01" in result.out


def test_time_limit_text_no_limit(cli: Invoke) -> None:
    result = cli("rules", "time-limit", "--offence", "rape", "--offence-date", "2020-05-05")
    assert result.code == 0
    assert result.out.startswith("last day:   none (no statutory time limit)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--offence", "comon_assault", "--offence-date", "2024-01-01"],
            "unknown offence code 'comon_assault' (did you mean common_assault?); "
            "run `casework rules offences` to see the valid codes",
        ),
        (
            ["--offence", "battery", "--offence-date", "01/02/2024"],
            "--offence-date: '01/02/2024' is not a date; expected YYYY-MM-DD",
        ),
        (
            ["--offence", "battery", "--offence-date", "2024-02-30"],
            "--offence-date: '2024-02-30' is not a real date",
        ),
        (
            ["--offence", "battery", "--offence-date", "2024-01-01", "--statement-date", "x"],
            "--statement-date: 'x' is not a date; expected YYYY-MM-DD",
        ),
        (
            [
                "--offence",
                "battery",
                "--offence-date",
                "2024-02-03",
                "--domestic-abuse",
                "--statement-date",
                "2024-01-01",
            ],
            "the statement date 2024-01-01 is before the offence date 2024-02-03",
        ),
        (
            ["--offence", "coercive_control", "--offence-date", "2010-01-01"],
            "coercive_control (Serious Crime Act 2015 s.76) applies to conduct from 2015-12-29",
        ),
    ],
)
def test_time_limit_bad_input(cli: Invoke, args: list[str], message: str) -> None:
    result = cli("rules", "time-limit", *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("error: ")
    assert message in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-12-24", "1", "2025-12-29"),
        ("2026-04-02", "1", "2026-04-07"),
        ("2026-01-02", "-1", "2025-12-31"),
    ],
)
def test_working_days(cli: Invoke, start: str, days: str, expected: str) -> None:
    result = cli("rules", "working-days", "--from", start, "--add", days)
    assert result.code == 0
    assert result.out == f"{expected}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "24/12/2025", "--add", "1"], "--from: '24/12/2025' is not a date"),
        (["--from", "2025-12-24", "--add", "x"], "--add"),
        (["--from", "2025-12-24", "--add", "99999"], "out of range"),
        (["--add", "1"], "--from"),
    ],
)
def test_working_days_bad_input(cli: Invoke, args: list[str], message: str) -> None:
    result = cli("rules", "working-days", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_installed_entry_point_exits_2_without_traceback() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from casework.cli.main import run; run()",
            "rules",
            "time-limit",
            "--offence",
            "nope",
            "--offence-date",
            "2024-01-01",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "casework rules offences" in completed.stderr
    assert "Traceback" not in completed.stderr
