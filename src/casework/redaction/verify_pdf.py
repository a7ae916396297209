"""Re-read a redacted PDF: page text, document information, every object and stream."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf
import pypdfium2 as pdfium

from casework.redaction.plan import RedactionPlan
from casework.redaction.verify import refuse, scanner_for

_SKIPPED_FILTERS = frozenset({"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"})


def _pdf_strings(obj: object, depth: int = 0) -> Iterator[str]:
    """Yield every string inside a direct PDF object (dictionaries and arrays walked)."""
    if depth > 32:
        return
    if isinstance(obj, pikepdf.String):
        yield str(obj)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for _key, value in obj.items():
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from _pdf_strings(value, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from _pdf_strings(value, depth + 1)


def _font_files(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor:
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    found.add(obj[key].objgen)
    return found


def _content_streams(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Return the page content streams (form XObjects are recognised by their subtype)."""
    found: set[tuple[int, int]] = set()
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        parts = contents if isinstance(contents, pikepdf.Array) else [contents]
        found.update(part.objgen for part in parts if isinstance(part, pikepdf.Stream))
    return found


_LITERAL = re.compile(rb"\(((?:\\.|[^\\()])*)\)", re.DOTALL)
_ESCAPE = re.compile(rb"\\([\\()])")


def _shown_strings(stream: pikepdf.Stream) -> str:
    """Return the literal strings of a content stream, one word apart, as a reader joins them.

    Searching the raw operators instead would see a kept "John Smith" as two separate shows
    and raise a false alarm for a redacted "Smith"; pdfium's page text covers the rest.
    """
    data = stream.read_bytes()
    shown = b" ".join(_ESCAPE.sub(rb"\1", m.group(1)) for m in _LITERAL.finditer(data))
    return shown.decode("latin-1")


def _stream_text(stream: pikepdf.Stream) -> str | None:
    """Return a stream's decoded bytes as text, or None for images, fonts and ICC profiles."""
    if stream.get("/Subtype") == pikepdf.Name.Image or ("/N" in stream and "/Type" not in stream):
        return None
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if _SKIPPED_FILTERS.intersection(names):
        return None
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        data = stream.read_raw_bytes()
    if data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return data.decode("utf-16", errors="replace")
    text = data.decode("latin-1")
    utf8 = data.decode("utf-8", errors="replace")
    return text if utf8 == text else f"{text}\n{utf8}"


def verify_pdf(data: bytes, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if a page's text, metadata or any stream holds a removed value."""
    scanner = scanner_for(plan)
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            label = scanner.leaked(textpage.get_text_range())
            textpage.close()
            page.close()
            if label is not None:
                raise refuse(plan, label, f"the text of page {index + 1}")
    finally:
        document.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key, value in pdf.docinfo.items():
            label = scanner.leaked(f"{key} {value}")
            if label is not None:
                raise refuse(plan, label, "the document information")
        fonts = _font_files(pdf)
        contents = _content_streams(pdf)
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                if isinstance(obj, pikepdf.String):
                    label = scanner.leaked(str(obj))
                    if label is not None:
                        raise refuse(plan, label, "a PDF object")
                continue
            label = scanner.leaked("\n".join(_pdf_strings(obj)))
            if label is None and isinstance(obj, pikepdf.Stream) and obj.objgen not in fonts:
                is_content = obj.objgen in contents or obj.get("/Subtype") == pikepdf.Name.Form
                text = _shown_strings(obj) if is_content else _stream_text(obj)
                label = scanner.leaked(text) if text else None
            if label is not None:
                raise refuse(plan, label, f"PDF object {obj.objgen[0]}")
