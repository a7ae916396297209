"""Errors on pages answer in HTML; errors under ``/api`` keep the API's JSON handlers.

Not signed in: a redirect to the sign-in page that comes back here afterwards. A case the
user may not see is the same 404 page as a case that does not exist. The message is the
service's own (it names the field and what is wrong); never a traceback.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from casework.errors import CaseworkError
from casework.security.errors import NotAuthenticated, RateLimited
from casework.web.render import page

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    409: "Someone else changed this",
    413: "Too large",
    415: "Wrong kind of file",
    422: "Check what you entered",
    429: "Too many attempts",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def sign_in_redirect(request: Request) -> Response:
    """Send the browser to sign in, then back to the page it asked for (GET only)."""
    back = request.url.path if request.method == "GET" else "/"
    if request.method == "GET" and request.url.query:
        back += "?" + request.url.query
    target = f"/sign-in?next={quote(back, safe='')}"
    if request.headers.get("hx-request"):  # HTMX follows this header, not a 303
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, status: int, message: str, headers: dict[str, str]) -> Response:
    return page(
        request,
        "error.html",
        status=status,
        headers=headers,
        title=TITLES.get(status, "Something went wrong"),
        message=message,
        status_code=status,
    )


async def _delegate(handler: Handler, request: Request, error: Exception) -> Response:
    result = handler(request, error)
    return await result if inspect.isawaitable(result) else result


def install_page_errors(app: FastAPI) -> None:
    """Wrap the app's error handlers: pages get HTML, ``/api`` what it had before."""
    handlers: dict[Any, Handler] = app.exception_handlers
    api_casework = handlers[CaseworkError]
    api_validation = handlers[RequestValidationError]
    api_model = handlers.get(ValidationError, api_validation)
    api_http = handlers[StarletteHTTPException]

    async def casework_error(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await _delegate(api_casework, request, error)
        assert isinstance(error, CaseworkError)
        if isinstance(error, NotAuthenticated):
            return sign_in_redirect(request)
        headers: dict[str, str] = {}
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.retry_after_s)
        if error.http_status >= 500:
            logger.error(
                "%s on %s %s: %s", type(error).__name__, request.method, request.url, error
            )
        return error_page(request, error.http_status, error.message, headers)

    async def validation_error(request: Request, error: Exception) -> Response:
        if is_api(request):
            handler = api_validation if isinstance(error, RequestValidationError) else api_model
            return await _delegate(handler, request, error)
        assert isinstance(error, RequestValidationError | ValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:] or e['loc'])}: {e['msg']}"
            for e in error.errors()
        )
        return error_page(request, 422, problems or "the request is not valid", {})

    async def http_error(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await _delegate(api_http, request, error)
        assert isinstance(error, StarletteHTTPException)
        message = {
            404: "There is no page at this address. Check it, or go to your cases.",
            405: "This address does not take that kind of request.",
        }.get(error.status_code, str(error.detail))
        return error_page(request, error.status_code, message, dict(error.headers or {}))

    app.add_exception_handler(CaseworkError, casework_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
