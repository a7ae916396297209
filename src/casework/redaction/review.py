"""A reviewer's decisions on detection's findings, applied to what a redacted copy removes.

Detection proposes; the officer decides. A decision names a span of one document of an
upload (offsets of its extracted text) and says ``accept`` (the policy's choice stands),
``reject`` (the span stays in every copy: a false positive) or ``add`` (the span goes from
every copy: something detection missed). Decisions change which findings a plan removes,
never the verifier: the copy is still re-read and refused if a removed value remains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from casework.domain.findings import Finding
from casework.domain.labels import Label
from casework.errors import InvalidInput
from casework.redaction.audiences import Audience

REVIEW_RECOGNIZER = "casework.review"
"""Recognizer name of a span a reviewer added (the log then says who and why)."""
MAX_ADDED = 200
"""Occurrences one typed text may add at once (a stray "a" must not redact a bundle)."""
MIN_ADDED = 2


class Verdict(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    ADD = "add"


@dataclass(frozen=True, slots=True)
class SpanDecision:
    """One decision on a span of document ``part`` of an upload (offsets, never the text)."""

    part: int
    start: int
    end: int
    label: Label
    verdict: Verdict
    decided_by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One document's findings with the decisions applied, and the rule of what goes."""

    findings: tuple[Finding, ...]
    rejected: frozenset[tuple[int, int]]
    added: frozenset[tuple[int, int]]

    def removes(self, audience: Audience) -> Callable[[Finding], bool]:
        """What goes for ``audience``: added spans always, rejected never, else the policy."""

        def goes(finding: Finding) -> bool:
            span = (finding.start, finding.end)
            if span in self.added and finding.recognizer == REVIEW_RECOGNIZER:
                return True
            if span in self.rejected:
                return False
            return audience.removes(finding.label, finding.role)

        return goes

    def status_of(self, finding: Finding) -> Verdict | None:
        span = (finding.start, finding.end)
        if span in self.added and finding.recognizer == REVIEW_RECOGNIZER:
            return Verdict.ADD
        if span in self.rejected:
            return Verdict.REJECT
        return None


def apply_decisions(
    *, text: str, findings: Sequence[Finding], decisions: Iterable[SpanDecision]
) -> Reviewed:
    """Apply one document's decisions: rejected spans are kept, added ones become findings.

    A decision whose span lies outside the text (the upload changed reader since) is ignored
    rather than guessed at.
    """
    rejected: set[tuple[int, int]] = set()
    added: list[Finding] = []
    for decision in decisions:
        span = (decision.start, decision.end)
        if not 0 <= decision.start < decision.end <= len(text):
            continue
        if decision.verdict is Verdict.REJECT:
            rejected.add(span)
        elif decision.verdict is Verdict.ADD:
            added.append(
                Finding(
                    start=decision.start,
                    end=decision.end,
                    label=decision.label,
                    text=text[decision.start : decision.end],
                    score=1.0,
                    recognizer=REVIEW_RECOGNIZER,
                    reason=f"added in review by {decision.decided_by}"
                    + (f": {decision.note}" if decision.note else ""),
                )
            )
    return Reviewed(
        findings=tuple(sorted([*findings, *added], key=lambda f: (f.start, -f.end))),
        rejected=frozenset(rejected),
        added=frozenset((f.start, f.end) for f in added),
    )


def occurrences(text: str, wanted: str) -> list[tuple[int, int]]:
    """Every place ``wanted`` occurs in ``text`` (case ignored), for adding a typed redaction.

    Raises ``InvalidInput`` naming the field when the text is too short or not in the
    document, so what the user typed is shown back with the reason.
    """
    needle = wanted.strip()
    if len(needle) < MIN_ADDED:
        raise InvalidInput(f"text: enter at least {MIN_ADDED} characters to redact")
    folded, target = text.casefold(), needle.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß -> ss): match exactly instead
        folded, target = text, needle
    found: list[tuple[int, int]] = []
    at = folded.find(target)
    while at != -1 and len(found) < MAX_ADDED:
        found.append((at, at + len(needle)))
        at = folded.find(target, at + len(needle))
    if not found:
        raise InvalidInput("text: not found in this document's text; copy it as it reads")
    return found


def review_parts(
    *,
    texts: Sequence[str],
    findings: Sequence[Sequence[Finding]],
    decisions: Iterable[SpanDecision],
) -> list[Reviewed]:
    """Apply an upload's decisions to each of its documents (``part`` is the index)."""
    by_part: dict[int, list[SpanDecision]] = {}
    for decision in decisions:
        by_part.setdefault(decision.part, []).append(decision)
    return [
        apply_decisions(text=text, findings=found, decisions=by_part.get(part, ()))
        for part, (text, found) in enumerate(zip(texts, findings, strict=True))
    ]
