"""`casework language check PATH...`: flag language that blames child victims in documents.

The command line is a public contract (CONTRACTS.md): each flagged phrase with its file,
line, why it harms and what to write instead; exit 0 whether or not anything is flagged.
Files are read by the document readers (PDF, DOCX, e-mail, text...); folders recursively.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.documents import _files_to_read, _read_options, _report_failures
from casework.cli.main import app
from casework.documents import ReadFailure, iter_documents
from casework.domain.document import Document
from casework.errors import InvalidInput
from casework.safeguarding.language import LanguageFinding, check_text

language_app = typer.Typer(
    help="Language that blames child victims: check notes and documents.", no_args_is_help=True
)
app.add_typer(language_app, name="language")


def _where(document: Document, finding: LanguageFinding) -> str:
    if document.page_count > 1:
        page = document.page_at(finding.start).number
        return f"{document.source}:{finding.line} (page {page})"
    return f"{document.source}:{finding.line}"


def finding_lines(document: Document, finding: LanguageFinding) -> list[str]:
    """The lines printed for one finding (also used by tests)."""
    voice = "quoted speech (evidence)" if finding.quoted else "officer's words"
    return [
        f'{_where(document, finding)}: "{finding.phrase}" [{finding.rule}, {voice}]',
        f"    why it harms: {finding.why}",
        f"    {finding.advice}",
    ]


@language_app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")],
) -> None:
    """Print each flagged phrase with file, line, why it harms and what to write instead."""
    files = _files_to_read(paths)
    failures: list[ReadFailure] = []
    counts: Counter[str] = Counter()
    documents = 0
    for entry in iter_documents(files, options=_read_options()):
        if isinstance(entry, ReadFailure):
            failures.append(entry)
            continue
        documents += 1
        for finding in check_text(entry.text):
            counts["quoted" if finding.quoted else "officer"] += 1
            for line in finding_lines(entry, finding):
                typer.echo(line)
    typer.echo(
        f"{counts['officer'] + counts['quoted']} phrase(s) flagged in {documents} document(s): "
        f"{counts['officer']} in the writer's own words, {counts['quoted']} in quoted speech"
    )
    if failures:
        _report_failures(failures)
        raise InvalidInput(f"{len(failures)} file(s) could not be read (listed above)")
