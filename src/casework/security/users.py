"""Local user accounts, case teams and explicit grants.

Keyword-only services over a SQLAlchemy ``Session`` (``SqlCaseStore.session``); they flush,
never commit, so that the caller's unit of work decides.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.cases import CaseReference
from casework.domain.pole import FORCE_CODE
from casework.errors import Conflict, InvalidInput, NotFound
from casework.security.passwords import check_password_rules, hash_password
from casework.security.principal import Principal, Via
from casework.security.roles import Action, UserRole
from casework.store.models import CaseRow
from casework.store.security_models import CaseGrantRow, CaseTeamMemberRow, UserRow

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MAX_GRANT = timedelta(days=366)


class UserInfo(BaseModel):
    """A user as shown to administrators (never the password hash)."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    username: str
    full_name: str
    role: UserRole
    force: str
    active: bool
    locked_until: datetime | None
    created_at: datetime


class GrantInfo(BaseModel):
    """An explicit grant on a case."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    reference: str
    username: str
    granted_by: str
    reason: str
    granted_at: datetime
    expires_at: datetime


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _info(row: UserRow) -> UserInfo:
    return UserInfo(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=UserRole(row.role),
        force=row.force,
        active=row.active,
        locked_until=row.locked_until,
        created_at=row.created_at,
    )


def principal_of(
    row: UserRow, *, via: Via = Via.SESSION, scopes: frozenset[str] | None = None
) -> Principal:
    """Return the principal a user row acts as."""
    return Principal(
        user_id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=UserRole(row.role),
        force=row.force,
        via=via,
        scopes=None if scopes is None else frozenset(Action(s) for s in scopes),
    )


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            f"username: {username!r} must be 2 to 64 of a-z, 0-9, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _clean_role(role: UserRole | str) -> UserRole:
    try:
        return UserRole(role)
    except ValueError as error:
        choices = ", ".join(r.value for r in UserRole)
        raise InvalidInput(f"role: {role!r} is not a role; choose one of {choices}") from error


def _clean_force(force: str) -> str:
    code = force.strip().upper()
    if not re.fullmatch(FORCE_CODE, code):
        raise InvalidInput(f"force: {force!r} must be a force code of 2 to 4 letters, e.g. WY")
    return code


def create_user(
    *,
    session: Session,
    username: str,
    password: str | None,
    role: UserRole | str,
    force: str,
    full_name: str | None = None,
    oidc_subject: str | None = None,
    now: datetime | None = None,
) -> UserInfo:
    """Create a local account; the password is stored as an argon2id hash.

    ``password`` may be None only for a user who signs in through OpenID Connect.
    A username that exists already is a ``Conflict``.
    """
    name = _clean_username(username)
    user_role = _clean_role(role)
    code = _clean_force(force)
    if password is None and oidc_subject is None:
        raise InvalidInput("password: required for a local account")
    if password is not None:
        check_password_rules(password)
    if session.scalar(select(UserRow.id).where(UserRow.username == name)) is not None:
        raise Conflict(f"user {name} exists already")
    row = UserRow(
        id=uuid4(),
        username=name,
        full_name=(full_name or name).strip() or name,
        role=user_role.value,
        force=code,
        password_hash=hash_password(password) if password is not None else None,
        oidc_subject=oidc_subject,
        active=True,
        failed_sign_ins=0,
        locked_until=None,
        created_at=_now(now),
    )
    session.add(row)
    session.flush()
    return _info(row)


def user_row(session: Session, username: str) -> UserRow | None:
    """Return the user row for ``username`` (any letter case), or None."""
    return session.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))


def _existing(session: Session, username: str) -> UserRow:
    row = user_row(session, username)
    if row is None:
        raise NotFound(f"no user {username.strip().lower()}")
    return row


def get_user(*, session: Session, username: str) -> UserInfo:
    """Return the user, or ``NotFound``."""
    return _info(_existing(session, username))


def list_users(*, session: Session, force: str | None = None) -> list[UserInfo]:
    """Return every user (of ``force`` when given), by username."""
    statement = select(UserRow).order_by(UserRow.username)
    if force is not None:
        statement = statement.where(UserRow.force == _clean_force(force))
    return [_info(r) for r in session.scalars(statement)]


def set_password(*, session: Session, username: str, password: str) -> UserInfo:
    """Replace a user's password (and lift a lock-out)."""
    check_password_rules(password)
    row = _existing(session, username)
    row.password_hash = hash_password(password)
    row.failed_sign_ins = 0
    row.locked_until = None
    session.flush()
    return _info(row)


def set_active(*, session: Session, username: str, active: bool) -> UserInfo:
    """Enable or disable an account; a disabled user cannot sign in or use tokens."""
    row = _existing(session, username)
    row.active = active
    session.flush()
    return _info(row)


def unlock_user(*, session: Session, username: str) -> UserInfo:
    """Lift a lock-out after repeated sign-in failures."""
    row = _existing(session, username)
    row.failed_sign_ins = 0
    row.locked_until = None
    session.flush()
    return _info(row)


def _case_id(session: Session, reference: str | CaseReference) -> tuple[UUID, str, str]:
    try:
        ref = reference if isinstance(reference, CaseReference) else CaseReference.parse(reference)
    except ValueError as error:
        raise InvalidInput(f"case: {error}") from error
    found = session.execute(
        select(CaseRow.id, CaseRow.force).where(CaseRow.reference == str(ref))
    ).first()
    if found is None:
        raise NotFound(f"no case {ref}")
    return found[0], str(ref), found[1]


def add_to_team(
    *,
    session: Session,
    reference: str | CaseReference,
    username: str,
    added_by: str,
    now: datetime | None = None,
) -> None:
    """Put a user on a case's team (they then see it, even when it is restricted)."""
    case_id, _, force = _case_id(session, reference)
    user = _existing(session, username)
    if session.get(CaseTeamMemberRow, (case_id, user.id)) is not None:
        return
    session.add(
        CaseTeamMemberRow(
            case_id=case_id, user_id=user.id, force=force, added_by=added_by, added_at=_now(now)
        )
    )
    session.flush()


def grant_case(
    *,
    session: Session,
    reference: str | CaseReference,
    username: str,
    granted_by: str,
    reason: str,
    expires_at: datetime,
    now: datetime | None = None,
) -> GrantInfo:
    """Let one user see one case until ``expires_at``, for the reason given (kept)."""
    moment = _now(now)
    if not reason.strip():
        raise InvalidInput("reason: say why the access is needed")
    if expires_at.tzinfo is None:
        raise InvalidInput("expires: give a time zone")
    if expires_at <= moment:
        raise InvalidInput("expires: must be in the future")
    if expires_at - moment > MAX_GRANT:
        raise InvalidInput(f"expires: a grant lasts at most {MAX_GRANT.days} days")
    case_id, ref, force = _case_id(session, reference)
    user = _existing(session, username)
    row = CaseGrantRow(
        id=uuid4(),
        case_id=case_id,
        user_id=user.id,
        force=force,
        granted_by=granted_by,
        reason=reason.strip(),
        granted_at=moment,
        expires_at=expires_at,
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    return GrantInfo(
        id=row.id,
        reference=ref,
        username=user.username,
        granted_by=granted_by,
        reason=row.reason,
        granted_at=moment,
        expires_at=expires_at,
    )


def revoke_grants(
    *,
    session: Session,
    reference: str | CaseReference,
    username: str,
    now: datetime | None = None,
) -> int:
    """End every open grant of ``username`` on the case; return how many."""
    case_id, _, _ = _case_id(session, reference)
    user = _existing(session, username)
    rows = session.scalars(
        select(CaseGrantRow).where(
            CaseGrantRow.case_id == case_id,
            CaseGrantRow.user_id == user.id,
            CaseGrantRow.revoked_at.is_(None),
        )
    ).all()
    for row in rows:
        row.revoked_at = _now(now)
    session.flush()
    return len(rows)
