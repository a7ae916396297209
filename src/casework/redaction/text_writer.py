"""Write the redacted text of any document: its extracted text with placeholders in place."""

from __future__ import annotations

from casework.redaction.plan import RedactionPlan


def redacted_text(plan: RedactionPlan) -> str:
    """Return the document's text with every planned span replaced by its placeholder."""
    text = plan.document.text
    parts: list[str] = []
    cursor = 0
    for r in plan.redactions:
        parts.append(text[cursor : r.start])
        parts.append(r.placeholder)
        cursor = r.end
    parts.append(text[cursor:])
    return "".join(parts)
