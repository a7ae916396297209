"""Events proposed from documents: dates found in their text, with the people and places near.

The faces read the documents (``casework.documents``) and bring the document engine's
``detect``; this service finds the dates (``domain.date_finder``, which leaves dates of
birth out), attaches the PERSON, LOCATION, ADDRESS and POSTCODE
findings near each date (``domain.timeline.propose_events``) and stores them as events
awaiting the investigator's confirmation (``journey.timeline.propose_conduct``).
Reading the same document again proposes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from casework.domain.cases import CaseReference
from casework.domain.date_finder import find_date_mentions
from casework.domain.findings import Finding
from casework.domain.journey_repositories import JourneyStore
from casework.domain.labels import Label
from casework.domain.pole import Event
from casework.domain.timeline import DateMention, UnparsedDate, propose_events
from casework.journey.timeline import propose_conduct
from casework.journey.victim import load_case

_PLACES = frozenset({Label.ADDRESS, Label.LOCATION, Label.POSTCODE})
Detect = Callable[[str], Sequence[Finding]]
"""The document engine's ``detect``: the findings in a text."""


@dataclass(frozen=True, slots=True)
class Proposals:
    """What reading the documents proposed: the new events, and dates that could not be read."""

    events: tuple[Event, ...]
    """Events stored now, awaiting confirmation (none for dates proposed before)."""
    dates_found: int
    unparsed: tuple[UnparsedDate, ...]


def dates_with_findings(text: str, detect: Detect) -> list[DateMention | Finding]:
    """The dates in ``text`` (not dates of birth) and the engine's findings, for proposals.

    The engine's DATE_OF_BIRTH label is not used to leave dates out: its context window
    also takes in the dates of events written after a date of birth; the date finder
    leaves out a date only when a birth is named right before it.
    """
    findings = list(detect(text))
    places = [f for f in findings if f.label in _PLACES]
    findings = [  # a postcode inside an address is the address's
        f
        for f in findings
        if not any(p is not f and p.start <= f.start and f.end <= p.end for p in places)
    ]
    return [*find_date_mentions(text), *findings]


def propose_from_documents(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    texts: Mapping[str, str],
    detect: Detect,
    actor: str,
    now: datetime | None = None,
) -> Proposals:
    """Propose events from the dates in ``texts`` (document name -> its text); store them.

    Each proposal names its document and the date's offsets in it; it waits for
    ``confirm_conduct`` or ``reject_conduct``, and counts towards no pattern until then.
    """
    case = load_case(store, reference)
    found = {name: dates_with_findings(text, detect) for name, text in texts.items()}
    events = propose_conduct(
        store=store, reference=case.reference, found=found, actor=actor, now=now
    )
    unread = propose_events(found, case_reference=str(case.reference)).unparsed
    dates = sum(1 for items in found.values() for i in items if isinstance(i, DateMention))
    return Proposals(events=tuple(events), dates_found=dates, unparsed=unread)
