"""Re-read a redacted PDF: page text, document information, every object and stream, pixels.

Text is read the ways a person with tools would read it: pdfium's text of every page and of
every form XObject (drawn or not), the strings shown by every content stream (literal and
hex), and every other decompressed stream. Then the pages that carry redactions are
rendered at low resolution and each planned box must be dark: a writer that forgot to paint
one, or painted it in the wrong place, leaves the value readable in the picture.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageStat

from casework.documents.pdf import hidden_text_rects, page_box, pdf_spans_rects, render_scale
from casework.domain.document import Box
from casework.errors import LeakDetected
from casework.redaction.pdf_writer import value_patterns
from casework.redaction.plan import RedactionPlan
from casework.redaction.verify import LeakScanner, refuse, scanner_for

_SKIPPED_FILTERS = frozenset({"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"})
_SHOW_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
CHECK_DPI = 36
"""Resolution of the pixel check: a box around 8 pt text is still four pixels high."""
DARK = 96
"""Luminance (0-255) under which a pixel counts as painted over."""
DARK_SHARE = 0.9
"""A box this dark in the copy is painted over, whatever the source showed there."""
DARKENED = 20
"""How much darker (mean luminance, 0-255) a box must be in the copy than in the source.

Darkness alone cannot tell a painted box with its white placeholder (0.36 dark at worst)
from thick text left showing (0.7 dark). Painting a box over text darkens it by 35 or more
on average, the placeholder included; a box not painted, or painted elsewhere, changes by
a few levels at most (both renders are smoothed, so resampling noise averages out).
"""


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


def _shown_strings(stream: pikepdf.Object) -> str:
    """Return the strings a content stream shows, one word apart, as a reader joins them.

    The operators are parsed, so hex strings count as well as literal ones. Searching the
    raw operators instead would see a kept "John Smith" as two separate shows and raise a
    false alarm for a redacted "Smith"; pdfium's page text covers fonts with other encodings.
    """
    data = stream.read_bytes()
    simple = _simple_strings(data)
    if simple is not None:
        return _decode(b" ".join(simple))
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError:
        return _decode(data)
    shown: list[bytes] = []
    for instruction in instructions:
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        if str(instruction.operator) not in _SHOW_OPERATORS:
            continue
        for operand in instruction.operands:
            items = operand if isinstance(operand, pikepdf.Array) else [operand]
            shown.extend(bytes(i) for i in items if isinstance(i, pikepdf.String))
    return _decode(b" ".join(shown))


_LITERAL = re.compile(rb"\(((?:\\.|[^\\()])*)\)", re.DOTALL)
_ESCAPE = re.compile(rb"\\([\\()])")
_OPEN = re.compile(rb"(?<!\\)\(")


def _simple_strings(data: bytes) -> list[bytes] | None:
    """Return the literal strings of a stream without hex strings or nested brackets, else None.

    Parsing every operator is slow on long pages; a stream whose only strings are plain
    literals (as rebuilt pages are) is read by a pattern, anything else by the parser.
    """
    if b"<" in data.replace(b"<<", b"") or b"\\\\" in data:
        return None
    found = _LITERAL.findall(data)
    if len(found) != len(_OPEN.findall(data)):
        return None
    return [_ESCAPE.sub(rb"\1", m) if b"\\" in m else m for m in found]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def _form_texts(pdf: pikepdf.Pdf) -> Iterator[tuple[tuple[int, int], str]]:
    """Yield pdfium's text of every form XObject in the file, each drawn on a scratch page.

    A form that no page draws (left behind in shared resources) is invisible in the page
    text, but anyone can draw it; its fonts may use any encoding, so pdfium reads it.
    """
    forms = [
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Form
    ]
    if not forms:
        return
    scratch = pikepdf.Pdf.new()
    for form in forms:
        copy = scratch.copy_foreign(form)
        bbox = [float(v) for v in form.get("/BBox", [0, 0, 612, 792])]
        if bbox[2] - bbox[0] < 1 or bbox[3] - bbox[1] < 1:
            bbox = [0.0, 0.0, 612.0, 792.0]
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array(bbox),
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=copy)),
            Contents=scratch.make_stream(b"/Fm0 Do"),
        )
        scratch.pages.append(pikepdf.Page(scratch.make_indirect(page)))
    buffer = io.BytesIO()
    scratch.save(buffer)
    drawn = pdfium.PdfDocument(buffer.getvalue())
    try:
        for index, form in enumerate(forms):
            page = drawn[index]
            textpage = page.get_textpage()
            yield form.objgen, textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        drawn.close()


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


def _planned_areas(plan: RedactionPlan) -> dict[int, list[Box]]:
    """Return, per page, where the plan's values are drawn in the source (hidden copies too)."""
    document = plan.document
    areas: dict[int, list[Box]] = {}
    spans = [(r.start, r.end) for r in plan.redactions]
    hiding: set[int] = set()
    for rects in pdf_spans_rects(document, spans, hiding=hiding):
        for number, box in rects:
            areas.setdefault(number, []).append(box)
    if hiding:
        patterns = value_patterns(plan)
        for number in sorted(hiding):
            boxes = hidden_text_rects(document.data, number, patterns)
            areas.setdefault(number, []).extend(boxes)
    return areas


def _share(histogram: list[int], lo: int, hi: int) -> float:
    total = sum(histogram)
    return sum(histogram[lo:hi]) / total if total else 1.0


@dataclass(slots=True)
class _Rendered:
    """A page rendered for the pixel check, and where page points land in it."""

    page: pdfium.PdfPage
    image: Image.Image

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> _Rendered:
        scale = render_scale(page_box(page), CHECK_DPI)
        bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False)
        image = bitmap.to_pil().convert("L")
        bitmap.close()
        return cls(page, image)

    def crop(self, box: Box) -> Image.Image | None:
        """Return the pixels wholly inside ``box``, or None if there are none."""
        width, height = self.image.size
        px, py = ctypes.c_int(), ctypes.c_int()
        xs: list[int] = []
        ys: list[int] = []
        for x, y in ((box[0], box[1]), (box[2], box[3])):
            pdfium_c.FPDF_PageToDevice(self.page, 0, 0, width, height, 0, x, y, px, py)
            xs.append(px.value)
            ys.append(py.value)
        # Only the pixels wholly inside the box: its edges blend with the page.
        x0, x1 = max(min(xs) + 1, 0), min(max(xs) - 1, width)
        y0, y1 = max(min(ys) + 1, 0), min(max(ys) - 1, height)
        if x1 <= x0 or y1 <= y0:
            return None
        return self.image.crop((x0, y0, x1, y1))


def _painted(copy: Image.Image, source: Image.Image) -> bool:
    if _share(copy.histogram(), 0, DARK) >= DARK_SHARE:
        return True
    darkened = ImageStat.Stat(source).mean[0] - ImageStat.Stat(copy).mean[0]
    return bool(darkened >= DARKENED)


def _check_pixels(document: pdfium.PdfDocument, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` unless every planned box is painted over in the rendered copy.

    The copy's page and the source page are rendered at low resolution; inside each box
    the copy must be dark all over or clearly darker than the source.
    """
    areas = _planned_areas(plan)
    source = pdfium.PdfDocument(plan.document.data)
    try:
        for number, boxes in sorted(areas.items()):
            if number > len(document):
                raise LeakDetected(
                    f"{plan.document.source}: page {number} is missing from the "
                    f"{plan.audience.name} copy; the copy was not released"
                )
            copy = _Rendered.of(document[number - 1])
            original = _Rendered.of(source[number - 1])
            try:
                for box in boxes:
                    after, before = copy.crop(box), original.crop(box)
                    if after is None or before is None:
                        continue
                    if not _painted(after, before):
                        raise LeakDetected(
                            f"{plan.document.source}: a redaction on page {number} of the "
                            f"{plan.audience.name} copy is not painted over; the copy was "
                            "not released"
                        )
            finally:
                copy.page.close()
                original.page.close()
    finally:
        source.close()


def _check_objects(data: bytes, plan: RedactionPlan, scanner: LeakScanner) -> None:
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
        for objgen, text in _form_texts(pdf):
            label = scanner.leaked(text)
            if label is not None:
                raise refuse(plan, label, f"the text of form XObject {objgen[0]}")


def verify_pdf(data: bytes, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if a removed value can be read in the text, objects or pixels."""
    scanner = scanner_for(plan)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise LeakDetected(
            f"{plan.document.source}: the {plan.audience.name} copy cannot be read back "
            f"({exc}); the copy was not released"
        ) from exc
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            label = scanner.leaked(textpage.get_text_range())
            textpage.close()
            page.close()
            if label is not None:
                raise refuse(plan, label, f"the text of page {index + 1}")
        _check_objects(data, plan, scanner)
        if plan.document.format == "pdf":
            _check_pixels(document, plan)
    finally:
        document.close()
