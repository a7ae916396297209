"""The one mapping from errors to HTTP: ``CaseworkError.http_status``, and 422 for bad input.

Bodies are ``{"detail": message, "field": name-or-null}`` (validation errors add
``errors``, one per field). The value sent is never echoed back: it may be a password.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from casework.errors import CaseworkError, InvalidInput
from casework.security.errors import NotAuthenticated, RateLimited

logger = logging.getLogger(__name__)

_FIELD = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_.\-]*): ")
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


def _field_of(message: str) -> str | None:
    match = _FIELD.match(message)
    return match["field"].lstrip("-").replace("-", "_") if match else None


def _loc_name(loc: tuple[int | str, ...] | list[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def casework_error(request: Request, error: Exception) -> JSONResponse:
    """Map a service error to its HTTP status with the message (and the field, for 422)."""
    assert isinstance(error, CaseworkError)
    headers: dict[str, str] = {}
    if isinstance(error, NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="casework"'
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after_s)
    status = error.http_status
    if status >= 500:
        logger.error("%s on %s %s: %s", type(error).__name__, request.method, request.url, error)
    field = _field_of(error.message) if isinstance(error, InvalidInput) else None
    return JSONResponse(
        {"detail": error.message, "field": field}, status_code=status, headers=headers
    )


async def validation_error(request: Request, error: Exception) -> JSONResponse:
    """A request that does not fit its schema: 422 naming each field and what is wrong.

    A model built from the request inside a route (pydantic's ``ValidationError``) is
    bad input too, and answered the same way.
    """
    assert isinstance(error, RequestValidationError | ValidationError)
    errors = [
        {"field": _loc_name(e["loc"]), "loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
        for e in error.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['msg']}" for e in errors) or "invalid request"
    field = errors[0]["field"] if errors else None
    return JSONResponse({"detail": detail, "field": field, "errors": errors}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CaseworkError, casework_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ValidationError, validation_error)
