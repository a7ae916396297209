"""The FastAPI application: ``create_app(settings)``.

Adding a router: write ``api/routes/NAME.py`` with ``router = APIRouter(prefix="/api/...")``,
declare each route's action with ``**requires(Action.X)`` and take ``Authorized`` (or
``CaseInScope`` for a case in the path), then add it to ``ROUTERS`` below. The test in
``tests/api/test_route_table.py`` then checks every role against it.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy.exc import ArgumentError

from casework.api.errors import install_error_handlers
from casework.api.headers import SecurityHeaders
from casework.api.routes import (
    audit,
    auth,
    cases,
    conduct,
    cps_writes,
    deadlines,
    dfr,
    documents,
    dogs,
    exports,
    health,
    jobs,
    journey,
    language,
    metrics,
    missing,
    network,
    oidc,
    operations,
    proposals,
    referrals,
    review,
    rules,
    victim_writes,
)
from casework.config import Settings, get_settings
from casework.errors import InvalidInput
from casework.security.audit import AuditWriter
from casework.store import UnsupportedDatabase, open_engine, session_factory
from casework.web import install_web

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    oidc.router,
    cases.router,
    documents.router,
    review.router,
    journey.router,
    victim_writes.router,
    cps_writes.router,
    conduct.router,
    proposals.router,
    deadlines.router,
    metrics.router,
    dfr.router,
    rules.router,
    audit.router,
    jobs.router,
    exports.router,
    language.router,
    operations.router,
    dogs.router,
    missing.router,
    network.router,
    referrals.router,
)

OPENAPI_URL = "/api/openapi.json"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app on the configured database (migrating it on first use).

    Refuses unsafe settings in production (``Settings.check_safe``).
    """
    config = settings or get_settings()
    config.check_safe()
    try:
        engine = open_engine(config.resolved_database_url)
    except (UnsupportedDatabase, ArgumentError) as error:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: {error}") from error

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # What is alive once the app is up (modules, the app, the ORM's registries) lives
        # as long as the process: freeze it out of the cycle collector, whose full passes
        # over those ~200,000 objects otherwise stop every request for ~200 ms now and then.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            engine.dispose()

    app = FastAPI(
        title="Casework",
        summary="Case files, redaction and the justice journey, on your own machine.",
        version="0.1.0",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # Swagger UI needs inline script, which the CSP forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = config
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.audit_writer = AuditWriter(app.state.sessions)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    install_web(app)  # the web workbench's pages, /static and HTML error pages
    app.add_middleware(SecurityHeaders, https=config.uses_https)
    return app
