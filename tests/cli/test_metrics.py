"""`casework metrics` as users run it: table, JSON and CSV of known cases; exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from casework.journey.metrics import ROW_HEADER
from casework.store import open_engine
from casework.store.journey_repositories import SqlJourneyStore
from tests.conftest import Invoke
from tests.journey.test_metrics_store import build_known_cases


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    return tmp_path / "home"


@pytest.fixture
def known(home: Path) -> list[str]:
    """The five cases of tests/journey/test_metrics_store.py, in the home database."""
    engine = open_engine(f"sqlite:///{(home / 'casework.sqlite3').resolve()}")
    try:
        with SqlJourneyStore.open(engine) as store:
            return build_known_cases(store)
    finally:
        engine.dispose()


def test_json(cli: Invoke, known: list[str]) -> None:
    result = cli("metrics", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"overall", "by_offence", "by_force", "by_month"}
    overall = data["overall"]
    assert overall["cases"] == 5 and overall["charge_rate"] == 0.6
    assert overall["report_to_charge"] == {"count": 3, "median_days": 30, "p90_days": 46}
    assert overall["report_to_outcome"] == {"count": 3, "median_days": 100, "p90_days": 180}
    assert overall["withdrawal_rate"] == 0.4
    assert overall["withdrawals_by_stage"] == {"charged": 1, "investigating": 1}
    assert data["by_force"]["WY"]["report_to_charge"]["median_days"] == 20
    assert data["by_month"]["2025-03"]["outcomes"] == {"pending": 1}


def test_csv_is_long_rows_with_the_header(cli: Invoke, known: list[str]) -> None:
    result = cli("metrics", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == list(ROW_HEADER)
    assert all(len(row) == 4 for row in rows)
    assert ["all", "all", "report_to_charge_p90_days", "46.0"] in rows
    assert ["force", "GMP", "withdrawal_stage:charged", "1"] in rows
    assert ["offence", "abh", "outcome:acquitted", "1"] in rows
    assert ["month", "2025-03", "report_to_outcome_median_days", ""] in rows


def test_table(cli: Invoke, known: list[str]) -> None:
    result = cli("metrics")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("Justice-journey metrics: 5 case(s), all forces")
    for heading in ("All cases:", "By force:", "By offence", "By month of report:", "Outcomes:"):
        assert heading in out
    assert "60.0%" in out and "40.0%" in out  # charge rate, withdrawal rate
    assert "no_further_action" in out and "pending" in out


@pytest.mark.parametrize(
    ("args", "cases"),
    [
        (("--force", "gmp"), 2),
        (("--from", "2025-02-01"), 3),
        (("--to", "2025-01-31"), 2),
        (("--from", "2025-01-15", "--to", "2025-02-10"), 3),
    ],
)
def test_filters(cli: Invoke, known: list[str], args: tuple[str, ...], cases: int) -> None:
    result = cli("metrics", *args, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["overall"]["cases"] == cases


def test_empty_database(cli: Invoke, home: Path) -> None:
    result = cli("metrics", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["overall"]["cases"] == 0
    assert cli("metrics").code == 0


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--from", "2025-13-01"), "--from"),
        (("--from", "yesterday"), "--from"),
        (("--to", "2025-02-30"), "--to"),
        (("--from", "2025-03-01", "--to", "2025-02-01"), "--from 2025-03-01 is after --to"),
        (("--force", "W1"), "--force"),
        (("--format", "xml"), "--format"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    cli: Invoke, home: Path, args: tuple[str, ...], named: str
) -> None:
    result = cli("metrics", *args)
    assert result.code == 2
    assert named in result.err
    assert "Traceback" not in result.err
