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
"""Metadata key: comma-separated numbers of pages whose text came from OCR."""

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


def _ocr_page(page: pdfium.PdfPage, engine: OcrEngine, height: float) -> tuple[str, array[float]]:
    """OCR one page; return its text (words by spaces, lines by newlines) and per-char boxes.

    OCR gives word boxes; each word's box is shared evenly among its letters, which is close
    enough for redaction (spans are whole words). Spaces and newlines get empty boxes.
    """
    scale = OCR_DPI / 72
    image = page.render(scale=scale).to_pil()
    parts: list[str] = []
    boxes = array("f")
    line: tuple[int, ...] | None = None
    for word in engine.words(image):
        if parts:
            parts.append(" " if word.line == line else "\n")
            boxes.extend((0.0, 0.0, 0.0, 0.0))
        line = word.line
        left = word.left / scale
        right = (word.left + word.width) / scale
        top = height - word.top / scale
        bottom = height - (word.top + word.height) / scale
        step = (right - left) / len(word.text)
        for k in range(len(word.text)):
            boxes.extend((left + k * step, bottom, left + (k + 1) * step, top))
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
        offset = 0
        for index in range(count):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = _page_text(textpage)
            boxes: array[float] | None = None
            if not text.strip():
                if use_ocr:
                    text, boxes = _ocr_page(page, self.ocr_engine, height)
                    ocred.append(index + 1)
                if not text.strip():
                    blank.append(index + 1)
            elif options.geometry:
                boxes = _char_boxes(textpage, len(text))
            textpage.close()
            page.close()
            if index:
                parts.append(PAGE_SEPARATOR)
                offset += len(PAGE_SEPARATOR)
            parts.append(text)
            pages.append(Page(index + 1, offset, offset + len(text), width, height, boxes))
            offset += len(text)
        warnings: list[str] = []
        if blank:
            hint = "" if use_ocr else (
                "; OCR is off" if not options.ocr else "; install tesseract to read scanned pages"
            )
            label = "page" if len(blank) == 1 else "pages"
            warnings.append(f"no text found on {label} {_page_list(blank)}{hint}")
        metadata = _metadata(pdf)
        if ocred:
            metadata[OCR_PAGES_KEY] = ",".join(map(str, ocred))
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


def pdf_span_rects(document: Document, start: int, end: int) -> list[tuple[int, Box]]:
    """Return the rectangles (page number, box in PDF points) covering ``text[start:end]``.

    Text-layer pages ask pdfium for its text rectangles over the character range (one per
    run of characters on a line), so this works whether or not geometry was read. OCR pages
    have no pdfium characters; their stored per-character boxes are merged by word.
    """
    ocr_pages = {int(n) for n in document.metadata.get(OCR_PAGES_KEY, "").split(",") if n}
    wanted = [p for p in document.pages if p.start < end and start < p.end]
    found: list[tuple[int, Box]] = []
    pdf: pdfium.PdfDocument | None = None
    try:
        for page in wanted:
            lo, hi = max(start, page.start), min(end, page.end)
            if page.number in ocr_pages or not document.data:
                if page.boxes is None:
                    raise ValueError(f"{document.source}: no PDF bytes or geometry to place text")
                chars = (page.box_of(o) for o in range(lo, hi))
                found.extend((page.number, r) for r in _merge_word_boxes(b for b in chars if b))
                continue
            if pdf is None:
                pdf = _open(document.data, document.source)
            pdf_page = pdf[page.number - 1]
            textpage = pdf_page.get_textpage()
            for k in range(textpage.count_rects(lo - page.start, hi - lo)):
                rect = textpage.get_rect(k)
                if rect[2] > rect[0] and rect[3] > rect[1]:
                    found.append((page.number, rect))
            textpage.close()
            pdf_page.close()
    finally:
        if pdf is not None:
            pdf.close()
    return found
