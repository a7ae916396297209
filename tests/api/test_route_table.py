"""Generated from the route table: every role against every /api endpoint.

Allowed gets 2xx; a role without the route's permission gets 403; a role with it gets 404
for a case outside its need to know, exactly as for a case that does not exist. A route
added without an example here fails ``test_every_route_has_an_example``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from casework.api.app import ROUTERS
from casework.api.deps import ACTION_KEY
from casework.security.roles import Action, UserRole, permissions_of
from tests.api.conftest import PASSWORD, Api, Seed

Request = tuple[str, dict[str, Any]]
Example = Callable[[Seed, str, str], Request]
"""(seed, role name, case reference) -> (url, request keyword arguments)."""

SOON = (datetime.now(UTC) + timedelta(days=2)).isoformat()

EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/health"): lambda s, r, c: ("/api/health", {}),
    ("POST", "/api/auth/sign-in"): lambda s, r, c: (
        "/api/auth/sign-in",
        {"json": {"username": r, "password": PASSWORD}},
    ),
    ("GET", "/api/auth/oidc/login"): lambda s, r, c: ("/api/auth/oidc/login", {}),
    ("GET", "/api/auth/oidc/callback"): lambda s, r, c: (
        "/api/auth/oidc/callback",
        {"params": {"code": "abc", "state": "xyz"}},
    ),
    ("POST", "/api/auth/sign-out"): lambda s, r, c: ("/api/auth/sign-out", {}),
    ("GET", "/api/auth/whoami"): lambda s, r, c: ("/api/auth/whoami", {}),
    ("POST", "/api/auth/tokens"): lambda s, r, c: (
        "/api/auth/tokens",
        {"json": {"name": "script", "scopes": ["rules.read"], "expires_in_days": 2}},
    ),
    ("GET", "/api/auth/tokens"): lambda s, r, c: ("/api/auth/tokens", {}),
    ("DELETE", "/api/auth/tokens/{token_id}"): lambda s, r, c: (
        f"/api/auth/tokens/{s.token_ids[r]}",
        {},
    ),
    ("GET", "/api/cases"): lambda s, r, c: ("/api/cases", {"params": {"limit": 10}}),
    ("POST", "/api/cases"): lambda s, r, c: (
        "/api/cases",
        {
            "json": {
                "reported_on": "2026-03-01",
                "offences": [{"code": "common_assault", "committed_on": "2026-02-28"}],
                "domestic_abuse": True,
                "parties": [{"role": "victim", "name": "Lee BROWN"}],
            }
        },
    ),
    ("GET", "/api/cases/{reference}"): lambda s, r, c: (f"/api/cases/{c}", {}),
    ("POST", "/api/cases/{reference}/advance"): lambda s, r, c: (
        f"/api/cases/{c}/advance",
        {"json": {"to": "investigating", "reason": "action plan", "decided_by": "cps"}},
    ),
    ("POST", "/api/cases/{reference}/parties"): lambda s, r, c: (
        f"/api/cases/{c}/parties",
        {"json": {"role": "witness", "name": "Wes WITNESS"}},
    ),
    ("POST", "/api/cases/{reference}/offences"): lambda s, r, c: (
        f"/api/cases/{c}/offences",
        {"json": {"code": "criminal_damage", "committed_on": "2026-02-20"}},
    ),
    ("POST", "/api/cases/{reference}/events"): lambda s, r, c: (
        f"/api/cases/{c}/events",
        {
            "json": {
                "kind": "victim_informed",
                "occurred_at": "2026-02-22T10:00:00+00:00",
                "description": "told of the arrest",
            }
        },
    ),
    ("POST", "/api/cases/{reference}/grants"): lambda s, r, c: (
        f"/api/cases/{c}/grants",
        {"json": {"username": "outsider", "reason": "covering leave", "expires_at": SOON}},
    ),
    ("GET", "/api/cases/{reference}/victim"): lambda s, r, c: (f"/api/cases/{c}/victim", {}),
    ("POST", "/api/cases/{reference}/victim/contacts"): lambda s, r, c: (
        f"/api/cases/{c}/victim/contacts",
        {
            "json": {
                "at": "2026-02-22T10:00:00+00:00",
                "method": "phone",
                "summary": "explained the process",
            }
        },
    ),
    ("GET", "/api/cases/{reference}/evidence"): lambda s, r, c: (f"/api/cases/{c}/evidence", {}),
    ("GET", "/api/cases/{reference}/cps"): lambda s, r, c: (f"/api/cases/{c}/cps", {}),
    ("GET", "/api/cases/{reference}/timeline"): lambda s, r, c: (
        f"/api/cases/{c}/timeline",
        {},
    ),
    ("POST", "/api/cases/{reference}/documents"): lambda s, r, c: (
        f"/api/cases/{c}/documents",
        {"files": {"file": ("note.txt", b"Statement of Lee BROWN", "text/plain")}},
    ),
    ("GET", "/api/cases/{reference}/documents"): lambda s, r, c: (
        f"/api/cases/{c}/documents",
        {},
    ),
    ("GET", "/api/cases/{reference}/documents/{document_id}"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}",
        {},
    ),
    ("GET", "/api/deadlines"): lambda s, r, c: ("/api/deadlines", {"params": {"due_within": "7d"}}),
    ("GET", "/api/rules/offences"): lambda s, r, c: ("/api/rules/offences", {}),
    ("GET", "/api/rules/time-limit"): lambda s, r, c: (
        "/api/rules/time-limit",
        {"params": {"offence": "common_assault", "offence_date": "2026-01-10"}},
    ),
    ("GET", "/api/rules/working-days"): lambda s, r, c: (
        "/api/rules/working-days",
        {"params": {"from": "2026-03-02", "add": 5}},
    ),
    ("GET", "/api/audit"): lambda s, r, c: ("/api/audit", {"params": {"limit": 5}}),
    ("GET", "/api/audit/verify"): lambda s, r, c: ("/api/audit/verify", {}),
}

OFF_UNLESS_CONFIGURED = {("GET", "/api/auth/oidc/login"), ("GET", "/api/auth/oidc/callback")}
"""OpenID Connect: 404 for everyone while no identity provider is set (tests/api/test_oidc.py)."""
PUBLIC = {("GET", "/api/health"), ("POST", "/api/auth/sign-in")} | OFF_UNLESS_CONFIGURED
ANY_USER = {("POST", "/api/auth/sign-out"), ("GET", "/api/auth/whoami")}
SEES_TEAM_CASE = {
    UserRole.INVESTIGATOR,  # officer in the case
    UserRole.SUPERVISOR,  # supervisor in the force
    UserRole.PROSECUTOR,  # the case was sent to the CPS
    UserRole.VICTIMCARE,  # named as the IDVA
}


def _routes() -> list[tuple[str, str, Action | None]]:
    found = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            action = (route.openapi_extra or {}).get(ACTION_KEY)
            for method in sorted(route.methods):
                found.append((method, route.path, Action(action) if action else None))
    return found


ROUTES = _routes()


def test_every_route_has_an_example() -> None:
    assert {(m, p) for m, p, _ in ROUTES} == set(EXAMPLES)


def test_every_route_declares_an_action_or_is_public_by_name() -> None:
    undeclared = {(m, p) for m, p, a in ROUTES if a is None}
    assert undeclared == PUBLIC | ANY_USER


def _cases(path: str) -> list[str]:
    return ["team", "restricted"] if "{reference}" in path else ["none"]


CALLS = [
    pytest.param(role, method, path, action, which, id=f"{role.value}-{method} {path}-{which}")
    for role in UserRole
    for method, path, action in ROUTES
    for which in _cases(path)
]


def _expected(role: UserRole, path: str, action: Action | None, which: str) -> str:
    if any(path == p for _, p in OFF_UNLESS_CONFIGURED):
        return "404"
    if action is None:
        return "2xx"
    if action not in permissions_of(role):
        return "403"
    if which == "none":
        return "2xx"
    if which == "team" and role in SEES_TEAM_CASE:
        return "2xx"
    return "404"


@pytest.mark.parametrize(("role", "method", "path", "action", "which"), CALLS)
def test_role_against_route(
    app: FastAPI,
    seed: Seed,
    role: UserRole,
    method: str,
    path: str,
    action: Action | None,
    which: str,
) -> None:
    case = {"team": seed.team_case, "restricted": seed.restricted_case}.get(which, "")
    url, kwargs = EXAMPLES[(method, path)](seed, role.value, case)
    api = Api(app, token=seed.tokens[role.value])
    response = api.call(method, url, **kwargs)
    expected = _expected(role, path, action, which)
    got = response.status_code
    if expected == "2xx":
        assert 200 <= got < 300, response.text
    else:
        assert got == int(expected), response.text
    if got == 404 and (method, path) not in OFF_UNLESS_CONFIGURED:
        assert response.json()["detail"] == f"no case {case}"


@pytest.mark.parametrize(
    "path", sorted({p for _, p, _ in ROUTES if "{reference}" in p}), ids=lambda p: str(p)
)
def test_a_case_that_does_not_exist_looks_like_a_forbidden_one(
    app: FastAPI, seed: Seed, path: str
) -> None:
    api = Api(app, token=seed.tokens["supervisor"])
    method = next(m for m, p, _ in ROUTES if p == path)
    url, kwargs = EXAMPLES[(method, path)](seed, "supervisor", seed.restricted_case)
    hidden = api.call(method, url, **kwargs)
    missing = api.call(method, url.replace(seed.restricted_case, "WY-2026-999999"), **kwargs)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(seed.restricted_case, "X") == missing.json()[
        "detail"
    ].replace("WY-2026-999999", "X")
