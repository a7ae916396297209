"""`casework language check PATH...`: flag language that blames child victims in documents.

The command line is a public contract (CONTRACTS.md): each flagged phrase with its file,
line, why it harms and what to write instead; exit 0 whether or not anything is flagged.
Files are read by the document readers (PDF, DOCX, e-mail, text...); folders recursively.
``casework language report`` counts the same language over case records (data quality):
counts only, audited as a read (``cli.acting``), as ``GET /api/language/report`` is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from casework.cli.acting import acting_user, audited_unit, login_name
from casework.cli.database import configured_engine
from casework.cli.documents import _files_to_read, _read_options, _report_failures
from casework.cli.main import app
from casework.documents import ReadFailure, iter_documents
from casework.domain.document import Document
from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput, PermissionDenied
from casework.safeguarding.language import LanguageFinding, check_text
from casework.safeguarding.language_report import LanguageReport, language_report
from casework.security.policy import ForceResource, can
from casework.security.roles import Action, is_national
from casework.security.unit_audit import resolve_actor
from casework.store.free_text import free_texts

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


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _scope(session: Session, force: str | None) -> str | None:
    """The force to count (None: every force); ``--as USER`` is held to the policy."""
    actor = resolve_actor(session=session, username=acting_user(), fallback=login_name())
    principal = actor.principal
    if principal is None:  # the operator at the shell may read any force
        return force
    if Action.METRICS_READ not in principal.permissions:
        raise PermissionDenied(
            f"your role ({principal.role.value}) may not do {Action.METRICS_READ.value}"
        )
    if force is None:
        return None if is_national(principal.role) else principal.force
    if not can(principal, Action.METRICS_READ, ForceResource(force)):
        raise PermissionDenied(f"--force: you may read the figures of {principal.force} only")
    return force


def report_table(report: LanguageReport) -> list[str]:
    """The report as text lines: by rule, then by record type (counts only)."""
    lines = [
        f"Language in case records ({report.scope}; rule pack {report.pack_version}): "
        f"{report.flagged_texts} of {report.texts} text(s) flagged, "
        f"{report.officer} in the officer's words, {report.quoted} in quoted speech",
        "",
        f"{'rule':<32} {'officer':>8} {'quoted':>8} {'texts':>8}",
    ]
    lines += [f"{r.rule:<32} {r.officer:>8} {r.quoted:>8} {r.texts:>8}" for r in report.rules]
    lines += ["", f"{'record type':<32} {'texts':>8} {'flagged':>8} {'officer':>8} {'quoted':>8}"]
    lines += [
        f"{s.source:<32} {s.texts:>8} {s.flagged_texts:>8} {s.officer:>8} {s.quoted:>8}"
        for s in report.sources
    ]
    return lines


@language_app.command("report")
def report(
    force: Annotated[
        str | None, typer.Option("--force", help="Only this force's records (code, e.g. WY).")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = (
        ReportFormat.TABLE
    ),
) -> None:
    """Count victim-blaming language in case records, by rule and record type (no text)."""
    code = force.strip().upper() if force is not None else None
    if code is not None and not re.fullmatch(FORCE_CODE, code):
        raise InvalidInput(f"--force: {force!r} is not a force code (2 to 4 letters, e.g. WY)")
    with configured_engine() as engine, audited_unit(engine) as store:
        scope = _scope(store.session, code)
        found = language_report(free_texts(store.session, force=scope), scope=scope or "all forces")
    if fmt is ReportFormat.JSON:
        typer.echo(json.dumps(found.as_dict(), indent=2))
    else:
        for line in report_table(found):
            typer.echo(line)
