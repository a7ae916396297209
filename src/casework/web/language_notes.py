"""Victim-blaming language in the notes pages show and in what an officer has just written.

Pages call the Jinja global ``language_findings`` through the ``note`` macro
(``language/_highlight.html``) for each piece of officers' free text they show. Checking
is cached by text: a case page shows the same few notes on every visit, and the rule
pack's patterns are compiled once (``default_rules``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from starlette.requests import Request

from casework.safeguarding.language import LanguageFinding, check_text

FREE_TEXT_FIELDS = frozenset(
    {
        "reason",
        "reasons",
        "rationale",
        "summary",
        "outstanding",
        "notes",
        "note",
        "text",
        "description",
        "details",
        "response",
        "agreed",
        "found_note",
        "decision",
        "result",
        "circumstances",
    }
)
"""Form fields that take an officer's own words (checked after a write)."""

MAX_WORDING = 999

MAX_LISTED = 200
"""Most phrases a document's language panel lists (the counts cover them all)."""


@lru_cache(maxsize=4096)
def _cached(text: str) -> tuple[LanguageFinding, ...]:
    return tuple(check_text(text))


def language_findings(text: object) -> tuple[LanguageFinding, ...]:
    """The flagged phrases of one note (none for an empty or missing one)."""
    if not isinstance(text, str) or not text.strip():
        return ()
    return _cached(text)


def wording_count(values: Mapping[str, str]) -> int:
    """How many phrases of a submitted form's free text the check flags."""
    return sum(
        len(language_findings(value)) for name, value in values.items() if name in FREE_TEXT_FIELDS
    )


def with_wording(target: str, values: Mapping[str, str]) -> str:
    """``target`` with ``wording=N`` added when the words just written were flagged.

    The write is kept (a warning, not a refusal); the page then says so and the note is
    shown with its phrases marked and explained, so the officer can rephrase.
    """
    count = min(wording_count(values), MAX_WORDING)
    if not count:
        return target
    path, hash_mark, fragment = target.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}wording={count}{hash_mark}{fragment}"


def wording_from(request: Request) -> int:
    """The ``wording`` count a page was sent with after a write (0 when absent or bad)."""
    raw = request.query_params.get("wording", "")
    return min(int(raw), MAX_WORDING) if raw.isdigit() else 0


@dataclass(frozen=True, slots=True)
class PagedFinding:
    """A flagged phrase of a document and the page it is on."""

    finding: LanguageFinding
    page: int


@dataclass(frozen=True, slots=True)
class DocumentLanguage:
    """The language findings of one document, for the review screen's panel."""

    findings: tuple[PagedFinding, ...]
    officer: int
    quoted: int

    @property
    def listed(self) -> tuple[PagedFinding, ...]:
        return self.findings[:MAX_LISTED]

    def on_page(self, number: int) -> int:
        return sum(1 for f in self.findings if f.page == number)


@lru_cache(maxsize=8)
def _document_findings(text: str) -> tuple[LanguageFinding, ...]:
    return tuple(check_text(text))


def document_language(text: str, page_starts: Sequence[int]) -> DocumentLanguage:
    """Check a document's text once (the last few are cached: paging re-renders it) and
    say which page each phrase is on, from the offsets where the pages start."""
    found = _document_findings(text) if text.strip() else ()
    paged = tuple(PagedFinding(f, max(1, bisect_right(page_starts, f.start))) for f in found)
    quoted = sum(1 for f in found if f.quoted)
    return DocumentLanguage(paged, officer=len(found) - quoted, quoted=quoted)
