"""Find every other mention of a redacted value in a text, quickly.

A bundle can hold thousands of distinct redacted values; compiling and running one regular
expression per value per document is far too slow. The index keys each value by its first
word, so a text is scanned once, word by word, and a value's own pattern runs only where
its first word occurs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from casework.domain.labels import Label

MIN_PROPAGATED = 3
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def value_pattern(text: str) -> re.Pattern[str] | None:
    """Compile ``text`` to match in any case and spacing, as whole words at its ends."""
    words = text.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    left = r"(?<!\w)" if words[0][0].isalnum() else ""
    right = r"(?!\w)" if words[-1][-1].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


class SurfaceIndex:
    """Redacted spellings (case-folded) with their label and placeholder, keyed by first word."""

    def __init__(self, surfaces: Mapping[str, tuple[Label, str]]) -> None:
        self._surfaces = dict(surfaces)
        by_first: dict[str, list[tuple[str, int]]] = {}
        for surface in surfaces:
            first = _WORD.search(surface)
            if len(surface) < MIN_PROPAGATED or first is None:
                continue
            by_first.setdefault(first.group(), []).append((surface, first.start()))
        for candidates in by_first.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)  # longest value wins
        self._by_first = by_first

    def __len__(self) -> int:
        return len(self._surfaces)

    def __contains__(self, surface: object) -> bool:
        return surface in self._surfaces

    def mentions(self, text: str) -> Iterator[tuple[int, int, Label, str]]:
        """Yield (start, end, label, placeholder) of each mention, left to right, no overlaps."""
        by_first = self._by_first
        resume = 0
        for word in _WORD.finditer(text):
            if word.start() < resume:
                continue
            candidates = by_first.get(word.group().casefold())
            if not candidates:
                continue
            for surface, lead in candidates:
                pattern = value_pattern(surface)
                at = word.start() - lead
                match = pattern.match(text, at) if pattern is not None and at >= 0 else None
                if match is not None:
                    label, placeholder = self._surfaces[surface]
                    yield match.start(), match.end(), label, placeholder
                    resume = match.end()
                    break


class SpanSet:
    """Disjoint character spans with a fast overlap test (sorted, bisected)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start < self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)  # merge overlapping spans
            else:
                self._starts.append(start)
                self._ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none already held."""
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


__all__ = ["MIN_PROPAGATED", "SpanSet", "SurfaceIndex", "value_pattern"]
