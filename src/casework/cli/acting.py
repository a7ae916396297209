"""Who acts on the command line, and the one audit entry each case-data command writes.

``casework --as USERNAME ...`` (or CASEWORK_USER) names the Casework user who acts; without
it, the login name acts as an ``operator`` (the shell is trusted, like the database). Every
command of the groups in ``CASE_DATA_GROUPS`` opens its unit of work through
``audited_unit``: on success one entry is appended in the same transaction (action = the
command, e.g. ``case.show``; ``access`` read or write, as the session shows); on failure,
after the rollback, a ``failed`` entry in a transaction of its own. Commands themselves say
nothing about auditing.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from casework.security.audit import DetailValue, Outcome, append_audit, record_separately
from casework.security.unit_audit import Actor, UnitWatch, resolve_actor
from casework.store.engine import session_factory
from casework.store.journey_repositories import SqlJourneyStore

try:  # typer >= 0.17 runs on its own copy of click; its context stack is the one in use
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover (older typer on the click package)
    from click import get_current_context  # type: ignore[no-redef,assignment,unused-ignore]

logger = logging.getLogger(__name__)

CASE_DATA_GROUPS = frozenset(
    {
        "case",
        "victim",
        "evidence",
        "cps",
        "custody",
        "timeline",
        "suspect",
        "deadlines",
        "metrics",
        "dogs",
        "ops",  # weeks of action: force returns and the county lines line register
        "missing",  # missing-person cases and their logs
        "network",  # entities resolved across cases
        "referrals",  # industry referrals of online child sexual abuse
        "language",  # the report counts case records' language (``check`` reads files only)
    }
)
"""First word of every command that reads or writes case data."""
ACTING_ENV = "CASEWORK_USER"

_acting: dict[str, str | None] = {"as": None}


def set_acting_user(username: str | None) -> None:
    """Remember who acts for this run (the global ``--as`` option)."""
    _acting["as"] = username.strip().lower() if username and username.strip() else None


def login_name() -> str:
    """The operating-system user running the command."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "casework-cli"


def acting_user() -> str | None:
    """The Casework user named by ``--as`` / CASEWORK_USER, or None."""
    return _acting["as"]


def acting_name() -> str:
    """The name recorded as acting: ``--as`` / CASEWORK_USER, else the login name."""
    return _acting["as"] or login_name()


@dataclass(frozen=True, slots=True)
class Command:
    """The command being run, as the audit log names it."""

    words: tuple[str, ...]
    reference: str | None

    @property
    def action(self) -> str:
        return ".".join(self.words)[:60]

    @property
    def case_data(self) -> bool:
        return bool(self.words) and self.words[0] in CASE_DATA_GROUPS


def current_command() -> Command | None:
    """The command click is running (None outside one, e.g. a service called from a test)."""
    context = get_current_context(silent=True)
    if context is None:
        return None
    words: list[str] = []
    reference: str | None = None
    node: Any = context
    while node is not None and node.parent is not None:
        words.append(node.info_name or "?")
        value = node.params.get("reference")
        if reference is None and isinstance(value, str) and value.strip():
            reference = value.strip().upper()[:24]
        node = node.parent
    return Command(tuple(reversed(words)), reference)


def _detail(command: Command, access: str, **more: DetailValue) -> dict[str, DetailValue]:
    return {"command": " ".join(("casework", *command.words)), "access": access, **more}


@contextmanager
def audited_unit(engine: Engine) -> Iterator[SqlJourneyStore]:
    """One unit of work; for a case-data command, audited as a read or a write."""
    command = current_command()
    if command is None or not command.case_data:
        with SqlJourneyStore.open(engine) as store:
            yield store
        return
    actor: Actor | None = None
    try:
        with SqlJourneyStore.open(engine) as store:
            actor = resolve_actor(
                session=store.session, username=_acting["as"], fallback=login_name()
            )
            watch = UnitWatch(store.session)
            yield store
            store.session.flush()
            watch.close()
            cases = watch.created_cases
            reference = command.reference or (cases[0] if cases else None)
            append_audit(
                session=store.session,
                record=actor.record(
                    action=command.action,
                    case_reference=reference,
                    target="" if reference else "cases",
                    detail=_detail(command, "write" if watch.wrote else "read"),
                ),
            )
    except Exception as error:
        if actor is not None:
            _record_failure(engine, actor, command, error)
        raise


def _record_failure(engine: Engine, actor: Actor, command: Command, error: Exception) -> None:
    """Keep a ``failed`` entry although the command's own work was rolled back."""
    try:
        record_separately(
            factory=session_factory(engine),
            record=actor.record(
                action=command.action,
                outcome=Outcome.FAILED,
                case_reference=command.reference,
                target="" if command.reference else "cases",
                detail=_detail(command, "failed", error=type(error).__name__),
            ),
        )
    except SQLAlchemyError:  # the database itself is failing: report the first error
        logger.warning("could not record the failed command in the audit log", exc_info=True)
