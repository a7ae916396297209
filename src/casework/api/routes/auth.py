"""``/api/auth``: sign in and out (session cookie + CSRF token), who am I, API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import (
    SESSION_COOKIE,
    AuditDep,
    Authorized,
    CurrentUser,
    SessionDep,
    SettingsDep,
    requires,
)
from casework.security.audit import Outcome
from casework.security.auth import (
    SIGN_IN_REFUSED,
    NewToken,
    SignInLimits,
    TokenInfo,
    attempt_sign_in,
    create_token,
    end_session,
    list_tokens,
    parse_scopes,
    revoke_token,
    start_session,
)
from casework.security.errors import NotAuthenticated
from casework.security.roles import Action, UserRole

router = APIRouter(prefix="/api/auth", tags=["auth"])


class SignIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Me(BaseModel):
    username: str
    full_name: str
    role: UserRole
    force: str
    via: str
    permissions: list[str]


class SignedIn(Me):
    csrf_token: str
    """Send it as the X-CSRF-Token header with every unsafe request of this session."""
    expires_at: datetime


class NewTokenRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] | None = Field(
        default=None, description="Actions the token may do (default: all of your role's)."
    )
    expires_in_days: int = Field(default=30, ge=1, le=366)


def _me(principal: CurrentUser) -> Me:
    return Me(
        username=principal.username,
        full_name=principal.full_name,
        role=principal.role,
        force=principal.force,
        via=principal.via.value,
        permissions=sorted(a.value for a in principal.permissions),
    )


@router.post("/sign-in")
def sign_in(
    body: SignIn,
    request: Request,
    response: Response,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> SignedIn:
    """Sign in with username and password; sets the session cookie, returns the CSRF token."""
    principal = attempt_sign_in(
        session=store.session,
        username=body.username,
        password=body.password,
        client=request.client.host if request.client else "-",
        limits=SignInLimits(
            lockout_failures=settings.lockout_failures,
            lockout=timedelta(minutes=settings.lockout_minutes),
            rate_limit=settings.sign_in_rate_limit,
            rate_window=timedelta(seconds=settings.sign_in_rate_window_s),
        ),
    )
    if principal is None:
        store.commit()  # keep the failed attempt: the lock-out counts it
        audit.separately(None, action="auth.sign_in", outcome=Outcome.FAILED, actor=body.username)
        raise NotAuthenticated(SIGN_IN_REFUSED)
    web = start_session(
        session=store.session,
        principal=principal,
        secret_key=settings.secret_key,
        lifetime=timedelta(minutes=settings.session_minutes),
    )
    audit.wrote(store, principal, action="auth.sign_in")
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


@router.post("/sign-out", status_code=204)
def sign_out(
    request: Request, response: Response, principal: CurrentUser, store: SessionDep, audit: AuditDep
) -> None:
    """End this session (its cookie stops working)."""
    session_id: UUID | None = getattr(request.state, "session_id", None)
    if session_id is not None:
        end_session(session=store.session, session_id=session_id)
    audit.wrote(store, principal, action="auth.sign_out")
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/whoami")
def whoami(principal: CurrentUser) -> Me:
    """Who you are signed in as, and what your role (or token) lets you do."""
    return _me(principal)


@router.post("/tokens", status_code=201, **requires(Action.TOKEN_CREATE))
def new_token(
    body: NewTokenRequest,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> NewToken:
    """Make an API token for yourself; the secret is in this response only."""
    made = create_token(
        session=store.session,
        username=principal.username,
        name=body.name,
        scopes=parse_scopes(body.scopes),
        lifetime=timedelta(days=body.expires_in_days),
        max_lifetime=timedelta(days=settings.token_max_days),
        ceiling=principal.permissions,
    )
    audit.wrote(
        store,
        principal,
        action="token.create",
        target=str(made.info.id),
        detail={"scopes": " ".join(made.info.scopes)},
    )
    return made


@router.get("/tokens", **requires(Action.TOKEN_CREATE))
def my_tokens(principal: Authorized, store: SessionDep) -> list[TokenInfo]:
    """Your tokens (never their secrets)."""
    return list_tokens(session=store.session, username=principal.username)


@router.delete("/tokens/{token_id}", **requires(Action.TOKEN_CREATE))
def revoke(
    token_id: Annotated[UUID, "token id"], principal: Authorized, store: SessionDep, audit: AuditDep
) -> TokenInfo:
    """Revoke one of your tokens."""
    info = revoke_token(session=store.session, username=principal.username, token_id=token_id)
    audit.wrote(store, principal, action="token.revoke", target=str(token_id))
    return info
