"""Examples of the /api/referrals routes for tests/api/test_route_table.py (every role).

Routes on one referral or held report are set up first by the triage user; the URL then
names what was made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from tests.api.conftest import Api, Seed
from tests.safeguarding.referral_factories import MD5, report

Example = Callable[[Seed, str, str], tuple[str, dict[str, Any]]]
Setup = Callable[[FastAPI, Seed, str], dict[str, str]]

_counter = {"n": 0}


def _fresh(**changes: Any) -> dict[str, Any]:
    _counter["n"] += 1
    return report(reportId=f"RT-{_counter['n']}", **changes)


def _made(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    response = Api(app, token=seed.tokens["triage"]).call("POST", "/api/referrals", json=_fresh())
    assert response.status_code in (200, 201), response.text
    return {"referral_ref": response.json()["referral"]["reference"]}


def _assigned(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    made = _made(app, seed, case)
    api = Api(app, token=seed.tokens["triage"])
    response = api.call("POST", f"/api/referrals/{made['referral_ref']}/assign", json={})
    assert response.status_code == 200, response.text
    return made


def _held(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    response = Api(app, token=seed.tokens["triage"]).call(
        "POST", "/api/referrals", json=_fresh(files=[{"fileName": "x.jpg", "md5": "bad"}])
    )
    assert response.status_code == 422, response.text
    return {"held_id": response.json()["held_id"]}


REFERRAL_EXAMPLES: dict[tuple[str, str], Example] = {
    ("POST", "/api/referrals"): lambda s, r, c: ("/api/referrals", {"json": _fresh()}),
    ("GET", "/api/referrals"): lambda s, r, c: ("/api/referrals", {"params": {"limit": 5}}),
    ("GET", "/api/referrals/held"): lambda s, r, c: ("/api/referrals/held", {}),
    ("POST", "/api/referrals/held/{held_id}/correct"): lambda s, r, c: (
        "/api/referrals/held/{held_id}/correct",
        {"json": _fresh()},
    ),
    ("GET", "/api/referrals/figures"): lambda s, r, c: ("/api/referrals/figures", {}),
    ("POST", "/api/referrals/hashes"): lambda s, r, c: (
        "/api/referrals/hashes",
        {"json": {"name": "list-a", "hashes": [{"kind": "md5", "value": MD5}]}},
    ),
    ("GET", "/api/referrals/{referral_ref}"): lambda s, r, c: (
        "/api/referrals/{referral_ref}",
        {},
    ),
    ("POST", "/api/referrals/{referral_ref}/assign"): lambda s, r, c: (
        "/api/referrals/{referral_ref}/assign",
        {"json": {"force": "GMP"}},
    ),
    ("POST", "/api/referrals/{referral_ref}/outcomes"): lambda s, r, c: (
        "/api/referrals/{referral_ref}/outcomes",
        {"json": {"arrests": 1, "children_safeguarded": 2}},
    ),
}

REFERRAL_SETUP: dict[tuple[str, str], Setup] = {
    ("POST", "/api/referrals/held/{held_id}/correct"): _held,
    ("GET", "/api/referrals/{referral_ref}"): _assigned,
    ("POST", "/api/referrals/{referral_ref}/assign"): _made,
    ("POST", "/api/referrals/{referral_ref}/outcomes"): _assigned,
}
