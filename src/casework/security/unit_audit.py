"""Audit a whole unit of work: who acts, whether it wrote, and which cases it touched.

Faces without per-route guards (the command line) wrap each unit of work with
``UnitWatch``: it notes every INSERT, UPDATE and DELETE the session makes and the case rows
it creates, so that one entry (read or write) can be appended at the end in the same
transaction, without each command having to say what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from casework.errors import InvalidInput, PermissionDenied
from casework.security.audit import AuditRecord, DetailValue, Outcome
from casework.security.principal import Principal, Via
from casework.security.users import principal_of, user_row
from casework.store.models import CaseRow

OPERATOR_ROLE = "operator"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a Casework user (``principal``) or the operator at the shell (``name``)."""

    name: str
    principal: Principal | None = None

    def record(
        self,
        *,
        action: str,
        outcome: Outcome = Outcome.ALLOWED,
        case_reference: str | None = None,
        target: str = "",
        detail: dict[str, DetailValue] | None = None,
    ) -> AuditRecord:
        """The audit record of something this actor did."""
        if self.principal is not None:
            return AuditRecord.of(
                self.principal,
                action=action,
                outcome=outcome,
                case_reference=case_reference,
                target=target,
                detail=detail,
            )
        return AuditRecord(
            actor=self.name[:64],
            actor_role=OPERATOR_ROLE,
            force="-",
            action=action[:60],
            outcome=outcome,
            case_reference=case_reference,
            target=target,
            detail={**(detail or {}), "via": Via.CLI.value},
        )


def resolve_actor(*, session: Session, username: str | None, fallback: str) -> Actor:
    """The user named ``username`` acting through the CLI, or the operator ``fallback``.

    A name that is given must be an active user: an audit trail naming someone who does not
    exist, or whose account is disabled, is worse than none.
    """
    if username is None or not username.strip():
        return Actor(name=fallback)
    row = user_row(session, username)
    if row is None:
        raise InvalidInput(
            f"--as / CASEWORK_USER: no user {username.strip().lower()!r} (see `casework user list`)"
        )
    if not row.active:
        raise PermissionDenied(f"--as / CASEWORK_USER: the account {row.username} is disabled")
    principal = principal_of(row, via=Via.CLI)
    return Actor(name=principal.username, principal=principal)


@dataclass
class UnitWatch:
    """Notes whether a session wrote, and the references of cases it created."""

    session: Session
    wrote: bool = False
    created_cases: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        event.listen(self.session, "after_flush", self._after_flush)
        event.listen(self.session, "do_orm_execute", self._on_execute)

    def close(self) -> None:
        """Stop watching (before the unit's own audit entry is written)."""
        event.remove(self.session, "after_flush", self._after_flush)
        event.remove(self.session, "do_orm_execute", self._on_execute)

    def _after_flush(self, session: Session, _context: Any) -> None:
        # session.new / dirty / deleted still hold the pre-flush state here.
        if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
            self.wrote = True
        self.created_cases.extend(o.reference for o in session.new if isinstance(o, CaseRow))

    def _on_execute(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            self.wrote = True
