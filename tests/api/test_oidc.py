"""OpenID Connect sign-in against a fake identity provider served in-process (no network).

The provider has a real RSA key made here; its discovery document, JWKS and token endpoint
answer through httpx's mock transport, and its ID tokens are signed with authlib.jose.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.jose import JsonWebKey, jwt
from fastapi import FastAPI

from casework.api import create_app
from casework.security.audit import AuditQuery, audit_entries
from casework.store import SqlCaseStore
from casework.store.security_models import UserRow
from tests.api.conftest import Api, settings_for

ISSUER = "https://idp.force.example"
CLIENT_ID = "casework"


@dataclass
class FakeProvider:
    """An identity provider: discovery, JWKS and a token endpoint that signs what it is told."""

    key: Any = field(default_factory=lambda: JsonWebKey.generate_key("RSA", 2048, is_private=True))
    claims: dict[str, Any] = field(default_factory=dict)
    sign_with: Any = None
    issued: list[dict[str, str]] = field(default_factory=list)

    def jwks(self) -> dict[str, Any]:
        public = self.key.as_dict(is_private=False)
        return {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "idp-0001",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "preferred_username": "investigator",
            **self.claims,
        }
        token: bytes = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.sign_with or self.key)
        return token.decode()

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/jwks",
                },
            )
        if url == f"{ISSUER}/jwks":
            return httpx.Response(200, json=self.jwks())
        if url == f"{ISSUER}/token" and request.method == "POST":
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            self.issued.append(form)
            nonce = form["code"].split(":", 1)[1]  # the fake "code" carries the nonce back
            return httpx.Response(
                200,
                json={
                    "access_token": "at",
                    "token_type": "Bearer",
                    "id_token": self.id_token(nonce),
                },
            )
        return httpx.Response(404)


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def oidc_app(db_path: Path, provider: FakeProvider) -> Iterator[FastAPI]:
    app = create_app(
        settings_for(
            db_path,
            oidc_issuer=ISSUER,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret="s3cret",
            oidc_redirect_url="https://casework.example/api/auth/oidc/callback",
        )
    )
    app.state.oidc_transport = httpx.MockTransport(provider.handle)
    yield app
    app.state.engine.dispose()


def _login(api: Api) -> tuple[str, str]:
    """Start a sign-in; return the state and nonce the provider was sent."""
    started = api.call("GET", "/api/auth/oidc/login", follow_redirects=False)
    assert started.status_code == 307
    target = urlsplit(started.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256"
    assert "openid" in query["scope"].split()
    return query["state"], query["nonce"]


def _callback(api: Api, state: str, nonce: str) -> httpx.Response:
    return api.call(
        "GET", "/api/auth/oidc/callback", params={"code": f"code:{nonce}", "state": state}
    )


def test_a_registered_user_signs_in_and_gets_a_session(
    oidc_app: FastAPI, provider: FakeProvider
) -> None:
    api = Api(oidc_app)
    state, nonce = _login(api)
    signed = _callback(api, state, nonce)
    assert signed.status_code == 200, signed.text
    assert signed.json()["username"] == "investigator"
    assert signed.json()["role"] == "investigator"
    assert api.call("GET", "/api/auth/whoami").json()["username"] == "investigator"
    (sent,) = provider.issued
    assert sent["grant_type"] == "authorization_code"
    assert sent["code_verifier"]
    with SqlCaseStore(oidc_app.state.sessions()) as store:
        linked = store.session.query(UserRow).filter_by(username="investigator").one()
        assert linked.oidc_subject == "idp-0001"
        entries = audit_entries(session=store.session, query=AuditQuery(action="auth.oidc"))
    assert [e.outcome.value for e in entries] == ["allowed"]
    # Later sign-ins match the subject, whatever the username claim says.
    provider.claims = {"preferred_username": "someone-else"}
    again = Api(oidc_app)
    state, nonce = _login(again)
    assert _callback(again, state, nonce).json()["username"] == "investigator"


def test_claims_never_give_a_role_or_make_an_account(
    oidc_app: FastAPI, provider: FakeProvider
) -> None:
    provider.claims = {"sub": "idp-9999", "preferred_username": "newcomer", "role": "admin"}
    api = Api(oidc_app)
    state, nonce = _login(api)
    refused = _callback(api, state, nonce)
    assert refused.status_code == 401
    assert "administrator must register you" in refused.json()["detail"]
    provider.claims = {"sub": "idp-0002", "preferred_username": "admin", "role": "admin"}
    api = Api(oidc_app)
    state, nonce = _login(api)
    assert _callback(api, state, nonce).json()["role"] == "admin"  # the account's own role


def test_a_wrong_state_is_refused(oidc_app: FastAPI) -> None:
    api = Api(oidc_app)
    _, nonce = _login(api)
    refused = _callback(api, "forged-state", nonce)
    assert refused.status_code == 401
    assert "state does not match" in refused.json()["detail"]


def test_a_callback_without_the_login_cookie_is_refused(oidc_app: FastAPI) -> None:
    state, nonce = _login(Api(oidc_app))
    refused = _callback(Api(oidc_app), state, nonce)  # another browser
    assert refused.status_code == 401


def test_a_wrong_nonce_is_refused(oidc_app: FastAPI) -> None:
    api = Api(oidc_app)
    state, _ = _login(api)
    refused = _callback(api, state, "replayed-nonce")
    assert refused.status_code == 401
    assert "ID token is not valid" in refused.json()["detail"]


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example"},
        {"aud": "another-client"},
        {"exp": int(time.time()) - 3600},
    ],
    ids=["issuer", "audience", "expired"],
)
def test_an_id_token_with_wrong_claims_is_refused(
    oidc_app: FastAPI, provider: FakeProvider, claims: dict[str, Any]
) -> None:
    provider.claims = claims
    api = Api(oidc_app)
    state, nonce = _login(api)
    assert _callback(api, state, nonce).status_code == 401


def test_an_id_token_signed_by_another_key_is_refused(
    oidc_app: FastAPI, provider: FakeProvider
) -> None:
    provider.sign_with = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    api = Api(oidc_app)
    state, nonce = _login(api)
    refused = _callback(api, state, nonce)
    assert refused.status_code == 401
    assert api.call("GET", "/api/auth/whoami").status_code == 401


def test_an_unsigned_id_token_is_refused(oidc_app: FastAPI, provider: FakeProvider) -> None:
    def unsigned(nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "idp-0001",
            "exp": now + 300,
            "nonce": nonce,
            "iat": now,
        }

        def part(value: dict[str, Any]) -> str:
            raw = json.dumps(value).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return f"{part({'alg': 'none'})}.{part(claims)}."

    provider.id_token = unsigned  # type: ignore[method-assign]
    api = Api(oidc_app)
    state, nonce = _login(api)
    assert _callback(api, state, nonce).status_code == 401


def test_off_unless_configured(app: FastAPI) -> None:
    api = Api(app)
    assert api.call("GET", "/api/auth/oidc/login").status_code == 404
    got = api.call("GET", "/api/auth/oidc/callback", params={"code": "c", "state": "s"})
    assert got.status_code == 404
    assert got.json()["detail"] == "OpenID Connect sign-in is not configured"
