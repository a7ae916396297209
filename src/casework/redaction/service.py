"""Redact one document for one audience: plan, write, verify, and only then release.

The caller builds the ``PlaceholderBook`` over the whole bundle first and may run this in
a process pool, one document per task; everything passed in and returned is picklable.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.errors import LeakDetected
from casework.redaction.audiences import Audience
from casework.redaction.docx_writer import redacted_docx
from casework.redaction.log import LogRow, log_rows
from casework.redaction.pdf_writer import DEFAULT_DPI, SpanRects, redacted_pdf
from casework.redaction.placeholders import PlaceholderBook
from casework.redaction.plan import RedactionPlan, plan_redactions
from casework.redaction.text_writer import redacted_text
from casework.redaction.verify import verify_docx, verify_pdf, verify_text

_UNSAFE = re.compile(r"[^\w.\- ()\[\]+@,]")


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """A released redacted copy: where it was written, its format and its log rows."""

    source: str
    output: Path
    format: str
    rows: tuple[LogRow, ...]
    pages_rebuilt: int


def output_name(source: str, fmt: str) -> PurePosixPath:
    """Map a document's source to a safe relative output path.

    ``bundle.zip!/statements/ws1.pdf`` becomes ``bundle.zip/statements/ws1.pdf``; an
    absolute path keeps only its file name; ``..``, drive letters and odd characters go.
    PDF and DOCX keep their name; anything else becomes text (``mail.eml`` -> ``mail.eml.txt``).
    """
    parts: list[str] = []
    for index, member in enumerate(source.split("!/")):
        path = PureWindowsPath(member) if "\\" in member else PurePosixPath(member)
        pieces = [p for p in path.parts if p not in ("", ".", "..") and p != path.anchor]
        if index == 0 and path.anchor:
            pieces = pieces[-1:]
        parts.extend(_UNSAFE.sub("_", p).strip(" .") or "_" for p in pieces)
    if not parts:
        parts = ["document"]
    name = parts[-1]
    suffix = {"pdf": ".pdf", "docx": ".docx"}.get(fmt, ".txt")
    if not name.lower().endswith(suffix):
        name += suffix
    return PurePosixPath(*parts[:-1], name)


def _release(data: bytes, target: Path) -> None:
    """Write atomically, so a crash never leaves half a copy that looks complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    partial.replace(target)


def render(
    plan: RedactionPlan, *, span_rects: SpanRects | None = None, dpi: int = DEFAULT_DPI
) -> tuple[str, bytes]:
    """Return (format, bytes) of the redacted copy of ``plan.document``, verified."""
    document = plan.document
    if document.format == "pdf" and document.data:
        data = redacted_pdf(plan, span_rects=span_rects, dpi=dpi)
        verify_pdf(data, plan)
        return "pdf", data
    if document.format == "docx" and document.data:
        data = redacted_docx(plan)
        verify_docx(data, plan)
        return "docx", data
    text = redacted_text(plan)
    verify_text(text, plan)
    return "txt", text.encode("utf-8")


def redact_document(
    *,
    document: Document,
    findings: Sequence[Finding],
    audience: Audience,
    book: PlaceholderBook,
    out_dir: Path,
    span_rects: SpanRects | None = None,
    dpi: int = DEFAULT_DPI,
) -> RedactionResult:
    """Write the verified redacted copy of ``document`` under ``out_dir`` and return its log rows.

    Raises ``LeakDetected`` (and leaves no copy at the output path) when the re-read output
    still holds a removed value.
    """
    plan = plan_redactions(document=document, findings=findings, audience=audience, book=book)
    fmt = document.format if document.format in ("pdf", "docx") and document.data else "txt"
    target = out_dir / output_name(document.source, fmt)
    try:
        fmt, data = render(plan, span_rects=span_rects, dpi=dpi)
    except LeakDetected:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise
    _release(data, target)
    rebuilt = len(plan.pages()) if fmt == "pdf" else 0
    return RedactionResult(
        source=document.source, output=target, format=fmt, rows=tuple(log_rows(plan)),
        pages_rebuilt=rebuilt,
    )
