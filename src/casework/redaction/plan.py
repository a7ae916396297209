"""Decide which spans of a document go, each with its placeholder, before anything is written.

The plan is the single source of truth for every writer, the verifier and the log: a
writer only carries it out, the verifier checks the output against it, the log lists it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from casework.domain.document import Document
from casework.domain.findings import Finding
from casework.domain.labels import Label
from casework.redaction.audiences import Audience
from casework.redaction.placeholders import PlaceholderBook
from casework.redaction.surfaces import SpanSet, SurfaceIndex

PROPAGATION = "casework.redaction.same-text"
"""Recognizer name recorded for spans redacted because the same text was redacted elsewhere."""

"""Shorter values are not searched for elsewhere: too many false matches ("Al", "Jo")."""


@dataclass(frozen=True, slots=True)
class PlannedRedaction:
    """One span of the document's text that is replaced by ``placeholder``."""

    start: int
    end: int
    label: Label
    placeholder: str
    page: int
    recognizer: str
    reason: str


@dataclass(frozen=True, slots=True)
class RedactionPlan:
    """Every span that goes from one document for one audience, in text order, never overlapping.

    ``kept`` are spans the policy keeps (an officer's name); the verifier allows their text
    in the output even when it contains a redacted string (PC Smith kept, Smith redacted).
    """

    document: Document
    audience: Audience
    redactions: tuple[PlannedRedaction, ...]
    kept: tuple[Finding, ...]

    def value(self, redaction: PlannedRedaction) -> str:
        """Return the text a redaction removes (for writers and the verifier, never the log)."""
        return self.document.text[redaction.start : redaction.end]

    def secrets(self) -> list[tuple[Label, str]]:
        """Return each distinct removed text with its label, longest first."""
        seen: dict[str, Label] = {}
        for r in self.redactions:
            text = " ".join(self.value(r).split())
            seen.setdefault(text, r.label)
        return sorted(((label, text) for text, label in seen.items()), key=lambda x: -len(x[1]))

    def allowed(self) -> list[str]:
        """Return texts that may contain a removed value: kept findings and the placeholders.

        "[ADDRESS 1]" must not count as a leak of a removed value that reads "address".
        """
        texts = {" ".join(f.text.split()) for f in self.kept}
        texts.update(r.placeholder for r in self.redactions)
        return sorted(texts, key=len, reverse=True)

    def kept_counts(self) -> dict[str, int]:
        """Return how many times each kept text is kept, counting only outermost kept spans.

        A kept finding nested in another kept one ("Connor" in "PC Sarah Connor") is the
        same characters, so it does not let the text appear once more.
        """
        counts: dict[str, int] = {}
        end = -1
        for f in sorted(self.kept, key=lambda f: (f.start, -f.end)):
            text = " ".join(f.text.split())
            if f.end <= end:
                counts.setdefault(text, 0)
                continue
            end = f.end
            counts[text] = counts.get(text, 0) + 1
        return counts

    def pages(self) -> set[int]:
        return {r.page for r in self.redactions}


def _intact(kept: list[Finding], removed: list[tuple[int, int]]) -> tuple[Finding, ...]:
    """Return the kept findings that no removed span cuts into.

    A kept span that is partly redacted ("Jane Doe of Example PLC" with the name removed)
    no longer reads as it did, so it cannot vouch for the words left in it: those words are
    then redacted wherever a removed finding had the same text (fail safe).
    """
    starts = [start for start, _ in removed]
    intact: list[Finding] = []
    for finding in kept:
        i = bisect_right(starts, finding.end - 1) - 1  # last removed span starting inside
        cut = i >= 0 and removed[i][1] > finding.start
        if not cut:
            intact.append(finding)
    return tuple(intact)


def _outermost(findings: list[Finding]) -> list[tuple[int, int, Finding]]:
    """Merge overlapping spans into one; the longest finding names the merged span."""
    merged: list[tuple[int, int, Finding]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            start, end, lead = merged[-1]
            if f.end > end:
                longer = f if f.end - f.start > lead.end - lead.start else lead
                merged[-1] = (start, f.end, longer)
            continue
        merged.append((f.start, f.end, f))
    return merged


def _propagate(
    text: str, indexes: list[SurfaceIndex], taken: SpanSet, protected: SpanSet
) -> list[tuple[int, int, Label, str]]:
    """Find other occurrences of redacted texts that no finding covers (missed by recognizers)."""
    found: list[tuple[int, int, Label, str]] = []
    for index in indexes:
        for start, end, label, placeholder in index.mentions(text):
            if taken.overlaps(start, end) or protected.overlaps(start, end):
                continue
            taken.add(start, end)
            found.append((start, end, label, placeholder))
    return found


def plan_redactions(
    *,
    document: Document,
    findings: Sequence[Finding],
    audience: Audience,
    book: PlaceholderBook,
    removes: Callable[[Finding], bool] | None = None,
) -> RedactionPlan:
    """Choose the spans ``audience`` may not see; redact nested findings once, as the outer span.

    Every other occurrence of a redacted text in the document (or anywhere in the bundle the
    book was built over) is redacted too, unless it lies inside a kept span, so a missed
    mention cannot leak what a found one hides. ``removes`` replaces the audience's rule
    per finding (a reviewer's decisions: see ``redaction.review``).
    """
    goes = removes or (lambda f: audience.removes(f.label, f.role))
    removed = [f for f in findings if goes(f)]
    merged = _outermost(removed)
    spans = [(start, end) for start, end, _ in merged]
    kept = _intact([f for f in findings if not goes(f)], spans)
    planned: list[PlannedRedaction] = []
    for start, end, lead in merged:
        placeholder = book.placeholder(lead.label, lead.text, reason=lead.reason)
        planned.append(
            PlannedRedaction(
                start=start,
                end=end,
                label=lead.label,
                placeholder=placeholder,
                page=document.page_at(start).number,
                recognizer=lead.recognizer,
                reason=f"{lead.reason}; {audience.describe(lead.label, lead.role)}"
                if audience.removes(lead.label, lead.role)
                else lead.reason,  # removed by a reviewer against the policy: their reason
            )
        )
    taken = SpanSet((r.start, r.end) for r in planned)
    protected = SpanSet((f.start, f.end) for f in kept)
    index = book.surface_index()
    merged_only: dict[str, tuple[Label, str]] = {}  # merged spans whose text no single finding had
    for r in planned:
        surface = " ".join(document.text[r.start : r.end].split()).casefold()
        merged_only.setdefault(surface, (r.label, r.placeholder))
    extra = {k: v for k, v in merged_only.items() if k not in index}
    indexes = [index, SurfaceIndex(extra)] if extra else [index]
    for start, end, label, placeholder in _propagate(document.text, indexes, taken, protected):
        planned.append(
            PlannedRedaction(
                start=start,
                end=end,
                label=label,
                placeholder=placeholder,
                page=document.page_at(start).number,
                recognizer=PROPAGATION,
                reason=f"same text as a redacted {label} elsewhere in the bundle; "
                f"{audience.describe(label, None)}",
            )
        )
    planned.sort(key=lambda r: r.start)
    return RedactionPlan(document=document, audience=audience, redactions=tuple(planned), kept=kept)
