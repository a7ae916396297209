"""Find the dates written in a document (UK style), for events proposed on the suspect timeline.

The document engine has no generic date label, on purpose: a date is not personal data
to redact (dates of birth are, and have their own label). This finder is not a
recognizer and adds no public label; it serves the suspect timeline only. It finds
written dates with the time of day written beside them (before or after), and the
sentence around each as its snippet; ``domain.timeline.parse_date_text`` reads them.

Dates of birth are left out: a birthday is not something the suspect did.
"""

from __future__ import annotations

import re

from casework.domain.timeline import DateMention

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:the\s+)?)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?:{_WEEKDAY})?(?:"
    r"\b\d{4}-\d{1,2}-\d{1,2}(?:T\d{2}:\d{2}(?::\d{2})?)?"  # 2026-02-14, 2026-02-14T21:30
    r"|\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?![\d/.\-]*\d)"  # 14/02/2026, 14.2.26
    rf"|\b\d{{1,2}}{_ORDINAL}(?:\s+of)?\s+{_MONTH}\b\.?,?\s+\d{{4}}"  # 14th of February 2026
    rf"|\b{_MONTH}\b\.?\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"  # February 14th, 2026
    r")\b",
    re.IGNORECASE,
)
_ISO_TIME = re.compile(r"\dT\d")
_ABOUT = r"(?:(?:about|around|approx(?:imately|\.)?)\s+)?"
_CLOCK = (
    r"(?:\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|hrs|hours))?"  # 21:30, 9.30pm
    r"|\d{1,2}\s*(?:am|pm)"  # 11pm
    r"|(?:[01]\d|2[0-3])[0-5]\d\s*(?:hrs|hours))"  # 2130 hrs
)
_TIME_AFTER = re.compile(rf",?\s+(?:(?:at|@)\s*)?{_ABOUT}{_CLOCK}\b", re.IGNORECASE)
_TIME_BEFORE = re.compile(rf"\b(?:at\s+)?{_ABOUT}{_CLOCK}\s+on\s+(?:the\s+)?$", re.IGNORECASE)
_BIRTH = re.compile(r"\b(?:born|birth|d\.?o\.?b\.?|birthday)\b[^.\n\d]{0,25}$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")
LOOK_BEHIND = 40
"""Characters before a date searched for a time (``at 9pm on ...``) or a birth."""
SNIPPET = 240
"""At most this many characters of the sentence on either side of a date."""


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, cut to ``SNIPPET`` characters either side."""
    low = max(0, start - SNIPPET)
    head = text[low:start]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    first = low + ends[-1] if ends else low
    tail = text[end : end + SNIPPET]
    stop = _SENTENCE_END.search(tail)
    last = end + (stop.start() + 1 if stop is not None else len(tail))
    return " ".join(text[first:last].split())


def find_date_mentions(text: str) -> list[DateMention]:
    """Return the dates written in ``text``, each with its time of day and its sentence.

    A mention's ``text`` is the date as written, with the time when one is written next to
    it (``14/02/2026 at about 21:30`` or ``11pm on Saturday 14th February 2026``);
    ``start`` and ``end`` are its offsets in ``text``. A date that is not a real one
    (``31/02/2026``) is still returned, so that the proposal step can report it unread.
    """
    found: list[DateMention] = []
    for match in _DATE.finditer(text):
        start, end = match.span()
        before = text[max(0, start - LOOK_BEHIND) : start]
        if _BIRTH.search(before):
            continue
        after = _TIME_AFTER.match(text, end)
        if after is not None and not _ISO_TIME.search(match.group(0)):
            end = after.end()
        else:
            earlier = _TIME_BEFORE.search(before)
            if earlier is not None:
                start -= len(before) - earlier.start()
        found.append(
            DateMention(
                text=text[start:end],
                snippet=_sentence(text, start, end),
                start=start,
                end=end,
            )
        )
    return found
