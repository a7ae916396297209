"""A progress bar on stderr for long bundle work (quiet when stderr is not a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from casework.jobs.bundle import BundleProgress, ProgressCallback

stderr = Console(stderr=True)


@contextmanager
def bundle_progress(description: str) -> Iterator[ProgressCallback]:
    """Yield a callback that advances a bar of files done, with pages counted alongside."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[pages]} pages"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )
    task = bar.add_task(description, total=None, pages=0)

    def advance(progress: BundleProgress) -> None:
        bar.update(
            task,
            completed=progress.files_done,
            total=progress.files_total,
            pages=progress.pages_done,
        )

    with bar:
        yield advance
