"""Text that knows where its planted identifiers are, and how to find them again after a read.

A document is drafted as blocks of segments. A segment with marks is an unbreakable unit
(the PDF writer never wraps inside it), so each identifier survives extraction in one
piece. After a file is written and read back, ``align`` moves every mark from the drafted
text onto the extracted text: the two differ only in whitespace (line breaks of a PDF,
paragraph joins of a DOCX), so matching their non-space characters one for one is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casework.domain.labels import Label


@dataclass(frozen=True, slots=True)
class Mark:
    """A planted identifier inside a segment; offsets are relative to the segment's text."""

    start: int
    end: int
    label: Label
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text; with marks it must stay on one line."""

    text: str
    marks: tuple[Mark, ...] = ()


@dataclass(slots=True)
class Block:
    """A paragraph-like unit: a title, a heading, a field line, a paragraph or a message line."""

    style: str
    segments: list[Segment] = field(default_factory=list)

    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    def words(self) -> int:
        return len(self.text().split())


@dataclass(slots=True)
class Draft:
    """A document before it is written: its file stem, kind and blocks."""

    stem: str
    kind: str
    blocks: list[Block] = field(default_factory=list)

    def words(self) -> int:
        return sum(b.words() for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Span:
    """A mark placed in a whole text: where it is, what it is and (for people) their role."""

    start: int
    end: int
    label: Label
    text: str
    role: str | None = None


def plain(text: str) -> Segment:
    """Return a segment without identifiers."""
    return Segment(text)


def marked(text: str, label: Label, role: str | None = None) -> Segment:
    """Return a segment that is wholly one identifier."""
    return Segment(text, (Mark(0, len(text), label, role),))


def block_spans(block: Block, offset: int, fold: bool = False) -> tuple[str, list[Span]]:
    """Return the block's text and its spans, shifted by ``offset`` into the whole text."""
    from casework.demo.ids import fold as fold_text

    parts: list[str] = []
    spans: list[Span] = []
    pos = offset
    for segment in block.segments:
        text = fold_text(segment.text) if fold else segment.text
        parts.append(text)
        for mark in segment.marks:
            spans.append(
                Span(
                    pos + mark.start,
                    pos + mark.end,
                    mark.label,
                    text[mark.start : mark.end],
                    mark.role,
                )
            )
        pos += len(text)
    return "".join(parts), spans


class AlignmentError(RuntimeError):
    """The extracted text does not hold what was written; a bug in a writer, not bad input."""


def align(drafted: str, spans: list[Span], extracted: str) -> list[Span]:
    """Move ``spans`` of ``drafted`` onto ``extracted``, which differs only in whitespace.

    Falls back to an ordered search when the non-space characters differ (a reader that
    adds a header, say); raises ``AlignmentError`` when an identifier cannot be found.
    """
    src = [i for i, c in enumerate(drafted) if not c.isspace()]
    dst = [i for i, c in enumerate(extracted) if not c.isspace()]
    if len(src) == len(dst) and all(
        drafted[a] == extracted[b] for a, b in zip(src, dst, strict=True)
    ):
        rank = {a: k for k, a in enumerate(src)}
        moved: list[Span] = []
        for span in spans:
            first = next(i for i in range(span.start, span.end) if i in rank)
            last = next(i for i in range(span.end - 1, span.start - 1, -1) if i in rank)
            start, end = dst[rank[first]], dst[rank[last]] + 1
            moved.append(Span(start, end, span.label, extracted[start:end], span.role))
        return moved
    return _search(spans, extracted)


def _search(spans: list[Span], extracted: str) -> list[Span]:
    """Find each span's text in order; a span holding later ones keeps the cursor at its start."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    moved: list[Span] = []
    cursor = 0
    for i, span in enumerate(ordered):
        found = extracted.find(span.text, cursor)
        if found < 0:
            raise AlignmentError(f"{span.label} {span.text!r} not found in the extracted text")
        moved.append(Span(found, found + len(span.text), span.label, span.text, span.role))
        holds_next = i + 1 < len(ordered) and ordered[i + 1].start < span.end
        cursor = found if holds_next else found + len(span.text)
    return moved
