"""Dependencies every route uses: the unit of work, the caller, the audit trail, the guard.

A route declares the one action it performs with ``**requires(Action.X)``; ``Authorized``
then asks the policy whether the caller may do it at all (403 if not), and ``CaseInScope``
whether they may do it to the case in the path (404 if not, so that a case's existence is
not revealed). Refusals are written to the audit log in a transaction of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from casework.config import Settings
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.security.access import case_facts
from casework.security.audit import (
    AuditRecord,
    AuditWriter,
    DetailValue,
    Outcome,
    append_audit,
)
from casework.security.auth import (
    SessionPrincipal,
    csrf_matches,
    record_token_use,
    session_principal,
    token_principal,
)
from casework.security.errors import NotAuthenticated
from casework.security.policy import CaseFacts, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.engine import for_writing

SESSION_COOKIE = "casework_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
ACTION_KEY = "x-casework-action"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def requires(action: Action) -> dict[str, Any]:
    """Route keyword arguments that declare the action (read by ``Authorized`` and the docs)."""
    return {"openapi_extra": {ACTION_KEY: action.value}}


def route_action(request: Request) -> Action | None:
    """The action the matched route declares, or None."""
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    value = extra.get(ACTION_KEY)
    return Action(value) if value else None


async def get_settings(request: Request) -> Settings:
    # async: a plain function dependency would take a worker thread (a hop) for nothing
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


DATABASE_SLOTS = 4
"""Requests that may use the database at once (the rest wait in the event loop).

Fewer than the thread pool (40) and well within the PostgreSQL pool (each request uses
its own connection, and the audit writer one more). Without a bound, requests blocked on
the SQLite write lock (or on a pooled connection) could take every thread while the one
holding the lock waits for a thread to go on: a deadlock broken only by the busy timeout.

Why 4 and not more: the requests share one interpreter lock, so eight at once mostly take
turns on it, and a writer holding the SQLite write lock (or the audit head's row lock)
waits for seven others between its steps while every read's audit entry waits for it.
Measured with bench/load.py (50 users, 30 s, a busy 2-core machine), read p95 at 4 vs 8:
SQLite 131 vs 212 ms, PostgreSQL 291 vs 757 ms, at the same throughput.
"""


def _slots(request: Request) -> asyncio.Semaphore:
    slots: asyncio.Semaphore | None = getattr(request.app.state, "database_slots", None)
    if slots is None:
        slots = request.app.state.database_slots = asyncio.Semaphore(DATABASE_SLOTS)
    return slots


async def database_slot(request: Request) -> AsyncIterator[None]:
    """Hold one of the database slots for the whole request (waiting holds no thread)."""
    async with _slots(request):
        yield


@asynccontextmanager
async def without_database(request: Request, store: SqlCaseStore) -> AsyncIterator[None]:
    """End the unit of work's transaction and give back the database slot meanwhile.

    For a body streaming in or long work away from the database (planning, storing files):
    on SQLite a write's unit of work holds the write lock from its first statement, and the
    slots are few, so holding either while a client sends gigabytes stops everyone else.
    What was read before is read again in a new transaction afterwards if it matters.
    """
    store.rollback()
    slots = _slots(request)
    slots.release()
    try:
        yield
    finally:
        await slots.acquire()
        # Begin again in a worker thread: on SQLite, waiting for the write lock there
        # blocks that thread, never the event loop (which its holder may need to finish).
        await run_in_threadpool(store.session.connection)


def get_store(
    request: Request, _slot: Annotated[None, Depends(database_slot)]
) -> Iterator[SqlCaseStore]:
    """One unit of work per request: committed when the route returns, rolled back on error."""
    factory: sessionmaker[Session] = request.app.state.sessions
    if request.method in SAFE_METHODS:
        session = factory()
    else:  # a write: on SQLite, take the write lock when the unit of work begins
        session = factory(bind=for_writing(request.app.state.engine))
    with SqlCaseStore(session) as store:
        yield store


SessionDep = Annotated[SqlCaseStore, Depends(get_store, scope="function")]


@dataclass(frozen=True, slots=True)
class AuditTrail:
    """Writes audit entries for one request: writes in its unit of work, the rest apart."""

    writer: AuditWriter
    method: str
    path: str
    client: str

    def _detail(self, detail: dict[str, DetailValue] | None) -> dict[str, DetailValue]:
        return {"method": self.method, "path": self.path, "client": self.client, **(detail or {})}

    def separately(
        self,
        principal: Principal | None,
        *,
        action: str,
        outcome: Outcome = Outcome.ALLOWED,
        case_reference: str | None = None,
        target: str = "",
        detail: dict[str, DetailValue] | None = None,
        actor: str | None = None,
    ) -> None:
        """Record a read or a refusal apart from the unit of work (kept whatever follows).

        Returns once the entry is committed (with others recorded meanwhile: see
        ``AuditWriter``).
        """
        self.writer.record(
            AuditRecord.of(
                principal,
                action=action,
                outcome=outcome,
                case_reference=case_reference,
                target=target,
                detail=self._detail(detail),
                actor=actor,
            ),
        )

    def wrote(
        self,
        store: SqlCaseStore,
        principal: Principal,
        *,
        action: str,
        case_reference: str | None = None,
        target: str = "",
        detail: dict[str, DetailValue] | None = None,
    ) -> None:
        """Record a write in the writer's own unit of work: both land or neither."""
        record = AuditRecord.of(
            principal,
            action=action,
            case_reference=case_reference,
            target=target,
            detail=self._detail(detail),
        )
        try:
            append_audit(session=store.session, record=record)
        except OperationalError as error:  # SQLite: another writer committed since we read
            if "locked" in str(error.orig):
                raise Conflict("someone else changed data meanwhile; try again") from error
            raise


async def get_audit(request: Request) -> AuditTrail:
    # async: it does no I/O, so it runs on the event loop instead of taking a thread
    return AuditTrail(
        writer=request.app.state.audit_writer,
        method=request.method,
        path=request.url.path,
        client=request.client.host if request.client else "-",
    )


AuditDep = Annotated[AuditTrail, Depends(get_audit)]


FORM_TOKEN_BYTES = 1024 * 1024
"""The largest urlencoded form read to find its CSRF field (pages take 64 KiB)."""

CSRF_PEEK_BYTES = 16 * 1024
"""How much of a multipart body is read to find its CSRF field (the first part)."""


async def sent_csrf_token(request: Request) -> str | None:
    """The CSRF token of an unsafe request: the header, or a form's field.

    Called only once the session is known to be valid, so a forged cookie gets no body read.
    """
    if request.method in SAFE_METHODS:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > FORM_TOKEN_BYTES:
            return None
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        values = fields.get(CSRF_FIELD)
        return values[0] if values else None
    if content_type.startswith("multipart/form-data"):
        return await _multipart_csrf_field(request, content_type)
    return None


async def _peek(request: Request, limit: int) -> bytes:
    """Read about ``limit`` bytes of the body and hand them back to whoever reads it next."""
    receive = request.receive
    messages: list[Any] = []
    seen = 0
    while seen < limit:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            break

    async def replaying() -> Any:
        return messages.pop(0) if messages else await receive()

    head = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    request._receive = replaying
    return head


async def _multipart_csrf_field(request: Request, content_type: str) -> str | None:
    """The CSRF field of a multipart form posted without the header, from its first part.

    Pages put the hidden field first and browsers send fields in document order, so the
    first few KiB hold it; nothing more of the body is read here, whatever its size.
    """
    _, _, boundary = content_type.partition("boundary=")
    boundary = boundary.split(";")[0].strip().strip('"')
    if not boundary:
        return None
    head = await _peek(request, CSRF_PEEK_BYTES)
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    if not head.startswith(delimiter + b"\r\n"):
        return None
    headers, found, rest = head[len(delimiter) + 2 :].partition(b"\r\n\r\n")
    value, ended, _ = rest.partition(b"\r\n" + delimiter)
    name = f'name="{CSRF_FIELD}"'.encode()
    if not found or not ended or name not in headers.split(b"\r\n")[0]:
        return None
    return value.decode("utf-8", "replace")


def _identify(
    request: Request, settings: Settings, audit: AuditTrail
) -> Principal | SessionPrincipal:
    """The API token's or session cookie's owner, read in a short transaction of its own."""
    factory: sessionmaker[Session] = request.app.state.sessions
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        principal = None
        if scheme.lower() == "bearer":  # before the read (see record_token_use)
            record_token_use(factory=factory, token=token.strip())
            with factory() as session:
                principal = token_principal(session=session, token=token.strip())
        if principal is None:
            audit.separately(None, action="auth.token", outcome=Outcome.FAILED)
            raise NotAuthenticated(
                "the API token is not valid (unknown, expired or revoked); "
                "send 'Authorization: Bearer cwt_...'"
            )
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated("sign in first, or send an API token as 'Authorization: Bearer ...'")
    with factory() as session:
        found = session_principal(session=session, cookie=cookie, secret_key=settings.secret_key)
    if found is None:
        raise NotAuthenticated("the session has ended or is not valid; sign in again")
    return found


async def current_principal(request: Request, settings: SettingsDep, audit: AuditDep) -> Principal:
    """Who is calling: a bearer API token, or a session cookie (with CSRF on unsafe requests).

    The caller is known (holding a database slot only for that read) before any of the body
    is read, and no slot is held while the CSRF field is looked for in it.
    """
    async with _slots(request):
        found = await run_in_threadpool(_identify, request, settings, audit)
    if isinstance(found, Principal):
        return found
    if request.method not in SAFE_METHODS and not csrf_matches(
        found.csrf_token, await sent_csrf_token(request)
    ):
        await run_in_threadpool(
            audit.separately, found.principal, action="auth.csrf", outcome=Outcome.DENIED
        )
        raise PermissionDenied(
            f"CSRF token missing or wrong: send the {CSRF_HEADER} header (or the "
            f"{CSRF_FIELD} form field) given at sign-in"
        )
    request.state.session_id = found.session_id
    request.state.csrf_token = found.csrf_token  # pages' forms: no second read (page_csrf)
    return found.principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def authorized(
    request: Request, principal: CurrentUser, store: SessionDep, audit: AuditDep
) -> Principal:
    """The caller, once the policy says they may do the route's action at all (else 403)."""
    action = route_action(request)
    if action is None:
        raise PermissionDenied("this route declares no action; refusing (a bug)")
    if action in principal.permissions and (action.on_a_case or can(principal, action)):
        return principal
    store.rollback()
    audit.separately(
        principal,
        action=action.value,
        outcome=Outcome.DENIED,
        case_reference=request.path_params.get("reference"),
    )
    raise PermissionDenied(f"your role ({principal.role.value}) may not do {action.value}")


Authorized = Annotated[Principal, Depends(authorized)]


def case_in_scope(
    request: Request,
    reference: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
) -> CaseFacts:
    """The case in the path, once the policy says the caller may act on it (else 404).

    A case the caller may not see answers exactly like one that does not exist.
    """
    action = route_action(request)
    assert action is not None  # authorized() has checked
    key = reference.strip().upper()
    facts = case_facts(session=store.session, principal=principal, reference=key)
    if facts is None or not can(principal, action, facts):
        store.rollback()
        audit.separately(
            principal,
            action=action.value,
            outcome=Outcome.DENIED,
            case_reference=key[:24],
            detail={"exists": facts is not None},
        )
        raise NotFound(f"no case {key}")
    return facts


CaseInScope = Annotated[CaseFacts, Depends(case_in_scope)]
