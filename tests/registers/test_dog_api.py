"""``/api/dogs`` beyond the route table: figures by role, bad input by field, the findings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from casework.registers.service import london_today
from tests.api.conftest import Api, Seed
from tests.registers.route_examples import DOG, make_dog


def test_national_roles_get_any_forces_figures_others_their_own(app: FastAPI, seed: Seed) -> None:
    dog = make_dog(app, seed, "")["dog"]
    unit = Api(app, token=seed.tokens["dogunit"])
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body = {"at": at, "incident": "x", "role": "general_purpose", "outcome": "find", "finds": 2}
    assert unit.call("POST", f"/api/dogs/{dog}/deployments", json=body).status_code == 201
    day = london_today().isoformat()
    params = {"from": day, "to": day}
    analyst = Api(app, token=seed.tokens["analyst"])
    everyone = analyst.call("GET", "/api/dogs/figures", params=params)
    assert everyone.status_code == 200
    assert [(r["force"], r["deployments"], r["finds"]) for r in everyone.json()] == [("WY", 1, 2)]
    gmp = analyst.call("GET", "/api/dogs/figures", params={**params, "force": "GMP"})
    assert gmp.status_code == 200 and gmp.json() == []
    supervisor = Api(app, token=seed.tokens["supervisor"])
    own = supervisor.call("GET", "/api/dogs/figures", params=params)
    assert [r["force"] for r in own.json()] == ["WY"]
    other = supervisor.call("GET", "/api/dogs/figures", params={**params, "force": "GMP"})
    assert other.status_code == 403
    assert unit.call("GET", "/api/dogs/figures", params=params).status_code == 403


def test_a_bad_dog_is_refused_by_field_and_nothing_is_stored(app: FastAPI, seed: Seed) -> None:
    unit = Api(app, token=seed.tokens["dogunit"])
    refused = unit.call("POST", "/api/dogs", json={**DOG, "microchip": "123"})
    assert refused.status_code == 422
    assert "microchip: '123' is not a 15-digit code" in refused.text
    missing = unit.call("POST", "/api/dogs", json={k: v for k, v in DOG.items() if k != "sex"})
    assert missing.status_code == 422 and "sex" in missing.text
    assert unit.call("GET", "/api/dogs").json() == []


def test_compliance_and_the_dog_file_through_the_api(app: FastAPI, seed: Seed) -> None:
    dog = make_dog(app, seed, "")["dog"]
    unit = Api(app, token=seed.tokens["dogunit"])
    found = unit.call("GET", "/api/dogs/compliance").json()
    assert [(f["dog_reference"], f["rule"]) for f in found["findings"]] == [
        (dog, "welfare_check_missed")
    ]
    file = unit.call("GET", f"/api/dogs/{dog}").json()
    assert file["dog"]["handler_number"] == "4101" and file["handlers"][0]["to_on"] is None
    assert unit.call("GET", "/api/dogs/WY-DOG-0999").status_code == 404
    assert unit.call("GET", "/api/dogs/not-a-dog").status_code == 422
