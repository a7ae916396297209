"""Suspect-timeline services over real storage (SQLite and PostgreSQL), each test rolled back."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from casework.domain.cases import Role
from casework.domain.pole import Confirmation, EventPhase
from casework.domain.timeline import ConductKind, DateMention
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import add_party, get_case, open_case
from casework.journey.timeline import (
    add_conduct,
    confirm_conduct,
    propose_conduct,
    reject_conduct,
    suspect_timeline,
)
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.repositories import SqlCaseStore
from tests.db import NOW, make_new_case

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def journey(store: SqlCaseStore) -> SqlJourneyStore:
    return SqlJourneyStore(store.session)


def _open(store: SqlJourneyStore, **overrides: object) -> str:
    new = make_new_case(**overrides)  # type: ignore[arg-type]
    return str(open_case(store=store, new=new, actor="DC Khan", now=NOW).reference)


def test_conduct_before_during_after_with_a_pattern(journey: SqlJourneyStore) -> None:
    ref = _open(journey)  # common assault on 2026-02-20
    for day, kind in (
        (date(2026, 1, 5), ConductKind.MONITORING),
        (date(2026, 1, 20), ConductKind.THREAT),
        (date(2026, 2, 1), ConductKind.ISOLATION),
    ):
        add_conduct(
            store=journey,
            reference=ref,
            kind=kind,
            when=day,
            description=f"{kind.value} of the victim",
            fear_of_violence=kind is ConductKind.THREAT,
            actor="DC Khan",
            now=NOW,
        )
    add_conduct(
        store=journey,
        reference=ref,
        kind=ConductKind.ASSAULT,
        when=datetime(2026, 2, 20, 21, 40, tzinfo=LONDON),
        description="punched her in the kitchen",
        fear_of_violence=True,
        actor="DC Khan",
        now=NOW,
    )
    add_conduct(
        store=journey,
        reference=ref,
        kind=ConductKind.CONTACT,
        when=date(2026, 2, 25),
        description="texts asking her to drop the case",
        phase=EventPhase.AFTER,
        actor="DC Khan",
        now=NOW,
    )
    result = suspect_timeline(store=journey, reference=ref)
    rows = [(e.phase, e.is_offence, e.label) for e in result.timeline.entries]
    assert rows[0] == (EventPhase.BEFORE, False, "monitoring of the victim")
    assert (EventPhase.DURING, True, "Offence (common_assault)") in rows
    assert rows[-1] == (EventPhase.AFTER, False, "texts asking her to drop the case")
    during = result.timeline.in_phase(EventPhase.DURING)
    assert [e.label for e in during] == ["punched her in the kitchen"]
    assert during[0].event is not None and during[0].event.people == ("Terry WILLIAMS",)
    assert result.timeline.entries[0].event is not None
    assert result.timeline.entries[0].event.when == date(2026, 1, 5)  # date only, as entered
    assert [p.pattern_id for p in result.patterns] == ["coercive_control", "harassment_stalking"]
    assert result.fear_of_violence.met
    assert result.suspects == ("Terry WILLIAMS",)
    assert result.other_cases == ()


def test_earlier_incidents_of_the_same_suspect_are_marked(journey: SqlJourneyStore) -> None:
    old = _open(
        journey,
        reported_on=date(2025, 6, 2),
        offences=(("criminal_damage", date(2025, 6, 1)),),
        victim="Ann OTHER",
    )
    suspect = get_case(store=journey, reference=old).case.people(Role.SUSPECT)[0]
    add_conduct(
        store=journey,
        reference=old,
        kind=ConductKind.FOLLOWING,
        when=date(2025, 12, 1),
        description="followed Ann home",
        actor="x",
        now=NOW,
    )
    new = open_case(
        store=journey,
        new=make_new_case(suspect="Unrelated NAME"),
        actor="x",
        now=NOW,
    ).reference
    add_party(store=journey, reference=new, role=Role.SUSPECT, person=suspect.id, actor="x")
    add_conduct(
        store=journey,
        reference=new,
        kind=ConductKind.TURNING_UP,
        when=date(2026, 1, 10),
        description="turned up at her work",
        actor="x",
        now=NOW,
    )
    result = suspect_timeline(store=journey, reference=new)
    assert result.other_cases == (old,)
    marked = [e for e in result.timeline.entries if e.other_case]
    assert [e.label for e in marked] == [
        f"[{old}] incident: criminal_damage; reported",
        f"[{old}] followed Ann home",
    ]
    assert all(e.phase is EventPhase.BEFORE for e in marked)
    (pattern,) = result.patterns
    assert pattern.pattern_id == "harassment_stalking" and pattern.includes_other_cases
    alone = suspect_timeline(store=journey, reference=new, include_other_cases=False)
    assert alone.other_cases == () and not alone.patterns
    hidden = suspect_timeline(store=journey, reference=new, may_see=lambda ref: False)
    assert hidden.other_cases == () and hidden.withheld == 1
    assert not any(e.other_case for e in hidden.timeline.entries)


def test_proposals_wait_for_confirmation(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    found = {
        "MG11-victim.txt": [
            DateMention("01/02/2026", "he smashed my phone on 01/02/2026", 23, 33),
            DateMention("the next day", "the next day", 50, 62),
        ]
    }
    (proposed,) = propose_conduct(store=journey, reference=ref, found=found, actor="x", now=NOW)
    assert proposed.status is Confirmation.PROPOSED
    assert propose_conduct(store=journey, reference=ref, found=found, actor="x", now=NOW) == []
    shown = suspect_timeline(store=journey, reference=ref)
    waiting = [e for e in shown.timeline.entries if e.awaiting_confirmation]
    assert len(waiting) == 1 and waiting[0].event is not None
    assert waiting[0].event.document == "MG11-victim.txt"
    assert (waiting[0].event.start, waiting[0].event.end) == (23, 33)
    confirmed = confirm_conduct(
        store=journey,
        reference=ref,
        event_id=proposed.id,
        kind=ConductKind.DAMAGE,
        phase=EventPhase.BEFORE,
        description="smashed her phone",
        fear_of_violence=True,
    )
    assert confirmed.status is Confirmation.CONFIRMED
    entry = next(
        e for e in suspect_timeline(store=journey, reference=ref).timeline.entries if e.event
    )
    assert entry.event is not None
    assert (entry.label, entry.event.kind, entry.event.fear_of_violence) == (
        "smashed her phone",
        ConductKind.DAMAGE,
        True,
    )
    assert not entry.awaiting_confirmation
    with pytest.raises(Conflict, match="not awaiting confirmation"):
        reject_conduct(store=journey, reference=ref, event_id=proposed.id)


def test_rejected_proposals_leave_the_timeline(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    found = {"notes.txt": [DateMention("03/02/2026", "03/02/2026", 0, 10)]}
    (proposed,) = propose_conduct(store=journey, reference=ref, found=found, actor="x", now=NOW)
    rejected = reject_conduct(store=journey, reference=ref, event_id=proposed.id)
    assert rejected.status is Confirmation.REJECTED
    entries = suspect_timeline(store=journey, reference=ref).timeline.entries
    assert [e.is_offence for e in entries] == [True]
    with pytest.raises(NotFound, match="no event"):
        confirm_conduct(store=journey, reference=ref, event_id=uuid4(), kind=ConductKind.THREAT)


def test_conduct_refused(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    with pytest.raises(InvalidInput, match="in the future"):
        add_conduct(
            store=journey,
            reference=ref,
            kind=ConductKind.THREAT,
            when=date(2026, 3, 10),
            description="x",
            actor="x",
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="description"):
        add_conduct(
            store=journey,
            reference=ref,
            kind=ConductKind.THREAT,
            when=date(2026, 3, 1),
            description=" ",
            actor="x",
            now=NOW,
        )
