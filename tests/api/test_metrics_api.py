"""``GET /api/metrics``: the same JSON and CSV as ``casework metrics``; aggregates by role."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi import FastAPI

from casework.journey.metrics import ROW_HEADER
from casework.store import open_engine
from casework.store.journey_repositories import SqlJourneyStore
from tests.api.conftest import Api, Seed
from tests.conftest import Invoke
from tests.journey.test_metrics_store import build_known_cases


@pytest.fixture
def known(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The five known cases (WY and GMP) added to the API's database; the CLI pointed at it."""
    url = f"sqlite:///{db_path}"
    engine = open_engine(url)
    try:
        with SqlJourneyStore.open(engine) as store:
            build_known_cases(store)
    finally:
        engine.dispose()
    monkeypatch.setenv("CASEWORK_DATABASE_URL", url)
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    return db_path


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"force": "GMP"},
        {"from": "2025-03-01", "to": "2025-12-31"},
        {"force": "wy", "from": "2025-01-01"},
    ],
    ids=["all", "GMP", "dates", "WY from"],
)
def test_the_same_json_as_the_cli(
    app: FastAPI, seed: Seed, known: Path, cli: Invoke, query: dict[str, str]
) -> None:
    response = Api(app, token=seed.tokens["analyst"]).call("GET", "/api/metrics", params=query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    flags = [x for k, v in query.items() for x in (f"--{k}", v)]
    shown = cli("metrics", "--format", "json", *flags)
    assert shown.code == 0, shown.err
    assert response.json() == json.loads(shown.out)
    assert set(response.json()) == {"overall", "by_offence", "by_force", "by_month"}


def test_the_same_csv_rows_as_the_cli(app: FastAPI, seed: Seed, known: Path, cli: Invoke) -> None:
    api = Api(app, token=seed.tokens["coordinator"])
    response = api.call("GET", "/api/metrics", params={"format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == list(ROW_HEADER)
    assert ["force", "GMP", "withdrawal_stage:charged", "1"] in rows
    assert response.text == cli("metrics", "--format", "csv").out


def test_a_supervisor_sees_their_own_forces_metrics_only(
    app: FastAPI, seed: Seed, known: Path
) -> None:
    api = Api(app, token=seed.tokens["supervisor"])
    own = api.call("GET", "/api/metrics").json()
    assert set(own["by_force"]) == {"WY"}
    assert api.call("GET", "/api/metrics", params={"force": "WY"}).json() == own
    other = api.call("GET", "/api/metrics", params={"force": "GMP"})
    assert other.status_code == 403 and "WY only" in other.json()["detail"]
    national = Api(app, token=seed.tokens["analyst"]).call("GET", "/api/metrics").json()
    assert set(national["by_force"]) == {"WY", "GMP"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"force": "W1"}, "force"),
        ({"force": "TOOLONGFORCE"}, "force"),
        ({"from": "2025-13-01"}, "from"),
        ({"from": "2025-06-01", "to": "2025-01-01"}, "from"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_queries_name_the_field(
    app: FastAPI, seed: Seed, params: dict[str, str], field: str
) -> None:
    bad = Api(app, token=seed.tokens["analyst"]).call("GET", "/api/metrics", params=params)
    assert bad.status_code == 422, bad.text
    assert bad.json()["field"] == field


@pytest.mark.parametrize("role", ["investigator", "prosecutor", "victimcare", "admin"])
def test_roles_without_metrics_are_refused(app: FastAPI, seed: Seed, role: str) -> None:
    refused = Api(app, token=seed.tokens[role]).call("GET", "/api/metrics")
    assert refused.status_code == 403


def test_every_metrics_read_is_audited(app: FastAPI, seed: Seed) -> None:
    Api(app, token=seed.tokens["analyst"]).call("GET", "/api/metrics", params={"force": "GMP"})
    admin = Api(app, token=seed.tokens["admin"])
    entries = admin.call("GET", "/api/audit", params={"action": "metrics.read"}).json()
    assert [(e["actor"], e["detail"]["force"]) for e in entries] == [("analyst", "GMP")]
