"""`casework detect` and `casework redact`: the document engine from the shell."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casework.cli.main import app
from casework.cli.progress import bundle_progress, stderr
from casework.config import get_settings
from casework.documents import ReadFailure, ReadOptions
from casework.errors import InvalidInput
from casework.jobs.bundle import DocumentFindings, bundle_files, detect_bundle

PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")]
WorkersOpt = Annotated[
    int, typer.Option("--workers", help="Processes to use; 0 means one per CPU core.")
]


class DetectFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _check_paths(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(f"no such file or folder: {', '.join(missing)}")


def _files_to_read(paths: list[Path]) -> list[Path]:
    _check_paths(paths)
    files, skipped = bundle_files(paths)
    if skipped:
        names = ", ".join(p.name for p in skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        stderr.print(f"skipped {len(skipped)} file(s) of a type Casework does not read: {names}")
    return files


def _read_options() -> ReadOptions:
    return ReadOptions.from_settings(get_settings())


def _report_failures(failures: list[ReadFailure]) -> None:
    for failure in failures:
        stderr.print(
            f"[red]could not read[/red] {failure.source}: {failure.reason}", highlight=False
        )


@app.command()
def detect(
    paths: PathsArg,
    output_format: Annotated[
        DetectFormat,
        typer.Option("--format", help="jsonl: one JSON object per finding; table: for people."),
    ] = DetectFormat.jsonl,
    workers: WorkersOpt = 0,
) -> None:
    """Find personal data in documents and say why each finding was made."""
    files = _files_to_read(paths)
    started = time.perf_counter()
    failures: list[ReadFailure] = []
    documents = pages = words = findings = 0
    table = Table(box=None, pad_edge=False)
    for column in ("file", "page", "label", "text", "score", "recognizer"):
        table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("reason", ratio=1)
    with bundle_progress("Detecting") as progress:
        for result in detect_bundle(
            files,
            options=_read_options(),
            workers=workers or get_settings().workers,
            on_progress=progress,
        ):
            if isinstance(result, ReadFailure):
                failures.append(result)
                continue
            documents += 1
            pages += result.pages
            words += result.words
            findings += len(result.findings)
            _emit(result, output_format, table)
            _warn(result)
    sys.stdout.flush()
    if output_format is DetectFormat.table:
        Console(width=max(Console().width, 160)).print(table)
    elapsed = time.perf_counter() - started
    _report_failures(failures)
    stderr.print(
        f"{documents} documents, {pages} pages, {words:,} words: {findings:,} findings "
        f"in {elapsed:.1f} s ({words / max(elapsed, 1e-9):,.0f} words/s)"
        + (f"; {len(failures)} could not be read" if failures else ""),
        highlight=False,
    )
    if failures:
        raise typer.Exit(2)


def _emit(result: DocumentFindings, output_format: DetectFormat, table: Table) -> None:
    if output_format is DetectFormat.jsonl:
        lines = [
            json.dumps(
                {
                    "file": result.source,
                    "start": f.start,
                    "end": f.end,
                    "label": str(f.label),
                    "text": f.text,
                    "score": round(f.score, 3),
                    "recognizer": f.recognizer,
                    "reason": f.reason,
                },
                ensure_ascii=False,
            )
            for f in result.findings
        ]
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
        return
    for f, page in zip(result.findings, result.finding_pages, strict=True):
        table.add_row(
            result.source, str(page), str(f.label), f.text, f"{f.score:.2f}", f.recognizer, f.reason
        )


def _warn(result: DocumentFindings) -> None:
    for warning in result.warnings:
        stderr.print(f"[yellow]warning[/yellow] {result.source}: {warning}", highlight=False)
