"""The one mapping from errors to HTTP: ``CaseworkError.http_status``, and 422 for bad input.

Bodies are ``{"detail": message, "field": name-or-null}`` (validation errors add
``errors``, one per field). The value sent is never echoed back: it may be a password.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError

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


async def out_of_range(request: Request, error: Exception) -> JSONResponse:
    """A value the request gave that cannot be computed with (a date at the end of time).

    ``datetime(1, 1, 1, tzinfo=+05:00)`` is valid input but overflows when moved to UTC or
    London time; that is the caller's bad value (422), never a server error.
    """
    assert isinstance(error, OverflowError)
    logger.info("out of range on %s %s: %s", request.method, request.url.path, error)
    return JSONResponse(
        {
            "detail": f"a value is out of range ({error}); give a date in the years 2 to 9998",
            "field": None,
        },
        status_code=422,
    )


async def database_busy(request: Request, error: Exception) -> JSONResponse:
    """SQLite's write lock still held by another writer after the busy timeout: 503, not 500.

    Nothing was stored (the unit of work rolled back), so the client may simply retry; any
    other operational error (the database gone) stays a server error.
    """
    assert isinstance(error, OperationalError)
    if "locked" not in str(error.orig):
        logger.error("database error on %s %s: %s", request.method, request.url, error.orig)
        return JSONResponse({"detail": "the database failed", "field": None}, status_code=500)
    logger.warning("database locked on %s %s", request.method, request.url.path)
    return JSONResponse(
        {
            "detail": "the database is busy with another change; nothing was stored, try again",
            "field": None,
        },
        status_code=503,
        headers={"Retry-After": "1"},
    )


class FieldProblem(BaseModel):
    """One field of a request that does not fit its schema."""

    field: str
    loc: list[int | str]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error response (what ``casework_error`` and ``validation_error`` send)."""

    detail: str
    field: str | None = None
    errors: list[FieldProblem] | None = None


def describe_errors(app: FastAPI) -> None:
    """Make the OpenAPI spec describe the error body the handlers send, not FastAPI's default.

    FastAPI documents every 422 as ``HTTPValidationError`` (``detail``: a list); Casework
    answers with ``ErrorBody``, so clients generated from the spec (and schemathesis) agree.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(body.pop("$defs", {}))
            schemas["HTTPValidationError"] = body
            schemas.pop("ValidationError", None)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CaseworkError, casework_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ValidationError, validation_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(OperationalError, database_busy)
    describe_errors(app)
