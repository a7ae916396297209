"""Failures schemathesis found, each fixed: the request that broke the API, now answered."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.api.conftest import Api, Seed


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_a_date_at_the_end_of_time_is_422_not_a_crash(app: FastAPI, seed: Seed, at: str) -> None:
    # Found by schemathesis: moving such a time to London overflowed (OverflowError, a 500).
    api = Api(app, token=seed.tokens["supervisor"])
    sent = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/victim/contacts",
        json={"at": at, "method": "phone", "summary": "explained the process"},
    )
    assert sent.status_code == 422
    assert isinstance(sent.json()["detail"], str)


def test_422_bodies_match_the_documented_error_schema(app: FastAPI, seed: Seed) -> None:
    # Found by schemathesis: the spec said FastAPI's default (detail: a list) for every 422.
    api = Api(app, token=seed.tokens["supervisor"])
    spec = api.call("GET", "/api/openapi.json").json()
    documented = spec["components"]["schemas"]["HTTPValidationError"]
    assert documented["properties"]["detail"]["type"] == "string"
    sent = api.call("POST", "/api/auth/tokens", json={"name": "x", "scopes": ["nonsense"]})
    assert sent.status_code == 422
    assert set(sent.json()) <= set(documented["properties"])
    assert isinstance(sent.json()["detail"], str)
