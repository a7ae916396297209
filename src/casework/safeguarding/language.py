"""Check text for language that blames child victims, as officers write it and in documents.

HMICFRS asked forces to eradicate victim-blaming language from their records of child
sexual exploitation. Each finding says which rule fired, why the words harm and what to
write instead. Words inside quotation marks are what a suspect or witness said: evidence
to keep as said, so they are flagged as ``quoted`` rather than as the officer's words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from casework.safeguarding.language_rules import CompiledRule, default_pack, default_rules

MAX_TEXT_CHARS = 2_000_000
"""Longest text checked in one call (an 800-page file's text is well under this)."""


class Voice(StrEnum):
    """Whose words the flagged phrase is."""

    OFFICER = "officer"
    """The writer's own words: rewrite them."""
    QUOTED = "quoted"
    """Inside quotation marks: what someone said, kept as evidence."""


@dataclass(frozen=True, slots=True)
class LanguageFinding:
    """A flagged phrase of a text, with the rule that fired and what to write instead."""

    rule: str
    title: str
    phrase: str
    start: int
    end: int
    line: int
    column: int
    voice: Voice
    why: str
    instead: str
    source: str
    pack_version: str

    @property
    def quoted(self) -> bool:
        return self.voice is Voice.QUOTED

    @property
    def advice(self) -> str:
        """What to do about it, in words for the officer."""
        if self.quoted:
            return "quoted speech: keep it as said (it is evidence), but do not adopt the words"
        return f"write instead: {self.instead}"


_OPENERS = {'"': '"', "“": "”", "‘": "’", "«": "»"}
_PARAGRAPH = re.compile(r"\n\s*\n")
_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nor|cannot|unable\s+to|incapable\s+of)|\w+n['’]t|\bcan['’]t)"
    r"(?:\s+[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.!?;:\n]")
_NEGATION_WINDOW = 60


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text inside quotation marks (straight or curly double, curly single).

    A quotation never runs past a blank line, so one stray mark cannot swallow a document.
    A curly single closing mark followed by a letter is an apostrophe (``don’t``).
    """
    spans: list[tuple[int, int]] = []
    for paragraph in _paragraphs(text):
        start, body = paragraph
        index = 0
        while index < len(body):
            char = body[index]
            closer = _OPENERS.get(char)
            if closer is None:
                index += 1
                continue
            end = _closing(body, index + 1, closer)
            if end is None:
                index += 1
                continue
            spans.append((start + index + 1, start + end))
            index = end + 1
    return spans


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    position = 0
    for match in _PARAGRAPH.finditer(text):
        yield position, text[position : match.start()]
        position = match.end()
    yield position, text[position:]


def _closing(body: str, index: int, closer: str) -> int | None:
    while True:
        found = body.find(closer, index)
        if found < 0:
            return None
        after = body[found + 1 : found + 2]
        if closer == "’" and after.isalpha():
            index = found + 1
            continue
        return found


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - _NEGATION_WINDOW) : start]
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_NEGATION.search(clause))


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def check_text(text: str, *, rules: Sequence[CompiledRule] | None = None) -> list[LanguageFinding]:
    """Return every flagged phrase of ``text`` in reading order, overlaps resolved.

    Where two rules match overlapping words, the longer match (then the earlier rule)
    wins, so each phrase is reported once.
    """
    compiled = default_rules() if rules is None else rules
    version = default_pack().version
    quotes = quoted_spans(text)
    candidates: list[tuple[int, int, int, CompiledRule]] = []
    for order, item in enumerate(compiled):
        for match in item.pattern.finditer(text):
            start, end = match.span()
            if item.rule.negatable and _negated(text, start):
                continue
            candidates.append((start, end, order, item))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int, CompiledRule]] = []
    for start, end, _, item in candidates:
        if all(end <= s or e <= start for s, e, _ in taken):
            taken.append((start, end, item))
    taken.sort(key=lambda t: t[0])
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings = []
    line = 0
    for start, end, item in taken:
        while line + 1 < len(line_starts) and line_starts[line + 1] <= start:
            line += 1
        rule = item.rule
        findings.append(
            LanguageFinding(
                rule=rule.id,
                title=rule.title,
                phrase=" ".join(text[start:end].split()),
                start=start,
                end=end,
                line=line + 1,
                column=start - line_starts[line] + 1,
                voice=Voice.QUOTED if _inside(quotes, start, end) else Voice.OFFICER,
                why=rule.why,
                instead=rule.instead,
                source=rule.source,
                pack_version=version,
            )
        )
    return findings


@dataclass(frozen=True, slots=True)
class RuleCount:
    """How often one rule fired over a set of texts, in the writer's words and in quotes."""

    rule: str
    title: str
    officer: int
    quoted: int
    texts: int
    """How many of the texts it fired in at least once."""

    @property
    def total(self) -> int:
        return self.officer + self.quoted


def counts_by_rule(texts: Iterable[str]) -> list[RuleCount]:
    """Count findings by rule over ``texts``, for the data-quality report.

    Every rule of the pack is listed (zero counts included), most officer findings first.
    """
    officer: Counter[str] = Counter()
    quoted: Counter[str] = Counter()
    in_texts: Counter[str] = Counter()
    for text in texts:
        found = check_text(text)
        for finding in found:
            (quoted if finding.quoted else officer)[finding.rule] += 1
        in_texts.update({f.rule for f in found})
    rows = [
        RuleCount(r.id, r.title, officer[r.id], quoted[r.id], in_texts[r.id])
        for r in default_pack().rules
    ]
    return sorted(rows, key=lambda c: (-c.officer, -c.quoted, c.rule))
