"""OpenID Connect sign-in (authorization code flow with PKCE) for forces with an identity provider.

Off unless ``CASEWORK_OIDC_ISSUER`` and ``CASEWORK_OIDC_CLIENT_ID`` are set. The login step
sends the browser to the provider with a random ``state`` and ``nonce`` (and a PKCE
challenge), kept in a short-lived cookie signed with the secret key. The callback checks
the state, swaps the code for tokens at the provider's token endpoint, and verifies the ID
token with Authlib: its signature against the provider's JWKS (asymmetric algorithms
only), its issuer, audience, expiry and nonce.

Who may sign in (a deliberate choice): only users already registered in Casework. The
user is found by the ID token's subject (``users.oidc_subject``), or, the first time, by
the username claim matching an account not yet linked to any subject, which is then
linked. Role and force always come from the Casework account, never from the provider's
claims, so a provider cannot make anyone an admin; nobody is provisioned automatically.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

with warnings.catch_warnings():
    # Authlib 1.x points to joserfc for later; authlib.jose stays until its 2.0.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.jose.errors import JoseError
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.config import Settings
from casework.errors import CaseworkError, NotFound
from casework.security.errors import NotAuthenticated
from casework.security.principal import Principal, Via
from casework.security.users import principal_of, user_row
from casework.store.security_models import UserRow

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
"""Signatures accepted on ID tokens: public-key ones only (never ``none`` or a shared key)."""
FLOW_SECONDS = 600
LEEWAY_SECONDS = 60
REFUSED = "OpenID Connect sign-in refused"


class OidcNotConfigured(NotFound):
    """OIDC sign-in is off (no issuer or client id set)."""


class ProviderError(CaseworkError):
    """The identity provider could not be reached or answered nonsense."""

    http_status = 502


@dataclass(frozen=True, slots=True)
class OidcConfig:
    """The settings of OIDC sign-in, checked."""

    issuer: str
    client_id: str
    client_secret: str | None
    redirect_url: str
    scopes: str
    username_claim: str
    metadata_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig:
        if not settings.oidc_issuer or not settings.oidc_client_id:
            raise OidcNotConfigured("OpenID Connect sign-in is not configured")
        issuer = settings.oidc_issuer.rstrip("/")
        return cls(
            issuer=issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            redirect_url=settings.oidc_redirect_url or "/api/auth/oidc/callback",
            scopes=settings.oidc_scopes,
            username_claim=settings.oidc_username_claim,
            metadata_url=settings.oidc_metadata_url or f"{issuer}/.well-known/openid-configuration",
        )


@dataclass(frozen=True, slots=True)
class Provider:
    """The endpoints of the identity provider, from its discovery document."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def _get_json(http: httpx.Client, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = http.request(kwargs.pop("method", "GET"), url, **kwargs)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ProviderError(f"the identity provider did not answer properly ({error})") from error
    if not isinstance(body, dict):
        raise ProviderError("the identity provider sent something other than a JSON object")
    return body


def discover(*, config: OidcConfig, http: httpx.Client) -> Provider:
    """Read the provider's discovery document; its issuer must be the configured one."""
    found = _get_json(http, config.metadata_url)
    if str(found.get("issuer", "")).rstrip("/") != config.issuer:
        raise ProviderError("the discovery document names another issuer")
    try:
        return Provider(
            authorization_endpoint=str(found["authorization_endpoint"]),
            token_endpoint=str(found["token_endpoint"]),
            jwks_uri=str(found["jwks_uri"]),
        )
    except KeyError as error:
        raise ProviderError(f"the discovery document lacks {error}") from error


# --- the login step -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoginStart:
    """Where to send the browser, and the signed cookie that remembers this attempt."""

    redirect_to: str
    cookie: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(payload: dict[str, Any], secret_key: str) -> str:
    body = _b64(json.dumps(payload, sort_keys=True).encode())
    mac = hmac.new(secret_key.encode(), b"oidc:" + body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unsign(cookie: str, secret_key: str) -> dict[str, Any] | None:
    body, _, mac = cookie.rpartition(".")
    if not body:
        return None
    expected = hmac.new(secret_key.encode(), b"oidc:" + body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def start_login(
    *, config: OidcConfig, provider: Provider, secret_key: str, now: float | None = None
) -> LoginStart:
    """Make state, nonce and a PKCE verifier; return the provider URL and the signed cookie."""
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    challenge = _b64(hashlib.sha256(verifier.encode()).digest())
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": config.redirect_url,
            "scope": config.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    expires = int((now or time.time()) + FLOW_SECONDS)
    cookie = _sign(
        {"state": state, "nonce": nonce, "verifier": verifier, "exp": expires}, secret_key
    )
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return LoginStart(f"{provider.authorization_endpoint}{separator}{query}", cookie)


# --- the callback ---------------------------------------------------------------------


def verify_id_token(
    *, id_token: str, jwks: dict[str, Any], config: OidcConfig, nonce: str, now: float | None = None
) -> dict[str, Any]:
    """Return the ID token's claims once its signature, issuer, audience, time and nonce hold."""
    try:
        keys = JsonWebKey.import_key_set(jwks)
        claims = JsonWebToken(ALGORITHMS).decode(
            id_token,
            keys,
            claims_options={
                "iss": {"essential": True, "values": [config.issuer, config.issuer + "/"]},
                "aud": {"essential": True, "value": config.client_id},
                "sub": {"essential": True},
                "exp": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            },
        )
        claims.validate(now=int(now or time.time()), leeway=LEEWAY_SECONDS)
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise NotAuthenticated(f"{REFUSED}: the ID token is not valid ({error})") from error
    return dict(claims)


def finish_login(
    *,
    session: Session,
    config: OidcConfig,
    provider: Provider,
    http: httpx.Client,
    secret_key: str,
    cookie: str | None,
    code: str,
    state: str,
    now: float | None = None,
) -> Principal:
    """Check the state, swap the code for tokens, verify the ID token, find the user."""
    flow = _unsign(cookie, secret_key) if cookie else None
    moment = now or time.time()
    if flow is None or int(flow.get("exp", 0)) < moment:
        raise NotAuthenticated(f"{REFUSED}: the sign-in took too long or was not started here")
    if not hmac.compare_digest(str(flow.get("state", "")).encode(), state.encode()):
        raise NotAuthenticated(f"{REFUSED}: the state does not match (a forged callback?)")
    auth = (config.client_id, config.client_secret) if config.client_secret else None
    tokens = _get_json(
        http,
        provider.token_endpoint,
        method="POST",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": config.redirect_url,
            "client_id": config.client_id,
            "code_verifier": str(flow.get("verifier", "")),
        },
        auth=auth,
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise NotAuthenticated(f"{REFUSED}: the provider sent no ID token")
    claims = verify_id_token(
        id_token=id_token,
        jwks=_get_json(http, provider.jwks_uri),
        config=config,
        nonce=str(flow.get("nonce", "")),
        now=moment,
    )
    return registered_user(session=session, claims=claims, username_claim=config.username_claim)


def registered_user(*, session: Session, claims: dict[str, Any], username_claim: str) -> Principal:
    """The Casework user the claims name: by subject, or once by username (then linked).

    Nobody is made here, and role and force stay those of the Casework account.
    """
    subject = str(claims.get("sub", ""))[:255]
    row = session.scalars(select(UserRow).where(UserRow.oidc_subject == subject)).first()
    if row is None:
        name = str(claims.get(username_claim, "")).strip().lower()
        candidate = user_row(session, name) if name else None
        if candidate is not None and candidate.oidc_subject is None:
            candidate.oidc_subject = subject
            session.flush()
            row = candidate
    if row is None or not row.active:
        raise NotAuthenticated(
            f"{REFUSED}: no active Casework account for this identity; an administrator "
            "must register you first"
        )
    return principal_of(row, via=Via.SESSION)
