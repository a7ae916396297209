"""The victim, evidence, CPS and timeline routes: valid and invalid input, through the guard."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed


def test_contact_logged_and_shown_on_the_victim_panel(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["victimcare"])
    logged = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/victim/contacts",
        json={"at": "2026-02-22T10:00:00+00:00", "method": "text", "summary": "update"},
    )
    assert logged.status_code == 201, logged.text
    assert logged.json()["entry"]["by"] == "victimcare"
    panel = api.call("GET", f"/api/cases/{seed.team_case}/victim").json()
    assert [c["summary"] for c in panel["contacts"]] == ["update"]
    assert panel["risk_level"] is None and "call_999_recording" in panel["evidence_missing"]


def test_bad_contact_is_a_422_naming_the_field(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["victimcare"])
    bad = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/victim/contacts",
        json={"at": "2026-02-22T10:00:00+00:00", "method": "pigeon", "summary": "x"},
    )
    assert bad.status_code == 422 and "method" in bad.text
    future = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/victim/contacts",
        json={"at": "2999-01-01T10:00:00+00:00", "method": "text", "summary": "x"},
    )
    assert future.status_code == 422 and "in the future" in future.text


def test_read_routes(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["prosecutor"])
    cps = api.call("GET", f"/api/cases/{seed.team_case}/cps").json()
    assert cps["decision"] is None and cps["actions"] == []
    evidence = api.call("GET", f"/api/cases/{seed.team_case}/evidence").json()
    assert not evidence["could_proceed_without_victim"]
    timeline = api.call("GET", f"/api/cases/{seed.team_case}/timeline").json()
    assert timeline["timeline"]["entries"][0]["is_offence"] and timeline["withheld"] == 0
