"""Load the planned demo cases through the case services, once: ``casework demo``.

Every case is replayed through ``journey.cases`` (open, add a party, record an event with
its phones, vehicles and place, advance) with the dates of the plan, so the stage rules,
the DA-to-CPS rule and the deadline rules all run on demo data as on real data. One unit of
work per case: a load cut short keeps the cases finished so far, and the next run adds the
rest.

A demo case is recognised by its victim: a synthetic person (family name ending ``-Demo``)
with a date of birth, unique to that case of that seed, and matched the way ``open_case``
matches members of the public. A case whose victim is already recorded as a victim is
skipped, so running the load twice adds nothing, on any day.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from casework.domain.cases import Case, CaseReference, Role
from casework.domain.journey_repositories import JourneyStore
from casework.domain.pole import (
    EventDetails,
    Identifier,
    Location,
    ObjectKind,
    PoleObject,
    name_key,
)
from casework.journey import cases as case_service
from casework.journey import victim as victim_service
from casework.journey.demo_cases import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    Happening,
    Joins,
    Move,
    PlannedCase,
    Refers,
    plan_demo_cases,
)

logger = logging.getLogger(__name__)

OpenStore = Callable[[], AbstractContextManager[JourneyStore]]
"""Opens one unit of work (``SqlJourneyStore.open(engine)`` in production)."""
Progress = Callable[[int, int], None]
"""Told (cases done, cases planned) after each case."""


@dataclass(slots=True)
class DemoLoadReport:
    """What a load did: cases added and skipped, and how the added ones stand."""

    planned: int
    added: int = 0
    skipped: int = 0
    seconds: float = 0.0
    withdrawals: int = 0
    events: int = 0
    objects: int = 0
    """Phones and vehicles recorded on events of the cases added."""
    places: int = 0
    """Addresses recorded on events of the cases added."""
    by_force: Counter[str] = field(default_factory=Counter)
    by_stage: Counter[str] = field(default_factory=Counter)
    added_references: list[CaseReference] = field(default_factory=list)
    all_references: list[CaseReference] = field(default_factory=list)
    """Every planned case's reference, whether added now or loaded before, in plan order."""


def _loaded_as(store: JourneyStore, planned: PlannedCase) -> CaseReference | None:
    """The reference of the case already loaded for ``planned``, found by its victim."""
    victim = planned.victim
    for person in store.persons.find(
        force=planned.new.force,
        name_key=name_key(victim.full_name),
        date_of_birth=victim.date_of_birth,
    ):
        for reference, role in store.persons.cases_of(person_id=person.id):
            if role is Role.VICTIM:
                return reference
    return None


def _person_ids(case: Case) -> dict[Role, UUID]:
    ids: dict[Role, UUID] = {}
    for party in case.parties:
        ids.setdefault(party.role, party.person.id)
    return ids


def _record_pole(
    store: JourneyStore, force: str, action: Happening
) -> tuple[tuple[UUID, ...], UUID | None]:
    """Record the event's phones, vehicles and place as written, in the case's force.

    One object per mention, as an officer enters it on the event; entity resolution (not
    the loader) decides that "07700 900777" and "+447700900777" are the same phone.
    """
    items = [
        PoleObject(
            force=force,
            kind=ObjectKind.PHONE,
            description="Mobile phone",
            identifiers=(Identifier(scheme="PHONE", value=number),),
        )
        for number in action.phones
    ] + [
        PoleObject(
            force=force,
            kind=ObjectKind.VEHICLE,
            description="Car",
            identifiers=(Identifier(scheme="VRM", value=mark),),
        )
        for mark in action.vehicles
    ]
    for item in items:
        store.objects.add(item=item)
    location_id = None
    if action.place is not None:
        place = Location(
            force=force, description=action.place.description, postcode=action.place.postcode
        )
        store.locations.add(location=place)
        location_id = place.id
    return tuple(i.id for i in items), location_id


def _replay(store: JourneyStore, planned: PlannedCase, *, report: DemoLoadReport) -> Case:
    case = case_service.open_case(
        store=store, new=planned.new, actor=planned.opened_by, now=planned.opened_at
    )
    reference = case.reference
    ids = _person_ids(case)
    for step in planned.steps:
        action = step.action
        moment = max(step.at, planned.opened_at)
        if isinstance(action, Move):
            case = case_service.advance(
                store=store,
                reference=reference,
                to=action.to,
                reason=action.reason,
                actor=action.actor,
                decided_by=action.decided_by,
                now=moment,
            )
        elif isinstance(action, Happening):
            object_ids, location_id = _record_pole(store, case.force, action)
            case_service.record_event(
                store=store,
                reference=reference,
                details=EventDetails(
                    kind=action.kind,
                    description=action.description,
                    occurred_at=step.at,
                    phase=action.phase,
                    person_ids=tuple(ids[r] for r in action.who if r in ids),
                    object_ids=object_ids,
                    location_id=location_id,
                ),
                actor=action.actor,
                now=moment,
            )
            report.events += 1
            report.objects += len(object_ids)
            report.places += location_id is not None
        elif isinstance(action, Joins):
            case = case_service.add_party(
                store=store,
                reference=reference,
                role=action.role,
                person=action.person,
                actor=action.actor,
                now=moment,
            )
            ids = _person_ids(case)
        elif isinstance(action, Refers):
            victim_service.refer(
                store=store,
                reference=reference,
                kind=action.kind,
                actor=action.actor,
                notes=action.notes,
                now=moment,
            )
        else:
            victim_service.withdraw_support(
                store=store,
                reference=reference,
                reasons=action.reasons,
                actor=action.actor,
                details=action.details,
                now=moment,
            )
            report.withdrawals += 1
    return case


def load_demo_cases(
    *,
    open_store: OpenStore,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> DemoLoadReport:
    """Load ``count`` demo cases of ``seed`` that are not loaded yet; report what was done."""
    began = time.perf_counter()
    moment = now or datetime.now(UTC)
    plans = plan_demo_cases(now=moment, count=count, seed=seed)
    report = DemoLoadReport(planned=len(plans))
    with open_store() as store:
        loaded = {p.number: _loaded_as(store, p) for p in plans}
    for done, planned in enumerate(plans, start=1):
        reference = loaded[planned.number]
        if reference is not None:
            report.skipped += 1
        else:
            with open_store() as store:
                case = _replay(store, planned, report=report)
            reference = case.reference
            report.added += 1
            report.by_force[case.force] += 1
            report.by_stage[case.stage.value] += 1
            report.added_references.append(reference)
        report.all_references.append(reference)
        if progress is not None:
            progress(done, len(plans))
    report.seconds = time.perf_counter() - began
    logger.info("demo: %d cases added, %d already there", report.added, report.skipped)
    return report
