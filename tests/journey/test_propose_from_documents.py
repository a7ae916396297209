"""Events proposed from a synthetic statement: dates, people and places, awaiting confirmation."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from casework.detection.engine import DetectionEngine
from casework.domain.findings import Finding
from casework.domain.pole import Confirmation, EventSource
from casework.domain.timeline import ConductKind, DateMention
from casework.errors import NotFound
from casework.journey.cases import open_case
from casework.journey.proposals import dates_with_findings, propose_from_documents
from casework.journey.timeline import confirm_conduct, suspect_timeline
from casework.plugins import recognizer_registry
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.repositories import SqlCaseStore
from tests.db import NOW, make_new_case

LONDON = ZoneInfo("Europe/London")

STATEMENT = """WITNESS STATEMENT (MG11) of Jane SMITH, date of birth 03/04/1990.

On Saturday 14th February 2026 at about 21:30 Terry WILLIAMS came to my flat at
12 Acacia Avenue, Leeds LS6 2AB and shouted that he would burn it down.
At 11pm on 20/02/2026 he grabbed my throat in the kitchen, as my sister Mary JONES saw.
Later on 21 Feb 2026 he sent me forty text messages. On 31/02/2026 I do not remember.
"""


@cache
def _engine() -> DetectionEngine:
    return DetectionEngine(recognizer_registry())


def _detect(text: str) -> list[Finding]:
    return _engine().detect(text)


@pytest.fixture
def journey(store: SqlCaseStore) -> SqlJourneyStore:
    return SqlJourneyStore(store.session)


def _open(store: SqlJourneyStore) -> str:
    return str(open_case(store=store, new=make_new_case(), actor="DC Khan", now=NOW).reference)


def test_a_date_of_birth_is_no_event_but_the_date_after_it_is() -> None:
    # The engine calls both dates DATE_OF_BIRTH (its context window takes in "DOB").
    items = dates_with_findings("Jane SMITH, DOB 03/04/1990, seen 14/02/2026.", _detect)
    assert [i.text for i in items if isinstance(i, DateMention)] == ["14/02/2026"]
    assert next(i.text for i in items if isinstance(i, Finding)) == "Jane SMITH"


def test_statement_proposes_events_with_people_and_places(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    result = propose_from_documents(
        store=journey,
        reference=ref,
        texts={"MG11-jane.txt": STATEMENT},
        detect=_detect,
        actor="investigator",
        now=NOW,
    )
    assert result.dates_found == 4  # the date of birth is not one of them
    assert [u.mention.text for u in result.unparsed] == ["31/02/2026"]
    by_day = {e.occurred_at.astimezone(LONDON).date().isoformat(): e for e in result.events}
    assert sorted(by_day) == ["2026-02-14", "2026-02-20", "2026-02-21"]
    first = by_day["2026-02-14"]
    assert first.occurred_at == datetime(2026, 2, 14, 21, 30, tzinfo=LONDON)
    assert first.status is Confirmation.PROPOSED and first.source is EventSource.DOCUMENT
    assert first.source_document == "MG11-jane.txt"
    assert first.description == (
        "On Saturday 14th February 2026 at about 21:30 Terry WILLIAMS came to my flat at "
        "12 Acacia Avenue, Leeds LS6 2AB and shouted that he would burn it down. "
        "(Jane SMITH, Terry WILLIAMS; 12 Acacia Avenue, Leeds LS6 2AB)"
    )
    assert by_day["2026-02-20"].occurred_at == datetime(2026, 2, 20, 23, 0, tzinfo=LONDON)
    assert "Mary JONES" in by_day["2026-02-20"].description
    again = propose_from_documents(
        store=journey,
        reference=ref,
        texts={"MG11-jane.txt": STATEMENT},
        detect=_detect,
        actor="investigator",
        now=NOW,
    )
    assert again.events == () and again.dates_found == 4


def test_proposals_wait_then_count_once_confirmed(journey: SqlJourneyStore) -> None:
    ref = _open(journey)
    result = propose_from_documents(
        store=journey, reference=ref, texts={"s.txt": STATEMENT}, detect=_detect, actor="x", now=NOW
    )
    waiting = [
        e
        for e in suspect_timeline(store=journey, reference=ref).timeline.entries
        if e.awaiting_confirmation
    ]
    assert len(waiting) == 3
    confirm_conduct(
        store=journey, reference=ref, event_id=result.events[0].id, kind=ConductKind.THREAT
    )
    entries = suspect_timeline(store=journey, reference=ref).timeline.entries
    assert sum(e.awaiting_confirmation for e in entries) == 2


def test_no_case_no_proposals(journey: SqlJourneyStore) -> None:
    with pytest.raises(NotFound):
        propose_from_documents(
            store=journey,
            reference="WY-2026-999999",
            texts={"s.txt": STATEMENT},
            detect=_detect,
            actor="x",
            now=NOW,
        )
