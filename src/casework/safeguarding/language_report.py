"""Counts of victim-blaming language over the free text of case records (data quality).

The report holds counts only: by rule (the writer's words and quoted speech apart) and by
where the text was written (case events, decision logs...). Which texts to count is the
caller's business (the store yields them, scoped to a force); this module only counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from casework.safeguarding.language import RuleCount, check_text
from casework.safeguarding.language_rules import default_pack


@dataclass(frozen=True, slots=True)
class SourceCount:
    """Findings in one kind of record (e.g. case events), and how many texts were read."""

    source: str
    texts: int
    flagged_texts: int
    officer: int
    quoted: int


@dataclass(frozen=True, slots=True)
class LanguageReport:
    scope: str
    pack_version: str
    texts: int
    flagged_texts: int
    rules: list[RuleCount]
    sources: list[SourceCount]

    @property
    def officer(self) -> int:
        return sum(r.officer for r in self.rules)

    @property
    def quoted(self) -> int:
        return sum(r.quoted for r in self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "pack_version": self.pack_version,
            "texts": self.texts,
            "flagged_texts": self.flagged_texts,
            "officer": self.officer,
            "quoted": self.quoted,
            "rules": [
                {
                    "rule": r.rule,
                    "title": r.title,
                    "officer": r.officer,
                    "quoted": r.quoted,
                    "texts": r.texts,
                }
                for r in self.rules
            ],
            "sources": [
                {
                    "source": s.source,
                    "texts": s.texts,
                    "flagged_texts": s.flagged_texts,
                    "officer": s.officer,
                    "quoted": s.quoted,
                }
                for s in self.sources
            ],
        }


def language_report(items: Iterable[tuple[str, str]], *, scope: str) -> LanguageReport:
    """Count findings over (source, text) pairs; every rule listed, most officer findings first."""
    officer: Counter[str] = Counter()
    quoted: Counter[str] = Counter()
    in_texts: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}
    texts = flagged = 0
    for source, text in items:
        found = check_text(text)
        texts += 1
        tally = by_source.setdefault(source, Counter())
        tally["texts"] += 1
        if found:
            flagged += 1
            tally["flagged"] += 1
        for finding in found:
            (quoted if finding.quoted else officer)[finding.rule] += 1
            tally["quoted" if finding.quoted else "officer"] += 1
        in_texts.update({f.rule for f in found})
    pack = default_pack()
    rules = sorted(
        (RuleCount(r.id, r.title, officer[r.id], quoted[r.id], in_texts[r.id]) for r in pack.rules),
        key=lambda c: (-c.officer, -c.quoted, c.rule),
    )
    sources = [
        SourceCount(name, t["texts"], t["flagged"], t["officer"], t["quoted"])
        for name, t in by_source.items()
    ]
    return LanguageReport(scope, pack.version, texts, flagged, rules, sources)
