"""`casework demo-data --pages N --out DIR [--seed S]`: a synthetic bundle with ground truth.

The command line is a public contract (CONTRACTS.md, Documents); the work is done by
``casework.demo.generate_bundle``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.main import app
from casework.demo import GROUND_TRUTH, generate_bundle
from casework.demo.bundle import MAX_PAGES


@app.command("demo-data")
def demo_data(
    pages: Annotated[
        int,
        typer.Option("--pages", min=1, max=MAX_PAGES, help="About how many pages (of 400 words)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the bundle into.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bundle.")] = 0,
) -> None:
    """Write a synthetic case bundle (TXT, DOCX, PDF) and its ground-truth.json."""
    began = time.perf_counter()
    report = generate_bundle(pages=pages, out=out, seed=seed)
    seconds = time.perf_counter() - began
    by_format = ", ".join(f"{ext[1:]} {n:.1f}" for ext, n in report.pages_by_format.items())
    typer.echo(
        f"wrote {len(report.files)} files, about {report.pages:.0f} pages ({by_format}), "
        f"and {report.spans} spans in {out / GROUND_TRUTH} in {seconds:.1f} s"
    )
