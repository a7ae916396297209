"""The suspect timeline: what the suspect did before, during and after the offence.

Events are entered by hand or proposed from documents (a date found in a text, with the
places and people near it) and then confirmed or rejected by the investigator; only
confirmed events count towards a pattern. Earlier incidents involving the same suspect in
other cases sit on the same timeline, marked, because in domestic abuse the history is
the evidence. Patterns (``course_of_conduct.json``) are prompts to investigate: the law
sets no number for "repeatedly or continuously", so the thresholds are versioned data.

Dates are London calendar days; an event may have a time or only a date. On a day,
date-only events come before timed ones (their time is unknown, not midnight).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from casework.domain.findings import Finding
from casework.domain.labels import Label
from casework.domain.pole import Confirmation, EventPhase, EventSource
from casework.domain.rules.data import RuleFile, load_rule_data
from casework.errors import InvalidInput

COURSE_OF_CONDUCT_FILE = "course_of_conduct.json"
LONDON = ZoneInfo("Europe/London")


class ConductKind(StrEnum):
    """What the suspect did (or what happened); patterns are defined over these kinds.

    Not ``pole.ConductKind``, which says what an event is to the procedure (an arrest starts
    a Victims' Code duty); this says what the behaviour was, for course-of-conduct patterns.
    """

    ASSAULT = "assault"
    STRANGULATION = "strangulation"
    THREAT = "threat"
    DAMAGE = "damage"
    MONITORING = "monitoring"
    ISOLATION = "isolation"
    FINANCIAL_CONTROL = "financial_control"
    DEGRADATION = "degradation"
    SEXUAL = "sexual"
    CONTACT = "contact"
    FOLLOWING = "following"
    TURNING_UP = "turning_up"
    BREACH_OF_ORDER = "breach_of_order"
    REPORT = "report"
    ARREST = "arrest"
    OTHER = "other"


When = date | datetime


def _day(when: When, what: str) -> date:
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise InvalidInput(f"{what}: {when.isoformat()} has no time zone; give an aware time")
        return when.astimezone(LONDON).date()
    return when


def _clock(when: When) -> time | None:
    return when.astimezone(LONDON).time() if isinstance(when, datetime) else None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One event of the suspect's behaviour, with where it came from.

    ``start``/``end`` are character offsets in ``document`` for a proposed event, when the
    proposal came from a text whose offsets are known.
    ``fear_of_violence`` tags an occasion on which the victim feared violence (SCA 2015
    s.76(4)(a), PHA 1997 s.4).
    """

    id: str
    when: When
    kind: ConductKind
    description: str
    case_reference: str
    phase: EventPhase | None = None
    place: str = ""
    people: tuple[str, ...] = ()
    source: EventSource = EventSource.MANUAL
    confirmation: Confirmation = Confirmation.CONFIRMED
    document: str = ""
    start: int | None = None
    end: int | None = None
    fear_of_violence: bool = False

    def __post_init__(self) -> None:
        label = f"event {self.id!r}"
        if not self.id.strip():
            raise InvalidInput("event: an id is required")
        _day(self.when, label)
        if not self.case_reference.strip():
            raise InvalidInput(f"{label}: the case reference is required")
        if self.source is EventSource.MANUAL and self.confirmation is not Confirmation.CONFIRMED:
            raise InvalidInput(f"{label}: an event entered by hand needs no confirmation")
        if self.source is EventSource.DOCUMENT and not self.document:
            raise InvalidInput(f"{label}: a proposed event names its document")
        if (self.start is None) != (self.end is None):
            raise InvalidInput(f"{label}: give both offsets in the document, or neither")
        if self.start is not None and self.end is not None and not 0 <= self.start < self.end:
            raise InvalidInput(f"{label}: bad offsets {self.start}..{self.end}")

    @property
    def day(self) -> date:
        """The London calendar day of the event."""
        return _day(self.when, f"event {self.id!r}")

    @property
    def confirmed(self) -> bool:
        return self.confirmation is Confirmation.CONFIRMED


@dataclass(frozen=True, slots=True)
class OffenceWindow:
    """When the offence under investigation happened (a day, a moment, or a period)."""

    start: When
    end: When | None = None
    description: str = "Offence"

    def __post_init__(self) -> None:
        if self.end is not None and _sort_key(self.end) < _sort_key(self.start):
            raise InvalidInput("offence: the end is before the start")

    def phase_of(self, when: When) -> EventPhase:
        """Say whether ``when`` is before, during or after the offence.

        Compared by moment when both are timed, else by London day.
        """
        end = self.end if self.end is not None else self.start
        if isinstance(when, datetime) and isinstance(self.start, datetime):
            if when < self.start:
                return EventPhase.BEFORE
            if isinstance(end, datetime) and when > end:
                return EventPhase.AFTER
            if not isinstance(end, datetime) and _day(when, "event") > end:
                return EventPhase.AFTER
            return EventPhase.DURING
        day = _day(when, "event")
        if day < _day(self.start, "offence"):
            return EventPhase.BEFORE
        if day > _day(end, "offence"):
            return EventPhase.AFTER
        return EventPhase.DURING


def _sort_key(when: When) -> tuple[date, int, time]:
    clock = _clock(when)
    return (_day(when, "timeline"), 0 if clock is None else 1, clock or time(0))


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A row of the timeline: an event, or the marker of the offence itself."""

    when: When
    phase: EventPhase
    label: str
    event: TimelineEvent | None = None
    is_offence: bool = False
    other_case: bool = False
    awaiting_confirmation: bool = False


@dataclass(frozen=True, slots=True)
class Timeline:
    """The ordered timeline of one case, with warnings an investigator should look at."""

    case_reference: str
    offence: OffenceWindow
    entries: tuple[TimelineEntry, ...]
    warnings: tuple[str, ...] = ()

    def in_phase(self, phase: EventPhase) -> tuple[TimelineEntry, ...]:
        return tuple(e for e in self.entries if e.phase is phase and not e.is_offence)


def build_timeline(
    events: Iterable[TimelineEvent],
    *,
    case_reference: str,
    offence: OffenceWindow,
    include_unconfirmed: bool = True,
) -> Timeline:
    """Order ``events`` in time, mark the offence, and mark events from other cases.

    Rejected proposals are left out; proposals awaiting confirmation are shown and marked
    unless ``include_unconfirmed`` is False. An event's own phase is kept, and a warning
    raised when it disagrees with its date.
    """
    rows: list[tuple[tuple[date, int, time, int, str], TimelineEntry]] = []
    warnings: list[str] = []
    day, rank, clock = _sort_key(offence.start)
    marker = TimelineEntry(
        when=offence.start, phase=EventPhase.DURING, label=offence.description, is_offence=True
    )
    rows.append(((day, rank, clock, 0, ""), marker))
    for event in events:
        if event.confirmation is Confirmation.REJECTED:
            continue
        if not event.confirmed and not include_unconfirmed:
            continue
        derived = offence.phase_of(event.when)
        if event.phase is not None and event.phase is not derived:
            warnings.append(
                f"event {event.id!r} is marked {event.phase.value} the offence but its date "
                f"({event.day.isoformat()}) puts it {derived.value}"
            )
        other = event.case_reference != case_reference
        label = event.description
        if other:
            label = f"[{event.case_reference}] {label}"
        entry = TimelineEntry(
            when=event.when,
            phase=event.phase or derived,
            label=label,
            event=event,
            other_case=other,
            awaiting_confirmation=not event.confirmed,
        )
        day, rank, clock = _sort_key(event.when)
        rows.append(((day, rank, clock, 1, event.id), entry))
    rows.sort(key=lambda row: row[0])
    return Timeline(
        case_reference=case_reference,
        offence=offence,
        entries=tuple(entry for _, entry in rows),
        warnings=tuple(warnings),
    )


class PatternRule(BaseModel):
    """A pattern of repeated behaviour: N occasions of related kinds within a window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    offence_codes: tuple[str, ...]
    kinds: tuple[ConductKind, ...] = Field(min_length=1)
    min_occasions: int = Field(ge=2)
    window_days: int = Field(gt=0)
    basis: Literal["law", "policy"]
    source: str
    note: str = ""


class FearOfViolenceRule(BaseModel):
    """The 'at least two occasions' test of fear of violence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str
    min_occasions: int = Field(ge=1)
    text: str
    source: str


class CourseOfConductRules(RuleFile):
    """A version of the course-of-conduct patterns."""

    patterns: tuple[PatternRule, ...] = Field(min_length=1)
    fear_of_violence: FearOfViolenceRule


@cache
def load_course_of_conduct_rules() -> CourseOfConductRules:
    """Load the packaged patterns once."""
    return load_rule_data(COURSE_OF_CONDUCT_FILE, CourseOfConductRules)


@dataclass(frozen=True, slots=True)
class CourseOfConduct:
    """A run of occasions that meets a pattern rule: the events, the span, and why."""

    pattern_id: str
    name: str
    offence_codes: tuple[str, ...]
    first: date
    last: date
    occasions: int
    events: tuple[TimelineEvent, ...]
    includes_other_cases: bool
    reason: str
    source: str


def _occasions(events: Iterable[TimelineEvent]) -> dict[date, list[TimelineEvent]]:
    by_day: dict[date, list[TimelineEvent]] = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    return dict(sorted(by_day.items()))


def detect_course_of_conduct(
    events: Iterable[TimelineEvent],
    rules: CourseOfConductRules,
    *,
    case_reference: str | None = None,
) -> tuple[CourseOfConduct, ...]:
    """Find runs of at least N occasions of a pattern's kinds within its window.

    An occasion is a London day: several events on one day are one occasion. Overlapping
    qualifying windows merge into one run, so a long campaign is one pattern, not many.
    Only confirmed events count. ``case_reference``, when given, marks runs that draw on
    other cases.
    """
    confirmed = [e for e in events if e.confirmed]
    found: list[CourseOfConduct] = []
    for rule in rules.patterns:
        by_day = _occasions(e for e in confirmed if e.kind in rule.kinds)
        days = list(by_day)
        window = timedelta(days=rule.window_days)
        runs: list[tuple[int, int]] = []
        right = 0
        for left in range(len(days)):
            right = max(right, left)
            while right + 1 < len(days) and days[right + 1] - days[left] <= window:
                right += 1
            if right - left + 1 >= rule.min_occasions:
                if runs and left <= runs[-1][1]:
                    runs[-1] = (runs[-1][0], right)
                else:
                    runs.append((left, right))
        for left, right in runs:
            run_days = days[left : right + 1]
            run_events = tuple(e for d in run_days for e in by_day[d])
            kinds = sorted({e.kind.value for e in run_events})
            other = case_reference is not None and any(
                e.case_reference != case_reference for e in run_events
            )
            found.append(
                CourseOfConduct(
                    pattern_id=rule.id,
                    name=rule.name,
                    offence_codes=rule.offence_codes,
                    first=run_days[0],
                    last=run_days[-1],
                    occasions=len(run_days),
                    events=run_events,
                    includes_other_cases=other,
                    reason=(
                        f"{len(run_days)} occasions of {', '.join(kinds)} between "
                        f"{run_days[0].isoformat()} and {run_days[-1].isoformat()}: at least "
                        f"{rule.min_occasions} within {rule.window_days} days ({rule.basis}). "
                        f"{rule.note}"
                    ).strip(),
                    source=rule.source,
                )
            )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class FearOfViolenceTest:
    """Whether the victim feared violence on enough separate occasions, and which."""

    met: bool
    occasions: tuple[date, ...]
    events: tuple[TimelineEvent, ...]
    rule: str
    source: str


def fear_of_violence_test(
    events: Iterable[TimelineEvent], rules: CourseOfConductRules
) -> FearOfViolenceTest:
    """Count the separate days on which confirmed events caused fear of violence."""
    rule = rules.fear_of_violence
    by_day = _occasions(e for e in events if e.confirmed and e.fear_of_violence)
    return FearOfViolenceTest(
        met=len(by_day) >= rule.min_occasions,
        occasions=tuple(by_day),
        events=tuple(e for group in by_day.values() for e in group),
        rule=rule.text,
        source=rule.source,
    )


# Proposing events from documents ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a document's text: as written, its surroundings and its offsets.

    The document engine has no generic date label (it finds dates of birth, which are not
    events), so callers pass the dates they found; ``places`` and ``people`` may be given
    here or come from ``Finding``s near the mention.
    """

    text: str
    snippet: str
    start: int
    end: int
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnparsedDate:
    """A mention that could not be read as a date, kept so nothing is silently lost."""

    document: str
    mention: DateMention
    reason: str


@dataclass(frozen=True, slots=True)
class ProposedEvents:
    """Events proposed from documents, awaiting an investigator's confirmation."""

    events: tuple[TimelineEvent, ...]
    unparsed: tuple[UnparsedDate, ...]


_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    name: index
    for index, full in enumerate(_MONTH_NAMES, start=1)
    for name in (full, full[:3], *(("sept",) if index == 9 else ()))
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "ymd"),
    (re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})\b"), "dmy"),
    (
        re.compile(
            rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})",
            re.IGNORECASE,
        ),
        "d_mon_y",
    ),
    (
        re.compile(
            rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
            re.IGNORECASE,
        ),
        "mon_d_y",
    ),
)
_ABOUT = r"(?:(?:about|around|approx(?:imately|\.)?)\s+)?"
_TIME = re.compile(
    rf"(?:T|,?\s+(?:(?:at|@)\s*)?{_ABOUT})(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d{{2}}))?\s*"
    r"(?P<ap>am|pm|hrs|hours)?\b",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(
    r"(?:\b(?P<hhmm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?:hrs|hours)|\b(?P<h>\d{1,2})"
    r"(?:[:.](?P<mi>\d{2}))?\s*(?P<ap>am|pm|hrs|hours)?)\s+on\s+"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
"""A time written before its date: ``at 21:30 on Saturday 14th February 2026``."""
_HHMM_HRS = re.compile(r"\b(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?:hrs|hours)\b", re.IGNORECASE)


def parse_date_text(text: str) -> tuple[date, time | None]:
    """Read a date (UK day-month order) and an optional time of day from ``text``.

    The time may follow the date (``14/02/2026 at about 21:30``) or come before it
    (``11pm on Saturday 14th February 2026``).

    Raises ``ValueError`` with a reason when there is no date or it is not a real one.
    """
    for pattern, shape in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        year = int(match["y"])
        if year < 100:
            year += 2000
        month = _MONTHS[match["mon"].lower()] if "mon" in shape else int(match["m"])
        try:
            day = date(year, month, int(match["d"]))
        except ValueError:
            raise ValueError(f"{match.group(0)!r} is not a real date") from None
        return day, _parse_time(text[match.end() :]) or _time_before(text[: match.start()])
    raise ValueError(f"no date found in {text!r}")


def _parse_time(rest: str) -> time | None:
    hrs = _HHMM_HRS.search(rest)
    if hrs is not None:
        return time(int(hrs["h"]), int(hrs["mi"]))
    return _clock_of(_TIME.match(rest))


def _time_before(head: str) -> time | None:
    match = _TIME_BEFORE.search(head)
    if match is not None and match["hhmm"] is not None:
        return time(int(match["hhmm"]), int(match["mm"]))
    return _clock_of(match)


def _clock_of(match: re.Match[str] | None) -> time | None:
    """The time of day a ``_TIME``-shaped match says (a bare number is not a time)."""
    if match is None or (match["mi"] is None and match["ap"] is None):
        return None
    hour, minute = int(match["h"]), int(match["mi"] or 0)
    suffix = (match["ap"] or "").lower()
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


_PLACE_LABELS = {Label.LOCATION, Label.ADDRESS, Label.POSTCODE}


def _attach(
    mentions: Sequence[DateMention], findings: Sequence[Finding], proximity: int
) -> list[tuple[DateMention, list[str], list[str]]]:
    attached = [(m, list(m.places), list(m.people)) for m in mentions]
    for finding in findings:
        if finding.label is not Label.PERSON and finding.label not in _PLACE_LABELS:
            continue
        best: tuple[bool, int, int] | None = None
        for index, mention in enumerate(mentions):
            gap = max(mention.start - finding.end, finding.start - mention.end, 0)
            outside = finding.text not in mention.snippet
            if gap <= proximity and (best is None or (outside, gap) < best[:2]):
                best = (outside, gap, index)
        if best is None:
            continue
        _, places, people = attached[best[2]]
        target = people if finding.label is Label.PERSON else places
        if finding.text not in target:
            target.append(finding.text)
    return attached


def propose_events(
    findings_by_document: Mapping[str, Sequence[DateMention | Finding]],
    *,
    case_reference: str,
    proximity: int = 150,
) -> ProposedEvents:
    """Turn dates found in documents into events awaiting the investigator's confirmation.

    Each document maps to the dates mentioned in it and, optionally, the engine's
    ``Finding``s: a PERSON, LOCATION, ADDRESS or POSTCODE finding within ``proximity``
    characters of a date is attached to the nearest one, preferring a mention whose snippet
    contains the finding's text (the same sentence). Other findings (dates of birth
    among them: a birthday is not an event) are ignored. Proposals are of kind ``other``
    with no phase: the investigator says what happened when confirming.
    """
    events: dict[str, TimelineEvent] = {}
    unparsed: list[UnparsedDate] = []
    for document, items in findings_by_document.items():
        mentions = sorted(
            (i for i in items if isinstance(i, DateMention)), key=lambda m: (m.start, m.end)
        )
        findings = [i for i in items if isinstance(i, Finding)]
        for mention, places, people in _attach(mentions, findings, proximity):
            try:
                day, clock = parse_date_text(mention.text)
            except ValueError as error:
                unparsed.append(UnparsedDate(document, mention, str(error)))
                continue
            when: When = day if clock is None else datetime.combine(day, clock, tzinfo=LONDON)
            event_id = f"{document}:{mention.start}-{mention.end}"
            description = " ".join(mention.snippet.split())[:300] or mention.text
            events.setdefault(
                event_id,
                TimelineEvent(
                    id=event_id,
                    when=when,
                    kind=ConductKind.OTHER,
                    description=description,
                    case_reference=case_reference,
                    place="; ".join(places),
                    people=tuple(people),
                    source=EventSource.DOCUMENT,
                    confirmation=Confirmation.PROPOSED,
                    document=document,
                    start=mention.start,
                    end=mention.end,
                ),
            )
    ordered = sorted(events.values(), key=lambda e: (_sort_key(e.when), e.id))
    return ProposedEvents(events=tuple(ordered), unparsed=tuple(unparsed))


def confirm_event(
    event: TimelineEvent,
    *,
    kind: ConductKind,
    phase: EventPhase | None = None,
    description: str | None = None,
    fear_of_violence: bool = False,
) -> TimelineEvent:
    """Return ``event`` confirmed by the investigator, who says what kind of event it is."""
    if event.confirmation is not Confirmation.PROPOSED:
        raise InvalidInput(f"event {event.id!r} is {event.confirmation.value}, not awaiting")
    return replace(
        event,
        kind=kind,
        phase=phase,
        description=description if description is not None else event.description,
        fear_of_violence=fear_of_violence,
        confirmation=Confirmation.CONFIRMED,
    )


def reject_event(event: TimelineEvent) -> TimelineEvent:
    """Return ``event`` rejected: kept for the record, left off the timeline."""
    if event.confirmation is not Confirmation.PROPOSED:
        raise InvalidInput(f"event {event.id!r} is {event.confirmation.value}, not awaiting")
    return replace(event, confirmation=Confirmation.REJECTED)
