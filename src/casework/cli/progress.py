"""Progress bars on stderr for long bundle work (quiet when stderr is not a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from casework.jobs.bundle import BundleProgress, ProgressCallback

stderr = Console(stderr=True)


@contextmanager
def bundle_progress(*stages: str) -> Iterator[list[ProgressCallback]]:
    """Yield one callback per stage; each advances its own bar of files done (one display)."""
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )

    def callback_for(stage: str) -> ProgressCallback:
        task = bar.add_task(stage, total=None)

        def advance(progress: BundleProgress) -> None:
            bar.update(task, completed=progress.files_done, total=progress.files_total)

        return advance

    with bar:
        yield [callback_for(stage) for stage in stages]
