"""`casework case ...` and `casework deadlines`: the justice journey from the shell.

Parse, call a ``journey`` service inside one unit of work, render. The database is the one
in the settings (SQLite in CASEWORK_HOME, or CASEWORK_DATABASE_URL); its schema is brought
up to date on first use, so these commands work on a fresh machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from casework.cli.acting import acting_name, audited_unit
from casework.cli.database import configured_engine
from casework.cli.journey_panel import cps_json, print_panels, victim_json
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.domain.case_deadlines import CaseDeadline
from casework.domain.cases import CaseQuery, NewCase, OffenceDetails, Role
from casework.domain.pole import EventDetails, EventKind, EventPhase, PersonDetails
from casework.domain.repositories import DueDeadline
from casework.domain.stages import Agency, Stage
from casework.errors import InvalidInput
from casework.journey import cases as case_service
from casework.journey.cps import cps_file
from casework.journey.deadlines import deadlines_due, today_in_london
from casework.journey.rules import find_offence
from casework.journey.victim import victim_panel
from casework.store.journey_repositories import SqlJourneyStore

LONDON = ZoneInfo("Europe/London")

case_app = typer.Typer(
    name="case",
    help="Cases: open, show, list, and move them through the justice journey.",
    no_args_is_help=True,
)
app.add_typer(case_app, name="case")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]
VictimOption = Annotated[
    list[str] | None, typer.Option("--victim", help="Victim's name (repeatable).")
]
SuspectOption = Annotated[
    list[str] | None, typer.Option("--suspect", help="Suspect's name (repeatable).")
]
WitnessOption = Annotated[
    list[str] | None, typer.Option("--witness", help="Witness's name (repeatable).")
]
OfficerOption = Annotated[
    list[str] | None, typer.Option("--officer", help="Officer in the case (repeatable).")
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who records the change (default: your login name)."),
]


def _actor(by: str | None) -> str:
    """Who records a change: ``--by``, else who acts (``--as``, else the login name)."""
    return by if by is not None else acting_name()


@contextmanager
def _store() -> Iterator[SqlJourneyStore]:
    """Open the configured database (migrating it if behind) as one unit of work."""
    with configured_engine() as engine, audited_unit(engine) as store:
        yield store  # case-data commands: one audit entry each


def parse_duration(value: str, *, flag: str) -> timedelta:
    """Read ``7d``, ``48h`` or ``2w``; anything else is InvalidInput naming ``flag``."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([dhw])\s*", value.lower())
    if match is None:
        raise InvalidInput(
            f"{flag}: {value!r} is not a duration; use a whole number with d (days), "
            "h (hours) or w (weeks), e.g. 7d or 48h"
        )
    amount, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
        "w": timedelta(weeks=amount),
    }[unit]


def _parse_moment(value: str, *, flag: str) -> datetime:
    """Read an ISO date-time; without a zone it is London time, a bare date is noon."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time()).replace(
                hour=12
            )
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            f"{flag}: {value!r} is not a date and time; expected e.g. 2026-03-01T14:30"
        ) from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)


def _person(name: str, *, flag: str) -> PersonDetails:
    try:
        return PersonDetails.from_full_name(name)
    except ValueError as error:
        raise InvalidInput(f"{flag}: {error}") from error


def _local(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@case_app.command("open")
def open_case(
    force: str = typer.Option(..., "--force", help="Force code, e.g. WY."),
    offence: Annotated[
        list[str] | None,
        typer.Option("--offence", help="Offence code (repeatable); see `casework rules offences`."),
    ] = None,
    offence_date: str | None = typer.Option(
        None, "--offence-date", help="YYYY-MM-DD the offences were committed (last day)."
    ),
    reported: str | None = typer.Option(
        None, "--reported", help="YYYY-MM-DD the crime was reported (default: today)."
    ),
    domestic_abuse: bool = typer.Option(False, "--domestic-abuse", help="Domestic abuse."),
    restricted: bool = typer.Option(False, "--restricted", help="Restricted: need to know."),
    enhanced_rights: bool = typer.Option(
        False, "--enhanced-rights", help="Victim has Victims' Code Enhanced Rights."
    ),
    victim: VictimOption = None,
    suspect: SuspectOption = None,
    witness: WitnessOption = None,
    officer: OfficerOption = None,
    by: ByOption = None,
) -> None:
    """Open a case at 'reported' and print its reference."""
    committed_on = parse_date(offence_date, flag="--offence-date") if offence_date else None
    reported_on = parse_date(reported, flag="--reported") if reported else today_in_london()
    offence = offence or []
    for code in offence:
        try:
            find_offence(code.strip())
        except InvalidInput as error:
            raise InvalidInput(f"--offence: {error}") from error
    parties = [
        (role, _person(name, flag=flag))
        for role, flag, names in (
            (Role.VICTIM, "--victim", victim),
            (Role.SUSPECT, "--suspect", suspect),
            (Role.WITNESS, "--witness", witness),
            (Role.OFFICER_IN_CASE, "--officer", officer),
        )
        for name in names or ()
    ]
    new = case_service.validated(
        NewCase,
        force=force,
        reported_on=reported_on,
        offences=[OffenceDetails(code=c.strip(), committed_on=committed_on) for c in offence],
        domestic_abuse=domestic_abuse,
        restricted=restricted,
        enhanced_rights=enhanced_rights,
        parties=parties,
    )
    with _store() as store:
        case = case_service.open_case(store=store, new=new, actor=_actor(by))
    typer.echo(str(case.reference))


def _deadline_lines(deadline: CaseDeadline, today: date) -> list[str]:
    if deadline.problem:
        head = f"  ?           {deadline.kind.value:<13} {deadline.about}: {deadline.problem}"
        return [head]
    if deadline.due is None:
        state = "no limit"
        due = "-"
    else:
        due = deadline.due.isoformat()
        if deadline.settled_on is not None:
            state = f"met {deadline.settled_on.isoformat()} ({deadline.settled_by})"
        elif deadline.is_overdue(today):
            state = f"OVERDUE by {-(deadline.days_left(today) or 0)} day(s)"
        else:
            state = f"due in {deadline.days_left(today)} day(s)"
    lines = [f"  {due:<11} {deadline.kind.value:<13} {deadline.about}: {state}"]
    lines.append(f"      rule:       {deadline.rule_id}: {deadline.rule}")
    if deadline.source:
        lines.append(f"      source:     {deadline.source}")
    if deadline.started_by:
        lines.append(f"      started by: {deadline.started_by}")
    if deadline.detail:
        lines.append(f"      how:        {deadline.detail}")
    return lines


@case_app.command("show")
def show(
    reference: str = typer.Argument(..., help="Case reference, e.g. WY-2026-000123."),
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print a case: summary, parties, offences, history, timeline, deadlines, victim, CPS."""
    today = today_in_london()
    with _store() as store:
        file = case_service.get_case(store=store, reference=reference)
        victim = victim_panel(store=store, reference=reference, today=today)
        cps = cps_file(store=store, reference=reference)
    if fmt is OutputFormat.JSON:
        data = {**file.model_dump(mode="json"), "victim": victim_json(victim), "cps": cps_json(cps)}
        typer.echo(json.dumps(data, indent=2))
        return
    case = file.case
    yes = {True: "yes", False: "no"}
    typer.echo(f"{case.reference}  {case.stage.words}")
    typer.echo(f"  force:           {case.force}")
    typer.echo(f"  reported:        {case.reported_on.isoformat()}")
    typer.echo(f"  opened:          {_local(case.opened_at)}")
    typer.echo(f"  domestic abuse:  {yes[case.domestic_abuse]}")
    typer.echo(f"  restricted:      {yes[case.restricted]}")
    typer.echo(f"  enhanced rights: {yes[case.victim_has_enhanced_rights]}")
    typer.echo("Parties:")
    for party in case.parties or ():
        dob = party.person.date_of_birth
        born = f" (born {dob.isoformat()})" if dob else ""
        typer.echo(f"  {party.role.words:<20} {party.person.full_name}{born}")
    if not case.parties:
        typer.echo("  (none)")
    typer.echo("Offences:")
    for offence in case.offences:
        known = find_offence(offence.code)
        when = offence.committed_on.isoformat() if offence.committed_on else "date not recorded"
        typer.echo(f"  {offence.code:<20} {known.name} ({known.citation}); committed {when}")
    if not case.offences:
        typer.echo("  (none)")
    typer.echo("Stage history:")
    for change in case.history:
        source = change.source.value if change.source else "-"
        typer.echo(
            f"  {_local(change.at)}  {source} -> {change.target.value}  "
            f"decided by {change.decided_by.value}, recorded by {change.actor}: {change.reason}"
        )
    typer.echo("Timeline:")
    for event in file.events:
        phase = f" [{event.phase.value}]" if event.phase else ""
        typer.echo(
            f"  {_local(event.occurred_at)}  {event.kind.words}{phase} ({event.status.value}): "
            f"{event.description}"
        )
    if not file.events:
        typer.echo("  (none)")
    typer.echo(f"Deadlines (today {today.isoformat()}):")
    for deadline in file.deadlines:
        for line in _deadline_lines(deadline, today):
            typer.echo(line)
    if not file.deadlines:
        typer.echo("  (none)")
    print_panels(victim, cps, today)


@case_app.command("list")
def list_cases(
    stage: Annotated[Stage | None, typer.Option("--stage", help="Only at this stage.")] = None,
    offence: str | None = typer.Option(None, "--offence", help="Only cases with this offence."),
    force: str | None = typer.Option(None, "--force", help="Only this force's cases."),
    officer: str | None = typer.Option(None, "--officer", help="Officer in the case, by name."),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000, help="At most this many."),
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """List cases, newest first, filtered by stage, offence, force or officer."""
    query = case_service.validated(
        CaseQuery, stage=stage, offence=offence, force=force, officer=officer, limit=limit
    )
    with _store() as store:
        found = case_service.list_cases(store=store, query=query)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in found], indent=2))
        return
    for case in found:
        flags = "".join(
            (" DA" if case.domestic_abuse else "", " RESTRICTED" if case.restricted else "")
        )
        typer.echo(
            f"{case.reference}  {case.stage.value:<24} {case.reported_on.isoformat()}  "
            f"{','.join(case.offences) or '-'}  OIC: {', '.join(case.officers) or '-'}{flags}"
        )
    typer.echo(f"{len(found)} case(s)")


@case_app.command("advance")
def advance(
    reference: Annotated[str, typer.Argument(help="Case reference.")],
    to: Annotated[Stage, typer.Option("--to", help="The stage to move to.")],
    reason: str = typer.Option(..., "--reason", help="Why (kept in the stage history)."),
    decided_by: Annotated[
        Agency | None,
        typer.Option("--decided-by", help="Agency that decided (needed when more than one may)."),
    ] = None,
    by: ByOption = None,
) -> None:
    """Move a case to another stage, recording who decided, who recorded it, when and why."""
    with _store() as store:
        case = case_service.advance(
            store=store,
            reference=reference,
            to=to,
            reason=reason,
            actor=_actor(by),
            decided_by=decided_by,
        )
    typer.echo(f"{case.reference}: {case.history[-2].target.value} -> {case.stage.value}")


@case_app.command("add-party")
def add_party(
    reference: Annotated[str, typer.Argument(help="Case reference.")],
    role: Annotated[Role, typer.Option("--role", help="The person's role in the case.")],
    name: str = typer.Option(..., "--name", help="Full name, e.g. 'Jane SMITH'."),
    born: str | None = typer.Option(None, "--born", help="Date of birth, YYYY-MM-DD."),
    by: ByOption = None,
) -> None:
    """Link a person to a case (an existing person is reused when the match is certain)."""
    details = _person(name, flag="--name")
    if born is not None:
        details = details.model_copy(update={"date_of_birth": parse_date(born, flag="--born")})
    with _store() as store:
        case = case_service.add_party(
            store=store, reference=reference, role=role, person=details, actor=_actor(by)
        )
    typer.echo(f"{case.reference}: {details.full_name} added as {role.words}")


@case_app.command("add-offence")
def add_offence(
    reference: Annotated[str, typer.Argument(help="Case reference.")],
    offence: str = typer.Option(..., "--offence", help="Offence code."),
    offence_date: str | None = typer.Option(None, "--offence-date", help="YYYY-MM-DD."),
    by: ByOption = None,
) -> None:
    """Record an offence on a case; its time limit is worked out at once."""
    committed_on = parse_date(offence_date, flag="--offence-date") if offence_date else None
    details = case_service.validated(
        OffenceDetails, code=offence.strip(), committed_on=committed_on
    )
    with _store() as store:
        case = case_service.record_offence(
            store=store, reference=reference, offence=details, actor=_actor(by)
        )
    typer.echo(f"{case.reference}: {offence} recorded")


@case_app.command("event")
def add_event(
    reference: Annotated[str, typer.Argument(help="Case reference.")],
    kind: Annotated[EventKind, typer.Option("--kind", help="What happened.")],
    at: str = typer.Option(..., "--at", help="When: 2026-03-01T14:30 (London time) or a date."),
    description: str = typer.Option(..., "--description", help="What happened, in words."),
    phase: Annotated[
        EventPhase | None,
        typer.Option("--phase", help="Suspect's action before, during or after the offence."),
    ] = None,
    by: ByOption = None,
) -> None:
    """Add an event to the case timeline (arrest, bail, victim informed, ...)."""
    details = case_service.validated(
        EventDetails,
        kind=kind,
        description=description,
        occurred_at=_parse_moment(at, flag="--at"),
        phase=phase,
    )
    if details.occurred_at > datetime.now(UTC) + timedelta(minutes=5):
        raise InvalidInput(f"--at: {at!r} is in the future")
    with _store() as store:
        event = case_service.record_event(
            store=store, reference=reference, details=details, actor=_actor(by)
        )
    typer.echo(f"{reference.upper()}: {event.kind.words} recorded ({event.id})")


def _due_row(item: DueDeadline, today: date) -> str:
    deadline = item.deadline
    left = deadline.days_left(today) or 0
    state = f"OVERDUE {-left}d" if left < 0 else ("due today" if left == 0 else f"in {left}d")
    return (
        f"{deadline.due}  {state:<12} {item.reference}  {deadline.kind.value:<13} "
        f"{deadline.about}: {deadline.rule_id} ({deadline.source})"
    )


@app.command("deadlines")
def deadlines(
    due_within: str = typer.Option(
        "7d", "--due-within", help="Window from today: 7d, 48h, 2w. Overdue ones always show."
    ),
    force: str | None = typer.Option(None, "--force", help="Only this force's cases."),
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """List deadlines across all cases that are overdue or due soon, soonest first."""
    within = parse_duration(due_within, flag="--due-within")
    today = today_in_london()
    with _store() as store:
        due = deadlines_due(
            store=store, within=within, today=today, force=force.upper() if force else None
        )
    if fmt is OutputFormat.JSON:
        rows = [
            {
                **d.model_dump(mode="json"),
                "overdue": d.deadline.is_overdue(today),
                "days_left": d.deadline.days_left(today),
            }
            for d in due
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for item in due:
        typer.echo(_due_row(item, today))
    overdue = sum(1 for d in due if d.deadline.is_overdue(today))
    typer.echo(
        f"{len(due)} deadline(s) due by {today + timedelta(days=within.days)}, {overdue} overdue"
    )
