"""Render a page: the Jinja2 environment, its filters, and the context every page gets.

Templates are autoescaped. Nothing here reads storage: routes pass what they show.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from casework.domain.rules.offences import UnknownOffenceError
from casework.journey.rules import offence_catalogue
from casework.security.principal import Principal
from casework.web.language_notes import document_language, language_findings
from casework.web.nav import is_current, menu_for

TEMPLATES = Path(__file__).parent / "templates"
LONDON = ZoneInfo("Europe/London")

templates = Jinja2Templates(directory=TEMPLATES)


def day(value: date | None) -> str:
    """``Mon 2 Mar 2026`` (blank for no date)."""
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def moment(value: datetime | None) -> str:
    """``Mon 2 Mar 2026, 10:00`` in London time."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{day(local.date())}, {local:%H:%M}"


def countdown(days_left: int | None) -> tuple[str, str]:
    """Words and a CSS class for the days left to a deadline (never colour alone)."""
    if days_left is None:
        return "no date", "countdown-none"
    if days_left < 0:
        days = -days_left
        return f"{days} day{'s' if days != 1 else ''} overdue", "countdown-overdue"
    if days_left == 0:
        return "due today", "countdown-today"
    suffix = "s" if days_left != 1 else ""
    return (
        f"{days_left} day{suffix} left",
        "countdown-soon" if days_left <= 7 else "countdown-later",
    )


def offence_name(code: str) -> str:
    """The catalogue's name of an offence code (the code itself if unknown)."""
    try:
        return offence_catalogue().get(code).name
    except UnknownOffenceError:
        return code


def words(value: object) -> str:
    """An enum value as words: ``officer_in_case`` -> ``officer in case``."""
    text = getattr(value, "words", None)
    if isinstance(text, str):
        return text
    return str(getattr(value, "value", value)).replace("_", " ")


templates.env.filters.update(day=day, moment=moment, words=words, offence_name=offence_name)
templates.env.globals.update(
    countdown=countdown,
    is_current=is_current,
    language_findings=language_findings,
    document_language=document_language,
)


def page(
    request: Request,
    template: str,
    *,
    principal: Principal | None = None,
    csrf: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """Render ``template`` with the signed-in user, the CSRF token and ``context``."""
    return templates.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "csrf_token": csrf,
            "path": request.url.path,
            "menu": menu_for(principal),
            **context,
        },
        status_code=status,
        headers={"cache-control": "no-store", **(headers or {})},
    )
