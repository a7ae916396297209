"""Write a draft as TXT, DOCX or PDF and return the text as laid out, with its spans.

The returned text is what the writer put in the file in reading order; ``align`` then moves
the spans onto what a reader extracts. The PDF writer lays out lines itself so that it
only ever breaks at a space outside an identifier. Output is byte-for-byte deterministic
(reportlab's invariant mode, fixed DOCX properties and ZIP timestamps).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from itertools import accumulate
from pathlib import Path

from casework.demo.marked import Block, Draft, Span, block_spans

_SPACED = frozenset({"title", "heading", "para"})


def _join_blocks(draft: Draft, fold: bool = False) -> tuple[list[str], list[Span]]:
    """Return the text of each block and all spans, offsets counted as if joined by newlines."""
    texts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for block in draft.blocks:
        text, block_marks = block_spans(block, offset, fold)
        texts.append(text)
        spans.extend(block_marks)
        offset += len(text) + 1
    return texts, spans


def write_txt(draft: Draft, path: Path) -> tuple[str, list[Span]]:
    """Write a UTF-8 text file: one line per block, a blank line after paragraphs and headings."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for block in draft.blocks:
        text, block_marks = block_spans(block, pos)
        tail = "\n\n" if block.style in _SPACED else "\n"
        parts.append(text + tail)
        spans.extend(block_marks)
        pos += len(text) + len(tail)
    content = "".join(parts)
    path.write_bytes(content.encode("utf-8"))
    return content, spans


_FIXED_TIME = datetime(2024, 1, 1, 9, 0, 0)


def write_docx(draft: Draft, path: Path) -> tuple[str, list[Span]]:
    """Write a Word document: one paragraph per block; field names in bold."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = "Casework demo-data (synthetic)"
    props.title = draft.kind
    props.created = props.modified = props.last_printed = _FIXED_TIME
    props.last_modified_by = "Casework"
    props.revision = 1
    styles = {"title": "Title", "heading": "Heading 2"}
    texts, spans = _join_blocks(draft)
    for block, text in zip(draft.blocks, texts, strict=True):
        paragraph = document.add_paragraph(style=styles.get(block.style))
        head, sep, rest = text.partition(": ")
        if block.style == "field" and sep and len(head) < 40:
            paragraph.add_run(head + sep).bold = True
            paragraph.add_run(rest)
        else:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return "\n".join(texts), spans


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed member timestamps, so the same seed gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


_PAGE_W, _PAGE_H = 595.27, 841.89  # A4 in points
_MARGIN = 64.0
_FONTS = {"title": ("Helvetica-Bold", 13.0), "heading": ("Helvetica-Bold", 11.5)}
_BODY = ("Helvetica", 11.0)
_LEADING = 1.4


class _Widths:
    """Cache of glyph widths per font and size; summing them is what ``stringWidth`` does."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, float, str], float] = {}

    def prefix(self, text: str, font: str, size: float) -> list[float]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        widths = []
        for char in text:
            key = (font, size, char)
            if key not in self._cache:
                self._cache[key] = stringWidth(char, font, size)
            widths.append(self._cache[key])
        return [0.0, *accumulate(widths)]


def _breaks(
    text: str, spans: list[Span], base: int, prefix: list[float], width: float
) -> list[tuple[int, int]]:
    """Return (start, end) of each line: greedy, breaking only at a space outside every span."""
    protected = bytearray(len(text))
    for span in spans:
        protected[span.start - base : span.end - base] = b"\x01" * (span.end - span.start)
    candidates = [i for i, c in enumerate(text) if c == " " and not protected[i]]
    lines: list[tuple[int, int]] = []
    start, k = 0, 0
    while True:
        if prefix[len(text)] - prefix[start] <= width:
            lines.append((start, len(text)))
            return lines
        while k < len(candidates) and candidates[k] <= start:
            k += 1
        best = -1
        while k < len(candidates) and prefix[candidates[k]] - prefix[start] <= width:
            best = candidates[k]
            k += 1
        if best < 0:  # a token wider than the line: let it run over rather than split it
            if k >= len(candidates):
                lines.append((start, len(text)))
                return lines
            best = candidates[k]
        lines.append((start, best))
        start = best + 1


def write_pdf(draft: Draft, path: Path) -> tuple[str, list[Span]]:
    """Write an A4 PDF in Helvetica; letters the font lacks are folded to plain Latin."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=(_PAGE_W, _PAGE_H), invariant=1)
    canvas.setTitle(draft.kind)
    canvas.setAuthor("Casework demo-data (synthetic)")
    widths = _Widths()
    usable = _PAGE_W - 2 * _MARGIN
    stream: list[str] = []
    pos = 0
    out_spans: list[Span] = []
    y = _PAGE_H - _MARGIN
    page = 1

    def emit(text: str) -> int:
        nonlocal pos
        start = pos
        stream.append(text + "\n")
        pos += len(text) + 1
        return start

    def footer() -> None:
        canvas.setFont(*_BODY)
        label = f"Page {page}"
        canvas.drawString(_MARGIN, _MARGIN / 2, label)
        emit(label)

    for block in draft.blocks:
        font, size = _FONTS.get(block.style, _BODY)
        text, spans = block_spans(block, 0, fold=True)
        prefix = widths.prefix(text, font, size)
        for a, b in _breaks(text, spans, 0, prefix, usable):
            if y < _MARGIN + size:
                footer()
                canvas.showPage()
                page += 1
                y = _PAGE_H - _MARGIN
            canvas.setFont(font, size)
            canvas.drawString(_MARGIN, y, text[a:b])
            start = emit(text[a:b])
            for span in spans:
                if a <= span.start and span.end <= b:
                    out_spans.append(
                        Span(
                            start + span.start - a,
                            start + span.end - a,
                            span.label,
                            span.text,
                            span.role,
                        )
                    )
            y -= size * _LEADING
        if block.style in _SPACED:
            y -= size * 0.6
    footer()
    canvas.showPage()
    canvas.save()
    return "".join(stream), out_spans


def extract(path: Path) -> str:
    """Return the text Casework's readers extract from ``path``.

    Uses ``casework.documents`` when it is installed; otherwise follows its convention
    (PDF: pdfium text of each page joined by a blank line; DOCX: paragraphs joined by
    newlines; TXT: the UTF-8 content unchanged).
    """
    try:
        from casework.documents import ReadOptions, read_file
    except ImportError:
        return _extract_fallback(path)
    documents = read_file(path, options=ReadOptions(ocr=False))
    return "\n\n".join(d.text for d in documents)


def _extract_fallback(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            pages = []
            for page in pdf:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return "\n\n".join(pages)
        finally:
            pdf.close()
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_bytes().decode("utf-8")


WRITERS = {".txt": write_txt, ".docx": write_docx, ".pdf": write_pdf}
"""The writer of each output format, by file extension."""

__all__ = ["WRITERS", "Block", "extract"]
