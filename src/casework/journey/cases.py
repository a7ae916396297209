"""Case services: open a case, add people and offences, record events, move it on, read it.

Every function is keyword-only and takes its storage as ``store`` (a ``CaseStore`` unit of
work); the caller commits by leaving the ``with`` block. Errors are ``casework.errors``:
``InvalidInput`` for bad values, ``NotFound`` for an unknown case or person, ``Conflict``
for a move the rules refuse or a change that clashes with another user's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, ValidationError

from casework.domain.case_deadlines import CaseDeadline
from casework.domain.cases import (
    Case,
    CaseOffence,
    CaseParty,
    CaseQuery,
    CaseReference,
    CaseSummary,
    NewCase,
    OffenceDetails,
    Role,
    new_case_id,
)
from casework.domain.pole import (
    Confirmation,
    Event,
    EventDetails,
    EventSource,
    Person,
    PersonDetails,
    name_key,
)
from casework.domain.repositories import CaseStore, ConcurrentChange
from casework.domain.rules.victims_code import london_date
from casework.domain.stages import (
    TRANSITIONS,
    Agency,
    Stage,
    StageChange,
    StageRuleError,
    check_transition,
    default_decider,
)
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.deadlines import refresh_deadlines
from casework.journey.rules import find_offence

ModelT = TypeVar("ModelT", bound=BaseModel)

OPENED_REASON = "case opened"


class CaseFile(BaseModel):
    """Everything shown about one case: the case, its timeline and its deadlines."""

    model_config = ConfigDict(frozen=True)

    case: Case
    events: tuple[Event, ...]
    deadlines: tuple[CaseDeadline, ...]


def validated(model: type[ModelT], **data: Any) -> ModelT:
    """Build ``model`` from ``data``; a bad field becomes ``InvalidInput`` naming the field.

    Faces call this instead of constructing request models themselves, so that every face
    reports a bad value the same way.
    """
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in error.errors()
        )
        raise InvalidInput(problems) from error


def parse_reference(reference: str | CaseReference) -> CaseReference:
    """Return ``reference`` as a ``CaseReference``; a malformed one is ``InvalidInput``."""
    if isinstance(reference, CaseReference):
        return reference
    try:
        return CaseReference.parse(reference)
    except ValueError as error:
        raise InvalidInput(str(error)) from error


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"time {moment.isoformat()} has no time zone")
    return moment


def _actor(actor: str) -> str:
    if not actor.strip():
        raise InvalidInput("say who is making the change (actor must not be blank)")
    return actor.strip()


def _load(store: CaseStore, reference: str | CaseReference) -> Case:
    ref = parse_reference(reference)
    case = store.cases.get(reference=ref)
    if case is None:
        raise NotFound(f"no case {ref}")
    return case


def _check_offence(offence: OffenceDetails, *, today: datetime) -> None:
    known = find_offence(offence.code)
    if offence.committed_on is None:
        return
    if offence.committed_on > london_date(today):
        raise InvalidInput(
            f"offence {offence.code}: date {offence.committed_on.isoformat()} is in the future"
        )
    if not known.in_force_on(offence.committed_on):
        raise InvalidInput(
            f"offence {offence.code} ({known.citation}) was not in force on "
            f"{offence.committed_on.isoformat()}"
        )


def _resolve_person(
    store: CaseStore, *, force: str, role: Role, details: PersonDetails, now: datetime
) -> Person:
    """Return the existing person these details identify, or record a new one.

    A person exists once. Members of the public are matched only on name AND date of
    birth (two John Smiths must never merge); staff (officers, prosecutors, IDVAs) are
    matched on name alone among people who already hold a professional role in the force.
    A match must be unique; otherwise a new person is recorded.
    """
    key = name_key(details.full_name)
    matches: list[Person] = []
    if details.date_of_birth is not None:
        matches = store.persons.find(force=force, name_key=key, date_of_birth=details.date_of_birth)
    elif role.is_professional:
        matches = [
            p
            for p in store.persons.find(force=force, name_key=key, date_of_birth=None)
            if any(r.is_professional for _, r in store.persons.cases_of(person_id=p.id))
        ]
    if len(matches) == 1:
        return matches[0]
    person = Person(
        force=force,
        given_names=details.given_names,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        created_at=now,
    )
    store.persons.add(person=person)
    return person


def open_case(*, store: CaseStore, new: NewCase, actor: str, now: datetime | None = None) -> Case:
    """Open a case at ``reported`` with its offences and parties; return it with its reference.

    The reference takes the force's next number for the year the case is opened.
    """
    moment = _now(now)
    who = _actor(actor)
    if new.reported_on > london_date(moment):
        raise InvalidInput(f"reported date {new.reported_on.isoformat()} is in the future")
    codes = [o.code for o in new.offences]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InvalidInput(f"offence given more than once: {', '.join(repeated)}")
    for offence in new.offences:
        _check_offence(offence, today=moment)
    reference = store.cases.next_reference(force=new.force, year=london_date(moment).year)
    parties: list[CaseParty] = []
    for role, details in new.parties:
        person = _resolve_person(store, force=new.force, role=role, details=details, now=moment)
        if any(p.person.id == person.id and p.role is role for p in parties):
            raise InvalidInput(f"{details.full_name} is given twice as {role.words}")
        parties.append(CaseParty(person=person, role=role, added_by=who, added_at=moment))
    case = Case(
        id=new_case_id(),
        reference=reference,
        force=new.force,
        reported_on=new.reported_on,
        opened_at=moment,
        domestic_abuse=new.domestic_abuse,
        restricted=new.restricted,
        enhanced_rights=new.enhanced_rights or new.domestic_abuse,
        stage=Stage.REPORTED,
        offences=tuple(
            CaseOffence(
                code=o.code, committed_on=o.committed_on, recorded_by=who, recorded_at=moment
            )
            for o in new.offences
        ),
        parties=tuple(parties),
        history=(
            StageChange(
                source=None,
                target=Stage.REPORTED,
                decided_by=Agency.POLICE,
                actor=who,
                reason=OPENED_REASON,
                at=moment,
            ),
        ),
    )
    try:
        store.cases.add(case=case)
    except ConcurrentChange as error:
        raise Conflict(str(error)) from error
    refresh_deadlines(store=store, case=case)
    return case


def add_party(
    *,
    store: CaseStore,
    reference: str | CaseReference,
    role: Role,
    person: PersonDetails | UUID,
    actor: str,
    now: datetime | None = None,
) -> Case:
    """Link a person to the case in ``role``: an existing one by id, or from details."""
    moment = _now(now)
    who = _actor(actor)
    case = _load(store, reference)
    if isinstance(person, UUID):
        found = store.persons.get(person_id=person)
        if found is None:
            raise NotFound(f"no person {person}")
    else:
        found = _resolve_person(store, force=case.force, role=role, details=person, now=moment)
    if case.has_party(found.id, role):
        raise Conflict(f"{found.full_name} is already {role.words} in case {case.reference}")
    try:
        store.cases.add_party(
            case=case, person_id=found.id, role=role, added_by=who, added_at=moment
        )
    except ConcurrentChange as error:
        raise Conflict(str(error)) from error
    return _load(store, case.reference)


def record_offence(
    *,
    store: CaseStore,
    reference: str | CaseReference,
    offence: OffenceDetails,
    actor: str,
    now: datetime | None = None,
) -> Case:
    """Add an offence from the catalogue to the case and rework its deadlines."""
    moment = _now(now)
    who = _actor(actor)
    case = _load(store, reference)
    _check_offence(offence, today=moment)
    if case.stage.is_outcome:
        raise Conflict(f"case {case.reference} has an outcome ({case.stage.words})")
    if any(
        o.code == offence.code and o.committed_on == offence.committed_on for o in case.offences
    ):
        raise Conflict(f"case {case.reference} already has {offence.code} on that date")
    store.cases.add_offence(
        case=case,
        offence=CaseOffence(
            code=offence.code,
            committed_on=offence.committed_on,
            recorded_by=who,
            recorded_at=moment,
        ),
    )
    updated = _load(store, case.reference)
    refresh_deadlines(store=store, case=updated)
    return updated


def advance(
    *,
    store: CaseStore,
    reference: str | CaseReference,
    to: Stage,
    reason: str,
    actor: str,
    decided_by: Agency | None = None,
    now: datetime | None = None,
) -> Case:
    """Move the case to stage ``to``, recording who decided, who recorded it, when and why.

    ``decided_by`` may be left out when only one agency makes that decision (the CPS for
    with_cps -> charged). Only moves in ``domain.stages.TRANSITIONS`` happen; a
    domestic-abuse case is charged only on a CPS decision.
    """
    moment = _now(now)
    who = _actor(actor)
    if not reason.strip():
        raise InvalidInput("give the reason for the change")
    case = _load(store, reference)
    if to is case.stage:
        raise Conflict(f"case {case.reference} is already at {to.value}")
    decider = decided_by or default_decider(case.stage, to)
    try:
        check_transition(
            current=case.stage,
            target=to,
            decided_by=decider or Agency.POLICE,
            domestic_abuse=case.domestic_abuse,
        )
    except StageRuleError as error:
        raise Conflict(f"case {case.reference}: {error}") from error
    if decider is None:
        choices = " or ".join(sorted(a.value for a in TRANSITIONS[(case.stage, to)].deciders))
        raise InvalidInput(
            f"case {case.reference}: say which agency decided {case.stage.value} -> "
            f"{to.value} ({choices})"
        )
    change = StageChange(
        source=case.stage,
        target=to,
        decided_by=decider,
        actor=who,
        reason=reason.strip(),
        at=moment,
    )
    try:
        store.cases.record_stage_change(case=case, change=change)
    except ConcurrentChange as error:
        raise Conflict(str(error)) from error
    updated = _load(store, case.reference)
    refresh_deadlines(store=store, case=updated)
    return updated


def record_event(
    *,
    store: CaseStore,
    reference: str | CaseReference,
    details: EventDetails,
    actor: str,
    now: datetime | None = None,
) -> Event:
    """Add an event to the case timeline and rework the deadlines it may start or meet.

    Events entered by hand are confirmed at once; events proposed from a document wait for
    an investigator to confirm them (``confirm_event``) before any rule acts on them.
    """
    moment = _now(now)
    who = _actor(actor)
    case = _load(store, reference)
    for person_id in details.person_ids:
        if store.persons.get(person_id=person_id) is None:
            raise InvalidInput(f"event names person {person_id}, who is not recorded")
    for object_id in details.object_ids:
        if store.objects.get(object_id=object_id) is None:
            raise InvalidInput(f"event names object {object_id}, which is not recorded")
    if (
        details.location_id is not None
        and store.locations.get(location_id=details.location_id) is None
    ):
        raise InvalidInput(f"event names location {details.location_id}, which is not recorded")
    status = (
        Confirmation.CONFIRMED if details.source is EventSource.MANUAL else Confirmation.PROPOSED
    )
    event = Event(
        **details.model_dump(),
        case_id=case.id,
        force=case.force,
        status=status,
        recorded_by=who,
        recorded_at=moment,
    )
    store.events.add(event=event)
    refresh_deadlines(store=store, case=case)
    return event


def confirm_event(
    *,
    store: CaseStore,
    reference: str | CaseReference,
    event_id: UUID,
    status: Confirmation,
) -> Event:
    """Confirm (or reject) an event proposed from a document, and rework the deadlines."""
    case = _load(store, reference)
    event = store.events.get(event_id=event_id)
    if event is None or event.case_id != case.id:
        raise NotFound(f"no event {event_id} in case {case.reference}")
    store.events.set_status(event_id=event_id, status=status)
    refresh_deadlines(store=store, case=case)
    return event.model_copy(update={"status": status})


def get_case(*, store: CaseStore, reference: str | CaseReference) -> CaseFile:
    """Return the case with its timeline and its stored deadlines."""
    case = _load(store, reference)
    return CaseFile(
        case=case,
        events=tuple(store.events.for_case(case_id=case.id)),
        deadlines=tuple(store.deadlines.for_case(case_id=case.id)),
    )


def list_cases(*, store: CaseStore, query: CaseQuery | None = None) -> list[CaseSummary]:
    """Return cases matching every filter of ``query``, newest first."""
    wanted = query or CaseQuery()
    if wanted.offence is not None:
        find_offence(wanted.offence)
    if wanted.force is not None:
        wanted = wanted.model_copy(update={"force": wanted.force.upper()})
    return store.cases.search(query=wanted)
