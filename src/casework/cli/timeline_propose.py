"""`casework timeline propose REF PATH...`: suspect-timeline events proposed from documents.

``casework timeline`` becomes a group whose default command is ``show`` (the timeline
itself, from ``cli.victim_cps``), so that ``casework timeline REF`` keeps working beside
``casework timeline propose REF PATH...``. Parse, read the documents, call
``journey.proposals`` inside one unit of work, render; the proposals wait for
``casework suspect confirm`` or ``reject``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from casework.cli import victim_cps
from casework.cli.cases import ByOption, FormatOption, OutputFormat, _actor, _store
from casework.cli.main import app
from casework.config import get_settings
from casework.detection.engine import DetectionEngine
from casework.documents import ReadFailure, ReadOptions, iter_documents
from casework.errors import InvalidInput
from casework.jobs.bundle import bundle_files
from casework.journey.proposals import Proposals, propose_from_documents
from casework.journey.timeline import LONDON
from casework.plugins import reader_registry, recognizer_registry

SHOW = "show"


class ShowByDefault(TyperGroup):
    """A group that runs ``show`` when the first word is not one of its commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [SHOW, *args]
        return super().parse_args(ctx, args)


timeline_app = typer.Typer(
    name="timeline",
    cls=ShowByDefault,
    help="The suspect timeline: `timeline REF` shows it; `timeline propose REF PATH...` "
    "proposes events from the dates in documents.",
    no_args_is_help=True,
)
app.registered_commands[:] = [c for c in app.registered_commands if c.name != "timeline"]
timeline_app.command(SHOW)(victim_cps.timeline)
app.add_typer(timeline_app, name="timeline")


@cache
def _engine() -> DetectionEngine:
    return DetectionEngine(recognizer_registry())


def _read(paths: list[Path]) -> tuple[dict[str, str], list[ReadFailure]]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(f"PATH: no such file or folder: {', '.join(missing)}")
    files, _ = bundle_files(paths)
    texts: dict[str, str] = {}
    failures: list[ReadFailure] = []
    options = ReadOptions.from_settings(get_settings())
    for entry in iter_documents(files, options=options, registry=reader_registry()):
        if isinstance(entry, ReadFailure):
            failures.append(entry)
        else:
            texts[entry.source] = entry.text
    return texts, failures


def _lines(reference: str, texts: dict[str, str], result: Proposals) -> list[str]:
    before = result.dates_found - len(result.events) - len(result.unparsed)
    lines = [
        f"{reference}: {len(result.events)} event(s) proposed from {len(texts)} document(s) "
        f"({result.dates_found} date(s) found"
        + (f", {before} proposed before" if before > 0 else "")
        + ")"
    ]
    for event in result.events:
        when = event.occurred_at.astimezone(LONDON)
        lines.append(f"  {when:%Y-%m-%d %H:%M}  {event.id}  {event.description}")
    lines.extend(
        f"  not read: {u.mention.text!r} in {u.document}: {u.reason}" for u in result.unparsed
    )
    if result.events:
        lines.append(
            f"Confirm each with `casework suspect confirm {reference} EVENT_ID --kind ...` "
            "(or `suspect reject`)."
        )
    return lines


@timeline_app.command("propose")
def propose(
    reference: victim_cps.RefArgument,
    paths: Annotated[list[Path], typer.Argument(help="Documents: files or folders.")],
    fmt: FormatOption = OutputFormat.TEXT,
    by: ByOption = None,
) -> None:
    """Propose events from the dates in documents, with the people and places near each.

    Each waits for `casework suspect confirm` or `reject`; reading a document again
    proposes nothing twice. A file that cannot be read is named and exits 2.
    """
    texts, failures = _read(paths)
    for failure in failures:
        typer.echo(f"could not read {failure.source}: {failure.reason}", err=True)
    if not texts:
        raise InvalidInput("PATH: no document could be read")
    with _store() as store:
        result = propose_from_documents(
            store=store,
            reference=reference,
            texts=texts,
            detect=_engine().detect,
            actor=_actor(by),
        )
    ref = reference.strip().upper()
    if fmt is OutputFormat.JSON:
        data = {
            "reference": ref,
            "documents": sorted(texts),
            "dates_found": result.dates_found,
            "proposed": [e.model_dump(mode="json") for e in result.events],
            "unparsed": [
                {"document": u.document, "text": u.mention.text, "reason": u.reason}
                for u in result.unparsed
            ],
        }
        typer.echo(json.dumps(data, indent=2))
    else:
        for line in _lines(ref, texts, result):
            typer.echo(line)
    if failures:
        raise typer.Exit(2)
