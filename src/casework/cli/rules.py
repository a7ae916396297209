"""`casework rules ...`: offence codes, time limits, working days (CONTRACTS.md, Cases and rules).

Parse, call a ``journey.rules`` service, render: the rules themselves live in
``domain.rules`` and their data in ``domain/data``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from casework.cli.main import app
from casework.domain.rules import Deadline, Offence
from casework.errors import InvalidInput
from casework.journey import rules as rules_service

rules_app = typer.Typer(
    name="rules",
    help="Statutory and Victims' Code rules: offences, time limits, working days.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]


def parse_date(value: str, *, flag: str) -> date:
    """Parse a YYYY-MM-DD date given to ``flag``; anything else is InvalidInput naming it."""
    if _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as error:
            raise InvalidInput(f"{flag}: {value!r} is not a real date ({error})") from error
    raise InvalidInput(f"{flag}: {value!r} is not a date; expected YYYY-MM-DD, e.g. 2024-01-31")


def _offence_row(offence: Offence) -> dict[str, str]:
    return {
        "code": offence.code,
        "name": offence.name,
        "statute": offence.citation,
        "mode_of_trial": offence.mode_of_trial.value,
        "domestic_abuse": offence.domestic_abuse.value,
    }


@rules_app.command("offences")
def offences(
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """List offence codes with name, statute and section, and mode of trial."""
    catalogue = rules_service.offence_catalogue()
    rows = [_offence_row(o) for o in catalogue.offences]
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps({"version": catalogue.version, "offences": rows}, indent=2))
        return
    code_w = max(len(r["code"]) for r in rows)
    mode_w = max(len(o.mode_of_trial.label) for o in catalogue.offences)
    for offence in catalogue.offences:
        typer.echo(
            f"{offence.code:<{code_w}}  {offence.mode_of_trial.label:<{mode_w}}  "
            f"{offence.name} ({offence.citation})"
        )
    typer.echo(f"offence catalogue version {catalogue.version}")


def _deadline_json(deadline: Deadline) -> str:
    last_day = deadline.due.isoformat() if deadline.due is not None else None
    return json.dumps({"last_day": last_day, "rule": deadline.rule, "source": deadline.source})


@rules_app.command("time-limit")
def time_limit(
    offence: str = typer.Option(..., "--offence", help="Offence code (see `rules offences`)."),
    offence_date: str = typer.Option(..., "--offence-date", help="YYYY-MM-DD."),
    domestic_abuse: bool = typer.Option(
        False, "--domestic-abuse", help="The behaviour is domestic abuse (DA Act 2021 s.1)."
    ),
    statement_date: str | None = typer.Option(
        None,
        "--statement-date",
        help="YYYY-MM-DD: first witness statement or video-recorded interview of the victim.",
    ),
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print the last day on which proceedings may start, the rule applied and its source."""
    deadline = rules_service.time_limit(
        offence_code=offence.strip(),
        offence_date=parse_date(offence_date, flag="--offence-date"),
        domestic_abuse=domestic_abuse,
        statement_date=(
            parse_date(statement_date, flag="--statement-date")
            if statement_date is not None
            else None
        ),
    )
    if fmt is OutputFormat.JSON:
        typer.echo(_deadline_json(deadline))
        return
    last_day = (
        deadline.due.isoformat() if deadline.due is not None else "none (no statutory time limit)"
    )
    typer.echo(f"last day:   {last_day}")
    typer.echo(f"rule:       {deadline.rule_id}: {deadline.rule}")
    typer.echo(f"source:     {deadline.source}")
    typer.echo(f"started by: {deadline.started_by}")
    if deadline.detail:
        typer.echo(f"how:        {deadline.detail}")


@rules_app.command("working-days")
def working_days(
    start: str = typer.Option(..., "--from", help="YYYY-MM-DD; not itself counted."),
    add: int = typer.Option(..., "--add", help="Working days to add (negative: before)."),
) -> None:
    """Print the date N working days (England and Wales) after the given date."""
    typer.echo(
        rules_service.add_working_days(start=parse_date(start, flag="--from"), days=add).isoformat()
    )
