"""Suspect-timeline services: record the suspect's conduct, confirm proposals, show the timeline.

Conduct is stored as POLE events of the case (``events``) with a row of timeline details
beside each (``event_conduct``: what the behaviour was, fear of violence, whether only the
day is known). The timeline is built by ``domain.timeline``: events before, during and
after the offence, course-of-conduct patterns, and the incidents of the same suspect
(same person id) in other cases, marked with their case reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from casework.domain.cases import Case, CaseReference, Role
from casework.domain.findings import Finding
from casework.domain.journey_repositories import ConductDetails, JourneyStore
from casework.domain.pole import (
    Confirmation,
    Event,
    EventDetails,
    EventKind,
    EventPhase,
    EventSource,
)
from casework.domain.timeline import (
    ConductKind,
    CourseOfConduct,
    DateMention,
    FearOfViolenceTest,
    OffenceWindow,
    Timeline,
    TimelineEvent,
    build_timeline,
    detect_course_of_conduct,
    fear_of_violence_test,
    load_course_of_conduct_rules,
    propose_events,
)
from casework.domain.timeline import confirm_event as confirm_proposal
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import confirm_event, record_event
from casework.journey.victim import load_case

LONDON = ZoneInfo("Europe/London")
FUTURE_SLACK = timedelta(minutes=5)
NOON = time(12)

SUSPECT_EVENT_KINDS = frozenset(
    {
        EventKind.INCIDENT,
        EventKind.OFFENCE,
        EventKind.ARREST,
        EventKind.INTERVIEW_UNDER_CAUTION,
        EventKind.RELEASED_WITHOUT_CHARGE,
        EventKind.BAILED,
        EventKind.RELEASED_UNDER_INVESTIGATION,
        EventKind.BAIL_CONDITIONS_CHANGED,
        EventKind.OTHER,
    }
)
"""Case events about the suspect; contact with the victim and referrals are not."""


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"time {moment.isoformat()} has no time zone")
    return moment


def _instant(when: date | datetime) -> tuple[datetime, bool]:
    """The stored instant of ``when`` and whether only the day is known (then noon, London)."""
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise InvalidInput(f"{when.isoformat()} has no time zone")
        return when, False
    return datetime.combine(when, NOON, LONDON), True


def _pole_kind(kind: ConductKind) -> EventKind:
    return EventKind.ARREST if kind is ConductKind.ARREST else EventKind.INCIDENT


def add_conduct(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    kind: ConductKind,
    when: date | datetime,
    description: str,
    actor: str,
    phase: EventPhase | None = None,
    fear_of_violence: bool = False,
    now: datetime | None = None,
) -> Event:
    """Record something the suspect did, entered by hand (so confirmed at once).

    ``when`` is a moment, or a day when the time is not known. The case's suspects are
    linked to the event, so it follows them into their other cases' timelines.
    """
    moment = _now(now)
    case = load_case(store, reference)
    occurred, date_only = _instant(when)
    if occurred > moment + FUTURE_SLACK:
        raise InvalidInput(f"conduct date {when.isoformat()} is in the future")
    if not description.strip():
        raise InvalidInput("description: say what the suspect did")
    event = record_event(
        store=store,
        reference=case.reference,
        details=EventDetails(
            kind=_pole_kind(kind),
            description=description.strip(),
            occurred_at=occurred,
            phase=phase,
            person_ids=tuple(p.id for p in case.people(Role.SUSPECT)),
        ),
        actor=actor,
        now=moment,
    )
    store.conduct.add(
        event_id=event.id,
        force=case.force,
        details=ConductDetails(kind=kind, fear_of_violence=fear_of_violence, date_only=date_only),
    )
    return event


def propose_conduct(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    found: Mapping[str, Sequence[DateMention | Finding]],
    actor: str,
    now: datetime | None = None,
) -> list[Event]:
    """Store events proposed from dates found in documents, awaiting confirmation.

    A proposal already stored (same document and offsets) is not stored twice, so the
    same documents can be read again.
    """
    moment = _now(now)
    case = load_case(store, reference)
    proposed = propose_events(found, case_reference=str(case.reference))
    existing = store.events.for_case(case_id=case.id)
    details = store.conduct.for_events(event_ids=[e.id for e in existing])
    seen = {
        (e.source_document, details[e.id].start, details[e.id].end)
        for e in existing
        if e.source is EventSource.DOCUMENT and e.id in details
    }
    stored: list[Event] = []
    for proposal in proposed.events:
        if (proposal.document, proposal.start, proposal.end) in seen:
            continue
        occurred, date_only = _instant(proposal.when)
        text = proposal.description
        if proposal.people or proposal.place:
            extra = "; ".join(x for x in (", ".join(proposal.people), proposal.place) if x)
            text = f"{text} ({extra})"
        event = record_event(
            store=store,
            reference=case.reference,
            details=EventDetails(
                kind=EventKind.INCIDENT,
                description=text[:4000],
                occurred_at=occurred,
                source=EventSource.DOCUMENT,
                source_document=proposal.document,
            ),
            actor=actor,
            now=moment,
        )
        store.conduct.add(
            event_id=event.id,
            force=case.force,
            details=ConductDetails(
                kind=ConductKind.OTHER,
                date_only=date_only,
                start=proposal.start,
                end=proposal.end,
            ),
        )
        stored.append(event)
    return stored


def _proposal(store: JourneyStore, case: Case, event_id: UUID) -> tuple[Event, ConductDetails]:
    event = store.events.get(event_id=event_id)
    if event is None or event.case_id != case.id:
        raise NotFound(f"no event {event_id} in case {case.reference}")
    if event.status is not Confirmation.PROPOSED:
        raise Conflict(f"event {event_id} is {event.status.value}, not awaiting confirmation")
    details = store.conduct.for_events(event_ids=[event.id]).get(event.id) or ConductDetails(
        kind=ConductKind.OTHER
    )
    return event, details


def confirm_conduct(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    event_id: UUID,
    kind: ConductKind,
    phase: EventPhase | None = None,
    description: str | None = None,
    fear_of_violence: bool = False,
) -> Event:
    """Confirm a proposed event, saying what the suspect's conduct was; it then counts."""
    case = load_case(store, reference)
    event, details = _proposal(store, case, event_id)
    checked = confirm_proposal(
        _timeline_event(event, details, str(case.reference), {}, own_case=True),
        kind=kind,
        phase=phase,
        description=description.strip() if description else None,
        fear_of_violence=fear_of_violence,
    )
    store.conduct.confirm(
        event_id=event.id,
        force=case.force,
        details=ConductDetails(
            kind=checked.kind,
            fear_of_violence=checked.fear_of_violence,
            date_only=details.date_only,
            start=details.start,
            end=details.end,
        ),
        phase=checked.phase,
        description=checked.description if description else None,
    )
    confirm_event(
        store=store, reference=case.reference, event_id=event.id, status=Confirmation.CONFIRMED
    )
    return event.model_copy(
        update={
            "status": Confirmation.CONFIRMED,
            "phase": checked.phase,
            "description": checked.description,
        }
    )


def reject_conduct(*, store: JourneyStore, reference: str | CaseReference, event_id: UUID) -> Event:
    """Reject a proposed event: it stays on record but off the timeline."""
    case = load_case(store, reference)
    event, _ = _proposal(store, case, event_id)
    return confirm_event(
        store=store, reference=case.reference, event_id=event.id, status=Confirmation.REJECTED
    )


def _conduct_kind(event: Event) -> ConductKind:
    return ConductKind.ARREST if event.kind is EventKind.ARREST else ConductKind.OTHER


def _timeline_event(
    event: Event,
    details: ConductDetails | None,
    case_reference: str,
    names: Mapping[UUID, str],
    *,
    own_case: bool,
) -> TimelineEvent:
    kind = details.kind if details is not None else _conduct_kind(event)
    description = event.description
    if details is None and event.kind not in (EventKind.INCIDENT, EventKind.OTHER):
        description = f"{event.kind.words}: {description}"
    when: date | datetime = event.occurred_at
    if details is not None and details.date_only:
        when = event.occurred_at.astimezone(LONDON).date()
    return TimelineEvent(
        id=str(event.id),
        when=when,
        kind=kind,
        description=description,
        case_reference=case_reference,
        # An event's phase is relative to its own case's offence, not this one's.
        phase=event.phase if own_case else None,
        people=tuple(names[p] for p in event.person_ids if p in names),
        source=event.source,
        confirmation=event.status,
        document=event.source_document or "",
        start=details.start if details is not None else None,
        end=details.end if details is not None else None,
        fear_of_violence=details.fear_of_violence if details is not None else False,
    )


def _offence_window(case: Case, events: Sequence[Event]) -> OffenceWindow:
    offences = [e for e in events if e.kind is EventKind.OFFENCE and e.counts]
    if offences:
        first = offences[0]
        return OffenceWindow(start=first.occurred_at, description=f"Offence: {first.description}")
    days = sorted(o.committed_on for o in case.offences if o.committed_on is not None)
    codes = ", ".join(o.code for o in case.offences) or "offence"
    if days:
        end = days[-1] if days[-1] != days[0] else None
        return OffenceWindow(start=days[0], end=end, description=f"Offence ({codes})")
    return OffenceWindow(start=case.reported_on, description=f"Reported ({codes}); date unknown")


@dataclass(frozen=True, slots=True)
class SuspectTimeline:
    """The suspect timeline of a case with its patterns and the other cases drawn on."""

    timeline: Timeline
    patterns: tuple[CourseOfConduct, ...]
    fear_of_violence: FearOfViolenceTest
    suspects: tuple[str, ...]
    other_cases: tuple[str, ...]
    withheld: int = 0
    """Other cases of the suspect that the reader is not cleared to see."""


def _case_events(
    store: JourneyStore, case: Case, names: dict[UUID, str], *, own_case: bool
) -> list[TimelineEvent]:
    events = [e for e in store.events.for_case(case_id=case.id) if e.kind in SUSPECT_EVENT_KINDS]
    details = store.conduct.for_events(event_ids=[e.id for e in events])
    for event in events:
        for person_id in event.person_ids:
            if person_id not in names:
                person = store.persons.get(person_id=person_id)
                names[person_id] = person.full_name if person is not None else str(person_id)
    ref = str(case.reference)
    return [_timeline_event(e, details.get(e.id), ref, names, own_case=own_case) for e in events]


def _incident_marker(case: Case) -> TimelineEvent:
    """The other case itself, as one incident on the timeline, dated by its offence."""
    days = [o.committed_on for o in case.offences if o.committed_on is not None]
    codes = ", ".join(o.code for o in case.offences) or "no offence recorded"
    return TimelineEvent(
        id=f"{case.reference}:incident",
        when=min(days) if days else case.reported_on,
        kind=ConductKind.REPORT,
        description=f"incident: {codes}; {case.stage.words}",
        case_reference=str(case.reference),
    )


def suspect_timeline(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    include_other_cases: bool = True,
    may_see: Callable[[CaseReference], bool] | None = None,
) -> SuspectTimeline:
    """Return the suspect timeline of the case, with the suspect's other cases marked.

    Other cases are those in which a suspect of this case (the same person) is also the
    suspect. Each appears as an incident marker, with its own conduct events; confirmed
    conduct from every case counts towards course-of-conduct patterns. ``may_see`` says
    which other cases the reader is cleared for (need to know); the rest are counted in
    ``withheld`` but never shown.
    """
    case = load_case(store, reference)
    names: dict[UUID, str] = {}
    own_events = store.events.for_case(case_id=case.id)
    events = _case_events(store, case, names, own_case=True)
    suspects = case.people(Role.SUSPECT)
    others: list[str] = []
    withheld = 0
    if include_other_cases:
        seen = {case.reference}
        for suspect in suspects:
            for other_ref, role in store.persons.cases_of(person_id=suspect.id):
                if role is not Role.SUSPECT or other_ref in seen:
                    continue
                seen.add(other_ref)
                if may_see is not None and not may_see(other_ref):
                    withheld += 1
                    continue
                other = store.cases.get(reference=other_ref)
                if other is None:
                    continue
                others.append(str(other_ref))
                events.append(_incident_marker(other))
                events.extend(_case_events(store, other, names, own_case=False))
    rules = load_course_of_conduct_rules()
    ref = str(case.reference)
    return SuspectTimeline(
        timeline=build_timeline(
            events, case_reference=ref, offence=_offence_window(case, own_events)
        ),
        patterns=detect_course_of_conduct(events, rules, case_reference=ref),
        fear_of_violence=fear_of_violence_test(events, rules),
        suspects=tuple(s.full_name for s in suspects),
        other_cases=tuple(others),
        withheld=withheld,
    )
