"""`casework network ...`: people, phones, vehicles and addresses resolved across cases.

``show`` and ``entity`` read a force's cases (the shell is trusted, like the database;
each run is audited); ``resolve`` reads mentions from a JSON-lines file, so that other
systems' records can be linked without loading them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.acting import audited_unit
from casework.cli.cases import FormatOption, OutputFormat
from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.errors import InvalidInput
from casework.safeguarding.linkage import EntityKind, Mention, ResolvedEntity
from casework.safeguarding.network import Network, network_for
from casework.store.network_queries import PoleMention, case_mentions, missing_mentions

network_app = typer.Typer(
    name="network",
    help="Entity resolution across cases: the network of people, phones, vehicles, addresses.",
    no_args_is_help=True,
)
app.add_typer(network_app, name="network")

ForceOption = Annotated[str, typer.Option("--force", help="Force code, e.g. WY.")]


def _mentions(rows: list[PoleMention]) -> list[Mention]:
    return [
        Mention(
            id=r.id,
            kind=EntityKind(r.kind),
            text=r.text,
            case=r.case,
            force=r.force,
            role=r.role,
            date_of_birth=r.date_of_birth,
            postcode=r.postcode,
        )
        for r in rows
    ]


def _force_network(force: str) -> Network:
    code = force.strip().upper()
    with configured_engine() as engine, audited_unit(engine) as store:
        rows = case_mentions(session=store.session, force=code)
        rows += missing_mentions(session=store.session, force=code)
    return network_for(_mentions(rows))


def _print(network: Network, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(network.as_json(), indent=2))
        return
    labels = {n.id: n.label for n in network.nodes}
    for node in network.nodes:
        flag = "*" if node.across_cases else " "
        typer.echo(
            f"{flag} {node.kind.value:<8} {node.label:<40} {len(node.cases)} case(s): "
            f"{', '.join(node.cases)}"
        )
    typer.echo("links:")
    for edge in network.edges:
        typer.echo(f"  {labels[edge.source]} -- {labels[edge.target]}  ({', '.join(edge.cases)})")
    shared = sum(1 for n in network.nodes if n.across_cases)
    typer.echo(
        f"{len(network.nodes)} entities ({shared} in more than one case, marked *), "
        f"{len(network.edges)} links"
    )


def _print_entity(entity: ResolvedEntity) -> None:
    typer.echo(f"{entity.id}: {entity.label} ({entity.kind.value})")
    for mention in entity.mentions:
        role = f" as {mention.role}" if mention.role else ""
        typer.echo(f"  {mention.case}{role}: {mention.text!r}")
    typer.echo("why linked:" if entity.links else "no links: one mention")
    for link in entity.links:
        typer.echo(f"  {link.left} ~ {link.right}: {link.reason}")


@network_app.command("show")
def show(
    force: ForceOption,
    every: Annotated[
        bool, typer.Option("--all", help="Every entity, not only those in several cases.")
    ] = False,
    around: Annotated[
        str | None, typer.Option("--around", help="Only near this entity id.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=4)] = 2,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print the network of a force's cases: entities and the cases that link them."""
    network = _force_network(force)
    if around:
        network = network.around(around, depth=depth)
    elif not every:
        network = network.across_cases()
    _print(network, output)


@network_app.command("entity")
def entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. phone:+447700900123.")],
    force: ForceOption,
) -> None:
    """Print one entity: its mentions in each case and why they were linked."""
    _print_entity(_force_network(force).entity(entity_id))


def read_mentions(path: Path) -> list[Mention]:
    """Read mentions, one JSON object a line: id, kind, text, case; date_of_birth, postcode."""
    mentions: list[Mention] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidInput(f"{path}: {error.strerror or error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{where}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise InvalidInput(f"{where}: expected an object")
        missing = [k for k in ("id", "kind", "text", "case") if not row.get(k)]
        if missing:
            raise InvalidInput(f"{where}: missing {', '.join(missing)}")
        try:
            kind = EntityKind(row["kind"])
        except ValueError as error:
            kinds = ", ".join(k.value for k in EntityKind)
            raise InvalidInput(f"{where}: kind {row['kind']!r} is not one of {kinds}") from error
        try:
            dob = date.fromisoformat(row["date_of_birth"]) if row.get("date_of_birth") else None
        except (TypeError, ValueError) as error:
            raise InvalidInput(f"{where}: date_of_birth {row['date_of_birth']!r}") from error
        mentions.append(
            Mention(
                id=str(row["id"]),
                kind=kind,
                text=str(row["text"]),
                case=str(row["case"]),
                force=str(row.get("force", "")),
                role=str(row.get("role", "")),
                date_of_birth=dob,
                postcode=row.get("postcode") or None,
            )
        )
    return mentions


@network_app.command("resolve")
def resolve(
    path: Annotated[Path, typer.Argument(help="Mentions as JSON lines.")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Resolve mentions from a file and print the entities with the evidence of each link."""
    network = network_for(read_mentions(path))
    if output is OutputFormat.JSON:
        data = network.as_json()
        data["entities"] = [
            {
                "id": e.id,
                "mentions": [m.id for m in e.mentions],
                "links": [{"left": k.left, "right": k.right, "reason": k.reason} for k in e.links],
            }
            for e in network.entities
        ]
        typer.echo(json.dumps(data, indent=2))
        return
    for item in network.entities:
        _print_entity(item)
