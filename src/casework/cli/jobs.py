"""`casework jobs status` and `casework jobs retry`: where upload processing stands, with
the copies remade after review and the exports (`casework exports status` lists those)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import typer

from casework.cli.cases import OutputFormat, _store
from casework.cli.main import app
from casework.config import get_settings
from casework.errors import NotFound
from casework.jobs.queue import queue_summary
from casework.jobs.worker import parse_audiences
from casework.store.exports import export_counts
from casework.store.processing import processing_status, retry_upload
from casework.store.remake import remake_counts

jobs_app = typer.Typer(
    name="jobs",
    help="Upload processing: what is pending, in progress, done or failed.",
    no_args_is_help=True,
)
app.add_typer(jobs_app, name="jobs")


@jobs_app.command("status")
def status(
    limit: int = typer.Option(100, "--limit", min=1, max=10_000, help="List at most this many."),
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.TEXT
    ),
) -> None:
    """Counts of uploads pending, in progress, done and failed; the unfinished listed."""
    settings = get_settings()
    audiences = parse_audiences(settings.process_audiences)
    with _store() as store:
        found = processing_status(
            session=store.session, audiences=audiences, now=datetime.now(UTC), limit=limit
        )
        queue = queue_summary(store.session, stalled_after_s=settings.job_lease_seconds)
        remakes = remake_counts(session=store.session)
        exports = export_counts(session=store.session)
    if fmt is OutputFormat.JSON:
        shown = asdict(found)
        if queue is not None:
            shown["queue"] = asdict(queue)
        shown["remakes"] = remakes
        shown["exports"] = exports
        typer.echo(json.dumps(shown, default=str, indent=2))
        return
    typer.echo(
        f"copies for {', '.join(found.audiences)}: {found.pending} pending, "
        f"{found.working} in progress, {found.done} done, {found.failed} failed"
    )
    typer.echo(
        f"copies remade after review: {remakes['queued']} queued, {remakes['running']} "
        f"running, {remakes['done']} done, {remakes['failed']} failed"
    )
    typer.echo(
        f"exports (summaries, disclosure bundles): {exports['queued']} queued, "
        f"{exports['running']} running, {exports['done']} done, {exports['failed']} failed, "
        f"{exports['expired']} expired"
    )
    if queue is not None:
        typer.echo(
            f"procrastinate jobs: {queue.waiting} waiting, {queue.running} running, "
            f"{queue.succeeded} succeeded, {queue.failed} failed; {queue.workers} worker(s) alive"
        )
    for item in found.uploads:
        line = f"{item.state:8} {item.document_id} {item.case_reference}"
        if item.state == "working":
            line += f" {item.owner} {item.stage}, page {item.pages_done} of {item.pages_total}"
        elif item.state == "failed":
            line += f" after {item.failures} failure(s): {item.last_error}"
        else:
            line += f" {item.stage}"
            if item.last_error:
                line += f" (last error: {item.last_error})"
        typer.echo(line)


@jobs_app.command("retry")
def retry(
    document_id: Annotated[UUID, typer.Argument(help="The failed upload's id.")],
) -> None:
    """Try a failed upload again (after fixing its cause, e.g. installing OCR)."""
    with _store() as store:
        if not retry_upload(session=store.session, document_id=document_id, now=datetime.now(UTC)):
            raise NotFound(f"no failed upload {document_id}")
    typer.echo(f"upload {document_id} is pending again")
