"""Re-read every redacted output and refuse it if any redacted text can still be read.

The check looks at everything a reader could get at, not only the visible text: for a PDF
the text of every page, the document information, XMP, annotations, attachments, form
fields and every decompressed stream other than images and embedded fonts; for a DOCX
every XML part, both as markup (attributes, relationships) and as text joined across runs;
for text, the string. Matching ignores case and collapses white space (line breaks from
extraction), and needs word boundaries at the ends of a value, so "Ann" does not match
"annual". Values shorter than three characters are not searched: initials and two-letter
names ("Jo", "Al", "J") occur inside ordinary text everywhere, and every false alarm would
block the release of a correct copy. The error names the document, the label and where
the text was found, never the text itself (errors are logged and shown).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache

import pikepdf
import pypdfium2 as pdfium

from casework.domain.labels import Label
from casework.errors import LeakDetected
from casework.redaction.plan import RedactionPlan

MIN_CHECKED = 3
_MASK = "\u2588"
_SEPARATORS = r"[\s\-().]*"
_SKIPPED_FILTERS = frozenset({"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"})


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=65536)
def _bounded(value: str) -> re.Pattern[str]:
    left = r"(?<!\w)" if value[0].isalnum() else ""
    right = r"(?!\w)" if value[-1].isalnum() else ""
    return re.compile(left + re.escape(value) + right)


@lru_cache(maxsize=65536)
def _spaced_digits(digits: str) -> re.Pattern[str]:
    body = _SEPARATORS.join(digits)
    return re.compile(rf"(?<!\d){body}(?!\d)")


class LeakScanner:
    """Search texts for the redacted values of one plan, allowing the kept ones."""

    def __init__(self, secrets: list[tuple[Label, str]], allowed: list[str]) -> None:
        self._secrets: list[tuple[Label, str, re.Pattern[str]]] = []
        self._digits: list[tuple[Label, str, re.Pattern[str]]] = []
        for label, value in secrets:
            norm = _normalise(value)
            if len(norm) < MIN_CHECKED:
                continue
            self._secrets.append((label, norm, _bounded(norm)))
            digits = re.sub(r"\D", "", norm)
            if len(digits) >= 7 and len(digits) * 2 >= len(norm.replace(" ", "")):
                # A number leaks in any spacing: "07700 900123" == "07700-900-123".
                self._digits.append((label, digits, _spaced_digits(digits)))
        self._allowed = [a for a in (_normalise(x) for x in allowed) if a]

    def leaked(self, text: str) -> Label | None:
        """Return the label of a redacted value found in ``text``, or None."""
        norm = _normalise(text)
        for allowed in self._allowed:
            if allowed in norm:
                norm = norm.replace(allowed, _MASK * len(allowed))
        for label, value, pattern in self._secrets:
            if value in norm and pattern.search(norm):
                return label
        if self._digits:
            only_digits = re.sub(r"\D", "", norm)
            for label, digits, pattern in self._digits:
                if digits in only_digits and pattern.search(norm):
                    return label
        return None


def _refuse(plan: RedactionPlan, label: Label, where: str) -> LeakDetected:
    return LeakDetected(
        f"{plan.document.source}: a redacted {label} is still readable in {where} of the "
        f"{plan.audience.name} copy; the copy was not released"
    )


def scanner_for(plan: RedactionPlan) -> LeakScanner:
    return LeakScanner(plan.secrets(), plan.allowed())


def verify_text(output: str, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if the redacted text still holds a removed value."""
    label = scanner_for(plan).leaked(output)
    if label is not None:
        raise _refuse(plan, label, "the text")


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
                raise _refuse(plan, label, f"the text of page {index + 1}")
    finally:
        document.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key, value in pdf.docinfo.items():
            label = scanner.leaked(f"{key} {value}")
            if label is not None:
                raise _refuse(plan, label, "the document information")
        fonts = _font_files(pdf)
        contents = _content_streams(pdf)
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
                if isinstance(obj, pikepdf.String):
                    label = scanner.leaked(str(obj))
                    if label is not None:
                        raise _refuse(plan, label, "a PDF object")
                continue
            label = scanner.leaked("\n".join(_pdf_strings(obj)))
            if label is None and isinstance(obj, pikepdf.Stream) and obj.objgen not in fonts:
                is_content = obj.objgen in contents or obj.get("/Subtype") == pikepdf.Name.Form
                text = _shown_strings(obj) if is_content else _stream_text(obj)
                label = scanner.leaked(text) if text else None
            if label is not None:
                raise _refuse(plan, label, f"PDF object {obj.objgen[0]}")


_PARAGRAPH_END = re.compile(r"</w:p>|<w:tab/>|<w:br/>|<w:cr/>|</a:p>")
_TAG = re.compile(r"<[^>]+>")


def verify_docx(data: bytes, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if any XML part of the DOCX holds a removed value."""
    scanner = scanner_for(plan)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            xml = package.read(name).decode("utf-8", errors="replace")
            label = scanner.leaked(html.unescape(xml))
            if label is None:
                joined = _TAG.sub("", _PARAGRAPH_END.sub(" ", xml))
                label = scanner.leaked(html.unescape(joined))
            if label is not None:
                raise _refuse(plan, label, f"the part {name}")
