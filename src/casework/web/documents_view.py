"""What the document pages draw: page images, highlight boxes, marked-up text, the legend.

Presentation only: the findings, decisions and copies come from the services. Highlights
are drawn as SVG over the page image (attributes, not inline styles: the CSP forbids
those), each with its number and label in words, so colour is never the only sign.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium

from casework.domain.document import Box, Document, Page
from casework.domain.findings import Finding
from casework.redaction.review import Verdict

PAGE_SCALE = 1.5
"""Page images at 108 dpi: readable at 1280 px wide, a few hundred kB per page."""

STATUS_WORDS = {
    None: "proposed",
    Verdict.ACCEPT: "accepted",
    Verdict.REJECT: "rejected (stays visible)",
    Verdict.ADD: "added by a reviewer",
}
LABEL_CLASSES = {
    "PERSON": "hl-1",
    "ADDRESS": "hl-2",
    "POSTCODE": "hl-2",
    "LOCATION": "hl-2",
    "PHONE": "hl-3",
    "EMAIL": "hl-3",
    "DATE_OF_BIRTH": "hl-4",
    "AGE": "hl-4",
    "VEHICLE_REG": "hl-5",
    "ORGANISATION": "hl-6",
}
OTHER_CLASS = "hl-7"


def label_class(label: str) -> str:
    """The CSS class (colour and pattern) of a label; text always goes with it."""
    return LABEL_CLASSES.get(label, OTHER_CLASS)


@dataclass(frozen=True, slots=True)
class Rect:
    """A box on the page image, in PDF points from the top-left (SVG's orientation)."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Highlight:
    """One finding on the page being reviewed, with where to draw it and what was decided."""

    number: int
    finding: Finding
    status: Verdict | None
    rects: tuple[Rect, ...]

    @property
    def label(self) -> str:
        return str(self.finding.label)

    @property
    def css(self) -> str:
        state = {Verdict.REJECT: " hl-rejected", Verdict.ADD: " hl-added"}.get(
            self.status or Verdict.ACCEPT, ""
        )
        return label_class(self.label) + state

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def anchor(self) -> str:
        return f"f-{self.finding.start}-{self.finding.end}"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the page's text, highlighted or not (for text documents and page text)."""

    text: str
    highlight: Highlight | None


def page_png(data: bytes, number: int, scale: float = PAGE_SCALE) -> str:
    """A PDF page as a ``data:`` URI of a PNG (the CSP allows ``img-src data:``)."""
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[number - 1].render(scale=scale, may_draw_forms=True).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
    finally:
        pdf.close()
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _line_rects(page: Page, boxes: Sequence[Box]) -> tuple[Rect, ...]:
    """Merge character boxes into one box per line.

    A character is on the current line when its box overlaps the line's height and it
    does not start left of the line (a descender or a comma sits lower than its neighbours
    but on the same line; the next line starts left again, or lower down).
    """
    lines: list[list[float]] = []
    for left, bottom, right, top in boxes:
        if lines and bottom < lines[-1][3] and top > lines[-1][1] and left >= lines[-1][0] - 1:
            line = lines[-1]
            line[2], line[3] = max(line[2], right), max(line[3], top)
            line[1] = min(line[1], bottom)
        else:
            lines.append([left, bottom, right, top])
    return tuple(
        Rect(x=left - 1, y=page.height - top - 1, width=right - left + 2, height=top - bottom + 2)
        for left, bottom, right, top in lines
    )


def highlights_on(
    document: Document,
    page: Page,
    findings: Sequence[Finding],
    status: dict[tuple[int, int], Verdict],
) -> list[Highlight]:
    """The findings that start on ``page``, numbered in reading order, with their boxes."""
    shown: list[Highlight] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not page.start <= finding.start < page.end:
            continue
        boxes = [box for on, box in document.boxes_for(finding.start, finding.end) if on is page]
        shown.append(
            Highlight(
                number=len(shown) + 1,
                finding=finding,
                status=status.get((finding.start, finding.end)),
                rects=_line_rects(page, boxes) if boxes else (),
            )
        )
    return shown


def segments(text: str, start: int, end: int, highlights: Sequence[Highlight]) -> list[Segment]:
    """The text of ``start:end`` cut into plain runs and highlighted ones (outermost wins)."""
    found: list[Segment] = []
    cursor = start
    for highlight in sorted(highlights, key=lambda h: (h.finding.start, -h.finding.end)):
        begin, stop = max(highlight.finding.start, cursor), min(highlight.finding.end, end)
        if stop <= begin:
            continue  # inside one already shown
        if begin > cursor:
            found.append(Segment(text[cursor:begin], None))
        found.append(Segment(text[begin:stop], highlight))
        cursor = stop
    if cursor < end:
        found.append(Segment(text[cursor:end], None))
    return found


def legend(highlights: Sequence[Highlight]) -> list[tuple[str, str]]:
    """Each label on the page with its CSS class, in the order first shown."""
    seen: dict[str, str] = {}
    for highlight in highlights:
        seen.setdefault(highlight.label, label_class(highlight.label))
    return list(seen.items())
