"""Sign in and sign out, as forms.

The sign-in form carries a CSRF token before any session exists (a random value in a
short-lived cookie and in the form, which must match), so another site cannot sign a
browser in to an account of its choosing. The password check, lock-out, rate limit,
session and audit entries are the API's (``security.auth``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from casework.api.deps import SESSION_COOKIE, AuditDep, CurrentUser, SessionDep, SettingsDep
from casework.config import Settings
from casework.security.audit import Outcome
from casework.security.auth import (
    SIGN_IN_REFUSED,
    SignInLimits,
    attempt_sign_in,
    csrf_matches,
    end_session,
    start_session,
)
from casework.security.errors import RateLimited
from casework.web.deps import FormDep, safe_next
from casework.web.render import page

router = APIRouter(include_in_schema=False)

SIGN_IN_COOKIE = "casework_sign_in"
"""Holds the sign-in form's CSRF token until the form is sent (ten minutes)."""
SIGN_IN_COOKIE_S = 600


def _limits(settings: Settings) -> SignInLimits:
    return SignInLimits(
        lockout_failures=settings.lockout_failures,
        lockout=timedelta(minutes=settings.lockout_minutes),
        rate_limit=settings.sign_in_rate_limit,
        rate_window=timedelta(seconds=settings.sign_in_rate_window_s),
    )


def _form(
    request: Request,
    settings: Settings,
    *,
    next_path: str,
    username: str = "",
    error: str = "",
    notice: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "sign_in.html",
        status=status,
        headers=headers,
        sign_in_token=token,
        next_path=next_path,
        username=username,
        error=error,
        notice=notice,
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=SIGN_IN_COOKIE_S,
        path="/sign-in",
        httponly=True,
        samesite="strict",
        secure=settings.uses_https,
    )
    return response


@router.get("/sign-in")
def sign_in_form(
    request: Request,
    settings: SettingsDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
    signed_out: bool = False,
) -> Response:
    """The sign-in form."""
    notice = "You have signed out." if signed_out else ""
    return _form(request, settings, next_path=safe_next(next_path), notice=notice)


@router.post("/sign-in")
def sign_in(
    request: Request, form: FormDep, store: SessionDep, settings: SettingsDep, audit: AuditDep
) -> Response:
    """Check the username and password; start a session and go on, or say what is wrong."""
    username = form.get("username", "").strip()[:64]
    password = form.get("password", "")
    next_path = safe_next(form.get("next"))
    if not csrf_matches(request.cookies.get(SIGN_IN_COOKIE, ""), form.get("csrf_token") or None):
        audit.separately(None, action="auth.csrf", outcome=Outcome.DENIED, actor=username or None)
        return _form(
            request,
            settings,
            next_path=next_path,
            username=username,
            error="The form had expired or was not sent from this site. Sign in again.",
            status=403,
        )
    if not username or not password:
        missing = "username" if not username else "password"
        return _form(
            request,
            settings,
            next_path=next_path,
            username=username,
            error=f"Enter your {missing}.",
            status=422,
        )
    try:
        principal = attempt_sign_in(
            session=store.session,
            username=username,
            password=password[:1024],
            client=request.client.host if request.client else "-",
            limits=_limits(settings),
        )
    except RateLimited as error:
        return _form(
            request,
            settings,
            next_path=next_path,
            username=username,
            error="Too many sign-in attempts from this computer. Wait a few minutes, then try.",
            status=429,
            headers={"Retry-After": str(error.retry_after_s)},
        )
    if principal is None:
        store.commit()  # keep the failed attempt: the lock-out counts it
        audit.separately(None, action="auth.sign_in", outcome=Outcome.FAILED, actor=username)
        return _form(
            request,
            settings,
            next_path=next_path,
            username=username,
            error=SIGN_IN_REFUSED[0].upper() + SIGN_IN_REFUSED[1:] + ".",
            status=401,
        )
    web = start_session(
        session=store.session,
        principal=principal,
        secret_key=settings.secret_key,
        lifetime=timedelta(minutes=settings.session_minutes),
    )
    audit.wrote(store, principal, action="auth.sign_in")
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        web.cookie,
        max_age=settings.session_minutes * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.uses_https,
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(
    request: Request,
    _form_sent: FormDep,
    principal: CurrentUser,
    store: SessionDep,
    audit: AuditDep,
) -> Response:
    """End this session and go back to the sign-in page."""
    session_id: UUID | None = getattr(request.state, "session_id", None)
    if session_id is not None:
        end_session(session=store.session, session_id=session_id)
    audit.wrote(store, principal, action="auth.sign_out")
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
