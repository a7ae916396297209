"""``/api/referrals``: intake, holding, the queue, assignment and outcomes over HTTP."""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.safeguarding.referral_factories import report


def test_intake_queue_assign_outcome(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["triage"])
    made = api.call("POST", "/api/referrals", json=report())
    assert made.status_code == 201, made.text
    referral = made.json()["referral"]
    assert (referral["located_force"], referral["band"]) == ("WY", "medium")
    again = api.call("POST", "/api/referrals", json=report())
    assert again.status_code == 200 and again.json()["result"] == "already received"
    queue = api.call("GET", "/api/referrals").json()
    assert [r["reference"] for r in queue] == [referral["reference"]]
    assert queue[0]["priority_reasons"]
    shown = api.call("GET", f"/api/referrals/{referral['reference']}").json()
    assert shown["report"]["reportId"] == "ESP-1"
    assigned = api.call("POST", f"/api/referrals/{referral['reference']}/assign", json={})
    assert assigned.json()["force"] == "WY"
    outcome = api.call(
        "POST",
        f"/api/referrals/{referral['reference']}/outcomes",
        json={"arrests": 1, "children_safeguarded": 2, "on": "2026-02-25", "final": True},
    )
    assert outcome.status_code == 201, outcome.text
    assert outcome.json()["status"] == "closed"
    figures = api.call("GET", "/api/referrals/figures").json()
    assert {"month": "2026-02", "arrests": 1, "children_safeguarded": 2}.items() <= next(
        f for f in figures if f["month"] == "2026-02"
    ).items()


def test_a_malformed_report_is_422_naming_fields_and_held(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["triage"])
    bad = report(files=[{"fileName": "x.jpg", "md5": "bad"}])
    del bad["incidentSummary"]["incidentType"]
    response = api.call("POST", "/api/referrals", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert [(e["field"], e["loc"], e["msg"]) for e in body["errors"]] == [
        ("incidentSummary.incidentType", ["incidentSummary", "incidentType"], "Field required"),
        ("files.0.md5", ["files", 0, "md5"], "md5 is 32 hex characters, got 'bad'"),
    ]
    held = api.call("GET", "/api/referrals/held").json()
    assert [h["id"] for h in held] == [body["held_id"]]
    fixed = api.call("POST", f"/api/referrals/held/{body['held_id']}/correct", json=report())
    assert fixed.status_code == 201, fixed.text
    assert api.call("GET", "/api/referrals/held").json() == []


def test_unknown_referral_and_other_roles(app: FastAPI, seed: Seed) -> None:
    triage = Api(app, token=seed.tokens["triage"])
    missing = triage.call("GET", "/api/referrals/IR-2026-999999")
    assert missing.status_code == 404 and missing.json()["detail"] == "no referral IR-2026-999999"
    refused = Api(app, token=seed.tokens["victimcare"]).call("GET", "/api/referrals")
    assert refused.status_code == 403
