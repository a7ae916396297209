"""``/api/auth/oidc``: OpenID Connect sign-in (off unless configured; see ``security.oidc``).

``login`` sends the browser to the identity provider; ``callback`` is where it comes back,
and on success it starts a session exactly as a password sign-in does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import httpx
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from casework.api.deps import SESSION_COOKIE, AuditDep, SessionDep, SettingsDep
from casework.api.routes.auth import SignedIn, _me
from casework.security.audit import Outcome
from casework.security.auth import start_session
from casework.security.errors import NotAuthenticated
from casework.security.oidc import FLOW_SECONDS, OidcConfig, discover, finish_login, start_login

router = APIRouter(prefix="/api/auth/oidc", tags=["auth"])

FLOW_COOKIE = "casework_oidc"
FLOW_PATH = "/api/auth/oidc"
HTTP_TIMEOUT_S = 10.0


def _http(request: Request) -> httpx.Client:
    """A client for the provider; tests put a fake provider's transport in app.state."""
    transport: httpx.BaseTransport | None = getattr(request.app.state, "oidc_transport", None)
    return httpx.Client(transport=transport, timeout=HTTP_TIMEOUT_S)


@router.get("/login", status_code=307, response_class=RedirectResponse)
def oidc_login(request: Request, settings: SettingsDep) -> RedirectResponse:
    """Go to the force's identity provider to sign in (404 when OIDC is not configured)."""
    config = OidcConfig.from_settings(settings)
    with _http(request) as http:
        provider = discover(config=config, http=http)
    started = start_login(config=config, provider=provider, secret_key=settings.secret_key)
    response = RedirectResponse(started.redirect_to, status_code=307)
    response.set_cookie(
        FLOW_COOKIE,
        started.cookie,
        max_age=FLOW_SECONDS,
        path=FLOW_PATH,
        httponly=True,
        samesite="lax",  # the provider sends the browser back with a top-level GET
        secure=settings.uses_https,
    )
    return response


@router.get("/callback")
def oidc_callback(
    request: Request,
    response: Response,
    code: Annotated[str, Query(min_length=1, max_length=2048)],
    state: Annotated[str, Query(min_length=1, max_length=512)],
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> SignedIn:
    """Where the provider sends you back: checks state, nonce and the ID token, signs you in."""
    config = OidcConfig.from_settings(settings)
    try:
        with _http(request) as http:
            principal = finish_login(
                session=store.session,
                config=config,
                provider=discover(config=config, http=http),
                http=http,
                secret_key=settings.secret_key,
                cookie=request.cookies.get(FLOW_COOKIE),
                code=code,
                state=state,
            )
    except NotAuthenticated as error:
        store.rollback()
        audit.separately(
            None, action="auth.oidc", outcome=Outcome.FAILED, detail={"reason": error.message[:200]}
        )
        raise
    web = start_session(
        session=store.session,
        principal=principal,
        secret_key=settings.secret_key,
        lifetime=timedelta(minutes=settings.session_minutes),
    )
    audit.wrote(store, principal, action="auth.oidc")
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    response.set_cookie(
        SESSION_COOKIE,
        web.cookie,
        max_age=settings.session_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.uses_https,
    )
    return SignedIn(
        **_me(principal).model_dump(), csrf_token=web.csrf_token, expires_at=web.expires_at
    )
