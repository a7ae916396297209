"""Generated from the route table: every role against every /api endpoint.

Allowed gets 2xx; a role without the route's permission gets 403; a role with it gets 404
for a case outside its need to know, exactly as for a case that does not exist. A route
added without an example here fails ``test_every_route_has_an_example``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from casework.api.app import ROUTERS
from casework.api.deps import ACTION_KEY
from casework.api.routes.documents import blob_store
from casework.domain.risk import load_question_set
from casework.security.roles import Action, UserRole, permissions_of
from casework.store.exports import ExportFile, end_export, new_export, take_export
from casework.store.processing import upload_of
from casework.store.remake import request_remake
from tests.api.conftest import PASSWORD, Api, Seed
from tests.dfr import samples as dfr_samples
from tests.registers.route_examples import DOG_EXAMPLES, DOG_SETUP
from tests.safeguarding.referral_routes import REFERRAL_EXAMPLES, REFERRAL_SETUP

Request = tuple[str, dict[str, Any]]
Example = Callable[[Seed, str, str], Request]
"""(seed, role name, case reference) -> (url, request keyword arguments)."""

SOON = (datetime.now(UTC) + timedelta(days=2)).isoformat()
DASH_ANSWERS = {q.id: "no" for q in load_question_set("dash").questions}
PROPOSAL_TEXT = "On 01/02/2026 at 21:30 Terry WILLIAMS smashed her phone at 4 Elm Road."

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
    ("GET", "/api/cases/{reference}/documents/{document_id}/log"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}/log",
        {"params": {"format": "csv"}},
    ),
    ("GET", "/api/cases/{reference}/documents/{document_id}/findings"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}/findings",
        {},
    ),
    ("POST", "/api/cases/{reference}/documents/{document_id}/decisions"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}/decisions",
        {"json": {"verdict": "add", "label": "ORGANISATION", "text": "Statement"}},
    ),
    ("POST", "/api/cases/{reference}/documents/{document_id}/redact"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}/redact",
        {"json": {"audience": "cps"}},
    ),
    ("GET", "/api/cases/{reference}/documents/{document_id}/remakes/{job_id}"): lambda s, r, c: (
        f"/api/cases/{c}/documents/{s.document_id}/remakes/{{job_id}}",
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
    ("POST", "/api/cases/{reference}/victim/wishes"): lambda s, r, c: (
        f"/api/cases/{c}/victim/wishes",
        {
            "json": {
                "outcome_wanted": "prosecution",
                "safe_methods": ["text"],
                "safe_times": [{"days": ["mon", "tue"], "start": "09:00", "end": "12:00"}],
            }
        },
    ),
    ("POST", "/api/cases/{reference}/victim/referrals"): lambda s, r, c: (
        f"/api/cases/{c}/victim/referrals",
        {"json": {"to": "idva", "made_on": "2026-02-22"}},
    ),
    ("POST", "/api/cases/{reference}/victim/risk-assessments"): lambda s, r, c: (
        f"/api/cases/{c}/victim/risk-assessments",
        {"json": {"tool": "dash", "answers": DASH_ANSWERS}},
    ),
    ("POST", "/api/cases/{reference}/victim/withdrawals"): lambda s, r, c: (
        f"/api/cases/{c}/victim/withdrawals",
        {"json": {"reasons": ["fear_of_suspect"], "on": "2026-02-25"}},
    ),
    ("PATCH", "/api/cases/{reference}/evidence"): lambda s, r, c: (
        f"/api/cases/{c}/evidence",
        {"json": {"statuses": {"call_999_recording": "obtained"}}},
    ),
    ("POST", "/api/cases/{reference}/cps/decisions"): lambda s, r, c: (
        f"/api/cases/{c}/cps/decisions",
        {
            "json": {
                "outcome": "charge",
                "test": "full_code",
                "charges": ["common_assault"],
                "reasons": "999 call and BWV",
            }
        },
    ),
    ("POST", "/api/cases/{reference}/cps/actions"): lambda s, r, c: (
        f"/api/cases/{c}/cps/actions",
        {"json": {"action": "Obtain the 999 call", "due_on": SOON[:10]}},
    ),
    ("POST", "/api/cases/{reference}/cps/actions/{number}/response"): lambda s, r, c: (
        f"/api/cases/{c}/cps/actions/1/response",
        {"json": {"response": "exhibit AK/1"}},
    ),
    ("POST", "/api/cases/{reference}/cps/hearings"): lambda s, r, c: (
        f"/api/cases/{c}/cps/hearings",
        {"json": {"hearing": "first hearing", "on": SOON[:10], "court": "Leeds MC"}},
    ),
    ("POST", "/api/cases/{reference}/cps/hearings/{number}/closed"): lambda s, r, c: (
        f"/api/cases/{c}/cps/hearings/1/closed",
        {"json": {"status": "held"}},
    ),
    ("POST", "/api/cases/{reference}/custody"): lambda s, r, c: (
        f"/api/cases/{c}/custody",
        {"json": {"detained_at": "2026-02-21T22:00:00+00:00"}},
    ),
    ("POST", "/api/cases/{reference}/custody/release"): lambda s, r, c: (
        f"/api/cases/{c}/custody/release",
        {"json": {"released_at": "2026-02-22T09:00:00+00:00", "note": "bailed"}},
    ),
    ("POST", "/api/cases/{reference}/timeline/events"): lambda s, r, c: (
        f"/api/cases/{c}/timeline/events",
        {"json": {"kind": "threat", "at": "2026-02-01", "description": "said he would kill her"}},
    ),
    ("POST", "/api/cases/{reference}/timeline/events/{event_id}/confirm"): lambda s, r, c: (
        f"/api/cases/{c}/timeline/events/{{event_id}}/confirm",
        {"json": {"kind": "damage", "phase": "before"}},
    ),
    ("POST", "/api/cases/{reference}/timeline/events/{event_id}/reject"): lambda s, r, c: (
        f"/api/cases/{c}/timeline/events/{{event_id}}/reject",
        {},
    ),
    ("POST", "/api/cases/{reference}/timeline/proposals"): lambda s, r, c: (
        f"/api/cases/{c}/timeline/proposals",
        {"json": {"text": PROPOSAL_TEXT, "name": "MG11"}},
    ),
    ("GET", "/api/metrics"): lambda s, r, c: ("/api/metrics", {"params": {"format": "json"}}),
    **DOG_EXAMPLES,
    **REFERRAL_EXAMPLES,
    ("POST", "/api/dfr/coverage"): lambda s, r, c: (
        "/api/dfr/coverage",
        {"json": dfr_samples.plan_body(docks=["S1"])},
    ),
    ("POST", "/api/dfr/place"): lambda s, r, c: (
        "/api/dfr/place",
        {"json": dfr_samples.plan_body(count=1)},
    ),
    ("GET", "/api/audit"): lambda s, r, c: ("/api/audit", {"params": {"limit": 5}}),
    ("GET", "/api/audit/verify"): lambda s, r, c: ("/api/audit/verify", {}),
    ("GET", "/api/jobs/status"): lambda s, r, c: ("/api/jobs/status", {"params": {"limit": 5}}),
    ("POST", "/api/exports"): lambda s, r, c: (
        "/api/exports",
        {"json": {"kind": "ops-summary", "operation": "sceptre-2023-11"}},
    ),
    ("GET", "/api/exports"): lambda s, r, c: ("/api/exports", {}),
    ("GET", "/api/exports/{export_id}"): lambda s, r, c: (f"/api/exports/{{export_{r}}}", {}),
    ("GET", "/api/exports/{export_id}/file"): lambda s, r, c: (
        f"/api/exports/{{export_{r}}}/file",
        {},
    ),
    ("POST", "/api/language/check"): lambda s, r, c: (
        "/api/language/check",
        {"json": {"text": "She was putting herself at risk."}},
    ),
    ("GET", "/api/language/rules"): lambda s, r, c: ("/api/language/rules", {}),
    ("GET", "/api/language/report"): lambda s, r, c: ("/api/language/report", {}),
    # operations (weeks of action): every seeded user is of force WY
    ("GET", "/api/operations"): lambda s, r, c: ("/api/operations", {}),
    ("GET", "/api/operations/{name}"): lambda s, r, c: ("/api/operations/sceptre-2023-11", {}),
    ("GET", "/api/operations/{name}/template"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/template",
        {"params": {"format": "csv"}},
    ),
    ("POST", "/api/operations/{name}/returns"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/returns",
        {"json": {"force": "WY", "values": {"arrests": 40, "knife_arrests": 21}}},
    ),
    ("POST", "/api/operations/{name}/returns/file"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/returns/file",
        {"files": {"file": ("wy.csv", b"force,arrests\nWY,12\n", "text/csv")}},
    ),
    ("GET", "/api/operations/{name}/returns"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/returns",
        {},
    ),
    ("GET", "/api/operations/{name}/rollup"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/rollup",
        {},
    ),
    ("GET", "/api/operations/{name}/summary"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/summary",
        {"params": {"format": "html"}},
    ),
    ("GET", "/api/operations/{name}/chart.svg"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/chart.svg",
        {"params": {"measure": "arrests", "by": "force"}},
    ),
    ("GET", "/api/operations/{name}/quality"): lambda s, r, c: (
        "/api/operations/sceptre-2023-11/quality",
        {},
    ),
    ("GET", "/api/county-lines"): lambda s, r, c: ("/api/county-lines", {}),
    ("POST", "/api/county-lines"): lambda s, r, c: (
        "/api/county-lines",
        {"json": {"number": "07700 900555", "force": "WY", "status": "open"}},
    ),
    ("GET", "/api/data-dictionary"): lambda s, r, c: ("/api/data-dictionary", {}),
    ("GET", "/api/missing/risk-grades"): lambda s, r, c: ("/api/missing/risk-grades", {}),
    ("GET", "/api/missing"): lambda s, r, c: ("/api/missing", {"params": {"status": "all"}}),
    ("POST", "/api/missing"): lambda s, r, c: (
        "/api/missing",
        {
            "json": {
                "name": "Mia NOWAK",
                "last_seen_at": "2026-03-01T18:00:00+00:00",
                "reported_at": "2026-03-01T22:00:00+00:00",
                "grade": "high",
                "rationale": "12 years old, out overnight",
            }
        },
    ),
    ("GET", "/api/missing/{missing_reference}"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}",
        {},
    ),
    ("POST", "/api/missing/{missing_reference}/grading"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/grading",
        {"json": {"grade": "high", "rationale": "seen with older men"}},
    ),
    ("POST", "/api/missing/{missing_reference}/decisions"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/decisions",
        {"json": {"decision": "Request cell-site data", "rationale": "phone last used at 21:00"}},
    ),
    ("POST", "/api/missing/{missing_reference}/searches"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/searches",
        {"json": {"place": "Home, loft", "method": "house search", "result": "not found"}},
    ),
    ("POST", "/api/missing/{missing_reference}/hypotheses"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/hypotheses",
        {"json": {"text": "Staying with an older 'boyfriend'"}},
    ),
    ("POST", "/api/missing/{missing_reference}/hypotheses/{number}/status"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/hypotheses/1/status",
        {"json": {"status": "eliminated", "rationale": "friends seen: she is not there"}},
    ),
    ("POST", "/api/missing/{missing_reference}/media"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/media",
        {"json": {"appeal": "considered", "rationale": "not yet: family asked to wait"}},
    ),
    ("POST", "/api/missing/{missing_reference}/handovers"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/handovers",
        {"json": {"to": "Sgt NIGHT", "summary": "CCTV requested", "outstanding": "ANPR"}},
    ),
    ("POST", "/api/missing/{missing_reference}/found"): lambda s, r, c: (
        f"/api/missing/{s.missing_case}/found",
        {"json": {"rationale": "safe and well check by PC Lee"}},
    ),
    ("GET", "/api/network"): lambda s, r, c: ("/api/network", {"params": {"across_cases": False}}),
    ("GET", "/api/network/entities/{entity_id}"): lambda s, r, c: (
        "/api/network/entities/phone:+447700900456",
        {},
    ),
}

Setup = Callable[[FastAPI, Seed, str], dict[str, str]]
"""(app, seed, team case) -> ids for the example's URL; makes what the route acts on."""


def _as(app: FastAPI, seed: Seed, role: str, method: str, url: str, body: Any) -> Any:
    response = Api(app, token=seed.tokens[role]).call(method, url, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _action_item(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    body = {"action": "Obtain the 999 call", "due_on": SOON[:10]}
    _as(app, seed, "prosecutor", "POST", f"/api/cases/{case}/cps/actions", body)
    return {}


def _remake(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    """A queued remake of the seeded upload's CPS copy (as a big upload's redact makes)."""
    with app.state.sessions() as session, session.begin():
        upload = upload_of(session=session, document_id=UUID(seed.document_id))
        job = request_remake(
            session=session,
            upload=upload,
            audience="cps",
            requested_by="investigator",
            requested_role="investigator",
            now=datetime.now(UTC),
        )
    return {"job_id": str(job.id)}


def _exports(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    """A finished summary export of each role's own, as a worker leaves it."""
    blob = blob_store(app.state.settings).put_bytes(b"%PDF-1.4 route table", max_bytes=1024)
    made = ExportFile(blob.sha256, "summary.pdf", "application/pdf", blob.size)
    now = datetime.now(UTC)
    ids = {}
    with app.state.sessions() as session, session.begin():
        for role in UserRole:
            job, _new = new_export(
                session=session,
                kind="ops-summary",
                parameters={"operation": "sceptre-2023-11", "format": "pdf"},
                case_id=None,
                force="WY",
                requested_by=role.value,
                requested_role=role.value,
                now=now,
            )
            lease = timedelta(minutes=1)
            take_export(session=session, job_id=job.id, owner="w", now=now, lease=lease)
            end_export(
                session=session, job_id=job.id, owner="w", now=now, status="done", result=made
            )
            ids[f"export_{role.value}"] = str(job.id)
    return ids


def _hearing(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    body = {"hearing": "first hearing", "on": SOON[:10]}
    _as(app, seed, "prosecutor", "POST", f"/api/cases/{case}/cps/hearings", body)
    return {}


def _detained(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    body = {"detained_at": "2026-02-21T22:00:00+00:00"}
    _as(app, seed, "investigator", "POST", f"/api/cases/{case}/custody", body)
    return {}


def _proposal(app: FastAPI, seed: Seed, case: str) -> dict[str, str]:
    body = {"text": PROPOSAL_TEXT}
    made = _as(app, seed, "investigator", "POST", f"/api/cases/{case}/timeline/proposals", body)
    return {"event_id": made["proposed"][0]["id"]}


SETUP: dict[tuple[str, str], Setup] = {
    ("POST", "/api/cases/{reference}/cps/actions/{number}/response"): _action_item,
    ("POST", "/api/cases/{reference}/cps/hearings/{number}/closed"): _hearing,
    ("POST", "/api/cases/{reference}/custody/release"): _detained,
    ("POST", "/api/cases/{reference}/timeline/events/{event_id}/confirm"): _proposal,
    ("POST", "/api/cases/{reference}/timeline/events/{event_id}/reject"): _proposal,
    ("GET", "/api/cases/{reference}/documents/{document_id}/remakes/{job_id}"): _remake,
    ("GET", "/api/exports/{export_id}"): _exports,
    ("GET", "/api/exports/{export_id}/file"): _exports,
    **DOG_SETUP,
    **REFERRAL_SETUP,
}
"""Routes that act on something: made first (in a case: on the team case only)."""
NO_IDS = {
    "event_id": "00000000-0000-4000-8000-000000000000",
    "job_id": "00000000-0000-4000-8000-000000000000",
}


def _filled(url: str, ids: dict[str, str]) -> str:
    return url.format(**{**NO_IDS, **ids}) if "{" in url else url


OFF_UNLESS_CONFIGURED = {("GET", "/api/auth/oidc/login"), ("GET", "/api/auth/oidc/callback")}
"""OpenID Connect: 404 for everyone while no identity provider is set (tests/api/test_oidc.py)."""
PUBLIC = {("GET", "/api/health"), ("POST", "/api/auth/sign-in")} | OFF_UNLESS_CONFIGURED
ANY_USER = {("POST", "/api/auth/sign-out"), ("GET", "/api/auth/whoami")}
EXPORTS = {
    ("POST", "/api/exports"): Action.OPS_READ,
    ("GET", "/api/exports"): None,
    ("GET", "/api/exports/{export_id}"): None,
    ("GET", "/api/exports/{export_id}/file"): Action.OPS_READ,
}
"""Exports declare no single action (what is needed depends on what is exported: the
service asks the policy); the examples export an operation's summary, which needs ops.read
to ask for and to fetch. A user's own export's state needs nothing more."""
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
    assert undeclared == PUBLIC | ANY_USER | set(EXPORTS)


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
    make = SETUP.get((method, path))
    url = _filled(url, make(app, seed, case) if make and which != "restricted" else {})
    api = Api(app, token=seed.tokens[role.value])
    response = api.call(method, url, **kwargs)
    expected = _expected(role, path, action, which)
    if (needs := EXPORTS.get((method, path))) is not None and needs not in permissions_of(role):
        expected = "403"
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
    method, action = next((m, a) for m, p, a in ROUTES if p == path)
    role = next(r for r in (UserRole.SUPERVISOR, *UserRole) if action in permissions_of(r))
    api = Api(app, token=seed.tokens[role.value])
    url, kwargs = EXAMPLES[(method, path)](seed, role.value, seed.restricted_case)
    url = _filled(url, {})
    hidden = api.call(method, url, **kwargs)
    missing = api.call(method, url.replace(seed.restricted_case, "WY-2026-999999"), **kwargs)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(seed.restricted_case, "X") == missing.json()[
        "detail"
    ].replace("WY-2026-999999", "X")
