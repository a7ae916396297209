"""`casework audit verify` and `casework audit log` (CONTRACTS.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from casework.cli.cases import LONDON, OutputFormat, _store
from casework.cli.main import app
from casework.errors import CaseworkError, InvalidInput
from casework.security.audit import AuditQuery, audit_entries, verify_chain

audit_app = typer.Typer(
    name="audit", help="The audit log: verify the chain, read entries.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")


class ChainBroken(CaseworkError):
    """The audit chain does not verify (exit 1)."""


def _moment(value: str, *, flag: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(
            f"{flag}: {value!r} is not a date or date-time; expected e.g. 2026-03-01 or "
            "2026-03-01T14:30"
        ) from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)


@audit_app.command("verify")
def verify() -> None:
    """Check every entry's hash and link; exit 1 naming the first broken entry."""
    with _store() as store:
        report = verify_chain(session=store.session)
    if not report.intact:
        raise ChainBroken(f"audit chain broken at entry {report.broken_seq}: {report.problem}")
    typer.echo(f"audit chain intact: {report.checked} entries")


@audit_app.command("log")
def log(
    case: str | None = typer.Option(None, "--case", help="Only entries about this case."),
    user: str | None = typer.Option(None, "--user", help="Only entries by this user."),
    action: str | None = typer.Option(None, "--action", help="Only this action, e.g. case.read."),
    since: str | None = typer.Option(None, "--since", help="From this date or date-time."),
    until: str | None = typer.Option(None, "--until", help="Before this date or date-time."),
    limit: int = typer.Option(200, "--limit", min=1, max=10_000, help="At most this many."),
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.TEXT
    ),
) -> None:
    """Print audit entries, oldest first, by case, user, action and time."""
    query = AuditQuery(
        case_reference=case,
        actor=user,
        action=action,
        since=_moment(since, flag="--since") if since else None,
        until=_moment(until, flag="--until") if until else None,
        limit=limit,
    )
    with _store() as store:
        entries = audit_entries(session=store.session, query=query)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    for entry in entries:
        at = entry.at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")
        about = entry.case_reference or entry.target or "-"
        typer.echo(
            f"{entry.seq:>7}  {at}  {entry.actor:<16} {entry.actor_role:<12} "
            f"{entry.action:<20} {entry.outcome.value:<8} {about}"
        )
    typer.echo(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
