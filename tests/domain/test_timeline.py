"""Suspect timeline: ordering, the offence marker, other cases, patterns, proposals."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from casework.domain.findings import Finding
from casework.domain.labels import Label
from casework.domain.pole import Confirmation, EventPhase, EventSource
from casework.domain.timeline import (
    LONDON,
    ConductKind,
    CourseOfConductRules,
    DateMention,
    OffenceWindow,
    TimelineEvent,
    build_timeline,
    confirm_event,
    detect_course_of_conduct,
    fear_of_violence_test,
    load_course_of_conduct_rules,
    parse_date_text,
    propose_events,
    reject_event,
)
from casework.errors import InvalidInput

CASE = "XY-2025-0001"
OFFENCE = OffenceWindow(start=date(2025, 3, 10), description="Assault at home address")


def ev(
    event_id: str,
    when: date | datetime,
    kind: ConductKind = ConductKind.THREAT,
    *,
    case: str = CASE,
    fear: bool = False,
    phase: EventPhase | None = None,
) -> TimelineEvent:
    return TimelineEvent(
        id=event_id,
        when=when,
        kind=kind,
        description=f"{kind.value} {event_id}",
        case_reference=case,
        fear_of_violence=fear,
        phase=phase,
    )


@pytest.fixture(scope="module")
def rules() -> CourseOfConductRules:
    return load_course_of_conduct_rules()


def test_timeline_orders_events_and_marks_the_offence() -> None:
    events = [
        ev("c", date(2025, 3, 12), ConductKind.CONTACT),
        ev("a", date(2025, 2, 1)),
        ev("timed", datetime(2025, 3, 10, 21, 40, tzinfo=LONDON), ConductKind.ASSAULT),
        ev("dated", date(2025, 3, 10), ConductKind.DAMAGE),
    ]
    timeline = build_timeline(events, case_reference=CASE, offence=OFFENCE)
    labels = [(e.event.id if e.event else "OFFENCE", e.phase) for e in timeline.entries]
    assert labels == [
        ("a", EventPhase.BEFORE),
        ("OFFENCE", EventPhase.DURING),
        ("dated", EventPhase.DURING),
        ("timed", EventPhase.DURING),
        ("c", EventPhase.AFTER),
    ]
    assert [e.event.id for e in timeline.in_phase(EventPhase.DURING) if e.event] == [
        "dated",
        "timed",
    ]
    assert timeline.warnings == ()


def test_timed_offence_splits_the_day() -> None:
    offence = OffenceWindow(
        start=datetime(2025, 3, 10, 21, 0, tzinfo=LONDON),
        end=datetime(2025, 3, 10, 22, 0, tzinfo=LONDON),
    )
    cases = {
        datetime(2025, 3, 10, 20, 59, tzinfo=LONDON): EventPhase.BEFORE,
        datetime(2025, 3, 10, 21, 30, tzinfo=LONDON): EventPhase.DURING,
        datetime(2025, 3, 10, 22, 1, tzinfo=LONDON): EventPhase.AFTER,
        date(2025, 3, 10): EventPhase.DURING,
        date(2025, 3, 11): EventPhase.AFTER,
    }
    for when, phase in cases.items():
        assert offence.phase_of(when) is phase, when


def test_offence_period() -> None:
    period = OffenceWindow(start=date(2024, 6, 1), end=date(2025, 3, 1))
    assert period.phase_of(date(2024, 5, 31)) is EventPhase.BEFORE
    assert period.phase_of(date(2024, 12, 25)) is EventPhase.DURING
    assert period.phase_of(date(2025, 3, 2)) is EventPhase.AFTER
    with pytest.raises(InvalidInput, match="end is before"):
        OffenceWindow(start=date(2025, 3, 1), end=date(2024, 6, 1))


def test_other_cases_are_marked_and_wrong_phase_warned() -> None:
    events = [
        ev("old", date(2023, 5, 1), ConductKind.ASSAULT, case="XY-2023-0042"),
        ev("mislabelled", date(2025, 3, 20), phase=EventPhase.BEFORE),
    ]
    timeline = build_timeline(events, case_reference=CASE, offence=OFFENCE)
    old = timeline.entries[0]
    assert old.other_case and old.label.startswith("[XY-2023-0042]")
    assert old.phase is EventPhase.BEFORE
    assert "mislabelled" in timeline.warnings[0]
    assert timeline.entries[-1].phase is EventPhase.BEFORE  # the investigator's phase is kept


def test_unconfirmed_shown_rejected_hidden() -> None:
    proposed = propose_events(
        {"statement.txt": [DateMention("01/03/2025", "he turned up on 01/03/2025", 16, 26)]},
        case_reference=CASE,
    ).events[0]
    rejected = reject_event(
        propose_events(
            {"s2.txt": [DateMention("02/03/2025", "x", 0, 10)]}, case_reference=CASE
        ).events[0]
    )
    shown = build_timeline([proposed, rejected], case_reference=CASE, offence=OFFENCE)
    assert [e.awaiting_confirmation for e in shown.entries] == [True, False]
    hidden = build_timeline(
        [proposed], case_reference=CASE, offence=OFFENCE, include_unconfirmed=False
    )
    assert len(hidden.entries) == 1 and hidden.entries[0].is_offence


def occasions(
    start: date, gaps: list[int], kind: ConductKind = ConductKind.CONTACT
) -> list[TimelineEvent]:
    days = [start]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    return [ev(f"e{i}", d, kind) for i, d in enumerate(days)]


@pytest.mark.parametrize(
    ("gaps", "runs"),
    [
        ([], 0),  # one occasion is not a course of conduct
        ([365], 1),  # two occasions exactly 365 days apart: within the window
        ([366], 0),
        ([0], 0),  # two events on one day are one occasion
        ([10, 400, 10], 2),
    ],
)
def test_harassment_at_least_two_occasions(
    rules: CourseOfConductRules, gaps: list[int], runs: int
) -> None:
    found = [
        p
        for p in detect_course_of_conduct(occasions(date(2024, 1, 1), gaps), rules)
        if p.pattern_id == "harassment_stalking"
    ]
    assert len(found) == runs
    for pattern in found:
        assert pattern.occasions >= 2
        assert "s.7(3)" in pattern.source


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ([30], []),  # two occasions: below the coercive-control default of 3
        ([30, 30], [3]),
        ([90, 90], [3]),  # exactly 180 days first to last
        ([90, 91], []),
        ([30, 30, 30, 30, 300, 10, 10], [5, 3]),  # a long run merges; a later one is separate
    ],
)
def test_coercive_control_window(
    rules: CourseOfConductRules, gaps: list[int], expected: list[int]
) -> None:
    events = occasions(date(2024, 1, 1), gaps, ConductKind.MONITORING)
    found = [
        p for p in detect_course_of_conduct(events, rules) if p.pattern_id == "coercive_control"
    ]
    assert [p.occasions for p in found] == expected


def test_unrelated_kinds_and_unconfirmed_do_not_count(rules: CourseOfConductRules) -> None:
    events = occasions(date(2024, 1, 1), [5, 5], ConductKind.REPORT)
    assert detect_course_of_conduct(events, rules) == ()
    proposals = propose_events(
        {
            "doc": [
                DateMention(f"0{d}/01/2024", "message", d * 20, d * 20 + 10) for d in range(1, 5)
            ]
        },
        case_reference=CASE,
    ).events
    assert detect_course_of_conduct(proposals, rules) == ()
    confirmed = [confirm_event(p, kind=ConductKind.CONTACT) for p in proposals]
    assert detect_course_of_conduct(confirmed, rules)[0].occasions == 4


def test_pattern_across_cases_is_marked(rules: CourseOfConductRules) -> None:
    events = [
        ev("old", date(2024, 12, 1), ConductKind.CONTACT, case="XY-2024-0007"),
        ev("new", date(2025, 1, 5), ConductKind.FOLLOWING),
    ]
    (pattern,) = detect_course_of_conduct(events, rules, case_reference=CASE)
    assert pattern.includes_other_cases
    assert pattern.first == date(2024, 12, 1) and pattern.last == date(2025, 1, 5)
    assert "contact, following" in pattern.reason


@pytest.mark.parametrize(
    ("fear_days", "met"),
    [([], False), ([date(2025, 1, 1)], False), ([date(2025, 1, 1)] * 2, False)],
)
def test_fear_of_violence_needs_two_separate_occasions(
    rules: CourseOfConductRules, fear_days: list[date], met: bool
) -> None:
    events = [ev(f"f{i}", d, fear=True) for i, d in enumerate(fear_days)]
    events.append(ev("nofear", date(2025, 2, 1)))
    result = fear_of_violence_test(events, rules)
    assert result.met is met


def test_fear_of_violence_met(rules: CourseOfConductRules) -> None:
    events = [
        ev("f1", date(2025, 1, 1), fear=True),
        ev("f2", datetime(2025, 2, 1, 23, 30, tzinfo=LONDON), fear=True),
    ]
    result = fear_of_violence_test(events, rules)
    assert result.met
    assert result.occasions == (date(2025, 1, 1), date(2025, 2, 1))
    assert "s.76(4)(a)" in result.source


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("2025-03-10", date(2025, 3, 10), None),
        ("2025-03-10T21:40", date(2025, 3, 10), time(21, 40)),
        ("10/03/2025", date(2025, 3, 10), None),
        ("10.3.25", date(2025, 3, 10), None),
        ("10th March 2025 at 9.40pm", date(2025, 3, 10), time(21, 40)),
        ("Monday 10 Mar 2025 at 21:40", date(2025, 3, 10), time(21, 40)),
        ("10 of March, 2025", date(2025, 3, 10), None),
        ("March 10, 2025 12am", date(2025, 3, 10), time(0, 0)),
        ("10 Sept 2025 2140hrs", date(2025, 9, 10), time(21, 40)),
        ("10/03/2025 14 people", date(2025, 3, 10), None),
    ],
)
def test_parse_date_text(text: str, day: date, clock: time | None) -> None:
    assert parse_date_text(text) == (day, clock)


@pytest.mark.parametrize(
    ("text", "reason"), [("31/02/2025", "not a real date"), ("soon", "no date")]
)
def test_parse_date_text_refuses(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date_text(text)


def test_propose_events_attaches_nearby_people_and_places() -> None:
    text = "On 10/03/2025 at 21:40 John SMITH went to 4 Elm Road. Much later, on 2 April 2025."
    mentions = [
        DateMention("10/03/2025 at 21:40", text[:52], 3, 22),
        DateMention("2 April 2025", "on 2 April 2025", 70, 82),
    ]
    findings = [
        Finding(23, 33, Label.PERSON, "John SMITH", 0.9, "names", "name"),
        Finding(42, 53, Label.ADDRESS, "4 Elm Road", 0.9, "address", "street"),
        Finding(3, 13, Label.DATE_OF_BIRTH, "10/03/2025", 0.9, "dob", "ignored"),
        Finding(300, 310, Label.PERSON, "Far Away", 0.9, "names", "too far"),
    ]
    result = propose_events({"MG11-victim.pdf": [*mentions, *findings]}, case_reference=CASE)
    first, second = result.events
    assert first.when == datetime(2025, 3, 10, 21, 40, tzinfo=LONDON)
    assert first.people == ("John SMITH",) and first.place == "4 Elm Road"
    assert first.source is EventSource.DOCUMENT
    assert first.confirmation is Confirmation.PROPOSED
    assert (first.document, first.start, first.end) == ("MG11-victim.pdf", 3, 22)
    assert first.kind is ConductKind.OTHER and first.phase is None
    assert second.when == date(2025, 4, 2) and second.people == ()
    assert result.unparsed == ()


def test_propose_events_keeps_unparsed_and_dedupes() -> None:
    mention = DateMention("12/04/2025", "seen 12/04/2025", 5, 15)
    result = propose_events(
        {"a.txt": [mention, mention, DateMention("the next day", "the next day", 30, 42)]},
        case_reference=CASE,
    )
    assert len(result.events) == 1
    (unparsed,) = result.unparsed
    assert unparsed.document == "a.txt" and "no date" in unparsed.reason


def test_confirm_and_reject_only_awaiting() -> None:
    proposal = propose_events(
        {"d": [DateMention("1/1/2025", "x", 0, 8)]}, case_reference=CASE
    ).events[0]
    confirmed = confirm_event(
        proposal, kind=ConductKind.THREAT, phase=EventPhase.BEFORE, fear_of_violence=True
    )
    assert (
        confirmed.confirmed and confirmed.fear_of_violence and confirmed.phase is EventPhase.BEFORE
    )
    with pytest.raises(InvalidInput, match="not awaiting"):
        confirm_event(confirmed, kind=ConductKind.THREAT)
    with pytest.raises(InvalidInput, match="not awaiting"):
        reject_event(ev("manual", date(2025, 1, 1)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"when": datetime(2025, 1, 1, 10)}, "no time zone"),
        ({"case_reference": " "}, "case reference"),
        ({"confirmation": Confirmation.PROPOSED}, "needs no confirmation"),
        (
            {
                "source": EventSource.DOCUMENT,
                "confirmation": Confirmation.PROPOSED,
            },
            "names its document",
        ),
        (
            {
                "source": EventSource.DOCUMENT,
                "document": "d",
                "start": 3,
                "confirmation": Confirmation.PROPOSED,
            },
            "both offsets",
        ),
        (
            {
                "source": EventSource.DOCUMENT,
                "document": "d",
                "start": 5,
                "end": 5,
                "confirmation": Confirmation.PROPOSED,
            },
            "bad offsets",
        ),
        ({"id": ""}, "id is required"),
    ],
)
def test_bad_events(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "id": "e1",
        "when": date(2025, 1, 1),
        "kind": ConductKind.THREAT,
        "description": "x",
        "case_reference": CASE,
    }
    with pytest.raises(InvalidInput, match=message):
        TimelineEvent(**(base | kwargs))  # type: ignore[arg-type]
