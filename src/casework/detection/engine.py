r"""Run every recognizer of a registry over a text and return one clean list of findings.

How the pattern pass works, and why
-----------------------------------
The patterns of all ``PatternRecognizer``s are joined into ONE Python ``re`` alternation,
each wrapped in a named group, the whole inside a zero-width lookahead::

    (?=(?P<_0>postcode...)|(?P<_1>phone...)|...)

Because the match is zero-width, ``finditer`` tries every position of the text exactly once
and never skips over a match, so candidates that start inside another candidate (a
postcode inside an address) are still found. An alternation yields only its *first*
successful alternative at a position; the alternatives before it are known to have failed
there, so after the winner the engine tries only the *later* patterns at that same
position, each with its own pre-compiled regex. That is cheap (it happens only where
something matched) and it means a validator that rejects the winner (a 16-digit number
failing Luhn) lets the other patterns (phone, account number) have their chance.

Most patterns can only begin at a token start; they say so by opening with a lookbehind
that refuses a word character (``(?<![\w`` or ``(?<!\w)``). Those are grouped behind one
shared ``(?<!\w)`` test, so the regex engine skips the inside of every word after a single
check instead of trying each alternative there. This alone made the pass 2.8 times faster
(0.85 to 2.4 MB/s on one core: 2 MB of police-statement prose with identifiers sprinkled
in, all built-in pattern recognizers, about 415,000 words a second).

Python ``re`` was chosen over hyperscan (a wheel installs here) because the recognizers
need lookbehind, lookahead and capture groups (hyperscan supports none of them and reports
only where a match ends), because it keeps the engine free of a native dependency that
plugins would have to target, and because with the token-start grouping it is already
above the 1.5 MB/s budget for the pattern pass.

Rules for patterns (checked when the engine is built): no named groups except ``span``,
no numbered back-references, no global inline flags (use scoped ``(?i:...)``). A pattern
may mark the part to report with a group named ``span``; the rest of the match is
required context ("aged 34" reports "34").

Scores and context
------------------
A validator may drop a match (False), keep it at full confidence (True) or keep the
pattern's score (None). When one of the recognizer's CONTEXT words occurs within
``context_window`` characters before the match, and in the same sentence, the score rises by
CONTEXT_BOOST ("born" in one sentence does not make the next sentence's date a birth date). Matches
scoring below ``min_score`` are dropped: weak patterns (a bare 9-digit number as a
passport) therefore need their context words to be reported.

Overlaps
--------
One finding per span: among findings with the same span the higher score wins, then the
label priority. Partially overlapping findings are resolved in favour of the longer span,
then the higher score, then the label priority. A finding that lies wholly inside another
of a *different* label is kept as its own finding (a POSTCODE inside an ADDRESS: redaction
works on the outermost span, ground-truth scoring counts each label) unless the outer
label absorbs it (see ``ABSORBS``: an EMAIL or URL absorbs everything inside it, a number
absorbs other readings of its own digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from casework.detection.base import Pattern, PatternRecognizer, Recognizer, RecognizerRegistry
from casework.domain.findings import Finding
from casework.domain.labels import Label

_NUMBERS = frozenset(
    {
        Label.PHONE, Label.CARD, Label.BANK, Label.IBAN, Label.NHS_NUMBER, Label.PASSPORT,
        Label.DRIVING_LICENCE, Label.NI_NUMBER, Label.PNC_ID, Label.CRO_NUMBER,
        Label.DATE_OF_BIRTH, Label.AGE, Label.IP_ADDRESS, Label.POSTCODE, Label.VEHICLE_REG,
    }
)
_EVERYTHING = frozenset(Label)

ABSORBS: dict[Label, frozenset[Label]] = {
    Label.EMAIL: _EVERYTHING,
    Label.URL: _EVERYTHING,
    Label.SOCIAL_HANDLE: _EVERYTHING,
    # An address keeps its postcode (a label of its own) but a town, a street named after a
    # person or a postcode's halves read as a registration mark are part of the address.
    Label.ADDRESS: _EVERYTHING - {Label.POSTCODE},
    Label.POSTCODE: _EVERYTHING,
    **{label: _NUMBERS for label in _NUMBERS if label is not Label.POSTCODE},
}
"""Inner labels that an outer finding swallows instead of keeping nested."""

LABEL_PRIORITY: tuple[Label, ...] = (
    Label.EMAIL, Label.URL, Label.IBAN, Label.CARD, Label.NHS_NUMBER, Label.NI_NUMBER,
    Label.DRIVING_LICENCE, Label.PNC_ID, Label.CRO_NUMBER, Label.PASSPORT, Label.BANK,
    Label.PHONE, Label.IP_ADDRESS, Label.POSTCODE, Label.VEHICLE_REG, Label.DATE_OF_BIRTH,
    Label.AGE, Label.SOCIAL_HANDLE, Label.ADDRESS, Label.PERSON, Label.ORGANISATION,
    Label.LOCATION,
)
"""Tie-break between equally long, equally scored findings: earlier wins."""

_RANK = {label: i for i, label in enumerate(LABEL_PRIORITY)}
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_SENTENCE_END = re.compile(r"[.!?][\"')\]’”]?\s+(?=[A-Z])")
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
"""Characters that show nothing (soft hyphen, zero-width spaces and joiners): dropped."""
_ODD_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
"""Spaces other than U+0020 (no-break, thin, narrow): read as a plain space."""
_UNUSUAL = re.compile(f"[{_INVISIBLE}{_ODD_SPACES}]")
_TO_SPACE = str.maketrans(dict.fromkeys(_ODD_SPACES, " "))


def plain_copy(text: str) -> tuple[str, list[int] | None]:
    """Return ``text`` as the patterns should see it, and where each of its characters was.

    A zero-width space or a soft hyphen inside "Ja\u200bne" or "07700\u00ad900123" would
    break every pattern, so invisible characters are dropped and odd spaces become plain
    ones. The second value maps each character of the copy to its offset in ``text`` (None
    when nothing changed), so findings keep the offsets of the original.
    """
    if _UNUSUAL.search(text) is None:
        return text, None
    kept = [i for i, ch in enumerate(text) if ch not in _INVISIBLE]
    plain = "".join(text[i] for i in kept).translate(_TO_SPACE)
    return plain, kept


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One pattern ready to run: its recognizer, label, own regex and context regex."""

    recognizer: PatternRecognizer
    pattern: Pattern
    label: Label
    regex: re.Pattern[str]
    has_span: bool
    context: re.Pattern[str] | None


def _at_token_start(regex: str) -> bool:
    """Return whether a pattern opens with a lookbehind refusing a word character before it."""
    return regex.startswith(("(?<!\\w)", "(?<![\\w"))


def _context_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    # A space in a context phrase matches any run of whitespace (PDF text breaks lines).
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in w.split())
        for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _compile_pattern(recognizer: PatternRecognizer, pattern: Pattern) -> _Compiled:
    names = set(_NAMED_GROUP.findall(pattern.regex))
    where = f"{recognizer.NAME}.{pattern.name}"
    if names - {"span"}:
        raise ValueError(f"{where}: only a group named 'span' is allowed, not {names}")
    if _BACKREF.search(pattern.regex):
        raise ValueError(f"{where}: back-references cannot be combined into one pass")
    label = pattern.label
    if label is None:
        if len(recognizer.LABELS) != 1:
            raise ValueError(f"{where}: the pattern must name its label")
        (label,) = recognizer.LABELS
    regex = re.compile(pattern.regex)
    if regex.flags & ~re.UNICODE:
        raise ValueError(f"{where}: use scoped flags like (?i:...), not global ones")
    return _Compiled(
        recognizer, pattern, label, regex, "span" in names, _context_regex(recognizer.CONTEXT)
    )


class DetectionEngine:
    """Run a registry's recognizers over texts: one regex pass, then validation and overlaps.

    Build it once and reuse it: building compiles the combined pattern. It pickles as its
    registry and settings and is rebuilt on the other side (process pools).
    """

    def __init__(
        self,
        registry: RecognizerRegistry,
        *,
        min_score: float = 0.5,
        context_window: int = 48,
    ) -> None:
        self.registry = registry
        self.min_score = min_score
        self.context_window = context_window
        self._compiled: list[_Compiled] = []
        self._others: list[Recognizer] = []
        for recognizer in registry:
            if isinstance(recognizer, PatternRecognizer):
                self._compiled.extend(_compile_pattern(recognizer, p) for p in recognizer.PATTERNS)
            else:
                self._others.append(recognizer)
        # Patterns that can only start at a token start go first, behind one shared check.
        self._compiled.sort(key=lambda c: not _at_token_start(c.pattern.regex))
        token_parts: list[str] = []
        free_parts: list[str] = []
        self._group_of: dict[int, int] = {}
        for i, c in enumerate(self._compiled):
            body = c.pattern.regex.replace("(?P<span>", f"(?P<_{i}_span>")
            parts = token_parts if _at_token_start(c.pattern.regex) else free_parts
            parts.append(f"(?P<_{i}>{body})")
        branches = []
        if token_parts:
            branches.append(f"(?<!\\w)(?=(?:{'|'.join(token_parts)}))")
        if free_parts:
            branches.append(f"(?=(?:{'|'.join(free_parts)}))")
        self._combined = re.compile("|".join(branches)) if branches else None
        if self._combined is not None:
            for name, index in self._combined.groupindex.items():
                if not name.endswith("_span"):
                    self._group_of[index] = int(name[1:])

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.registry, self.min_score, self.context_window))

    @property
    def labels(self) -> frozenset[Label]:
        return self.registry.labels

    def detect(self, text: str) -> list[Finding]:
        """Return the findings of ``text``, sorted by start, overlaps resolved.

        Recognizers see a plain copy (``plain_copy``: no zero-width characters, plain
        spaces); findings are given back at the offsets of ``text`` with its own characters.
        """
        plain, where = plain_copy(text)
        candidates = self._pattern_candidates(plain)
        for recognizer in self._others:
            candidates.extend(recognizer.find(plain))
        found = resolve_overlaps(candidates)
        if where is None:
            return found
        mapped: list[Finding] = []
        for f in found:
            start, end = where[f.start], where[f.end - 1] + 1
            mapped.append(replace(f, start=start, end=end, text=text[start:end]))
        return mapped

    def detect_many(self, texts: Iterable[str]) -> list[list[Finding]]:
        """Return the findings of each text, in order."""
        return [self.detect(text) for text in texts]

    def _pattern_candidates(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        if self._combined is None:
            return found
        compiled = self._compiled
        group_of = self._group_of
        for m in self._combined.finditer(text):
            pos = m.start()
            winner = group_of[m.lastindex or 0]
            inner = m.group(f"_{winner}_span") if compiled[winner].has_span else None
            span = m.span(f"_{winner}_span") if inner is not None else m.span(m.lastindex or 0)
            self._consider(text, compiled[winner], span, pos, found)
            for j in range(winner + 1, len(compiled)):
                other = compiled[j].regex.match(text, pos)
                if other is not None:
                    use = other.span("span") if compiled[j].has_span else other.span()
                    self._consider(text, compiled[j], use, pos, found)
        return found

    def _consider(
        self,
        text: str,
        c: _Compiled,
        span: tuple[int, int],
        match_start: int,
        found: list[Finding],
    ) -> None:
        start, end = span
        if start >= end:
            return
        value = text[start:end]
        verdict = c.recognizer.validate(value, c.pattern)
        if verdict is False:
            return
        score = 1.0 if verdict is True else c.pattern.score
        reason = c.pattern.reason
        if c.context is not None and score < 1.0:
            window = text[max(0, match_start - self.context_window) : match_start]
            cut = 0
            for stop in _SENTENCE_END.finditer(window):  # context stops at a sentence's end
                cut = stop.end()
            window = window[cut:]
            hit = c.context.search(window)
            if hit is not None:
                score = min(1.0, score + c.recognizer.CONTEXT_BOOST)
                reason = f"{reason}; '{hit.group(0)}' nearby"
        if score < self.min_score:
            return
        found.append(
            Finding(
                start=start,
                end=end,
                label=c.label,
                text=value,
                score=round(score, 3),
                recognizer=c.recognizer.NAME,
                reason=reason,
                recognizer_version=c.recognizer.VERSION,
            )
        )


def _rebuild(registry: RecognizerRegistry, min_score: float, window: int) -> DetectionEngine:
    return DetectionEngine(registry, min_score=min_score, context_window=window)


def _order(f: Finding) -> tuple[int, float, int, int]:
    return (-(f.end - f.start), -f.score, _RANK.get(f.label, len(_RANK)), f.start)


def _conflicts(kept: Finding, new: Finding) -> bool:
    """Return whether ``new`` (no longer than ``kept``) must give way to ``kept``."""
    if not kept.overlaps(new):
        return False
    if kept.start <= new.start and new.end <= kept.end:
        if (kept.start, kept.end) == (new.start, new.end) or kept.label == new.label:
            return True
        return new.label in ABSORBS.get(kept.label, frozenset())
    return True


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Return one finding per span, partial overlaps resolved, nested labels kept; by start.

    Works cluster by cluster (runs of transitively overlapping findings), so the cost is
    linear in the number of findings for ordinary texts.
    """
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    result: list[Finding] = []
    cluster: list[Finding] = []
    cluster_end = -1
    for f in ordered:
        if cluster and f.start >= cluster_end:
            result.extend(_resolve_cluster(cluster))
            cluster = []
        cluster.append(f)
        cluster_end = max(cluster_end, f.end) if len(cluster) > 1 else f.end
    if cluster:
        result.extend(_resolve_cluster(cluster))
    result.sort(key=lambda f: (f.start, -f.end, _RANK.get(f.label, len(_RANK))))
    return result


def _resolve_cluster(cluster: list[Finding]) -> list[Finding]:
    if len(cluster) == 1:
        return cluster
    kept: list[Finding] = []
    for f in sorted(cluster, key=_order):
        if not any(_conflicts(k, f) for k in kept):
            kept.append(f)
    return kept
