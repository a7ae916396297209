"""Re-read every redacted output and refuse it if any redacted text can still be read.

The check looks at everything a reader could get at, not only the visible text: for a PDF
the text of every page, the document information, XMP, annotations, attachments, form
fields and every decompressed stream other than images and embedded fonts; for a DOCX
every XML part, both as markup (attributes, relationships) and as text joined across runs;
for text, the string. Matching ignores case and collapses white space (line breaks from
extraction), and needs word boundaries at the ends of a value, so "Ann" does not match
"annual". Values shorter than three characters are not searched: initials and two-letter
names ("Jo", "Al", "J") occur inside ordinary text everywhere, and every false alarm would
block the release of a correct copy. The error names the document, the label and where
the text was found, never the text itself (errors are logged and shown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from casework.domain.labels import Label
from casework.errors import LeakDetected
from casework.redaction.plan import RedactionPlan

MIN_CHECKED = 3
_MASK = "\u2588"
_SEPARATORS = r"[\s\-().]*"


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=65536)
def _bounded(value: str) -> re.Pattern[str]:
    left = r"(?<!\w)" if value[0].isalnum() else ""
    right = r"(?!\w)" if value[-1].isalnum() else ""
    return re.compile(left + re.escape(value) + right)


@lru_cache(maxsize=65536)
def _spaced_digits(digits: str) -> re.Pattern[str]:
    body = _SEPARATORS.join(digits)
    return re.compile(rf"(?<!\d){body}(?!\d)")


class LeakScanner:
    """Search texts for the redacted values of one plan, allowing the kept ones.

    With ``limits`` (normalised kept text -> how many kept findings read so), a kept text
    vouches for a redacted value inside it only as many times as the plan kept it: a
    removed "Sarah Connor" left in the copy is a leak even though a kept mention reads the
    same. Texts in ``allowed`` without a limit (placeholders) are allowed any number of times.
    """

    def __init__(
        self,
        secrets: list[tuple[Label, str]],
        allowed: list[str],
        *,
        limits: Mapping[str, int] | None = None,
    ) -> None:
        self._secrets: list[tuple[Label, str, re.Pattern[str]]] = []
        self._digits: list[tuple[Label, str, re.Pattern[str]]] = []
        for label, value in secrets:
            norm = _normalise(value)
            if len(norm) < MIN_CHECKED:
                continue
            self._secrets.append((label, norm, _bounded(norm)))
            digits = re.sub(r"\D", "", norm)
            if len(digits) >= 7 and len(digits) * 2 >= len(norm.replace(" ", "")):
                # A number leaks in any spacing: "07700 900123" == "07700-900-123".
                self._digits.append((label, digits, _spaced_digits(digits)))
        self._allowed = [a for a in (_normalise(x) for x in allowed) if a]
        self._limits = {_normalise(k): n for k, n in (limits or {}).items()}

    def leaked(self, text: str) -> Label | None:
        """Return the label of a redacted value found in ``text``, or None."""
        norm = _normalise(text)
        for allowed in self._allowed:
            if allowed in norm:
                limit = self._limits.get(allowed, -1)
                norm = norm.replace(allowed, _MASK * len(allowed), limit)
        for label, value, pattern in self._secrets:
            if value in norm and pattern.search(norm):
                return label
        if self._digits:
            only_digits = re.sub(r"\D", "", norm)
            for label, digits, pattern in self._digits:
                if digits in only_digits and pattern.search(norm):
                    return label
        return None


def refuse(plan: RedactionPlan, label: Label, where: str) -> LeakDetected:
    return LeakDetected(
        f"{plan.document.source}: a redacted {label} is still readable in {where} of the "
        f"{plan.audience.name} copy; the copy was not released"
    )


def scanner_for(plan: RedactionPlan, *, counted: bool = False) -> LeakScanner:
    """Return the scanner of a plan; ``counted`` limits each kept text to its kept count."""
    limits = plan.kept_counts() if counted else None
    return LeakScanner(plan.secrets(), plan.allowed(), limits=limits)


def verify_text(output: str, plan: RedactionPlan) -> None:
    """Raise ``LeakDetected`` if the redacted text still holds a removed value."""
    label = scanner_for(plan, counted=True).leaked(output)
    if label is not None:
        raise refuse(plan, label, "the text")
