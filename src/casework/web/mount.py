"""Put the web workbench on the app: page routers, ``/static`` and HTML error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from casework.web import (
    pages_auth,
    pages_case_victim,
    pages_case_writes,
    pages_cases,
    pages_dashboards,
    pages_dfr,
    pages_documents,
    pages_dogs,
    pages_exports,
    pages_home,
    pages_language,
    pages_links,
    pages_missing,
    pages_operations,
    pages_referrals,
    pages_timeline,
)
from casework.web.errors import install_page_errors

STATIC = Path(__file__).parent / "static"

PAGES: tuple[APIRouter, ...] = (
    pages_auth.router,
    pages_home.router,
    pages_cases.router,
    pages_case_writes.router,
    pages_case_victim.router,
    pages_dashboards.router,
    pages_dfr.router,
    pages_documents.router,
    pages_timeline.router,
    pages_links.router,
    pages_language.router,
    pages_referrals.router,
    pages_dogs.router,
    pages_missing.router,
    pages_operations.router,
    pages_exports.router,
)


def install(app: FastAPI) -> None:
    """Include every page router, serve ``/static`` and answer page errors in HTML."""
    for router in PAGES:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_page_errors(app)
