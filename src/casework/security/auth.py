"""Proving who you are: password sign-in with lock-out and rate limit, web sessions with a
signed cookie and a CSRF token, and API tokens for machine clients.

Secrets are random (``secrets.token_urlsafe``) and stored only as SHA-256 digests, so a
copy of the database gives no usable session or token. Session cookies are also signed
with the secret key (HMAC-SHA256), so a forged cookie is refused before any lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.errors import InvalidInput, NotFound
from casework.security.errors import RateLimited
from casework.security.passwords import hash_password, needs_rehash, verify_password
from casework.security.principal import Principal, Via
from casework.security.roles import Action, permissions_of
from casework.security.users import principal_of, user_row
from casework.store.security_models import (
    ApiTokenRow,
    SignInAttemptRow,
    UserRow,
    WebSessionRow,
)

TOKEN_PREFIX = "cwt_"  # noqa: S105 (a prefix that makes leaked tokens easy to scan for)
SIGN_IN_REFUSED = "wrong username or password, or the account is locked after repeated failures"


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (tokens, session ids); hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SignInLimits:
    """Lock-out and rate-limit thresholds (from the settings)."""

    lockout_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    rate_limit: int = 20
    rate_window: timedelta = timedelta(minutes=5)


def attempt_sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    client: str,
    limits: SignInLimits,
    now: datetime | None = None,
) -> Principal | None:
    """Check a password; return the principal, or None (the attempt is recorded either way).

    After ``limits.lockout_failures`` failures in a row the account is locked for
    ``limits.lockout``, even against the right password; the refusal does not say which,
    so that it tells an attacker nothing. More than ``limits.rate_limit`` attempts from one
    client in ``limits.rate_window`` raise ``RateLimited``. The caller must commit even
    when None comes back, so that failures count.
    """
    moment = _now(now)
    name = username.strip().lower()[:64]
    client_key = client[:64]
    recent = session.scalar(
        select(func.count())
        .select_from(SignInAttemptRow)
        .where(
            SignInAttemptRow.client == client_key,
            SignInAttemptRow.at > moment - limits.rate_window,
        )
    )
    if (recent or 0) >= limits.rate_limit:
        raise RateLimited(
            "too many sign-in attempts from this client; try again later",
            retry_after_s=int(limits.rate_window.total_seconds()),
        )
    row = user_row(session, name) if name else None
    ok = verify_password(row.password_hash if row else None, password)
    locked = row is not None and row.locked_until is not None and row.locked_until > moment
    succeeded = bool(row is not None and row.active and ok and not locked)
    session.add(
        SignInAttemptRow(
            id=uuid4(), username=name, client=client_key, at=moment, succeeded=succeeded
        )
    )
    if row is not None and not locked:
        if succeeded:
            row.failed_sign_ins = 0
            row.locked_until = None
            if row.password_hash and needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
        else:
            row.failed_sign_ins += 1
            if row.failed_sign_ins >= limits.lockout_failures:
                row.locked_until = moment + limits.lockout
                row.failed_sign_ins = 0
    session.flush()
    return principal_of(row, via=Via.SESSION) if succeeded and row is not None else None


# --- web sessions ---------------------------------------------------------------------


class WebSession(BaseModel):
    """A started session: the cookie value to set and the CSRF token for unsafe requests."""

    model_config = ConfigDict(frozen=True)

    cookie: str
    csrf_token: str
    expires_at: datetime


def sign(value: str, *, secret_key: str) -> str:
    """Return ``value.signature`` (HMAC-SHA256 with the secret key)."""
    mac = hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(signed: str, *, secret_key: str) -> str | None:
    """Return the value of a signed string, or None when the signature is wrong."""
    value, _, mac = signed.rpartition(".")
    if not value or not mac:
        return None
    expected = sign(value, secret_key=secret_key)
    return value if hmac.compare_digest(expected, signed) else None


def start_session(
    *,
    session: Session,
    principal: Principal,
    secret_key: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> WebSession:
    """Start a web session for a signed-in user; return its cookie and CSRF token."""
    moment = _now(now)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    row = WebSessionRow(
        id=uuid4(),
        user_id=principal.user_id,
        token_hash=digest(token),
        csrf_token=csrf,
        created_at=moment,
        expires_at=moment + lifetime,
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    return WebSession(
        cookie=sign(token, secret_key=secret_key), csrf_token=csrf, expires_at=row.expires_at
    )


@dataclass(frozen=True, slots=True)
class SessionPrincipal:
    """The user behind a valid session cookie, with the session's CSRF token."""

    principal: Principal
    csrf_token: str
    session_id: UUID


def session_principal(
    *, session: Session, cookie: str, secret_key: str, now: datetime | None = None
) -> SessionPrincipal | None:
    """Return who a session cookie belongs to, or None (forged, expired, ended, disabled)."""
    token = unsign(cookie, secret_key=secret_key)
    if token is None:
        return None
    found = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_hash == digest(token))
    ).first()
    if found is None:
        return None
    web, user = found
    if web.revoked_at is not None or web.expires_at <= _now(now) or not user.active:
        return None
    return SessionPrincipal(principal_of(user), web.csrf_token, web.id)


def end_session(*, session: Session, session_id: UUID, now: datetime | None = None) -> None:
    """End a session (sign out): its cookie no longer works."""
    row = session.get(WebSessionRow, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = _now(now)
        session.flush()


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time check of the CSRF token sent with an unsafe request."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


# --- API tokens ----------------------------------------------------------------------


class TokenInfo(BaseModel):
    """An API token as listed (never the secret)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    username: str
    name: str
    scopes: tuple[Action, ...]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewToken(BaseModel):
    """A token just made: the secret is shown once, here, and never again."""

    model_config = ConfigDict(frozen=True)

    token: str
    info: TokenInfo


def _token_info(row: ApiTokenRow, username: str) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        username=username,
        name=row.name,
        scopes=tuple(Action(s) for s in row.scopes.split()),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def parse_scopes(scopes: list[str] | None) -> frozenset[Action] | None:
    """Read scope names (``case.read``...); an unknown one is ``InvalidInput`` naming it."""
    if scopes is None:
        return None
    parsed: set[Action] = set()
    for scope in scopes:
        try:
            parsed.add(Action(scope.strip()))
        except ValueError as error:
            raise InvalidInput(f"scopes: {scope!r} is not an action, e.g. case.read") from error
    return frozenset(parsed)


def create_token(
    *,
    session: Session,
    username: str,
    name: str,
    scopes: frozenset[Action] | None,
    lifetime: timedelta,
    max_lifetime: timedelta,
    ceiling: frozenset[Action] | None = None,
    now: datetime | None = None,
) -> NewToken:
    """Make an API token for ``username``, limited to ``scopes`` and expiring.

    Scopes default to everything the user's role may do and must lie within it; the
    lifetime must be positive and at most ``max_lifetime``. ``ceiling`` is what the
    caller itself may do (a token used to make a token cannot make a stronger one).
    """
    moment = _now(now)
    row = user_row(session, username)
    if row is None:
        raise NotFound(f"no user {username.strip().lower()}")
    allowed = permissions_of(principal_of(row).role)
    if ceiling is not None:
        allowed = allowed & ceiling
    wanted = allowed if scopes is None else scopes
    beyond = sorted(s.value for s in wanted - allowed)
    if beyond:
        raise InvalidInput(
            f"scopes: {', '.join(beyond)} not allowed for role {row.role} (or this "
            "session); a token cannot do more than whoever makes it"
        )
    if not wanted:
        raise InvalidInput("scopes: give at least one")
    if lifetime <= timedelta(0):
        raise InvalidInput("expires: the lifetime must be positive")
    if lifetime > max_lifetime:
        raise InvalidInput(f"expires: a token lasts at most {max_lifetime.days} days")
    if not name.strip() or len(name) > 100:
        raise InvalidInput("name: give a name of 1 to 100 characters")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiTokenRow(
        id=uuid4(),
        user_id=row.id,
        name=name.strip(),
        token_hash=digest(secret),
        scopes=" ".join(sorted(s.value for s in wanted)),
        created_at=moment,
        expires_at=moment + lifetime,
        revoked_at=None,
        last_used_at=None,
    )
    session.add(token)
    session.flush()
    return NewToken(token=secret, info=_token_info(token, row.username))


def token_principal(
    *, session: Session, token: str, now: datetime | None = None
) -> Principal | None:
    """Return who a bearer token acts for, narrowed to its scopes; None if not valid."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    moment = _now(now)
    found = session.execute(
        select(ApiTokenRow, UserRow)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_hash == digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= moment or not user.active:
        return None
    return principal_of(user, via=Via.TOKEN, scopes=frozenset(row.scopes.split()))


TOKEN_USE_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is kept to the minute: a busy client does not write on every request."""


def record_token_use(
    *, factory: sessionmaker[Session], token: str, now: datetime | None = None
) -> None:
    """Note that a bearer token was presented, in a short transaction of its own.

    Call it before the request's own unit of work reads anything: on SQLite a transaction
    that read before another one committed cannot write afterwards. Apart from the request,
    a read stays a read, and the use is kept even when the request then fails. An unknown
    token matches no row.
    """
    if not token.startswith(TOKEN_PREFIX):
        return
    moment = _now(now)
    with factory() as session, session.begin():
        session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.token_hash == digest(token),
                or_(
                    ApiTokenRow.last_used_at.is_(None),
                    ApiTokenRow.last_used_at <= moment - TOKEN_USE_RESOLUTION,
                ),
            )
            .values(last_used_at=moment)
        )


def list_tokens(*, session: Session, username: str) -> list[TokenInfo]:
    """Return a user's tokens, newest first."""
    row = user_row(session, username)
    if row is None:
        raise NotFound(f"no user {username.strip().lower()}")
    tokens = session.scalars(
        select(ApiTokenRow)
        .where(ApiTokenRow.user_id == row.id)
        .order_by(ApiTokenRow.created_at.desc())
    )
    return [_token_info(t, row.username) for t in tokens]


def revoke_token(
    *, session: Session, username: str, token_id: UUID, now: datetime | None = None
) -> TokenInfo:
    """Revoke one of ``username``'s tokens (another user's token is ``NotFound``)."""
    row = user_row(session, username)
    token = session.get(ApiTokenRow, token_id)
    if row is None or token is None or token.user_id != row.id:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = _now(now)
        session.flush()
    return _token_info(token, row.username)
