"""Write a redacted PDF in which removed text is gone from the file, not hidden under a box.

A black rectangle drawn over text leaves the text in the content stream: anyone can copy
it out. So every page with a redaction is rebuilt: rendered to an image (pdfium), the
redacted areas painted black with the placeholder in white, and the page replaced by that
image plus an invisible text layer (text render mode 3) of the kept words only, so the
rest of the page stays searchable and selectable. Pages without redactions keep their
original content. The output is a fresh file (pikepdf), never an incremental update, and
carries only pages: no document information, XMP, outline, annotations, attachments,
form fields, JavaScript, page actions or earlier revisions. Form fields and annotations are
not drawn into the images either (their appearance may show personal data).
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase.pdfmetrics import getFont

from casework.documents.pdf import (
    hidden_text_rects,
    hides_text,
    page_box,
    pdf_spans_rects,
    render_scale,
)
from casework.domain.document import Box, Document, Page
from casework.errors import LeakDetected, UnreadableDocument
from casework.redaction.plan import RedactionPlan

SpanRects = Callable[[Document, int, int], list[tuple[int, Box]]]
"""Where a character span sits: (page number, (left, bottom, right, top) in PDF points)."""

DEFAULT_DPI = 120
"""Sharp enough to read 8 pt text on screen and in print, small enough to stay fast."""
JPEG_QUALITY = 80
PAD = 1.5
"""Least points added around each redaction box: glyphs overhang their character boxes."""
PAD_SHARE = 0.15
"""Share of a box's height added around it: thick outlines and shadows grow with the font."""
KEPT_PAGE_KEYS = frozenset(
    {
        "/Type", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate",
        "/Resources", "/Contents", "/Group", "/UserUnit",
    }
)
"""Page keys copied for pages kept as they were; /Annots, /AA, /Metadata, /PieceInfo go."""
FONT = "Helvetica"


def default_span_rects() -> SpanRects:
    """Return the PDF reader's ``pdf_span_rects`` (the other half of the text convention)."""
    from casework.documents import pdf_span_rects

    found: SpanRects = pdf_span_rects
    return found


@dataclass(slots=True)
class _PageWork:
    """What is rebuilt on one page: the redaction boxes and their placeholders."""

    boxes: list[tuple[Box, str, bool]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    markers: dict[int, tuple[str, Box]] = field(default_factory=dict)
    """Document offset where a span starts on this page -> its placeholder and first box."""


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    left: float
    bottom: float
    right: float
    top: float


_WIDTHS: list[float] = list(getFont(FONT).widths)
"""Glyph advances of the standard font in WinAnsi order, thousandths of the font size."""


def _winansi(text: str) -> bytes:
    """Encode for the standard Helvetica font; accents folded, other letters as "?"."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", ch).encode("cp1252", errors="ignore")
            out += folded[:1] or b"?"
    return bytes(out)


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _text_op(word: _Word) -> bytes:
    """Return content-stream operators drawing ``word`` invisibly over its box."""
    encoded = _winansi(word.text)
    height = max(word.top - word.bottom, 1.0)
    natural = sum(_WIDTHS[c] for c in encoded) * height / 1000
    width = max(word.right - word.left, 0.1)
    scale = 100.0 * width / natural if natural > 0 else 100.0
    where = f"1 0 0 1 {word.left:.2f} {word.bottom:.2f} Tm"
    return (
        f"/F1 {height:.2f} Tf {scale:.2f} Tz {where} (".encode()
        + _escape(encoded)
        + b") Tj\n"
    )


def _char_boxes(page: Page, textpage: pdfium.PdfTextPage) -> Callable[[int], Box | None]:
    """Return a lookup of a page character's box: the reader's geometry, else pdfium's."""
    if page.boxes is not None:
        boxes = page.boxes

        def stored(i: int) -> Box | None:
            k = 4 * i
            box = (boxes[k], boxes[k + 1], boxes[k + 2], boxes[k + 3])
            return box if box[2] > box[0] else None

        return stored
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    get_box = pdfium_c.FPDFText_GetCharBox

    def live(i: int) -> Box | None:
        if not get_box(textpage, i, left, right, bottom, top) or right.value <= left.value:
            return None
        return (left.value, bottom.value, right.value, top.value)

    return live


def _page_words(
    document: Document,
    page: Page,
    work: _PageWork,
    box_of: Callable[[int], Box | None],
) -> list[_Word]:
    """Return the words of the page's text layer: kept words, and placeholders where spans begin.

    Redacted characters never enter. Words break at white space, redactions and line changes,
    following the page text pdfium extracted, so the rebuilt layer reads the same way.
    """
    text = document.text
    redacted = bytearray(page.end - page.start)
    for start, end in work.spans:
        lo, hi = max(start, page.start) - page.start, min(end, page.end) - page.start
        if lo < hi:
            redacted[lo:hi] = b"\x01" * (hi - lo)
    words: list[_Word] = []
    chars: list[str] = []
    x0 = y0 = x1 = y1 = 0.0
    for i in range(page.end - page.start):
        marker = work.markers.get(page.start + i)
        ch = text[page.start + i]
        box = None if redacted[i] or ch.isspace() else box_of(i)
        if box is not None and chars:
            height = y1 - y0
            if abs(box[1] - y0) < 0.5 * height and box[0] >= x1 - 0.5 * height:
                chars.append(ch)
                x0, y0 = min(x0, box[0]), min(y0, box[1])
                x1, y1 = max(x1, box[2]), max(y1, box[3])
                continue
        if chars:
            words.append(_Word("".join(chars), x0, y0, x1, y1))
            chars = []
        if marker is not None:
            words.append(_Word(marker[0], *marker[1]))
        if box is not None:
            chars = [ch]
            x0, y0, x1, y1 = box
    if chars:
        words.append(_Word("".join(chars), x0, y0, x1, y1))
    return words


def _fit_font(
    draw: ImageDraw.ImageDraw, label: str, width: float, height: float
) -> ImageFont.FreeTypeFont | None:
    """Return the largest default font (down to 6 px) in which ``label`` fits the box."""
    size = max(int(height * 0.8), 1)
    while size >= 6:
        font = ImageFont.load_default(size=size)
        is_scalable = isinstance(font, ImageFont.FreeTypeFont)
        if is_scalable and draw.textlength(label, font=font) <= width - 2:
            return font  # type: ignore[return-value]
        size = int(size * 0.85)
    return None


def padding(box: Box) -> float:
    """Return the points painted around a redaction box beyond the glyphs' own boxes."""
    return max(PAD, PAD_SHARE * (box[3] - box[1]))


def _paint(image: Image.Image, work: _PageWork, crop: Box, scale: float) -> None:
    """Paint each redaction black with its placeholder in white."""
    draw = ImageDraw.Draw(image)
    left, _bottom, _right, top = crop
    for box, placeholder, first in work.boxes:
        bl, bb, br, bt = box
        pad = padding(box)
        x0, y0 = (bl - pad - left) * scale, (top - bt - pad) * scale
        x1, y1 = (br + pad - left) * scale, (top - bb + pad) * scale
        draw.rectangle((x0, y0, x1, y1), fill=(0, 0, 0))
        if first:
            font = _fit_font(draw, placeholder, x1 - x0, y1 - y0)
            if font is not None:
                middle = ((x0 + x1) / 2, (y0 + y1) / 2)
                draw.text(middle, placeholder, fill=(255, 255, 255), font=font, anchor="mm")


def value_patterns(plan: RedactionPlan) -> list[re.Pattern[str]]:
    """Return a pattern for each removed value: any case, any white space between its words."""
    patterns = []
    for _label, value in plan.secrets():
        words = value.split()
        if words:
            patterns.append(re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE))
    return patterns


def _plan_pages(plan: RedactionPlan, span_rects: SpanRects | None) -> dict[int, _PageWork]:
    """Group the plan by page; refuse a span that has visible characters but no place.

    Without a box the value would still be readable in the page image, which the text
    check of the verifier cannot see, so such a copy is never released.
    """
    work: dict[int, _PageWork] = {}
    document = plan.document
    text = document.text
    spans = [(r.start, r.end) for r in plan.redactions]
    if span_rects is None:
        all_rects = pdf_spans_rects(document, spans)
    else:
        all_rects = [span_rects(document, start, end) for start, end in spans]
    for r, rects in zip(plan.redactions, all_rects, strict=True):
        page = document.page_at(r.start)
        index = page.number - 1
        while index < len(document.pages) and document.pages[index].start < r.end:
            page = document.pages[index]
            if page.end > r.start:
                work.setdefault(page.number, _PageWork()).spans.append((r.start, r.end))
            index += 1
        placed: set[int] = set()
        for number, box in rects:
            page_work = work.setdefault(number, _PageWork())
            first = not placed
            page_work.boxes.append((box, r.placeholder, first))
            if first:
                start_page = document.pages[number - 1]
                page_work.markers[max(r.start, start_page.start)] = (r.placeholder, box)
            placed.add(number)
        for page in document.pages[document.page_at(r.start).number - 1 :]:
            if page.start >= r.end:
                break
            visible = text[max(r.start, page.start) : min(r.end, page.end)].strip()
            if visible and page.number not in placed:
                raise LeakDetected(
                    f"{document.source}: a redacted {r.label} on page {page.number} could not be "
                    "located on the page image; the copy was not released"
                )
    return work


def _rebuild_page(
    out: pikepdf.Pdf,
    font: pikepdf.Object,
    document: Document,
    page: Page,
    pdf_page: pdfium.PdfPage,
    work: _PageWork,
    dpi: int,
    patterns: list[re.Pattern[str]],
) -> None:
    """Append to ``out`` the page as an image with boxes and an invisible layer of kept text."""
    rotation = pdf_page.get_rotation()
    crop = page_box(pdf_page)
    textpage = pdf_page.get_textpage()
    try:
        words = _page_words(document, page, work, _char_boxes(page, textpage))
        if patterns and hides_text(pdf_page, textpage):
            # Copies of the text that pdfium's text page dropped are drawn all the same.
            hidden = hidden_text_rects(document.data, page.number, patterns)
            work.boxes.extend((box, "", False) for box in hidden)
    finally:
        textpage.close()
    pdf_page.set_rotation(0)
    scale = render_scale(crop, dpi)
    bitmap = pdf_page.render(scale=scale, may_draw_forms=False, draw_annots=False)
    image = bitmap.to_pil().convert("RGB")
    bitmap.close()
    _paint(image, work, crop, scale)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    left, bottom, right, top = crop
    picture = pikepdf.Stream(out, buffer.getvalue())
    picture.Type = pikepdf.Name.XObject
    picture.Subtype = pikepdf.Name.Image
    picture.Width, picture.Height = image.size
    picture.ColorSpace = pikepdf.Name.DeviceRGB
    picture.BitsPerComponent = 8
    picture.Filter = pikepdf.Name.DCTDecode
    place = f"q {right - left:.3f} 0 0 {top - bottom:.3f} {left:.3f} {bottom:.3f} cm /Im0 Do Q\n"
    ops = [place.encode()]
    ops.append(b"BT 3 Tr\n")
    ops.extend(_text_op(w) for w in words)
    for (x0, y0, x1, y1), placeholder, first in work.boxes:
        if first:
            ops.append(_text_op(_Word(placeholder, x0, y0, x1, y1)))
    ops.append(b"ET\n")
    new = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([left, bottom, right, top]),
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im0=picture), Font=pikepdf.Dictionary(F1=font)
        ),
        Contents=out.make_stream(b"".join(ops)),
    )
    if rotation:
        new.Rotate = rotation
    out.pages.append(pikepdf.Page(out.make_indirect(new)))


def _keep_page(out: pikepdf.Pdf, source: pikepdf.Page) -> None:
    """Append an unredacted page as it was, less its annotations, actions and metadata.

    Its resources are pruned to those its content uses once all pages are in (see
    ``redacted_pdf``): resources shared with a rebuilt page may hold that page's text.
    """
    mediabox = source.mediabox
    for key in list(source.obj.keys()):
        if key not in KEPT_PAGE_KEYS:
            del source.obj[key]
    source.obj.MediaBox = mediabox
    out.pages.append(source)


def redacted_pdf(
    plan: RedactionPlan, *, span_rects: SpanRects | None = None, dpi: int = DEFAULT_DPI
) -> bytes:
    """Return a new PDF of ``plan.document`` with every planned span truly removed."""
    document = plan.document
    work = _plan_pages(plan, span_rects)
    patterns = value_patterns(plan)
    try:
        rendered = pdfium.PdfDocument(document.data)
        source = pikepdf.open(io.BytesIO(document.data))
    except (pdfium.PdfiumError, pikepdf.PdfError) as exc:
        raise UnreadableDocument(document.source, f"the PDF cannot be opened ({exc})") from exc
    try:
        out = pikepdf.Pdf.new()
        font = out.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name("/" + FONT),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        pages = {p.number: p for p in document.pages}
        if len(source.pages) != len(pages):
            raise UnreadableDocument(
                document.source,
                f"the PDF has {len(source.pages)} pages but its text was read from {len(pages)}",
            )
        for index, pdf_page in enumerate(source.pages):
            number = index + 1
            if number in work:
                page = rendered[index]
                try:
                    _rebuild_page(
                        out, font, document, pages[number], page, work[number], dpi, patterns
                    )
                finally:
                    page.close()
            else:
                _keep_page(out, pdf_page)
        if len(work) < len(pages):
            try:
                out.remove_unreferenced_resources()
            except pikepdf.PdfError as exc:
                # Resources shared with a rebuilt page may hold its text or its scan.
                raise LeakDetected(
                    f"{document.source}: the resources of the pages kept as they were could "
                    f"not be pruned ({exc}); the copy was not released"
                ) from exc
        buffer = io.BytesIO()
        out.save(
            buffer,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
        return buffer.getvalue()
    finally:
        source.close()
        rendered.close()
