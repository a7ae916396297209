"""API trust: CSRF, lock-out and rate limit, tokens, 422 naming the field, security headers,
the audit trail of reads, writes and refusals, and production refusing unsafe settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from casework.api import create_app
from casework.config import UnsafeSettings
from casework.security.audit import AuditQuery, audit_entries, verify_chain
from casework.store import SqlCaseStore
from tests.api.conftest import PASSWORD, Api, Seed, settings_for


def _store(app: FastAPI) -> SqlCaseStore:
    return SqlCaseStore(app.state.sessions())


# --- sessions and CSRF ----------------------------------------------------------------


def test_sign_in_sets_a_hardened_cookie(app: FastAPI) -> None:
    api = Api(app)
    response = api.sign_in("investigator")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "casework_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP in tests
    assert response.json()["csrf_token"]
    assert api.call("GET", "/api/auth/whoami").json()["username"] == "investigator"


def test_the_cookie_is_secure_under_https(db_path: Path) -> None:
    app = create_app(settings_for(db_path, https=True))
    response = Api(app).sign_in("investigator")
    assert "secure" in response.headers["set-cookie"].lower()
    assert "strict-transport-security" in response.headers


def test_an_unsafe_request_without_the_csrf_token_is_refused(app: FastAPI, seed: Seed) -> None:
    api = Api(app)
    api.sign_in("investigator")
    body = {"role": "witness", "name": "Wes WITNESS"}
    url = f"/api/cases/{seed.team_case}/parties"
    refused = api.call("POST", url, json=body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = api.call("POST", url, json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    accepted = api.call("POST", url, json=body, headers={"X-CSRF-Token": api.csrf or ""})
    assert accepted.status_code == 201


def test_a_form_post_may_carry_the_csrf_token_as_a_field(app: FastAPI) -> None:
    api = Api(app)
    api.sign_in("investigator")
    response = api.call(
        "POST",
        "/api/auth/sign-out",
        content=f"csrf_token={api.csrf}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 204


def test_safe_requests_and_token_clients_need_no_csrf_token(app: FastAPI, seed: Seed) -> None:
    api = Api(app)
    api.sign_in("investigator")
    assert api.call("GET", f"/api/cases/{seed.team_case}").status_code == 200
    machine = Api(app, token=seed.tokens["investigator"])
    url = f"/api/cases/{seed.team_case}/parties"
    assert machine.call("POST", url, json={"role": "witness", "name": "Wes W"}).status_code == 201


def test_sign_out_ends_the_session(app: FastAPI) -> None:
    api = Api(app)
    api.sign_in("supervisor")
    stolen = dict(api.cookies.items())
    out = api.call("POST", "/api/auth/sign-out", headers={"X-CSRF-Token": api.csrf or ""})
    assert out.status_code == 204
    replay = Api(app)
    replay.cookies.update(stolen)
    assert replay.call("GET", "/api/auth/whoami").status_code == 401


def test_a_forged_cookie_is_refused(app: FastAPI) -> None:
    api = Api(app)
    api.cookies.set("casework_session", "made-up.0000")
    response = api.call("GET", "/api/auth/whoami")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_no_credentials_is_401(app: FastAPI, seed: Seed) -> None:
    assert Api(app).call("GET", f"/api/cases/{seed.team_case}").status_code == 401


# --- lock-out and rate limit -----------------------------------------------------------


def test_repeated_failures_lock_the_account(app: FastAPI) -> None:
    api = Api(app)
    for _ in range(3):
        assert api.sign_in("victimcare", "wrong-password!").status_code == 401
    locked = api.sign_in("victimcare")
    assert locked.status_code == 401
    assert locked.json()["detail"] == api.sign_in("nobody-at-all").json()["detail"]
    with _store(app) as store:
        failed = audit_entries(
            session=store.session, query=AuditQuery(actor="victimcare", action="auth.sign_in")
        )
    assert [e.outcome.value for e in failed] == ["failed"] * 4


def test_too_many_attempts_from_one_client_get_429(db_path: Path) -> None:
    app = create_app(settings_for(db_path, sign_in_rate_limit=3))
    api = Api(app)
    for name in ("a1", "a2", "a3"):
        api.sign_in(name, "wrong-password!")
    limited = api.sign_in("investigator")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0


# --- tokens ------------------------------------------------------------------------------


def test_a_token_works_only_within_its_scopes(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    made = api.call("POST", "/api/auth/tokens", json={"name": "reader", "scopes": ["case.read"]})
    assert made.status_code == 201
    reader = Api(app, token=made.json()["token"])
    assert reader.call("GET", f"/api/cases/{seed.team_case}").status_code == 200
    assert reader.call("GET", "/api/cases").status_code == 403
    assert reader.call("POST", "/api/auth/tokens", json={"name": "x"}).status_code == 403


def test_a_token_cannot_be_made_stronger_than_its_maker(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["victimcare"])
    response = api.call(
        "POST", "/api/auth/tokens", json={"name": "sneaky", "scopes": ["audit.read"]}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "scopes"


def test_an_expired_token_is_refused(app: FastAPI, seed: Seed) -> None:
    with _store(app) as store:
        store.session.execute(
            text("UPDATE api_tokens SET expires_at = :past WHERE id = :id"),
            {
                "past": datetime.now(UTC) - timedelta(seconds=1),
                "id": seed.token_ids["analyst"].replace("-", ""),
            },
        )
    response = Api(app, token=seed.tokens["analyst"]).call("GET", "/api/rules/offences")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["triage"])
    assert api.call("DELETE", f"/api/auth/tokens/{seed.token_ids['triage']}").status_code == 200
    assert api.call("GET", "/api/auth/whoami").status_code == 401


# --- need to know ------------------------------------------------------------------------


def test_an_investigator_off_the_team_cannot_tell_the_case_exists(app: FastAPI, seed: Seed) -> None:
    outsider = Api(app, token=seed.tokens["outsider"])
    hidden = outsider.call("GET", f"/api/cases/{seed.team_case}")
    missing = outsider.call("GET", "/api/cases/WY-2026-999999")
    assert hidden.status_code == missing.status_code == 404
    assert seed.team_case not in {c["reference"] for c in outsider.call("GET", "/api/cases").json()}


def test_a_grant_lets_an_outsider_in_until_it_expires(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    granted = supervisor.call(
        "POST",
        f"/api/cases/{seed.team_case}/grants",
        json={"username": "outsider", "reason": "covering leave", "expires_at": soon},
    )
    assert granted.status_code == 201
    outsider = Api(app, token=seed.tokens["outsider"])
    assert outsider.call("GET", f"/api/cases/{seed.team_case}").status_code == 200
    with _store(app) as store:
        store.session.execute(
            text("UPDATE case_grants SET expires_at = :past"),
            {"past": datetime.now(UTC) - timedelta(seconds=1)},
        )
    assert outsider.call("GET", f"/api/cases/{seed.team_case}").status_code == 404


def test_the_opener_of_a_restricted_case_sees_it_and_the_force_does_not(
    app: FastAPI, seed: Seed
) -> None:
    opener = Api(app, token=seed.tokens["outsider"])
    opened = opener.call(
        "POST",
        "/api/cases",
        json={"reported_on": "2026-03-01", "restricted": True, "parties": []},
    )
    assert opened.status_code == 201
    reference = opened.json()["reference"]
    assert opener.call("GET", f"/api/cases/{reference}").status_code == 200
    supervisor = Api(app, token=seed.tokens["supervisor"])
    assert supervisor.call("GET", f"/api/cases/{reference}").status_code == 404


def test_no_one_opens_a_case_in_another_force(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    response = api.call("POST", "/api/cases", json={"force": "GMP", "reported_on": "2026-03-01"})
    assert response.status_code == 403


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", "/api/cases", {"reported_on": "yesterday"}, "reported_on"),
        ("POST", "/api/cases", {}, "reported_on"),
        (
            "POST",
            "/api/cases",
            {"reported_on": "2026-03-01", "offences": [{"code": "Not A Code"}]},
            "offences.0.code",
        ),
        ("GET", "/api/rules/working-days?from=2026-02-30&add=1", None, "from"),
        ("GET", "/api/rules/time-limit?offence=abh", None, "offence_date"),
        ("GET", "/api/deadlines?due_within=soon", None, "due_within"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    app: FastAPI, seed: Seed, method: str, url: str, body: object, field: str
) -> None:
    api = Api(app, token=seed.tokens["supervisor"])
    response = api.call(method, url, json=body) if body is not None else api.call(method, url)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert field.split(".")[0] in response.json()["detail"]


def test_a_bad_password_is_never_echoed(app: FastAPI) -> None:
    response = Api(app).call(
        "POST", "/api/auth/sign-in", json={"username": "x", "password": 12345678901234}
    )
    assert response.status_code == 422
    assert "12345678901234" not in response.text
    assert response.json()["field"] == "password"


def test_a_disallowed_move_is_409(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    response = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/advance",
        json={"to": "convicted", "reason": "no"},
    )
    assert response.status_code == 409


# --- headers and OpenAPI -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/health", "/api/openapi.json", "/api/cases/WY-2026-999999", "/api/nowhere"]
)
def test_security_headers_on_every_response(app: FastAPI, url: str) -> None:
    headers = Api(app).call("GET", url).headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"


def test_openapi_describes_every_route(app: FastAPI) -> None:
    spec = Api(app).call("GET", "/api/openapi.json").json()
    assert {"/api/cases", "/api/cases/{reference}", "/api/deadlines", "/api/audit"} <= set(
        spec["paths"]
    )
    assert spec["paths"]["/api/cases/{reference}"]["get"]["x-casework-action"] == "case.read"


# --- the audit trail ---------------------------------------------------------------------


def test_reads_writes_and_refusals_are_audited(app: FastAPI, seed: Seed) -> None:
    investigator = Api(app, token=seed.tokens["investigator"])
    investigator.call("GET", f"/api/cases/{seed.team_case}")
    investigator.call(
        "POST",
        f"/api/cases/{seed.team_case}/offences",
        json={"code": "criminal_damage", "committed_on": "2026-02-20"},
    )
    investigator.call("GET", f"/api/cases/{seed.restricted_case}")
    Api(app, token=seed.tokens["analyst"]).call("GET", f"/api/cases/{seed.team_case}")
    admin = Api(app, token=seed.tokens["admin"])
    entries = admin.call("GET", "/api/audit", params={"case": seed.team_case}).json()
    seen = [(e["actor"], e["action"], e["outcome"]) for e in entries]
    assert ("investigator", "case.read", "allowed") in seen
    assert ("investigator", "case.add_offence", "allowed") in seen
    assert ("analyst", "case.read", "denied") in seen
    hidden = admin.call("GET", "/api/audit", params={"case": seed.restricted_case}).json()
    assert [(e["actor"], e["outcome"]) for e in hidden] == [("investigator", "denied")]
    assert admin.call("GET", "/api/audit/verify").json()["intact"] is True


def test_a_failed_write_leaves_no_audit_entry_and_no_half_change(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    with _store(app) as store:
        before = len(audit_entries(session=store.session, query=AuditQuery(limit=10_000)))
    response = api.call(
        "POST", f"/api/cases/{seed.team_case}/advance", json={"to": "convicted", "reason": "x"}
    )
    assert response.status_code == 409
    with _store(app) as store:
        after = audit_entries(session=store.session, query=AuditQuery(limit=10_000))
        assert len(after) == before
        assert verify_chain(session=store.session).intact


# --- production -------------------------------------------------------------------------


def test_production_refuses_the_default_secret_and_plain_http(db_path: Path) -> None:
    with pytest.raises(UnsafeSettings, match="CASEWORK_SECRET_KEY"):
        create_app(
            settings_for(
                db_path,
                env="production",
                secret_key="casework-development-secret-change-me",
                https=True,
            )
        )
    with pytest.raises(UnsafeSettings, match="HTTPS"):
        create_app(settings_for(db_path, env="production"))
    create_app(settings_for(db_path, env="production", https=True))


def test_a_signed_in_user_sees_their_password_verified_once(app: FastAPI) -> None:
    assert Api(app).sign_in("admin", PASSWORD).status_code == 200
