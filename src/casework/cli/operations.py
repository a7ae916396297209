"""`casework ops ...`: weeks of action from the shell; `casework data-dictionary`.

Public (CONTRACTS.md): ``ops template --operation NAME --format xlsx|csv --out FILE``,
``ops submit FILE... --operation NAME``, ``ops rollup --operation NAME --format
json|table``. Commands parse, call ``casework.operations`` and print; every ``ops``
command is audited as one unit (``cli.acting``). With ``--as USER`` the policy applies
(a force's user submits only its own force's return); the operator at the shell may
submit for any force.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.acting import acting_name, acting_user, audited_unit, login_name
from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.domain.operations_returns import Channel
from casework.errors import InvalidInput, PermissionDenied
from casework.operations import lines as line_service
from casework.operations import service
from casework.operations.charts import figure
from casework.operations.dictionary import as_markdown, data_dictionary
from casework.operations.forces import Force
from casework.operations.quality import quality_report
from casework.operations.returns import RawReturn
from casework.operations.rollup import Rollup
from casework.operations.summary import summary_html, summary_pdf
from casework.operations.templates import csv_template, read_return_file, xlsx_template
from casework.security.policy import ForceResource, can
from casework.security.roles import Action
from casework.security.unit_audit import resolve_actor
from casework.store.operations_repository import SqlOperationsRepository

ops_app = typer.Typer(help="National weeks of action: templates, returns, roll-ups, reports.")
lines_app = typer.Typer(help="The county lines line register.")
ops_app.add_typer(lines_app, name="lines")
app.add_typer(ops_app, name="ops")


class TemplateFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class RollupFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


class SummaryFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


OperationOption = Annotated[
    str, typer.Option("--operation", help="Operation name, e.g. sceptre-2023-11.")
]


@contextmanager
def _repo() -> Iterator[SqlOperationsRepository]:
    with configured_engine() as engine, audited_unit(engine) as store:
        yield SqlOperationsRepository(store.session)


def _may_act(repo: SqlOperationsRepository, action: Action) -> tuple[str, object]:
    """Who acts, and a check of force -> allowed (the operator may act for any force)."""
    actor = resolve_actor(session=repo.session, username=acting_user(), fallback=login_name())
    principal = actor.principal
    if principal is not None and action not in principal.permissions:
        raise PermissionDenied(f"your role ({principal.role.value}) may not do {action.value}")

    def allowed(force: Force) -> bool:
        return principal is None or can(principal, action, ForceResource(force.code))

    return actor.name, allowed


@ops_app.command("list")
def list_operations() -> None:
    """List the operations: shipped examples and those defined here."""
    with _repo() as repo:
        for op in service.operations(repo=repo):
            typer.echo(f"{op.name}\t{op.starts} to {op.ends}\t{op.title}")


@ops_app.command("define")
def define(path: Annotated[Path, typer.Argument(help="Operation YAML file.")]) -> None:
    """Define an operation (a week of action) from a YAML file."""
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from error
    with _repo() as repo:
        op = service.define(
            repo=repo, text=text, source=str(path), by=acting_name(), now=datetime.now(UTC)
        )
    typer.echo(f"defined {op.name}: {op.title}, {len(op.measures)} measures")


@ops_app.command("template")
def template(
    operation: OperationOption,
    fmt: Annotated[TemplateFormat, typer.Option("--format", help="xlsx or csv.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    force: Annotated[str, typer.Option("--force", help="Fill in this force (XLSX).")] = "",
) -> None:
    """Write the return template of an operation for forces to fill in."""
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
    code = ""
    if force:
        from casework.operations.forces import find_force

        code = find_force(force, where="--force").area
    try:
        if fmt is TemplateFormat.XLSX:
            out.write_bytes(xlsx_template(op, force=code))
        else:
            out.write_text(csv_template(op), encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"--out {out}: cannot write ({error.strerror or error})") from error
    typer.echo(f"wrote {out} ({fmt.value} template of {op.name}, {len(op.entered)} measures)")


@ops_app.command("submit")
def submit(
    files: Annotated[list[Path], typer.Argument(help="Filled-in XLSX or CSV returns.")],
    operation: OperationOption,
) -> None:
    """Validate and store returns; any problem in any file and nothing is stored."""
    parsed: list[tuple[Path, list[RawReturn]]] = [(p, read_return_file(p)) for p in files]
    now = datetime.now(UTC)
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
        name, allowed = _may_act(repo, Action.OPS_SUBMIT)
        done = []
        for path, raws in parsed:
            channel = Channel.XLSX if path.suffix.lower() == ".xlsx" else Channel.CSV
            done += service.submit(
                repo=repo,
                operation=op,
                raws=raws,
                channel=channel,
                source=path.name,
                submitted_by=name,
                now=now,
                may_submit=allowed,  # type: ignore[arg-type]
            )
    for item in done:
        typer.echo(f"stored {op.name}: {item.summary}")
    typer.echo(f"{len(done)} return(s) stored")


@ops_app.command("status")
def status(operation: OperationOption) -> None:
    """Which forces have submitted (version, when, by whom) and which have not yet."""
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
        rows = service.status(repo=repo, operation=op)
    waiting = 0
    for row in rows:
        if row.current is None:
            waiting += 1
            typer.echo(f"{row.force.code:4}  {row.force.area:28}  not yet submitted")
        else:
            r = row.current
            typer.echo(
                f"{row.force.code:4}  {row.force.area:28}  version {r.version}  "
                f"{r.submitted_at:%Y-%m-%d %H:%M}  {r.channel.value:4}  {r.submitted_by}"
            )
    typer.echo(f"{len(rows) - waiting} of {len(rows)} forces submitted; {waiting} not yet")


def render_table(rollup: Rollup) -> str:
    op = rollup.operation
    lines = [
        f"{op.title} ({op.starts} to {op.ends}): returns from {len(rollup.submitted)} of "
        f"{len(op.taking_part)} forces",
        "",
    ]
    rows = [["measure", "total", "forces", "per 100k", "change"]]
    for m in op.measures:
        change = rollup.change(m.key)
        diff = change.difference if change else None
        rows.append(
            [
                m.label,
                figure(rollup.total(m.key), decimals=0 if m.type.value == "count" else 2),
                str(rollup.reporting.get(m.key, 0)),
                "-" if (p := rollup.per_100k(m.key)) is None else f"{p:.2f}",
                "-" if diff is None else f"{diff:+,g}",
            ]
        )
    for r in op.rates:
        value = rollup.rate(r.key)
        rows.append([r.label, "-" if value is None else f"{value * 100:.1f}%", "", "", ""])
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        lines.append(
            "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)
            )
        )
    if rollup.missing:
        lines += ["", "not yet submitted: " + ", ".join(f.code for f in rollup.missing)]
    return "\n".join(lines)


@ops_app.command("rollup")
def rollup(
    operation: OperationOption,
    fmt: Annotated[
        RollupFormat, typer.Option("--format", help="json or table.")
    ] = RollupFormat.TABLE,
) -> None:
    """National totals, per region and force, per 100,000 people, rates, changes."""
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
        result = service.rollup(repo=repo, operation=op)
    if fmt is RollupFormat.JSON:
        typer.echo(json.dumps(result.as_dict(), indent=1))
    else:
        typer.echo(render_table(result))


@ops_app.command("summary")
def summary(
    operation: OperationOption,
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", help="html or pdf.")
    ] = SummaryFormat.HTML,
) -> None:
    """Write the one-page summary (HTML or PDF) for a press office."""
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
        result = service.rollup(repo=repo, operation=op)
    now = datetime.now(UTC)
    try:
        if fmt is SummaryFormat.PDF:
            out.write_bytes(summary_pdf(result, generated=now))
        else:
            out.write_text(summary_html(result, generated=now), encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"--out {out}: cannot write ({error.strerror or error})") from error
    typer.echo(f"wrote {out}")


@ops_app.command("quality")
def quality(
    operation: OperationOption,
    fmt: Annotated[
        RollupFormat, typer.Option("--format", help="json or table.")
    ] = RollupFormat.TABLE,
) -> None:
    """Missing, inconsistent and out-of-range values in the returns."""
    with _repo() as repo:
        op = service.operation_named(repo=repo, name=operation)
        result = service.rollup(repo=repo, operation=op, with_previous=False)
        closures = line_service.closures_during(repo.lines(), op)
    report = quality_report(result, register_closures=closures)
    if fmt is RollupFormat.JSON:
        typer.echo(json.dumps(report.as_dict(), indent=1))
        return
    for f in report.findings:
        typer.echo(f"{f.kind.value:13} {f.force:4} {f.measure:28} {f.detail}")
    counts = report.as_dict()["counts"]
    typer.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


@lines_app.command("list")
def list_lines(force: Annotated[str | None, typer.Option("--force")] = None) -> None:
    """Deal lines in the register, with status and what is linked to them."""
    with _repo() as repo:
        code = None
        if force:
            from casework.operations.forces import find_force

            code = find_force(force, where="--force").code
        found = repo.lines(force=code)
    for line in found:
        typer.echo(
            f"{line.number}  {line.force:4}  {line.status.value:6}  {line.name or '-'}  "
            f"closed {line.closed_on or '-'}  people: {', '.join(line.people) or '-'}  "
            f"places: {', '.join(line.places) or '-'}"
        )
    typer.echo(f"{len(found)} line(s)")


@lines_app.command("record")
def record(
    number: Annotated[str, typer.Argument(help="The deal line's phone number.")],
    force: Annotated[str, typer.Option("--force")],
    status: Annotated[str, typer.Option("--status", help="open or closed")] = "open",
    name: Annotated[str, typer.Option("--name", help="The line's brand name.")] = "",
    closed_on: Annotated[str | None, typer.Option("--closed-on", help="YYYY-MM-DD")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="A person linked.")] = None,
    place: Annotated[list[str] | None, typer.Option("--place", help="A place linked.")] = None,
) -> None:
    """Record a deal line (or update it: status, closure, people and places linked)."""
    with _repo() as repo:
        who, allowed = _may_act(repo, Action.LINES_MANAGE)
        from casework.operations.forces import find_force

        target = find_force(force, where="--force")
        if not allowed(target):  # type: ignore[operator]
            raise PermissionDenied("--force: you may record lines of your own force only")
        line = line_service.record_line(
            repo=repo,
            number=number,
            force=target.code,
            status=status,
            name=name,
            closed_on=parse_date(closed_on, flag="--closed-on") if closed_on else None,
            people=tuple(person or ()),
            places=tuple(place or ()),
            by=who,
            now=datetime.now(UTC),
        )
    typer.echo(f"{line.number} ({line.force}) is {line.status.value}")


class DictionaryFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


@app.command("data-dictionary")
def dictionary(
    fmt: Annotated[DictionaryFormat, typer.Option("--format")] = DictionaryFormat.MARKDOWN,
) -> None:
    """Every measure of every operation and every case field, with its meaning."""
    with _repo() as repo:
        entries = data_dictionary(service.operations(repo=repo))
    if fmt is DictionaryFormat.JSON:
        typer.echo(json.dumps([e.as_dict() for e in entries], indent=1))
    else:
        typer.echo(as_markdown(entries), nl=False)
