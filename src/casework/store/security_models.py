"""Tables of the trust layer: users, API tokens, web sessions, sign-in attempts, case
teams and grants, and the hash-chained audit log.

Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256
digests. The audit log is append-only by contract (``security.audit`` only inserts); each
row carries the hash of the one before, and ``audit_head`` names the newest one, so that
changing, deleting or reordering rows, or cutting off the tail, is detected.
The schema is made by migration ``0002_security``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, NAME, Base

USERNAME = String(64)
DIGEST = String(64)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME, unique=True)
    full_name: Mapped[str] = mapped_column(NAME)
    role: Mapped[str] = mapped_column(String(20))
    force: Mapped[str] = mapped_column(FORCE, index=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    """argon2id hash; None for a user who signs in only through OpenID Connect."""
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    active: Mapped[bool]
    failed_sign_ins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    scopes: Mapped[str] = mapped_column(Text)
    """Actions the token may be used for, space-separated (within its user's role)."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(DIGEST, unique=True)
    csrf_token: Mapped[str] = mapped_column(DIGEST)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SignInAttemptRow(Base):
    """Every sign-in attempt, for the per-client rate limit and for investigation."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_client_at", "client", "at"),
        Index("ix_sign_in_attempts_username_at", "username", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    succeeded: Mapped[bool]


class CaseTeamMemberRow(Base):
    """A user put on a case's team explicitly (besides staff parties named on the case)."""

    __tablename__ = "case_team_members"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    force: Mapped[str] = mapped_column(FORCE)
    """The case's force (every case-data row carries it)."""
    added_by: Mapped[str] = mapped_column(USERNAME)
    added_at: Mapped[datetime]


class CaseGrantRow(Base):
    """An explicit, expiring permission for one user to see one case, with the reason."""

    __tablename__ = "case_grants"
    __table_args__ = (Index("ix_case_grants_user_id_case_id", "user_id", "case_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    """The case's force (every case-data row carries it)."""
    granted_by: Mapped[str] = mapped_column(USERNAME)
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AuditEntryRow(Base):
    """One audit entry; ``hash`` is SHA-256 over its canonical form, ``prev_hash`` included."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_case_reference_seq", "case_reference", "seq"),
        Index("ix_audit_log_actor_seq", "actor", "seq"),
        Index("ix_audit_log_at", "at"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(USERNAME)
    actor_role: Mapped[str] = mapped_column(String(20))
    force: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(10))
    case_reference: Mapped[str | None] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(DIGEST)
    hash: Mapped[str] = mapped_column(DIGEST, unique=True)


class AuditHeadRow(Base):
    """The newest audit entry (one row, id 1); appends lock it so that the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(DIGEST)
