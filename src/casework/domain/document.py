"""A document as read from a file: its text, its pages and where each character sits."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

Box = tuple[float, float, float, float]
"""left, bottom, right, top in PDF points, origin at the bottom-left of the page."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a document: a character range of the document's text.

    ``boxes`` holds four floats per character of ``text[start:end]`` (left, bottom, right,
    top) for formats with geometry (PDF); it is ``None`` for flowing formats.
    """

    number: int
    start: int
    end: int
    width: float = 0.0
    height: float = 0.0
    boxes: array[float] | None = None

    def box_of(self, offset: int) -> Box | None:
        """Return the box of the character at document offset ``offset``, if known."""
        if self.boxes is None or not self.start <= offset < self.end:
            return None
        i = 4 * (offset - self.start)
        return (self.boxes[i], self.boxes[i + 1], self.boxes[i + 2], self.boxes[i + 3])


@dataclass(frozen=True, slots=True)
class Document:
    """The readable content of one file (or one member of a container such as a ZIP or e-mail).

    ``source`` names it for people: a path, with ``!/`` between a container and its member
    (``bundle.zip!/statements/ws1.pdf``). ``data`` keeps the original bytes so that a
    redacted copy can be written in the same format.
    """

    source: str
    format: str
    text: str
    pages: tuple[Page, ...]
    data: bytes = field(default=b"", repr=False)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    _page_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_page_starts", tuple(p.start for p in self.pages))

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> Page:
        """Return the page holding the character at ``offset``."""
        index = max(0, bisect_right(self._page_starts, offset) - 1)
        return self.pages[index]

    def boxes_for(self, start: int, end: int) -> list[tuple[Page, Box]]:
        """Return the page boxes covering ``text[start:end]``, one per character with geometry."""
        found: list[tuple[Page, Box]] = []
        for page in self.pages:
            if page.end <= start or page.start >= end or page.boxes is None:
                continue
            for offset in range(max(start, page.start), min(end, page.end)):
                box = page.box_of(offset)
                if box is not None and box[2] > box[0]:
                    found.append((page, box))
        return found


def single_page(source: str, fmt: str, text: str, data: bytes = b"") -> Document:
    """Build a document of one flowing page (TXT, HTML, DOCX body, e-mail body)."""
    return Document(source=source, format=fmt, text=text, pages=(Page(1, 0, len(text)),), data=data)
