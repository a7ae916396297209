"""Who is asking: a signed-in user, or a machine client holding one of a user's tokens."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from casework.domain.pole import name_key
from casework.security.roles import Action, UserRole, permissions_of


class Via(StrEnum):
    """How the principal proved who they are."""

    SESSION = "session"
    TOKEN = "token"  # noqa: S105 (a label, not a secret)
    CLI = "cli"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller. A token narrows the role's permissions to its scopes."""

    user_id: UUID
    username: str
    full_name: str
    role: UserRole
    force: str
    via: Via = Via.SESSION
    scopes: frozenset[Action] | None = None
    """For a token: what it may be used for; None means everything the role may do."""

    @property
    def permissions(self) -> frozenset[Action]:
        allowed = permissions_of(self.role)
        return allowed if self.scopes is None else allowed & self.scopes

    @property
    def name_key(self) -> str:
        """The user's name as persons are matched (``pole.name_key``)."""
        return name_key(self.full_name)
