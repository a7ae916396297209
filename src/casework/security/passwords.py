"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's guidance)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from casework.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_rules(password: str) -> None:
    """Refuse a password that is too short or absurdly long (``InvalidInput`` naming it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"password: must be at most {MAX_PASSWORD_LENGTH} characters long")


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password`` (salted; safe to store)."""
    return _hasher().hash(password)


_DUMMY_HASH: list[str] = []


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether ``password`` matches; with no hash, spend the same time and say no.

    Spending the time for unknown users keeps response times from telling which user
    names exist.
    """
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    if password_hash is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("casework-timing-equaliser"))
        password_hash = _DUMMY_HASH[0]
        password = password + "\x00never"
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's defaults."""
    return _hasher().check_needs_rehash(password_hash)
