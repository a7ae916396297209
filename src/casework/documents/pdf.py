"""PDF reader: pdfium's text layer, OCR for pages without one, and where a span sits on a page.

Text convention (a contract with the redaction writer): a page's text is pdfium's
``get_text_range()`` for that page, so document offset ``o`` on page ``p`` is pdfium
character index ``o - p.start``. The document text joins page texts with ``"\\n\\n"``; those
two characters belong to no page. If pdfium's text view ever differs from its character
list (it may insert or drop characters in rare PDFs), the page text is built from the
character list instead, so the 1:1 mapping always holds.
"""

from __future__ import annotations

import ctypes
import logging
import re
import shutil
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from casework.documents.base import ReadOptions, extension_of
from casework.domain.document import Box, Document, Page
from casework.errors import UnreadableDocument

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"
OCR_DPI = 300
OCR_PAGES_KEY = "ocr_pages"
"""Metadata key: comma-separated numbers of pages whose text came (at least partly) from OCR."""
OCR_STARTS_KEY = "ocr_starts"
"""Metadata key: ``page:index`` pairs, where on a page with a text layer the OCR text begins."""
UNREAD_PAGES_KEY = "unread_pages"
"""Metadata key: pages whose pictures may show text that was not read (no OCR ran on them).

Nothing on such a page can be checked for personal data, so no redacted copy is made.
"""
IMAGE_SHARE = 0.5
"""Pages whose images cover at least this share of the page are OCR'd whole, text or not.

A scan with a "Page 1 of 1" stamp has a text layer, but its statement is in the picture.
"""
PICTURE_SHARE = 0.02
"""On other pages with text, each image covering this share of the page is OCR'd alone.

A photographed driving licence on a typed statement shows a name and an address too;
smaller pictures (bullets, rules, small marks) are not read.
"""
MAX_PICTURES = 12
"""More pictures than this on a page with text: the whole page is OCR'd instead."""
MAX_RENDER_PIXELS = 40_000_000
"""Renders of one page are capped at this many pixels; a 200-inch page gets a lower dpi."""

_PASSWORD_ERROR = 4


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A word found by OCR, with its box in image pixels (origin top-left) and its line."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, ...]


class OcrEngine(Protocol):
    """Something that finds words in a page image; Tesseract by default, any engine will do."""

    def available(self) -> bool: ...

    def words(self, image: Image) -> list[OcrWord]: ...


class TesseractOcr:
    """OCR through pytesseract, used only when the ``tesseract`` binary is installed."""

    def available(self) -> bool:
        if shutil.which("tesseract") is None:
            return False
        try:
            import pytesseract  # noqa: F401
        except ImportError:
            return False
        return True

    def words(self, image: Image) -> list[OcrWord]:
        import pytesseract

        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image, output_type=pytesseract.Output.DICT
        )
        found: list[OcrWord] = []
        for i, raw in enumerate(data["text"]):
            word = str(raw).strip()
            if not word:
                continue
            found.append(
                OcrWord(
                    text=word,
                    left=int(data["left"][i]),
                    top=int(data["top"][i]),
                    width=int(data["width"][i]),
                    height=int(data["height"][i]),
                    line=(int(data["block_num"][i]), int(data["par_num"][i]),
                          int(data["line_num"][i])),
                )
            )
        return found


def _page_list(numbers: Sequence[int]) -> str:
    """Write page numbers as ranges for people: ``2-4, 7``."""
    runs: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        runs.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return ", ".join(runs)


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    """Open a PDF or raise ``UnreadableDocument`` with a reason a person understands."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
            raise UnreadableDocument(source, "the PDF is encrypted and needs a password") from exc
        raise UnreadableDocument(source, f"the PDF is corrupt or truncated ({exc})") from exc


def _char_text(textpage: pdfium.PdfTextPage, count: int) -> str:
    """Build a page's text from pdfium's character list, one character per index."""
    chars: list[str] = []
    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        bad = code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF
        chars.append("\ufffd" if bad else chr(code))
    return "".join(chars)


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """Return the page text, guaranteed 1:1 with pdfium's character indices."""
    count = textpage.count_chars()
    if count == 0:
        return ""
    text: str = textpage.get_text_range(0, count)
    if len(text) == count and _same_char(textpage, text, 0) and _same_char(textpage, text, -1):
        return text
    log.debug("pdfium text view differs from its character list; using the list")
    return _char_text(textpage, count)


def _same_char(textpage: pdfium.PdfTextPage, text: str, index: int) -> bool:
    code: int = pdfium_c.FPDFText_GetUnicode(textpage, index % len(text))
    return code == ord(text[index])


def page_box(page: pdfium.PdfPage) -> Box:
    """Return the part of a page pdfium draws (CropBox within MediaBox), normalised.

    Inverted, zero-size or out-of-range boxes in the file are settled the way pdfium settles
    them when it renders, so positions, renders and rebuilt pages agree.
    """
    rect = pdfium_c.FS_RECTF()
    if pdfium_c.FPDF_GetPageBoundingBox(page, rect):
        box = (rect.left, rect.bottom, rect.right, rect.top)
    else:
        box = page.get_mediabox()
    left, right = sorted((box[0], box[2]))
    bottom, top = sorted((box[1], box[3]))
    if right - left < 1 or top - bottom < 1:
        left, bottom, right, top = 0.0, 0.0, 612.0, 792.0
    return (left, bottom, right, top)


def render_scale(box: Box, dpi: float) -> float:
    """Return pixels per point for rendering ``box`` at ``dpi``, capped at MAX_RENDER_PIXELS."""
    scale = dpi / 72
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1.0)
    if area * scale * scale > MAX_RENDER_PIXELS:
        scale = 0.995 * (MAX_RENDER_PIXELS / area) ** 0.5  # whole pixels round up
    return scale


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """Return the matrix that applies ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od,
            e * oa + f * oc + oe, e * ob + f * od + of)


def _transform(box: Box, m: Matrix) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for x, y in ((box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True, slots=True)
class _Object:
    """A page object found walking the page and its form XObjects."""

    raw: Any
    kind: int
    to_page: Matrix
    """Maps the object's own coordinates (those of its form, if nested) to the page."""
    parent: Any
    """The form object holding it, or None at the top level."""


def _objects(page: pdfium.PdfPage, depth: int = 12) -> list[_Object]:
    """Return every object of the page, descending into form XObjects."""
    found: list[_Object] = []

    def walk(container: Any, parent: Any, to_page: Matrix, level: int) -> None:
        if parent is None:
            count = pdfium_c.FPDFPage_CountObjects(container)
        else:
            count = pdfium_c.FPDFFormObj_CountObjects(parent)
        for i in range(max(count, 0)):
            if parent is None:
                raw = pdfium_c.FPDFPage_GetObject(container, i)
            else:
                raw = pdfium_c.FPDFFormObj_GetObject(parent, i)
            if not raw:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(raw)
            found.append(_Object(raw, kind, to_page, parent))
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < depth:
                m = pdfium_c.FS_MATRIX()
                inner = _IDENTITY
                if pdfium_c.FPDFPageObj_GetMatrix(raw, m):
                    inner = (m.a, m.b, m.c, m.d, m.e, m.f)
                walk(container, raw, _compose(inner, to_page), level + 1)

    walk(page, None, _IDENTITY, 0)
    return found


def _bounds(obj: _Object) -> Box | None:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj.raw, left, bottom, right, top):
        return None
    return _transform((left.value, bottom.value, right.value, top.value), obj.to_page)


def _pictures(objects: Sequence[_Object], box: Box) -> list[Box]:
    """Return the visible parts of the page's images, largest first."""
    found: list[Box] = []
    for obj in objects:
        if obj.kind != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        bounds = _bounds(obj)
        if bounds is None:
            continue
        left, bottom = max(bounds[0], box[0]), max(bounds[1], box[1])
        right, top = min(bounds[2], box[2]), min(bounds[3], box[3])
        if right > left and top > bottom:
            found.append((left, bottom, right, top))
    return sorted(found, key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))


def _share(regions: Sequence[Box], box: Box) -> float:
    """Return the share of ``box`` that ``regions`` cover (overlaps counted twice)."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    covered = sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions)
    return min(covered / area, 1.0) if area > 0 else 0.0


def _char_boxes(textpage: pdfium.PdfTextPage, count: int) -> array[float]:
    """Return four floats per character (left, bottom, right, top); zeros where pdfium has none."""
    boxes = array("f", bytes(16 * count))
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    get_box = pdfium_c.FPDFText_GetCharBox
    for i in range(count):
        if get_box(textpage, i, left, right, bottom, top):
            k = 4 * i
            boxes[k] = left.value
            boxes[k + 1] = bottom.value
            boxes[k + 2] = right.value
            boxes[k + 3] = top.value
    return boxes


def _ocr_page(
    page: pdfium.PdfPage, engine: OcrEngine, regions: Sequence[Box] = ()
) -> tuple[str, array[float]]:
    """OCR one page, or only ``regions`` of it; return the text and per-char boxes.

    Words are joined by spaces and lines by newlines. OCR gives word boxes; each word's box
    is shared evenly among its letters, and a span is widened to whole words when it is
    placed (``pdf_span_rects``). Spaces and newlines get empty boxes. Pixels are mapped back
    to the page by pdfium, so crop boxes and rotation are honoured.
    """
    scale = render_scale(page_box(page), OCR_DPI)
    bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False)
    image = bitmap.to_pil()
    size_x, size_y = bitmap.width, bitmap.height
    px, py = ctypes.c_double(), ctypes.c_double()
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def to_page(x: int, y: int) -> tuple[float, float]:
        pdfium_c.FPDF_DeviceToPage(page, 0, 0, size_x, size_y, 0, x, y, px, py)
        return px.value, py.value

    def to_device(x: float, y: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, size_x, size_y, 0, x, y, dx, dy)
        return dx.value, dy.value

    pieces: list[tuple[int, int, Image]] = []
    for region in regions:
        (x0, y0), (x1, y1) = to_device(region[0], region[1]), to_device(region[2], region[3])
        left, top = max(min(x0, x1) - 2, 0), max(min(y0, y1) - 2, 0)
        right, bottom = min(max(x0, x1) + 2, size_x), min(max(y0, y1) + 2, size_y)
        if right - left > 8 and bottom - top > 8:
            pieces.append((left, top, image.crop((left, top, right, bottom))))
    if not regions:
        pieces.append((0, 0, image))

    parts: list[str] = []
    boxes = array("f")
    for ox, oy, piece in pieces:
        line: tuple[int, ...] | None = None
        for word in engine.words(piece):
            if parts:
                parts.append(" " if word.line == line else "\n")
                boxes.extend((0.0, 0.0, 0.0, 0.0))
            line = word.line
            x0f, y0f = to_page(ox + word.left, oy + word.top)
            x1f, y1f = to_page(ox + word.left + word.width, oy + word.top + word.height)
            left_f, right_f = min(x0f, x1f), max(x0f, x1f)
            bottom_f, top_f = min(y0f, y1f), max(y0f, y1f)
            step = (right_f - left_f) / len(word.text)
            for k in range(len(word.text)):
                boxes.extend((left_f + k * step, bottom_f, left_f + (k + 1) * step, top_f))
            parts.append(word.text)
    return "".join(parts), boxes


class PdfReader:
    """Read a PDF's text layer with pdfium; OCR pages without text when an engine is available."""

    NAME: ClassVar[str] = "pdf"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".pdf"})

    def __init__(self, ocr_engine: OcrEngine | None = None) -> None:
        self.ocr_engine: OcrEngine = ocr_engine if ocr_engine is not None else TesseractOcr()

    def bid(self, head: bytes, name: str) -> float:
        if head.startswith(b"%PDF-"):
            return 1.0
        if b"%PDF-" in head[:1024]:  # the format allows some junk before the header
            return 0.6 if extension_of(name) in self.EXTENSIONS else 0.2
        return 0.5 if extension_of(name) in self.EXTENSIONS else 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        pdf = _open(data, source)
        try:
            return [self._read(pdf, data, source, options)]
        finally:
            pdf.close()

    def _read(
        self, pdf: pdfium.PdfDocument, data: bytes, source: str, options: ReadOptions
    ) -> Document:
        count = len(pdf)
        if count == 0:
            raise UnreadableDocument(source, "the PDF has no pages")
        if count > options.max_pages:
            raise UnreadableDocument(
                source, f"the PDF has {count} pages, more than the limit of {options.max_pages}"
            )
        use_ocr = options.ocr and self.ocr_engine.available()
        parts: list[str] = []
        pages: list[Page] = []
        blank: list[int] = []
        ocred: list[int] = []
        starts: list[str] = []
        unread: list[int] = []
        offset = 0
        for index in range(count):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = _page_text(textpage)
            boxes: array[float] | None = None
            objects = _objects(page)
            has_text = bool(text.strip())
            box = page_box(page)
            pictures = [p for p in _pictures(objects, box) if _share([p], box) >= PICTURE_SHARE]
            whole = (not has_text and bool(objects)) or _share(pictures, box) >= IMAGE_SHARE
            whole = whole or len(pictures) > MAX_PICTURES
            needs_ocr = whole or bool(pictures)
            if needs_ocr and use_ocr:
                regions = () if whole else pictures
                ocr_text, ocr_boxes = _ocr_page(page, self.ocr_engine, regions)
                ocred.append(index + 1)
                if has_text and ocr_text.strip():
                    # Keep the text layer (1:1 with pdfium) and add what the picture shows.
                    boxes = _char_boxes(textpage, len(text))
                    boxes.extend((0.0, 0.0, 0.0, 0.0))
                    boxes.extend(ocr_boxes)
                    starts.append(f"{index + 1}:{len(text) + 1}")
                    text = f"{text}\n{ocr_text}"
                elif not has_text:
                    text, boxes = ocr_text, ocr_boxes
                elif options.geometry:
                    boxes = _char_boxes(textpage, len(text))
            else:
                if needs_ocr:
                    unread.append(index + 1)
                if has_text and options.geometry:
                    boxes = _char_boxes(textpage, len(text))
            if not text.strip():
                blank.append(index + 1)
            textpage.close()
            page.close()
            if index:
                parts.append(PAGE_SEPARATOR)
                offset += len(PAGE_SEPARATOR)
            parts.append(text)
            pages.append(Page(index + 1, offset, offset + len(text), width, height, boxes))
            offset += len(text)
        warnings: list[str] = []
        hint = "" if use_ocr else (
            "; OCR is off" if not options.ocr else "; install tesseract to read scanned pages"
        )
        if blank:
            label = "page" if len(blank) == 1 else "pages"
            warnings.append(f"no text found on {label} {_page_list(blank)}{hint}")
        pictured = [n for n in unread if n not in blank]
        if pictured:
            label = "page" if len(pictured) == 1 else "pages"
            warnings.append(f"pictures on {label} {_page_list(pictured)} were not read{hint}")
        metadata = _metadata(pdf)
        if ocred:
            metadata[OCR_PAGES_KEY] = ",".join(map(str, ocred))
        if starts:
            metadata[OCR_STARTS_KEY] = ",".join(starts)
        if unread:
            metadata[UNREAD_PAGES_KEY] = ",".join(map(str, unread))
        return Document(
            source=source,
            format="pdf",
            text="".join(parts),
            pages=tuple(pages),
            data=data,
            metadata=metadata,
            warnings=tuple(warnings),
        )


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """Keep the PDF's descriptive metadata that is present (title, author, dates)."""
    try:
        found: dict[str, str] = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    return {key.lower(): value for key, value in found.items()}


def _merge_word_boxes(boxes: Iterable[Box]) -> list[Box]:
    """Merge per-character boxes of one line into rectangles, breaking at empty boxes."""
    rects: list[Box] = []
    current: Box | None = None
    for box in boxes:
        if box[2] <= box[0]:
            if current is not None:
                rects.append(current)
            current = None
            continue
        if current is None:
            current = box
        else:
            current = (min(current[0], box[0]), min(current[1], box[1]),
                       max(current[2], box[2]), max(current[3], box[3]))
    if current is not None:
        rects.append(current)
    return rects


def _ocr_starts(document: Document) -> dict[int, int]:
    """Return, per OCR'd page, the index in the page text where the OCR text begins."""
    starts = {int(n): 0 for n in document.metadata.get(OCR_PAGES_KEY, "").split(",") if n}
    for pair in document.metadata.get(OCR_STARTS_KEY, "").split(","):
        if ":" in pair:
            number, index = pair.split(":", 1)
            starts[int(number)] = int(index)
    return starts


def _ocr_rects(document: Document, page: Page, lo: int, hi: int, first: int) -> list[Box]:
    """Return the boxes of the whole OCR words that ``text[lo:hi]`` touches.

    OCR shares a word's box evenly among its letters, which is not where the letters are;
    covering the whole word (trailing punctuation included) never leaves a glyph showing.
    """
    if page.boxes is None:
        raise ValueError(f"{document.source}: no geometry for the OCR text of page {page.number}")
    text = document.text
    while lo > first and not text[lo - 1].isspace():
        lo -= 1
    while hi < page.end and not text[hi].isspace():
        hi += 1
    chars = (page.box_of(o) for o in range(lo, hi))
    return _merge_word_boxes(b for b in chars if b)


def pdf_span_rects(document: Document, start: int, end: int) -> list[tuple[int, Box]]:
    """Return the rectangles (page number, box in PDF points) covering ``text[start:end]``.

    Text-layer pages ask pdfium for its text rectangles over the character range (one per
    run of characters on a line), so this works whether or not geometry was read. OCR text
    has no pdfium characters; its stored per-character boxes are merged by whole word.
    """
    return pdf_spans_rects(document, [(start, end)])[0]


def pdf_spans_rects(
    document: Document, spans: Sequence[tuple[int, int]], *, hiding: set[int] | None = None
) -> list[list[tuple[int, Box]]]:
    """Return ``pdf_span_rects`` of each span, opening the file and each page once.

    With ``hiding``, the numbers of the text-layer pages visited that draw text pdfium's
    text page left out (see ``hides_text``) are added to it.
    """
    ocr_starts = _ocr_starts(document)
    pdf: pdfium.PdfDocument | None = None
    textpages: dict[int, tuple[pdfium.PdfPage, pdfium.PdfTextPage]] = {}
    results: list[list[tuple[int, Box]]] = []
    try:
        for start, end in spans:
            found: list[tuple[int, Box]] = []
            results.append(found)
            for page in document.pages[document.page_at(start).number - 1 :]:
                if page.start >= end:
                    break
                if page.end <= start:
                    continue
                lo, hi = max(start, page.start), min(end, page.end)
                split = ocr_starts.get(page.number)
                layer_hi = hi if split is None else min(hi, page.start + split)
                if split is not None and hi > page.start + split:
                    first = page.start + split
                    found.extend(
                        (page.number, r)
                        for r in _ocr_rects(document, page, max(lo, first), hi, first)
                    )
                if lo >= layer_hi:
                    continue
                if not document.data:
                    if page.boxes is None:
                        raise ValueError(
                            f"{document.source}: no PDF bytes or geometry to place text"
                        )
                    chars = (page.box_of(o) for o in range(lo, layer_hi))
                    found.extend(
                        (page.number, r) for r in _merge_word_boxes(b for b in chars if b)
                    )
                    continue
                if pdf is None:
                    pdf = _open(document.data, document.source)
                if page.number not in textpages:
                    pdf_page = pdf[page.number - 1]
                    textpages[page.number] = (pdf_page, pdf_page.get_textpage())
                    if hiding is not None and hides_text(*textpages[page.number]):
                        hiding.add(page.number)
                textpage = textpages[page.number][1]
                for k in range(textpage.count_rects(lo - page.start, layer_hi - lo)):
                    rect = textpage.get_rect(k)
                    if rect[2] > rect[0] and rect[3] > rect[1]:
                        found.append((page.number, rect))
    finally:
        for pdf_page, textpage in textpages.values():
            textpage.close()
            pdf_page.close()
        if pdf is not None:
            pdf.close()
    return results


def _object_text_shown(objects: Sequence[_Object], textpage: pdfium.PdfTextPage) -> list[bool]:
    """Say of each text object whether pdfium's text page holds any of its characters."""
    # The length counts a two-byte terminator; an object pdfium dropped has no text.
    return [pdfium_c.FPDFTextObj_GetText(o.raw, textpage, None, 0) > 2 for o in objects]


def hides_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> bool:
    """Say whether the page draws text objects that pdfium's text page left out."""
    texts = [o for o in _objects(page) if o.kind == pdfium_c.FPDF_PAGEOBJ_TEXT]
    return not all(_object_text_shown(texts, textpage))


def hidden_text_rects(data: bytes, number: int, patterns: Sequence[re.Pattern[str]]) -> list[Box]:
    """Return boxes of text on page ``number`` that pdfium's text page hides, where it matches.

    pdfium keeps one copy of text drawn twice at (nearly) the same place: fake bold, drop
    shadows, overprinted lines. The other copy is drawn all the same, so a redaction boxed
    from the text page alone would leave it readable in the page image. The objects pdfium
    kept are taken off a scratch copy of the page and the text page is built again from
    what remains, until no hidden copy is left; its matches of ``patterns`` are returned.
    """
    pdf = _open(data, "")
    found: list[Box] = []
    try:
        page = pdf[number - 1]
        for _round in range(8):
            textpage = page.get_textpage()
            texts = [o for o in _objects(page) if o.kind == pdfium_c.FPDF_PAGEOBJ_TEXT]
            shown = _object_text_shown(texts, textpage)
            if _round:
                text = _page_text(textpage)
                for pattern in patterns:
                    for m in pattern.finditer(text):
                        for k in range(textpage.count_rects(m.start(), m.end() - m.start())):
                            rect = textpage.get_rect(k)
                            if rect[2] > rect[0] and rect[3] > rect[1]:
                                found.append(rect)
            textpage.close()
            if all(shown):
                break
            for obj, is_shown in zip(texts, shown, strict=True):
                if not is_shown:
                    continue
                if obj.parent is None:
                    removed = pdfium_c.FPDFPage_RemoveObject(page, obj.raw)
                else:
                    removed = pdfium_c.FPDFFormObj_RemoveObject(obj.parent, obj.raw)
                if removed:
                    pdfium_c.FPDFPageObj_Destroy(obj.raw)
        page.close()
    finally:
        pdf.close()
    return found
