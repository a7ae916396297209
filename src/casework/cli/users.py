"""`casework user add|list|grant|team|unlock|disable|enable` and `casework token create`.

Run by whoever administers the server (the shell is trusted, like the database itself);
each change is written to the audit log under the login name, as role ``operator``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from casework.cli.cases import OutputFormat, _actor, _store
from casework.cli.main import app
from casework.config import get_settings
from casework.errors import InvalidInput
from casework.security.audit import AuditRecord, DetailValue, Outcome, append_audit
from casework.security.auth import create_token, parse_scopes
from casework.security.roles import UserRole
from casework.security.users import (
    add_to_team,
    create_user,
    grant_case,
    list_users,
    set_active,
    unlock_user,
)
from casework.store import SqlCaseStore

PASSWORD_ENV = "CASEWORK_NEW_PASSWORD"  # noqa: S105 (the name of a variable)

user_app = typer.Typer(
    name="user", help="User accounts, case teams and grants.", no_args_is_help=True
)
token_app = typer.Typer(name="token", help="API tokens for machine clients.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

ByOption = Annotated[
    str | None, typer.Option("--by", help="Who makes the change (default: your login name).")
]


def _audit(
    store: SqlCaseStore,
    who: str,
    *,
    action: str,
    target: str = "",
    case_reference: str | None = None,
    detail: dict[str, DetailValue] | None = None,
) -> None:
    append_audit(
        session=store.session,
        record=AuditRecord(
            actor=who[:64],
            actor_role="operator",
            force="-",
            action=action,
            outcome=Outcome.ALLOWED,
            case_reference=case_reference,
            target=target,
            detail={"via": "cli", **(detail or {})},
        ),
    )


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise InvalidInput(f"password: give it with --password-stdin or in {PASSWORD_ENV}")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: a-z, 0-9, '.', '_', '-'.")],
    role: Annotated[UserRole, typer.Option("--role", help="The user's role.")],
    force: str = typer.Option(..., "--force", help="Force code, e.g. WY."),
    name: str | None = typer.Option(
        None, "--name", help="Full name as on cases, e.g. 'Amy KHAN' (matches staff parties)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help=f"Read the password from stdin (else {PASSWORD_ENV})."
    ),
    by: ByOption = None,
) -> None:
    """Create a local account (argon2id-hashed password)."""
    password = _password(password_stdin)
    with _store() as store:
        user = create_user(
            session=store.session,
            username=username,
            password=password,
            role=role,
            force=force,
            full_name=name,
        )
        _audit(store, _actor(by), action="user.add", target=user.username, detail={"role": role})
    typer.echo(f"{user.username}: {user.role.value} in {user.force}")


@user_app.command("list")
def list_(
    force: str | None = typer.Option(None, "--force", help="Only this force's users."),
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.TEXT
    ),
) -> None:
    """List users with role, force and whether they are locked out or disabled."""
    with _store() as store:
        users = list_users(session=store.session, force=force)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([u.model_dump(mode="json") for u in users], indent=2))
        return
    now = datetime.now(UTC)
    for user in users:
        state = "" if user.active else "  DISABLED"
        if user.locked_until is not None and user.locked_until > now:
            state += f"  LOCKED until {user.locked_until.isoformat(timespec='minutes')}"
        typer.echo(
            f"{user.username:<24} {user.role.value:<13} {user.force:<5} {user.full_name}{state}"
        )
    typer.echo(f"{len(users)} user(s)")


@user_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="Who gets access.")],
    case: str = typer.Option(..., "--case", help="Case reference, e.g. WY-2026-000123."),
    reason: str = typer.Option(..., "--reason", help="Why they need to know (kept)."),
    days: int = typer.Option(7, "--days", min=1, max=366, help="How long the grant lasts."),
    by: ByOption = None,
) -> None:
    """Let a user see one case for a limited time (an explicit, expiring grant)."""
    who = _actor(by)
    with _store() as store:
        made = grant_case(
            session=store.session,
            reference=case,
            username=username,
            granted_by=who[:64],
            reason=reason,
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
        _audit(
            store,
            who,
            action="case.grant",
            target=made.username,
            case_reference=made.reference,
            detail={"expires_at": made.expires_at.isoformat(), "reason": made.reason},
        )
    typer.echo(
        f"{made.username} may see {made.reference} until "
        f"{made.expires_at.isoformat(timespec='minutes')}"
    )


@user_app.command("team")
def team(
    username: Annotated[str, typer.Argument(help="Who joins the team.")],
    case: str = typer.Option(..., "--case", help="Case reference."),
    by: ByOption = None,
) -> None:
    """Put a user on a case's team (they see it even when it is restricted)."""
    who = _actor(by)
    with _store() as store:
        add_to_team(session=store.session, reference=case, username=username, added_by=who[:64])
        _audit(store, who, action="case.team", target=username, case_reference=case.upper())
    typer.echo(f"{username} is on the team of {case.upper()}")


@user_app.command("unlock")
def unlock(username: Annotated[str, typer.Argument()], by: ByOption = None) -> None:
    """Lift a lock-out after repeated sign-in failures."""
    with _store() as store:
        user = unlock_user(session=store.session, username=username)
        _audit(store, _actor(by), action="user.unlock", target=user.username)
    typer.echo(f"{user.username}: unlocked")


@user_app.command("disable")
def disable(username: Annotated[str, typer.Argument()], by: ByOption = None) -> None:
    """Disable an account: no sign-in, its sessions and tokens stop working."""
    with _store() as store:
        user = set_active(session=store.session, username=username, active=False)
        _audit(store, _actor(by), action="user.disable", target=user.username)
    typer.echo(f"{user.username}: disabled")


@user_app.command("enable")
def enable(username: Annotated[str, typer.Argument()], by: ByOption = None) -> None:
    """Enable a disabled account again."""
    with _store() as store:
        user = set_active(session=store.session, username=username, active=True)
        _audit(store, _actor(by), action="user.enable", target=user.username)
    typer.echo(f"{user.username}: enabled")


@token_app.command("create")
def token_create(
    user: str = typer.Option(..., "--user", help="The user the token acts for."),
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. 'nightly export'."),
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="Action it may do, e.g. case.read (repeatable; default all)."),
    ] = None,
    days: int = typer.Option(30, "--days", min=1, help="Days until it expires."),
    by: ByOption = None,
) -> None:
    """Make an API token; it is printed once and stored only as a hash."""
    settings = get_settings()
    with _store() as store:
        made = create_token(
            session=store.session,
            username=user,
            name=name,
            scopes=parse_scopes(scope),
            lifetime=timedelta(days=days),
            max_lifetime=timedelta(days=settings.token_max_days),
        )
        _audit(
            store,
            _actor(by),
            action="token.create",
            target=f"{made.info.username}/{made.info.id}",
            detail={"scopes": " ".join(made.info.scopes)},
        )
    typer.echo(made.token)
    typer.echo(
        f"token {made.info.id} for {made.info.username}, expires "
        f"{made.info.expires_at.isoformat(timespec='minutes')}; scopes: "
        f"{' '.join(made.info.scopes)}",
        err=True,
    )
