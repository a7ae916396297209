"""Redact one document for one audience: plan, write, verify, and only then release.

The caller builds the ``PlaceholderBook`` over the whole bundle first and may run this in
a process pool, one document per task; everything passed in and returned is picklable.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from casework.documents.pdf import UNREAD_PAGES_KEY
from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.errors import LeakDetected, UnverifiableDocument
from casework.redaction.audiences import Audience
from casework.redaction.docx_writer import redacted_docx
from casework.redaction.log import LogRow, log_rows
from casework.redaction.pdf_writer import DEFAULT_DPI, SpanRects, redacted_pdf
from casework.redaction.placeholders import PlaceholderBook
from casework.redaction.plan import RedactionPlan, plan_redactions
from casework.redaction.text_writer import redacted_text
from casework.redaction.verify import verify_text
from casework.redaction.verify_docx import verify_docx
from casework.redaction.verify_pdf import verify_pdf

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


Writer = Callable[[RedactionPlan], bytes]
"""Turns a plan into the bytes of a redacted copy in one output format."""
Verifier = Callable[[bytes, RedactionPlan], None]
"""Re-reads a redacted copy and raises ``LeakDetected`` if a removed value is still in it."""


def _verify_text_bytes(data: bytes, plan: RedactionPlan) -> None:
    verify_text(data.decode("utf-8"), plan)


VERIFIERS: Mapping[str, Verifier] = {
    "pdf": verify_pdf,
    "docx": verify_docx,
    "txt": _verify_text_bytes,
}


def default_writers(
    *, span_rects: SpanRects | None = None, dpi: int = DEFAULT_DPI
) -> dict[str, Writer]:
    """Return the built-in writer of each output format."""
    return {
        "pdf": lambda plan: redacted_pdf(plan, span_rects=span_rects, dpi=dpi),
        "docx": redacted_docx,
        "txt": lambda plan: redacted_text(plan).encode("utf-8"),
    }


def output_format(document: Document, *, as_text: bool = False) -> str:
    """Say which format a document's redacted copy is written in: PDF, DOCX, else text."""
    if not as_text and document.format in ("pdf", "docx") and document.data:
        return document.format
    return "txt"


def refuse_unread(document: Document) -> None:
    """Raise ``UnverifiableDocument`` if the reader could not read some pages' pictures."""
    unread = [n for n in document.metadata.get(UNREAD_PAGES_KEY, "").split(",") if n]
    if not unread:
        return
    pages = f"page {unread[0]} shows" if len(unread) == 1 else f"pages {', '.join(unread)} show"
    raise UnverifiableDocument(
        f"{document.source}: {pages} pictures that were not read "
        "(no OCR ran on them: install tesseract and leave OCR on), so a redacted copy could "
        "not be checked; the copy was not released"
    )


def render(
    plan: RedactionPlan, *, writers: Mapping[str, Writer] | None = None, as_text: bool = False
) -> bytes:
    """Return the redacted copy of ``plan.document``, re-read and verified.

    Verification is never optional and never the writer's own: whatever writer made the
    bytes, the verifier of the output format reads them back before they leave. A document
    with pages whose pictures were not read (no OCR) is refused in every output format:
    what those pages show was never checked for personal data.
    """
    refuse_unread(plan.document)
    fmt = output_format(plan.document, as_text=as_text)
    data = (writers or default_writers())[fmt](plan)
    VERIFIERS[fmt](data, plan)
    return data


def redact_document(
    *,
    document: Document,
    findings: Sequence[Finding],
    audience: Audience,
    book: PlaceholderBook,
    out_dir: Path,
    writers: Mapping[str, Writer] | None = None,
    as_text: bool = False,
) -> RedactionResult:
    """Write the verified redacted copy of ``document`` under ``out_dir`` and return its log rows.

    Raises ``LeakDetected`` (and leaves no copy at the output path, removing one left by an
    earlier run) when the re-read output still holds a removed value. ``writers`` replaces
    the built-in writers by format (``default_writers(dpi=150)``, or a plugin's). With
    ``as_text`` every copy is written as redacted text, whatever the input format.
    """
    plan = plan_redactions(document=document, findings=findings, audience=audience, book=book)
    fmt = output_format(document, as_text=as_text)
    target = out_dir / output_name(document.source, fmt)
    try:
        data = render(plan, writers=writers, as_text=as_text)
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
