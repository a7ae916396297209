"""What pages take besides the API's dependencies: form fields and the session's CSRF token."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Request

from casework.api.deps import SESSION_COOKIE, SessionDep, SettingsDep
from casework.errors import InvalidInput
from casework.security.auth import session_principal

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 64 * 1024


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form (the first value of each), blanks kept.

    Read from the body the CSRF check has already read (Starlette keeps it), so pages
    declare no ``Form`` parameters and the body is parsed the same way for both.
    """
    if not request.headers.get("content-type", "").startswith(FORM_TYPE):
        raise InvalidInput(f"form: send the form as {FORM_TYPE}")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise InvalidInput(f"form: larger than {MAX_FORM_BYTES // 1024} KiB")
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items() if values}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def page_csrf(request: Request, store: SessionDep, settings: SettingsDep) -> str:
    """The CSRF token of the caller's session, for the forms a page shows ('' without one)."""
    known = getattr(request.state, "csrf_token", None)
    if isinstance(known, str) and known:
        return known
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return ""
    found = session_principal(session=store.session, cookie=cookie, secret_key=settings.secret_key)
    return found.csrf_token if found is not None else ""


PageCsrf = Annotated[str, Depends(page_csrf)]


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\", "/api", "/static", "/sign-"))
    ):
        return "/"
    return target[:2000]
