"""`casework dogs ...`: the police dog register, its compliance check, dashboard and figures.

Parse, call a ``registers`` service inside one audited unit of work, render. The command
line is trusted like the database: it sees every force unless ``--force`` narrows it. A
value that cannot be read is an error naming its flag or file row (exit 2), and nothing
is stored.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from casework.cli.cases import ByOption, FormatOption, OutputFormat, _actor, _parse_moment, _store
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.errors import CaseworkError, InvalidInput
from casework.registers import service
from casework.registers.compliance import DogFinding
from casework.registers.dashboard import unit_dashboard
from casework.registers.dogs import (
    DeploymentOutcome,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Qualification,
    RetirementDecision,
    WelfareKind,
)
from casework.registers.figures import Period, national_figures
from casework.registers.rules import dog_rules
from casework.store.dog_models import SqlDogStore

Choice = TypeVar("Choice", DogSex, DogSource, DogRole)
Made = TypeVar("Made")

dogs_app = typer.Typer(
    name="dogs",
    help="The police dog register, kept to the NPCC Police Dog Standard (April 2024).",
    no_args_is_help=True,
)
app.add_typer(dogs_app, name="dogs")

DogArgument = Annotated[str, typer.Argument(help="Dog reference, e.g. WY-DOG-0001.")]
ForceFilter = Annotated[
    str | None, typer.Option("--force", help="Only this force (default: every force).")
]
ForceNeeded = Annotated[str, typer.Option("--force", help="Force code, e.g. WY.")]
OnOption = Annotated[str | None, typer.Option("--on", help="Day, YYYY-MM-DD (default: today).")]


@contextmanager
def _register() -> Iterator[SqlDogStore]:
    with _store() as store:
        yield SqlDogStore(store.session)


@dataclass(frozen=True, slots=True)
class _OnDog:
    """Writes on one dog of any force (the command line is trusted like the database)."""

    store: SqlDogStore
    reference: str

    def __call__(self, write: Callable[..., Made], **fields: Any) -> Made:
        """``write`` on the dog; ``fields`` are the service's own arguments."""
        return write(self.store, reference=self.reference, force=None, **fields)


@contextmanager
def _on_dog(reference: str) -> Iterator[_OnDog]:
    """The command's audited unit of work on one dog."""
    with _register() as store:
        yield _OnDog(store, reference)


def _today() -> date:
    return service.london_today()


def _day(value: str | None, flag: str) -> date:
    return parse_date(value, flag=flag) if value else _today()


def _scope(force: str | None) -> str | None:
    return force.strip().upper() if force and force.strip() else None


def _dump(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def _finding_json(finding: DogFinding) -> dict[str, object]:
    return {**asdict(finding), "rule": finding.rule.value, "on": finding.on.isoformat()}


@dogs_app.command("compliance")
def compliance(
    force: ForceFilter = None,
    on: OnOption = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print every compliance finding of the dog register and, last, a one-line count."""
    today = _day(on, "--on")
    with _register() as store:
        findings = service.compliance(store, force=_scope(force), today=today)
    rules = dog_rules()
    if fmt is OutputFormat.JSON:
        _dump(
            {
                "rule_set": rules.version,
                "on": today.isoformat(),
                "findings": [_finding_json(f) for f in findings],
            }
        )
        return
    for finding in findings:
        typer.echo(finding.line())
    dogs = len({f.dog_reference for f in findings})
    typer.echo(
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} on {dogs} "
        f"dog{'s' if dogs != 1 else ''} ({today.isoformat()}, rule set {rules.version})"
    )


@dogs_app.command("rules")
def rules_command() -> None:
    """Print the compliance rules with their sources and what is still to verify."""
    rules = dog_rules()
    typer.echo(f"{rules.standard}; rule set {rules.version}")
    for rule in rules.rules:
        state = "verified" if rule.verified else "to verify"
        settings = ", ".join(f"{k}={v}" for k, v in rule.parameters.items()) or "none"
        typer.echo(f"{rule.id.value}: {rule.title} ({state}; settings: {settings})")
        typer.echo(f"  source: {rule.source}")
        if rule.notes:
            typer.echo(f"  notes:  {rule.notes}")


@dogs_app.command("add")
def add(
    force: ForceNeeded,
    sex: Annotated[DogSex, typer.Option("--sex")],
    source: Annotated[DogSource, typer.Option("--source", help="procurement or breeding.")],
    role: Annotated[list[DogRole], typer.Option("--role", help="A role (repeatable).")],
    name: str = typer.Option(..., "--name"),
    breed: str = typer.Option(..., "--breed"),
    born: str = typer.Option(..., "--born", help="Date of birth, YYYY-MM-DD."),
    microchip: str = typer.Option(..., "--microchip", help="15-digit microchip code."),
    acquired: str | None = typer.Option(None, "--acquired", help="Joined (default: today)."),
    handler: str | None = typer.Option(None, "--handler", help="Handler's staff number."),
    by: ByOption = None,
) -> None:
    """Put a dog on the register (in training) and print its reference."""
    with _register() as store:
        dog = service.register_dog(
            store,
            force=force,
            name=name,
            breed=breed,
            sex=sex,
            born_on=parse_date(born, flag="--born"),
            microchip=microchip,
            source=source,
            roles=role,
            acquired_on=_day(acquired, "--acquired"),
            handler_number=handler,
            actor=_actor(by),
            now=datetime.now(UTC),
            today=_today(),
        )
    typer.echo(dog.reference)


_IMPORT_COLUMNS = ("name", "breed", "sex", "born_on", "microchip", "source", "roles")


@dogs_app.command("import")
def import_dogs(
    file: Annotated[Path, typer.Argument(help="CSV: " + ", ".join(_IMPORT_COLUMNS) + ", ...")],
    force: ForceNeeded,
    by: ByOption = None,
) -> None:
    """Import dogs from a CSV (roles separated by ';'); any bad row and nothing is stored.

    Columns: name, breed, sex, born_on, microchip, source, roles; optional acquired_on,
    handler_number.
    """
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(f"{file}: cannot be read as CSV ({error})") from error
    missing = [c for c in _IMPORT_COLUMNS if rows and c not in rows[0]]
    if not rows or missing:
        raise InvalidInput(f"{file}: needs a header row with {', '.join(_IMPORT_COLUMNS)}")
    added: list[str] = []
    with _register() as store:
        for number, row in enumerate(rows, start=2):
            try:
                dog = service.register_dog(
                    store,
                    force=force,
                    name=row["name"] or "",
                    breed=row["breed"] or "",
                    sex=_choice(DogSex, row["sex"], "sex"),
                    born_on=parse_date(row["born_on"] or "", flag="born_on"),
                    microchip=row["microchip"] or "",
                    source=_choice(DogSource, row["source"], "source"),
                    roles=[
                        _choice(DogRole, r, "roles") for r in (row["roles"] or "").split(";") if r
                    ],
                    acquired_on=_day(row.get("acquired_on") or None, "acquired_on"),
                    handler_number=(row.get("handler_number") or "").strip() or None,
                    actor=_actor(by),
                    now=datetime.now(UTC),
                    today=_today(),
                )
            except CaseworkError as error:
                raise type(error)(f"{file} row {number}: {error.message}") from error
            added.append(dog.reference)
    typer.echo(f"{len(added)} dog(s) imported: {', '.join(added)}")


def _choice(kind: type[Choice], value: str | None, field: str) -> Choice:
    text = (value or "").strip().lower()
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInput(f"{field}: {value!r} is not one of {allowed}") from None


@dogs_app.command("list")
def list_command(
    force: ForceFilter = None,
    status: Annotated[DogStatus | None, typer.Option("--status")] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """List the dogs on the register by reference."""
    with _register() as store:
        dogs = service.list_dogs(store, force=_scope(force), status=status)
    if fmt is OutputFormat.JSON:
        _dump([d.model_dump(mode="json") for d in dogs])
        return
    for dog in dogs:
        roles = ", ".join(r.words for r in dog.roles)
        typer.echo(
            f"{dog.reference}  {dog.name:<10} {dog.status.words:<11} {dog.breed}; {roles}; "
            f"handler {dog.handler_number or '-'}"
        )
    typer.echo(f"{len(dogs)} dog(s)")


@dogs_app.command("show")
def show(dog: DogArgument, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """Print a dog with its handlers, licences, training, welfare checks and deployments."""
    with _register() as store:
        file = service.dog_file(store, reference=dog, force=None)
    if fmt is OutputFormat.JSON:
        _dump(file.model_dump(mode="json"))
        return
    d = file.dog
    typer.echo(f"{d.reference} {d.name}: {d.breed}, {d.sex.value}, born {d.born_on}")
    typer.echo(f"  status:    {d.status.words}; roles: {', '.join(r.words for r in d.roles)}")
    typer.echo(f"  microchip: {d.microchip}; source: {d.source.value}; joined {d.acquired_on}")
    typer.echo(f"  retirement review due: {d.retirement_review_due_on}")
    if d.retired_on:
        typer.echo(f"  retired {d.retired_on}: {d.retirement_reason}; rehomed: {d.rehomed_with}")
    for spell in file.handlers:
        typer.echo(f"  handler {spell.handler_number}: {spell.from_on} to {spell.to_on or 'now'}")
    for lic in file.licences:
        result = "passed" if lic.passed else "failed"
        typer.echo(
            f"  licence {lic.role.words} ({lic.handler_number}): {result} {lic.assessed_on}, "
            f"expires {lic.expires_on}"
        )
    for dep in file.deployments:
        extra = " BITE: " + dep.injury if dep.bite else ""
        typer.echo(
            f"  deployed {dep.at:%Y-%m-%d %H:%M} {dep.incident}: {dep.outcome.words}, "
            f"finds {dep.finds}, arrests {dep.arrests}{extra}"
        )
    typer.echo(f"  welfare checks: {len(file.welfare)}; training records: {len(file.training)}")


@dogs_app.command("handler")
def handler_add(
    force: ForceNeeded,
    number: str = typer.Option(..., "--number", help="Staff (collar) number."),
    name: str = typer.Option(..., "--name"),
    qualification: Annotated[
        list[str] | None,
        typer.Option("--qualification", help="ROLE:YYYY-MM-DD (repeatable)."),
    ] = None,
) -> None:
    """Add a handler with their qualifications."""
    quals = []
    for given in qualification or []:
        role, _, day = given.partition(":")
        quals.append(
            Qualification(
                role=_choice(DogRole, role, "--qualification"),
                qualified_on=parse_date(day, flag="--qualification"),
            )
        )
    with _register() as store:
        made = service.add_handler(
            store,
            force=force,
            number=number,
            name=name,
            now=datetime.now(UTC),
            qualifications=quals,
        )
    typer.echo(f"handler {made.number} ({made.name}) added to {made.force}")


@dogs_app.command("handlers")
def handlers(force: ForceFilter = None) -> None:
    """List the handlers and their qualifications."""
    with _register() as store:
        found = service.list_handlers(store, force=_scope(force))
    for h in found:
        quals = ", ".join(f"{q.role.words} ({q.qualified_on})" for q in h.qualifications)
        typer.echo(f"{h.force} {h.number}  {h.name}: {quals or 'no qualifications recorded'}")


@dogs_app.command("assign")
def assign(
    dog: DogArgument,
    handler: str = typer.Option(..., "--handler", help="Staff number."),
    from_on: str | None = typer.Option(None, "--from", help="From (default: today)."),
) -> None:
    """Give a dog a new handler (the previous handler's time with it ends)."""
    with _on_dog(dog) as on_dog:
        spell = on_dog(
            service.assign_handler,
            handler_number=handler,
            from_on=_day(from_on, "--from"),
            today=_today(),
        )
    typer.echo(f"{dog.upper()}: handler {spell.handler_number} from {spell.from_on}")


@dogs_app.command("licence")
def licence(
    dog: DogArgument,
    role: Annotated[DogRole, typer.Option("--role")],
    assessor: str = typer.Option(..., "--assessor"),
    assessed: str | None = typer.Option(None, "--assessed", help="Default: today."),
    failed: bool = typer.Option(False, "--failed", help="The team did not pass."),
    handler: str | None = typer.Option(None, "--handler", help="Default: the dog's handler."),
    expires: str | None = typer.Option(None, "--expires", help="Default: from the rule set."),
    notes: str = typer.Option("", "--notes"),
) -> None:
    """Record a licensing assessment of the team in a role."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.record_licence,
            role=role,
            assessed_on=_day(assessed, "--assessed"),
            passed=not failed,
            assessor=assessor,
            handler_number=handler,
            expires_on=parse_date(expires, flag="--expires") if expires else None,
            notes=notes,
            today=_today(),
        )
    result = "passed" if made.passed else "failed"
    typer.echo(f"{dog.upper()}: {made.role.words} licence {result}, expires {made.expires_on}")


@dogs_app.command("train")
def train(
    dog: DogArgument,
    hours: float = typer.Option(..., "--hours"),
    topic: str = typer.Option(..., "--topic"),
    trainer: str = typer.Option(..., "--trainer"),
    on: OnOption = None,
    notes: str = typer.Option("", "--notes"),
) -> None:
    """Record a training session."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.record_training,
            on=_day(on, "--on"),
            hours=hours,
            topic=topic,
            trainer=trainer,
            notes=notes,
            today=_today(),
        )
    typer.echo(f"{dog.upper()}: {made.hours:g} h training on {made.on} recorded")


@dogs_app.command("welfare")
def welfare(
    dog: DogArgument,
    by: str = typer.Option(..., "--by", help="Who checked."),
    kind: Annotated[WelfareKind, typer.Option("--kind")] = WelfareKind.DAILY,
    on: OnOption = None,
    concern: bool = typer.Option(False, "--concern", help="Something was wrong (say what)."),
    notes: str = typer.Option("", "--notes"),
) -> None:
    """Record a welfare check: daily, vet or kennel."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.record_welfare,
            on=_day(on, "--on"),
            kind=kind,
            by=by,
            concern=concern,
            notes=notes,
            today=_today(),
        )
    typer.echo(f"{dog.upper()}: {made.kind.value} welfare check on {made.on} recorded")


@dogs_app.command("deploy")
def deploy(
    dog: DogArgument,
    role: Annotated[DogRole, typer.Option("--role")],
    outcome: Annotated[DeploymentOutcome, typer.Option("--outcome")],
    incident: str = typer.Option(..., "--incident", help="Incident reference or words."),
    at: str | None = typer.Option(None, "--at", help="When (default: now)."),
    finds: int = typer.Option(0, "--finds", min=0),
    arrests: int = typer.Option(0, "--arrests", min=0),
    force_used: bool = typer.Option(False, "--use-of-force"),
    bite: bool = typer.Option(False, "--bite"),
    injury: str = typer.Option("", "--injury", help="Injury details (needed with --bite)."),
    handler: str | None = typer.Option(None, "--handler", help="Default: the dog's handler."),
    by: ByOption = None,
) -> None:
    """Record a deployment: incident, outcome, finds, arrests, use of force, bites."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.record_deployment,
            at=_parse_moment(at, flag="--at") if at else datetime.now(UTC),
            incident=incident,
            role=role,
            outcome=outcome,
            finds=finds,
            arrests=arrests,
            use_of_force=force_used,
            bite=bite,
            injury=injury,
            handler_number=handler,
            actor=_actor(by),
            now=datetime.now(UTC),
        )
    typer.echo(f"{dog.upper()}: deployment to {made.incident} recorded")


@dogs_app.command("review")
def review(
    dog: DogArgument,
    decision: Annotated[RetirementDecision, typer.Option("--decision")],
    on: OnOption = None,
    next_review: str | None = typer.Option(None, "--next", help="Next review (default: rules)."),
    reason: str = typer.Option("", "--reason", help="Why (needed to retire)."),
) -> None:
    """Record a retirement review: the dog continues (next review set) or retires."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.review_retirement,
            on=_day(on, "--on"),
            decision=decision,
            reason=reason,
            next_review_on=parse_date(next_review, flag="--next") if next_review else None,
            today=_today(),
        )
    if made.status is DogStatus.RETIRED:
        typer.echo(f"{made.reference}: retired on {made.retired_on}")
    else:
        typer.echo(f"{made.reference}: next retirement review {made.retirement_review_due_on}")


@dogs_app.command("retire")
def retire(
    dog: DogArgument,
    reason: str = typer.Option(..., "--reason"),
    on: OnOption = None,
    rehomed_with: str = typer.Option("", "--rehomed-with", help="Who the dog went to live with."),
    rehomed_on: str | None = typer.Option(None, "--rehomed-on"),
) -> None:
    """Retire a dog and record its rehoming."""
    with _on_dog(dog) as on_dog:
        made = on_dog(
            service.retire,
            on=_day(on, "--on"),
            reason=reason,
            rehomed_with=rehomed_with,
            rehomed_on=parse_date(rehomed_on, flag="--rehomed-on") if rehomed_on else None,
            today=_today(),
        )
    typer.echo(f"{made.reference}: retired on {made.retired_on}")


@dogs_app.command("status")
def status(dog: DogArgument, to: Annotated[DogStatus, typer.Option("--to")]) -> None:
    """Suspend a dog, or return it to training or licensed work."""
    with _on_dog(dog) as on_dog:
        made = on_dog(service.set_status, status=to)
    typer.echo(f"{made.reference}: {made.status.words}")


@dogs_app.command("visit")
def visit(
    force: ForceNeeded,
    visitor: str = typer.Option(..., "--visitor"),
    kennels: str = typer.Option(..., "--kennels"),
    on: OnOption = None,
    unsatisfactory: bool = typer.Option(False, "--unsatisfactory"),
    findings: str = typer.Option("", "--findings"),
) -> None:
    """Record an independent visitor's report on the kennels."""
    with _register() as store:
        made = service.record_visit(
            store,
            force=force,
            visited_on=_day(on, "--on"),
            visitor=visitor,
            kennels=kennels,
            satisfactory=not unsatisfactory,
            findings=findings,
            today=_today(),
        )
    typer.echo(f"{made.force}: visitor report of {made.visited_on} recorded")


@dogs_app.command("incident")
def incident(
    force: ForceNeeded,
    kind: str = typer.Option(..., "--kind"),
    description: str = typer.Option(..., "--description"),
    reported_by: str = typer.Option(..., "--reported-by"),
    on: OnOption = None,
    dog: str | None = typer.Option(None, "--dog", help="The dog involved, if any."),
    injured: bool = typer.Option(False, "--injured"),
) -> None:
    """Record a health and safety incident of the unit."""
    with _register() as store:
        made = service.record_incident(
            store,
            force=force,
            on=_day(on, "--on"),
            kind=kind,
            description=description,
            reported_by=reported_by,
            dog_reference_=dog,
            injured=injured,
            today=_today(),
        )
    typer.echo(f"{made.force}: health and safety incident of {made.on} recorded")


@dogs_app.command("dashboard")
def dashboard(force: ForceFilter = None) -> None:
    """Print the unit dashboard: dogs, licences expiring, welfare, findings, last 28 days."""
    with _register() as store:
        board = unit_dashboard(store, force=_scope(force), today=_today())
    status_counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in board.by_status.items())
    typer.echo(f"dogs: {status_counts}; handlers: {board.handlers}")
    typer.echo(f"daily checks yesterday: {board.checked_yesterday} of {board.in_unit} dogs")
    for item in board.expiring:
        typer.echo(
            f"licence expiring: {item.dog_reference} {item.dog_name} "
            f"{item.licence.role.words} on {item.licence.expires_on}"
        )
    r = board.recent
    typer.echo(
        f"last 28 days: {r.deployments} deployments, {r.finds} finds, {r.arrests} arrests, "
        f"{r.use_of_force} uses of force, {r.bites} bites"
    )
    by_rule = ", ".join(f"{k} {v}" for k, v in board.findings_by_rule.items())
    typer.echo(f"findings: {len(board.findings)} ({by_rule})")


@dogs_app.command("figures")
def figures(
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD."),
    period: Annotated[Period, typer.Option("--period")] = Period.MONTH,
    force: ForceFilter = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Deployments, finds and arrests per period by force, for national returns."""
    with _register() as store:
        rows = national_figures(
            store,
            start=parse_date(start, flag="--from"),
            end=parse_date(end, flag="--to"),
            period=period,
            force=_scope(force),
        )
    if fmt is OutputFormat.JSON:
        _dump([asdict(r) for r in rows])
        return
    typer.echo("force  from        to          deployments  finds  arrests  force_used  bites")
    for r in rows:
        typer.echo(
            f"{r.force:<6} {r.start}  {r.end}  {r.deployments:>11}  {r.finds:>5}  "
            f"{r.arrests:>7}  {r.use_of_force:>10}  {r.bites:>5}"
        )
