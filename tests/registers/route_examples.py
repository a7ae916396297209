"""The dog register's entries in the API route table (tests/api/test_route_table.py).

``DOG_SETUP`` makes a dog (with its handler) as the dog unit before a route that acts on
one, so that every role meets a real dog of its force.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Api, Seed

EARLIER = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
DOG = {
    "name": "Bracken",
    "breed": "German Shepherd",
    "sex": "male",
    "born_on": "2021-05-01",
    "microchip": "826098100000001",
    "source": "breeding",
    "roles": ["general_purpose"],
    "acquired_on": "2022-05-01",
}


def make_dog(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    """A dog of the seed's force with handler 4101; its reference as ``dog``."""
    api = Api(app, token=seed.tokens["dogunit"])
    made = api.call("POST", "/api/dogs/handlers", json={"number": "4101", "name": "PC MARSH"})
    assert made.status_code == 201, made.text
    dog = api.call("POST", "/api/dogs", json={**DOG, "handler_number": "4101"})
    assert dog.status_code == 201, dog.text
    return {"dog": dog.json()["reference"]}


def _on_dog(suffix: str, body: dict[str, Any] | None = None) -> Any:
    def example(s: Seed, r: str, c: str) -> tuple[str, dict[str, Any]]:
        return "/api/dogs/{dog}" + suffix, ({"json": body} if body is not None else {})

    return example


DOG_EXAMPLES: dict[tuple[str, str], Any] = {
    ("GET", "/api/dogs"): lambda s, r, c: ("/api/dogs", {}),
    ("POST", "/api/dogs"): lambda s, r, c: ("/api/dogs", {"json": DOG}),
    ("GET", "/api/dogs/compliance"): lambda s, r, c: ("/api/dogs/compliance", {}),
    ("GET", "/api/dogs/dashboard"): lambda s, r, c: ("/api/dogs/dashboard", {}),
    ("GET", "/api/dogs/figures"): lambda s, r, c: (
        "/api/dogs/figures",
        {"params": {"from": "2026-01-01", "to": "2026-03-31"}},
    ),
    ("GET", "/api/dogs/handlers"): lambda s, r, c: ("/api/dogs/handlers", {}),
    ("POST", "/api/dogs/handlers"): lambda s, r, c: (
        "/api/dogs/handlers",
        {"json": {"number": "4199", "name": "PC Ann LOWE"}},
    ),
    ("POST", "/api/dogs/visitor-reports"): lambda s, r, c: (
        "/api/dogs/visitor-reports",
        {"json": {"visitor": "Mrs OKAFOR", "kennels": "Carr Gate", "satisfactory": True}},
    ),
    ("POST", "/api/dogs/safety-incidents"): lambda s, r, c: (
        "/api/dogs/safety-incidents",
        {"json": {"kind": "slip", "description": "wet floor", "reported_by": "PC MARSH"}},
    ),
    ("GET", "/api/dogs/{dog}"): _on_dog(""),
    ("POST", "/api/dogs/{dog}/handler"): _on_dog("/handler", {"handler_number": "4101"}),
    ("POST", "/api/dogs/{dog}/licences"): _on_dog(
        "/licences", {"role": "general_purpose", "passed": True, "assessor": "Insp HARGREAVES"}
    ),
    ("POST", "/api/dogs/{dog}/training"): _on_dog(
        "/training", {"hours": 2, "topic": "tracking", "trainer": "Sgt FORD"}
    ),
    ("POST", "/api/dogs/{dog}/welfare-checks"): _on_dog("/welfare-checks", {"by": "PC MARSH"}),
    ("POST", "/api/dogs/{dog}/deployments"): _on_dog(
        "/deployments",
        {
            "at": EARLIER,
            "incident": "burglary, LS6",
            "role": "general_purpose",
            "outcome": "arrest",
            "arrests": 1,
        },
    ),
    ("POST", "/api/dogs/{dog}/retirement-review"): _on_dog(
        "/retirement-review", {"decision": "continue"}
    ),
    ("POST", "/api/dogs/{dog}/retirement"): _on_dog("/retirement", {"reason": "age"}),
    ("POST", "/api/dogs/{dog}/status"): _on_dog("/status", {"status": "suspended"}),
}
DOG_SETUP = {key: make_dog for key in DOG_EXAMPLES if "{dog}" in key[1]}
