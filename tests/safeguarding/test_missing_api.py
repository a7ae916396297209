"""``/api/missing`` and ``/api/network`` as the API gives them; ``casework missing``/``network``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from casework.domain.missing import NewMissingCase
from casework.safeguarding import missing
from casework.store import make_engine, session_factory
from casework.store.missing_repository import SqlMissingRepository
from tests.api.conftest import Api, Seed, database_url
from tests.conftest import Invoke


def test_grade_log_and_read_the_case(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    url = f"/api/missing/{seed.missing_case}"
    graded = supervisor.call(
        "POST", f"{url}/grading", json={"grade": "high", "rationale": "seen with older men"}
    )
    assert graded.status_code == 201, graded.text
    made = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    decision = supervisor.call(
        "POST",
        f"{url}/decisions",
        json={"decision": "Ask for cell-site data", "rationale": "phone", "decided_at": made},
    )
    assert decision.status_code == 201, decision.text
    assert decision.json()["number"] == 3
    body = supervisor.call("GET", url).json()
    assert body["grade"] == "high" and body["grade_label"] == "High risk"
    assert body["review"]["words"].startswith("due in 1 h 5") or body["review"]["words"].startswith(
        "due in 2 h"
    )
    assert [d["kind"] for d in body["decisions"]] == ["risk", "risk", "decision"]
    assert body["decisions"][2]["decided_at"] != body["decisions"][2]["entered_at"]
    assert body["hypotheses"][0]["text"] == "With friends in Bradford"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_decision_cannot_be_edited_through_the_api(app: FastAPI, seed: Seed, method: str) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    url = f"/api/missing/{seed.missing_case}/decisions"
    response = supervisor.call(method, url, json={"decision": "x", "rationale": "y"})
    assert response.status_code == 405
    assert (
        supervisor.call("GET", f"/api/missing/{seed.missing_case}")
        .json()["decisions"][0]["rationale"]
        .startswith("14; first time missing")
    )


def test_a_future_decision_is_422_naming_the_field_and_stores_nothing(
    app: FastAPI, seed: Seed
) -> None:
    investigator = Api(app, token=seed.tokens["investigator"])
    url = f"/api/missing/{seed.missing_case}"
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = investigator.call(
        "POST", f"{url}/decisions", json={"decision": "x", "rationale": "y", "decided_at": later}
    )
    assert response.status_code == 422
    assert "decided_at" in response.text and "in the future" in response.text
    assert len(investigator.call("GET", url).json()["decisions"]) == 1


def test_an_investigator_may_not_grade(app: FastAPI, seed: Seed) -> None:
    response = Api(app, token=seed.tokens["investigator"]).call(
        "POST",
        f"/api/missing/{seed.missing_case}/grading",
        json={"grade": "low", "rationale": "x"},
    )
    assert response.status_code == 403


def test_another_forces_case_is_404(app: FastAPI, seed: Seed, db_path: Path) -> None:
    engine = make_engine(database_url(db_path))
    now = datetime.now(UTC)
    try:
        with session_factory(engine)() as session, session.begin():
            other = missing.open_case(
                repo=SqlMissingRepository(session),
                new=NewMissingCase(
                    force="GMP",
                    name="Sam OTHER",
                    last_seen_at=now - timedelta(hours=2),
                    reported_at=now,
                ),
                actor="GMP officer",
                now=now,
            )
    finally:
        engine.dispose()
    supervisor = Api(app, token=seed.tokens["supervisor"])
    response = supervisor.call("GET", f"/api/missing/{other.reference}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"no missing-person case {other.reference}"
    listed = supervisor.call("GET", "/api/missing", params={"status": "all"}).json()
    assert [c["reference"] for c in listed] == [seed.missing_case]


def test_network_links_a_new_case_to_the_missing_child_with_evidence(
    app: FastAPI, seed: Seed
) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    opened = supervisor.call(
        "POST",
        "/api/cases",
        json={
            "reported_on": "2026-03-01",
            "offences": [{"code": "common_assault", "committed_on": "2026-02-28"}],
            "domestic_abuse": False,
            "parties": [
                {"role": "victim", "name": "Chloe Parker", "date_of_birth": "2011-05-14"},
                {"role": "suspect", "name": "Terry WILLIAMS"},
            ],
        },
    )
    assert opened.status_code == 201, opened.text
    reference = opened.json()["reference"]
    network = supervisor.call("GET", "/api/network").json()
    by_label = {n["label"].casefold(): n for n in network["nodes"]}
    chloe = by_label["chloe parker"]
    assert sorted(chloe["cases"]) == sorted([reference, seed.missing_case])
    terry = by_label["terry williams"]
    assert sorted(terry["cases"]) == sorted([reference, seed.team_case])
    assert any({e["source"], e["target"]} == {chloe["id"], terry["id"]} for e in network["edges"])
    entity = supervisor.call("GET", f"/api/network/entities/{chloe['id']}").json()
    fields = {m["field"]: m["how"] for m in entity["links"][0]["matches"]}
    assert fields["date of birth"] == "exact"
    # the investigator is on the team case only: the new case is outside their need to know
    mine = Api(app, token=seed.tokens["investigator"]).call(
        "GET", "/api/network", params={"across_cases": False}
    )
    assert reference not in json.dumps(mine.json())
    assert Api(app, token=seed.tokens["analyst"]).call("GET", "/api/network").status_code == 403


def test_unknown_entity_is_404(app: FastAPI, seed: Seed) -> None:
    response = Api(app, token=seed.tokens["supervisor"]).call(
        "GET", "/api/network/entities/phone:+440000000000"
    )
    assert response.status_code == 404


def test_cli_missing_flow(cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    opened = cli(
        "missing", "open", "--force", "WY", "--name", "Mia NOWAK",
        "--last-seen", "2026-03-01T18:00", "--phone", "07700 900777",
        "--risk", "medium", "--rationale", "12, out overnight",
    )  # fmt: skip
    assert opened.code == 0, opened.err
    reference = opened.out.strip()
    assert reference.startswith("WY-MP-")
    decided = cli(
        "missing", "decide", reference, "--decision", "CCTV trawl",
        "--rationale", "last seen in town", "--decided-at", "2026-03-01T19:00",
    )  # fmt: skip
    assert decided.code == 0 and decided.out.startswith("decision 2 entered")
    bad = cli("missing", "grade", reference, "--risk", "severe", "--rationale", "x")
    assert bad.code == 2 and "--risk: 'severe' is not a grade" in bad.err
    future = cli(
        "missing", "decide", reference, "--decision", "x", "--rationale", "y",
        "--decided-at", "2099-01-01T00:00",
    )  # fmt: skip
    assert future.code == 2 and future.err.startswith("error: --decided-at:")
    shown = cli("missing", "show", reference, "--format", "json")
    body = json.loads(shown.out)
    assert [d["number"] for d in body["decisions"]] == [1, 2]
    assert body["review"]["words"]
    network = cli("network", "show", "--force", "WY", "--all", "--format", "json")
    assert network.code == 0
    assert "phone:+447700900777" in {n["id"] for n in json.loads(network.out)["nodes"]}
    assert cli("missing", "show", "WY-MP-2026-999999").code == 2


def test_cli_network_resolve_reads_a_file_and_names_bad_rows(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "mentions.jsonl"
    rows = [
        {"id": "a", "kind": "vehicle", "text": "AB12 CDE", "case": "X-1"},
        {"id": "b", "kind": "vehicle", "text": "ab12cde", "case": "X-2"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = cli("network", "resolve", str(path))
    assert result.code == 0, result.err
    assert "vehicle:AB12CDE: AB12CDE (vehicle)" in result.out
    assert "registration: same key" in result.out
    path.write_text(json.dumps({"id": "c", "kind": "boat", "text": "x", "case": "X"}) + "\n")
    bad = cli("network", "resolve", str(path))
    assert bad.code == 2 and f"{path}:1: kind 'boat' is not one of" in bad.err


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "last_seen_at": "0001-01-01T00:00:00+05:00"}, "last_seen_at"),
        (
            {
                "name": "X",
                "last_seen_at": "2026-03-01T10:00:00+00:00",
                "date_of_birth": "2999-01-01",
            },
            "date_of_birth",
        ),
    ],
)
def test_a_date_out_of_range_is_422_naming_the_field_and_opens_nothing(
    app: FastAPI, seed: Seed, body: dict[str, str], field: str
) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    before = supervisor.call("GET", "/api/missing").json()
    response = supervisor.call("POST", "/api/missing", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert supervisor.call("GET", "/api/missing").json() == before


def test_a_search_or_find_before_1900_is_422_naming_the_field(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    url = f"/api/missing/{seed.missing_case}"
    early = "0001-01-01T00:00:00+05:00"
    searched = supervisor.call(
        "POST",
        f"{url}/searches",
        json={"place": "Park", "method": "walk", "result": "nil", "searched_at": early},
    )
    decided = supervisor.call(
        "POST", f"{url}/decisions", json={"decision": "x", "rationale": "y", "decided_at": early}
    )
    assert (searched.status_code, searched.json()["field"]) == (422, "searched_at")
    assert (decided.status_code, decided.json()["field"]) == (422, "decided_at")
