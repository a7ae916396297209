"""`casework worker`: process uploads (redacted copies for each audience) until stopped."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import typer

from casework.cli.main import app
from casework.config import get_settings
from casework.errors import InvalidInput
from casework.jobs.processing import UploadOutcome
from casework.jobs.queue import queue_for
from casework.jobs.worker import WorkerConfig


def _said(outcome: UploadOutcome) -> None:
    if outcome.error is None:
        made = ", ".join(outcome.copies) or "nothing new"
        typer.echo(f"upload {outcome.document_id}: {outcome.pages} pages, copies: {made}")


@app.command("worker")
def worker(
    processes: int = typer.Option(
        0,
        "--processes",
        min=0,
        help="Uploads processed at once; 0: CASEWORK_WORKERS, or one per core.",
    ),
    until_idle: bool = typer.Option(
        False,
        "--until-idle",
        help="Stop when no upload is left to process.",
    ),
    poll: float = typer.Option(
        2.0, "--poll", min=0.1, max=300, help="Seconds between looks for new uploads when idle."
    ),
) -> None:
    """Make each upload's redacted copies (CASEWORK_PROCESS_AUDIENCES), surviving crashes.

    Any number of workers, on this machine or others, may share one database: each
    leases the uploads it works on, and a worker that dies (even kill -9) has its uploads
    taken over when the lease ends. On PostgreSQL the work is handed out as procrastinate
    jobs (CASEWORK_JOB_ENGINE); on SQLite by the local reconciling loop. Ctrl+C or SIGTERM
    stops it cleanly, handing its uploads back. It also makes the copies remade after
    review and the exports asked for (summaries, disclosure bundles: casework exports).
    """
    settings = get_settings()
    try:
        config = WorkerConfig.from_settings(settings, processes=processes, poll_seconds=poll)
        runner = queue_for(config, on_outcome=_said)
    except ValueError as error:
        raise InvalidInput(str(error)) from error
    stop = threading.Event()

    def stop_on(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    typer.echo(
        f"worker {runner.owner}: copies for {', '.join(config.audiences)} with "
        f"{config.processes} process(es), {runner.engine} jobs; Ctrl+C to stop",
        err=True,
    )
    report = runner.work(stop, until_idle=until_idle)
    typer.echo(
        f"worker {runner.owner} stopped: {report.processed} uploads processed "
        f"({report.pages} pages, {report.copies} copies), {len(report.failed)} failed",
        err=True,
    )
