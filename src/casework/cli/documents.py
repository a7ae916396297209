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
from casework.jobs.bundle import DocumentFindings, bundle_files, detect_bundle, redact_bundle
from casework.plugins import audience_registry

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
    with bundle_progress("Detecting") as (progress,):
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


@app.command()
def redact(
    paths: PathsArg,
    audience_name: Annotated[
        str, typer.Option("--audience", help="Who the copy is for: cps, defence, public, ...")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the redacted copies and log.")],
    as_text: Annotated[
        bool, typer.Option("--as-text", help="Write every copy as redacted text (fastest).")
    ] = False,
    policies: Annotated[
        list[Path] | None,
        typer.Option("--policies", help="Folder of extra audience policies (YAML)."),
    ] = None,
    workers: WorkersOpt = 0,
) -> None:
    """Write a redacted copy of each document for an audience, and a redaction log."""
    audience = audience_registry(*(policies or [])).get(audience_name)
    files = _files_to_read(paths)
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out}: exists and is not a folder")
    started = time.perf_counter()
    with bundle_progress("Detecting", "Redacting") as (detecting, redacting):
        result = redact_bundle(
            files,
            audience=audience,
            out_dir=out,
            options=_read_options(),
            workers=workers or get_settings().workers,
            as_text=as_text,
            on_detect_progress=detecting,
            on_redact_progress=redacting,
        )
    elapsed = time.perf_counter() - started
    for source, warning in result.warnings:
        stderr.print(f"[yellow]warning[/yellow] {source}: {warning}", highlight=False)
    _report_failures(list(result.unreadable))
    for refused in result.refused:
        stderr.print(f"[red]not released[/red] {refused.source}: {refused.reason}", highlight=False)
    redactions = sum(len(r.rows) for r in result.released)
    stderr.print(
        f"{len(result.released)} redacted copies for '{audience.name}' in {out} "
        f"({result.pages} pages, {redactions:,} redactions) in {elapsed:.1f} s; "
        f"log: {', '.join(p.name for p in result.log_files)}"
        + (f"; {len(result.unreadable)} could not be read" if result.unreadable else "")
        + (f"; {len(result.refused)} refused by the leak check" if result.refused else ""),
        highlight=False,
    )
    if result.refused:
        raise typer.Exit(1)
    if result.unreadable:
        raise typer.Exit(2)
