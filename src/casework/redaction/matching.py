"""Find a plan's redacted values in other text (DOCX runs, XML attributes), sparing kept ones.

Format writers that cannot use the plan's character offsets (the DOCX package has parts
the extracted text does not mirror one for one) replace by value instead: every
occurrence of a removed value, in any case and spacing, whole words only, except inside
the text of a kept finding ("PC Smith" kept while a victim "Smith" goes).
"""

from __future__ import annotations

import re

from casework.redaction.plan import RedactionPlan
from casework.redaction.surfaces import value_pattern

MIN_REPLACED = 2
"""Single characters (initials) are not replaced by value: they would hit every "A" and "I"."""


class ValueMatcher:
    """The removed values of a plan with their placeholders, longest first."""

    def __init__(self, plan: RedactionPlan) -> None:
        rules: dict[str, tuple[str, re.Pattern[str], str]] = {}
        for r in plan.redactions:
            value = " ".join(plan.value(r).split())
            pattern = value_pattern(value)
            if pattern is None or len(value) < MIN_REPLACED:
                continue
            first = max(value.split(), key=len).casefold()
            rules.setdefault(value.casefold(), (first, pattern, r.placeholder))
        self._rules = [rules[k] for k in sorted(rules, key=len, reverse=True)]
        self._protect: list[tuple[str, re.Pattern[str]]] = []
        for text in {" ".join(f.text.split()) for f in plan.kept}:
            pattern = value_pattern(text)
            if pattern is not None:
                self._protect.append((max(text.split(), key=len).casefold(), pattern))

    def __bool__(self) -> bool:
        return bool(self._rules)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Return non-overlapping (start, end, placeholder) of removed values in ``text``."""
        folded = text.casefold()
        if not any(first in folded for first, _, _ in self._rules):
            return []
        taken: list[tuple[int, int]] = []
        for first, pattern in self._protect:
            if first in folded:
                taken.extend(m.span() for m in pattern.finditer(text))
        found: list[tuple[int, int, str]] = []
        for first, pattern, placeholder in self._rules:
            if first not in folded:
                continue
            for m in pattern.finditer(text):
                s, e = m.span()
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                found.append((s, e, placeholder))
        found.sort()
        return found

    def replace(self, text: str) -> str:
        """Return ``text`` with every removed value replaced by its placeholder."""
        found = self.matches(text)
        if not found:
            return text
        parts: list[str] = []
        cursor = 0
        for s, e, placeholder in found:
            parts.append(text[cursor:s])
            parts.append(placeholder)
            cursor = e
        parts.append(text[cursor:])
        return "".join(parts)
