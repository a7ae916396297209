"""Keep the dog register: verbs over a ``DogRegisterStore``, each checking what it is given.

``force`` is the scope of the caller: a dog, handler or record outside it is "not found",
exactly like one that does not exist; ``None`` (the trusted command line, national roles)
is every force. Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from casework.errors import Conflict, InvalidInput, NotFound
from casework.registers.compliance import (
    DogFinding,
    RegisterRecords,
    check_register,
    first_review_due,
    licence_expiry,
    next_review_due,
)
from casework.registers.dogs import (
    Deployment,
    DeploymentOutcome,
    Dog,
    DogFile,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Handler,
    HandlerSpell,
    Licence,
    Qualification,
    RetirementDecision,
    SafetyIncident,
    TrainingRecord,
    VisitorReport,
    WelfareCheck,
    WelfareKind,
    dog_reference,
    parse_dog_reference,
)
from casework.registers.ports import DogRegisterStore, RecordKind
from casework.registers.rules import RuleId, RuleSet, dog_rules

Record = TypeVar("Record", bound=BaseModel)
LONDON = ZoneInfo("Europe/London")
MICROCHIP_DIGITS = 15
"""ISO 11784 microchips carry a 15-digit code."""


def london_today(now: datetime | None = None) -> date:
    """The calendar day in England and Wales (the register's days are London days)."""
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def _values(record: BaseModel) -> dict[str, Any]:
    """A record as column values (enums as their values, lists and nested models as JSON)."""
    values = record.model_dump(mode="python")
    for name, value in values.items():
        if isinstance(value, tuple):
            values[name] = [getattr(v, "value", v) for v in value]
        elif hasattr(value, "value") and not isinstance(value, bool):
            values[name] = value.value
    if isinstance(record, Handler):
        values["qualifications"] = [q.model_dump(mode="json") for q in record.qualifications]
    return values


def _read(model: type[Record], rows: Sequence[object]) -> list[Record]:
    return [model.model_validate(row) for row in rows]


def _text(value: str, what: str, *, limit: int = 200, blank: bool = False) -> str:
    cleaned = value.strip()
    if not cleaned and not blank:
        raise InvalidInput(f"{what}: must not be blank")
    if len(cleaned) > limit:
        raise InvalidInput(f"{what}: longer than {limit} characters")
    return cleaned


EARLIEST = date(1900, 1, 1)
"""Days before this are typing mistakes (and would not survive time-zone arithmetic)."""


def _not_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise InvalidInput(f"{what}: {day.isoformat()} is in the future")
    if day < EARLIEST:
        raise InvalidInput(f"{what}: {day.isoformat()} is too long ago")


def _scope(where: dict[str, object], force: str | None) -> dict[str, object]:
    return {**where, "force": force} if force is not None else where


def _build(model: type[Record], what: str, **fields: object) -> Record:
    try:
        return model(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or what
        raise InvalidInput(f"{field}: {first['msg']}") from error


# Dogs -------------------------------------------------------------------------------------


def find_dog(store: DogRegisterStore, *, reference: str, force: str | None) -> Dog:
    """The dog with ``reference`` in scope, or ``NotFound`` (malformed: ``InvalidInput``)."""
    parsed = parse_dog_reference(reference)
    if parsed is None:
        raise InvalidInput(f"dog: {reference!r} is not a dog reference; expected e.g. WY-DOG-0001")
    key = dog_reference(*parsed)
    rows = store.rows(RecordKind.DOG, _scope({"reference": key}, force))
    if not rows:
        raise NotFound(f"no dog {key}")
    return Dog.model_validate(rows[0])


def list_dogs(
    store: DogRegisterStore, *, force: str | None, status: DogStatus | None = None
) -> list[Dog]:
    """Dogs in scope by reference (optionally of one status)."""
    where = _scope({"status": status.value} if status else {}, force)
    return sorted(_read(Dog, store.rows(RecordKind.DOG, where)), key=lambda d: d.reference)


def register_dog(
    store: DogRegisterStore,
    *,
    force: str,
    name: str,
    breed: str,
    sex: DogSex,
    born_on: date,
    microchip: str,
    source: DogSource,
    roles: Sequence[DogRole],
    acquired_on: date,
    actor: str,
    now: datetime,
    today: date,
    status: DogStatus = DogStatus.IN_TRAINING,
    handler_number: str | None = None,
    rules: RuleSet | None = None,
) -> Dog:
    """Put a dog on the register; its first retirement review is set by the rule set."""
    force = _text(force, "force", limit=4).upper()
    chip = microchip.strip().replace(" ", "")
    if not (chip.isdigit() and len(chip) == MICROCHIP_DIGITS):
        raise InvalidInput(f"microchip: {microchip!r} is not a {MICROCHIP_DIGITS}-digit code")
    if not roles:
        raise InvalidInput("roles: give at least one role")
    _not_future(born_on, today, "born_on")
    _not_future(acquired_on, today, "acquired_on")
    if acquired_on < born_on:
        raise InvalidInput("acquired_on: before the dog was born")
    if status is DogStatus.RETIRED:
        raise InvalidInput("status: a dog is retired with its own record (retire), not added so")
    if store.rows(RecordKind.DOG, {"force": force, "microchip": chip}):
        raise Conflict(f"microchip {chip} is already on the {force} register")
    if handler_number is not None:
        find_handler(store, number=handler_number, force=force)
    dog = _build(
        Dog,
        "dog",
        reference=dog_reference(force, store.next_dog_number(force)),
        force=force,
        name=_text(name, "name", limit=60),
        breed=_text(breed, "breed", limit=60),
        sex=sex,
        born_on=born_on,
        microchip=chip,
        source=source,
        roles=tuple(dict.fromkeys(roles)),
        status=status,
        acquired_on=acquired_on,
        handler_number=handler_number.strip() if handler_number else None,
        retirement_review_due_on=first_review_due(born_on, rules or dog_rules()),
        recorded_by=_text(actor, "actor"),
        recorded_at=now,
    )
    store.add(RecordKind.DOG, _values(dog))
    if dog.handler_number:
        spell = HandlerSpell(
            force=force, dog_id=dog.id, handler_number=dog.handler_number, from_on=acquired_on
        )
        store.add(RecordKind.HANDLER_SPELL, _values(spell))
    return dog


def dog_file(store: DogRegisterStore, *, reference: str, force: str | None) -> DogFile:
    """A dog with its handler history and every record about it."""
    dog = find_dog(store, reference=reference, force=force)
    where = {"dog_id": dog.id}
    return DogFile(
        dog=dog,
        handlers=tuple(_read(HandlerSpell, store.rows(RecordKind.HANDLER_SPELL, where))),
        licences=tuple(
            sorted(
                _read(Licence, store.rows(RecordKind.LICENCE, where)),
                key=lambda x: x.assessed_on,
                reverse=True,
            )
        ),
        training=tuple(
            sorted(
                _read(TrainingRecord, store.rows(RecordKind.TRAINING, where)),
                key=lambda x: x.on,
                reverse=True,
            )
        ),
        welfare=tuple(
            sorted(
                _read(WelfareCheck, store.rows(RecordKind.WELFARE, where)),
                key=lambda x: x.on,
                reverse=True,
            )
        ),
        deployments=tuple(
            sorted(
                _read(Deployment, store.rows(RecordKind.DEPLOYMENT, where)),
                key=lambda x: x.at,
                reverse=True,
            )
        ),
        incidents=tuple(
            sorted(
                _read(SafetyIncident, store.rows(RecordKind.INCIDENT, where)),
                key=lambda x: x.on,
                reverse=True,
            )
        ),
    )


def set_status(
    store: DogRegisterStore, *, reference: str, force: str | None, status: DogStatus
) -> Dog:
    """Suspend a dog, or put it back in training or licensed work (retirement has its verb)."""
    dog = find_dog(store, reference=reference, force=force)
    if status is DogStatus.RETIRED or dog.status is DogStatus.RETIRED:
        raise Conflict(f"{dog.reference}: retirement is recorded with retire, and is final")
    store.update(RecordKind.DOG, dog.id, {"status": status.value})
    return dog.model_copy(update={"status": status})


def review_retirement(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    on: date,
    decision: RetirementDecision,
    today: date,
    reason: str = "",
    next_review_on: date | None = None,
    rules: RuleSet | None = None,
) -> Dog:
    """Record a retirement review: the dog works on (next review set) or retires that day."""
    dog = find_dog(store, reference=reference, force=force)
    _not_future(on, today, "on")
    if decision is RetirementDecision.RETIRE:
        return retire(
            store, reference=dog.reference, force=force, on=on, reason=reason, today=today
        )
    due = next_review_on or next_review_due(on, rules or dog_rules())
    if due <= on:
        raise InvalidInput("next_review_on: must be after the review")
    store.update(RecordKind.DOG, dog.id, {"retirement_review_due_on": due})
    return dog.model_copy(update={"retirement_review_due_on": due})


def retire(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    on: date,
    reason: str,
    today: date,
    rehomed_with: str = "",
    rehomed_on: date | None = None,
) -> Dog:
    """Retire a dog (and say where it was rehomed); its handler spell ends that day."""
    dog = find_dog(store, reference=reference, force=force)
    if dog.status is DogStatus.RETIRED:
        raise Conflict(f"{dog.reference} retired on {dog.retired_on}")
    _not_future(on, today, "on")
    if on < dog.acquired_on:
        raise InvalidInput("on: before the dog joined the unit")
    if rehomed_on is not None and rehomed_on < on:
        raise InvalidInput("rehomed_on: before the retirement")
    changes: dict[str, object] = {
        "status": DogStatus.RETIRED.value,
        "retired_on": on,
        "retirement_reason": _text(reason, "reason", limit=2000),
        "rehomed_with": _text(rehomed_with, "rehomed_with", blank=True),
        "rehomed_on": rehomed_on,
        "handler_number": None,
    }
    store.update(RecordKind.DOG, dog.id, changes)
    _end_spell(store, dog, on)
    return dog.model_copy(update={**changes, "status": DogStatus.RETIRED})


# Handlers ---------------------------------------------------------------------------------


def find_handler(store: DogRegisterStore, *, number: str, force: str | None) -> Handler:
    rows = store.rows(RecordKind.HANDLER, _scope({"number": number.strip()}, force))
    if not rows:
        raise NotFound(f"no handler {number.strip()}")
    return Handler.model_validate(rows[0])


def list_handlers(store: DogRegisterStore, *, force: str | None) -> list[Handler]:
    rows = store.rows(RecordKind.HANDLER, _scope({}, force))
    return sorted(_read(Handler, rows), key=lambda h: (h.force, h.number))


def add_handler(
    store: DogRegisterStore,
    *,
    force: str,
    number: str,
    name: str,
    now: datetime,
    qualifications: Sequence[Qualification] = (),
) -> Handler:
    """Add a handler (staff number unique in the force) with their qualifications."""
    force = _text(force, "force", limit=4).upper()
    number = _text(number, "number", limit=20)
    if store.rows(RecordKind.HANDLER, {"force": force, "number": number}):
        raise Conflict(f"handler {number} is already on the {force} register")
    handler = _build(
        Handler,
        "handler",
        force=force,
        number=number,
        name=_text(name, "name"),
        qualifications=tuple(qualifications),
        recorded_at=now,
    )
    store.add(RecordKind.HANDLER, _values(handler))
    return handler


def _end_spell(store: DogRegisterStore, dog: Dog, on: date) -> None:
    for spell in _read(HandlerSpell, store.rows(RecordKind.HANDLER_SPELL, {"dog_id": dog.id})):
        if spell.to_on is None:
            store.update(RecordKind.HANDLER_SPELL, spell.id, {"to_on": on})


def assign_handler(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    handler_number: str,
    from_on: date,
    today: date,
) -> HandlerSpell:
    """Give the dog a new handler from a day; the previous handler's spell ends that day."""
    dog = find_dog(store, reference=reference, force=force)
    if dog.status is DogStatus.RETIRED:
        raise Conflict(f"{dog.reference} is retired")
    handler = find_handler(store, number=handler_number, force=dog.force)
    _not_future(from_on, today, "from_on")
    if from_on < dog.acquired_on:
        raise InvalidInput("from_on: before the dog joined the unit")
    _end_spell(store, dog, from_on)
    spell = HandlerSpell(
        force=dog.force, dog_id=dog.id, handler_number=handler.number, from_on=from_on
    )
    store.add(RecordKind.HANDLER_SPELL, _values(spell))
    store.update(RecordKind.DOG, dog.id, {"handler_number": handler.number})
    return spell


def _team_handler(store: DogRegisterStore, dog: Dog, given: str | None) -> str:
    number = given.strip() if given and given.strip() else dog.handler_number
    if not number:
        raise InvalidInput(f"handler: {dog.reference} has no handler; name one")
    return find_handler(store, number=number, force=dog.force).number


# Records about a dog ----------------------------------------------------------------------


def record_licence(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    role: DogRole,
    assessed_on: date,
    passed: bool,
    assessor: str,
    today: date,
    handler_number: str | None = None,
    expires_on: date | None = None,
    notes: str = "",
    rules: RuleSet | None = None,
) -> Licence:
    """Record a licensing assessment of the team; a pass puts a dog in training to work."""
    dog = find_dog(store, reference=reference, force=force)
    if role not in dog.roles:
        raise InvalidInput(f"role: {dog.reference} is not trained for {role.words}")
    _not_future(assessed_on, today, "assessed_on")
    expiry = expires_on or licence_expiry(assessed_on, rules or dog_rules())
    if expiry <= assessed_on:
        raise InvalidInput("expires_on: must be after the assessment")
    licence = Licence(
        force=dog.force,
        dog_id=dog.id,
        handler_number=_team_handler(store, dog, handler_number),
        role=role,
        assessed_on=assessed_on,
        expires_on=expiry,
        passed=passed,
        assessor=_text(assessor, "assessor"),
        notes=_text(notes, "notes", limit=4000, blank=True),
    )
    store.add(RecordKind.LICENCE, _values(licence))
    if passed and dog.status is DogStatus.IN_TRAINING:
        store.update(RecordKind.DOG, dog.id, {"status": DogStatus.LICENSED.value})
    return licence


def record_training(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    on: date,
    hours: float,
    topic: str,
    trainer: str,
    today: date,
    handler_number: str | None = None,
    notes: str = "",
) -> TrainingRecord:
    dog = find_dog(store, reference=reference, force=force)
    _not_future(on, today, "on")
    if not 0 < hours <= 24:
        raise InvalidInput("hours: between 0 and 24")
    record = TrainingRecord(
        force=dog.force,
        dog_id=dog.id,
        handler_number=(
            _team_handler(store, dog, handler_number)
            if handler_number or dog.handler_number
            else None
        ),
        on=on,
        hours=hours,
        topic=_text(topic, "topic"),
        trainer=_text(trainer, "trainer"),
        notes=_text(notes, "notes", limit=4000, blank=True),
    )
    store.add(RecordKind.TRAINING, _values(record))
    return record


def record_welfare(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    on: date,
    kind: WelfareKind,
    by: str,
    today: date,
    concern: bool = False,
    notes: str = "",
) -> WelfareCheck:
    """Record a daily, vet or kennel check; a concern needs notes saying what was wrong."""
    dog = find_dog(store, reference=reference, force=force)
    _not_future(on, today, "on")
    if on < dog.acquired_on:
        raise InvalidInput("on: before the dog joined the unit")
    if concern and not notes.strip():
        raise InvalidInput("notes: say what the concern is")
    check = WelfareCheck(
        force=dog.force,
        dog_id=dog.id,
        on=on,
        kind=kind,
        by=_text(by, "by"),
        concern=concern,
        notes=_text(notes, "notes", limit=4000, blank=True),
    )
    store.add(RecordKind.WELFARE, _values(check))
    return check


def record_deployment(
    store: DogRegisterStore,
    *,
    reference: str,
    force: str | None,
    at: datetime,
    incident: str,
    role: DogRole,
    outcome: DeploymentOutcome,
    actor: str,
    now: datetime,
    handler_number: str | None = None,
    finds: int = 0,
    arrests: int = 0,
    use_of_force: bool = False,
    bite: bool = False,
    injury: str = "",
    notes: str = "",
) -> Deployment:
    """Record a deployment as it happened, licensed or not (compliance flags an unlicensed one).

    A bite is a use of force, and needs the injury details.
    """
    dog = find_dog(store, reference=reference, force=force)
    if at.tzinfo is None:
        raise InvalidInput(f"at: {at.isoformat()} has no time zone")
    if at > now + timedelta(minutes=5):
        raise InvalidInput(f"at: {at.isoformat()} is in the future")
    if at.date() < EARLIEST:
        raise InvalidInput(f"at: {at.isoformat()} is too long ago")
    if dog.status is DogStatus.RETIRED:
        raise Conflict(f"{dog.reference} is retired and cannot be deployed")
    if role not in dog.roles:
        raise InvalidInput(f"role: {dog.reference} is not trained for {role.words}")
    if finds < 0 or arrests < 0:
        raise InvalidInput("finds: finds and arrests are counts (0 or more)")
    if bite and not injury.strip():
        raise InvalidInput("injury: a bite needs the injury details (who, what, treatment)")
    deployment = Deployment(
        force=dog.force,
        dog_id=dog.id,
        handler_number=_team_handler(store, dog, handler_number),
        at=at,
        incident=_text(incident, "incident"),
        role=role,
        outcome=outcome,
        finds=finds,
        arrests=arrests,
        use_of_force=use_of_force or bite,
        bite=bite,
        injury=_text(injury, "injury", limit=4000, blank=True),
        notes=_text(notes, "notes", limit=4000, blank=True),
        recorded_by=_text(actor, "actor"),
    )
    store.add(RecordKind.DEPLOYMENT, _values(deployment))
    return deployment


def record_incident(
    store: DogRegisterStore,
    *,
    force: str,
    on: date,
    kind: str,
    description: str,
    reported_by: str,
    today: date,
    dog_reference_: str | None = None,
    injured: bool = False,
) -> SafetyIncident:
    """Record a health and safety incident of the unit (about a dog or not)."""
    dog_id: UUID | None = None
    if dog_reference_:
        dog_id = find_dog(store, reference=dog_reference_, force=force).id
    _not_future(on, today, "on")
    incident = SafetyIncident(
        force=force.upper(),
        dog_id=dog_id,
        on=on,
        kind=_text(kind, "kind", limit=60),
        description=_text(description, "description", limit=4000),
        injured=injured,
        reported_by=_text(reported_by, "reported_by"),
    )
    store.add(RecordKind.INCIDENT, _values(incident))
    return incident


def record_visit(
    store: DogRegisterStore,
    *,
    force: str,
    visited_on: date,
    visitor: str,
    kennels: str,
    satisfactory: bool,
    today: date,
    findings: str = "",
) -> VisitorReport:
    """Record an independent visitor's report on the kennels; an unsatisfactory one says why."""
    _not_future(visited_on, today, "visited_on")
    if not satisfactory and not findings.strip():
        raise InvalidInput("findings: say what was not satisfactory")
    report = VisitorReport(
        force=force.upper(),
        visited_on=visited_on,
        visitor=_text(visitor, "visitor"),
        kennels=_text(kennels, "kennels"),
        satisfactory=satisfactory,
        findings=_text(findings, "findings", limit=8000, blank=True),
    )
    store.add(RecordKind.VISIT, _values(report))
    return report


def list_visits(store: DogRegisterStore, *, force: str | None) -> list[VisitorReport]:
    rows = store.rows(RecordKind.VISIT, _scope({}, force))
    return sorted(_read(VisitorReport, rows), key=lambda v: v.visited_on, reverse=True)


def list_incidents(store: DogRegisterStore, *, force: str | None) -> list[SafetyIncident]:
    rows = store.rows(RecordKind.INCIDENT, _scope({}, force))
    return sorted(_read(SafetyIncident, rows), key=lambda v: v.on, reverse=True)


# Compliance -------------------------------------------------------------------------------


def register_records(
    store: DogRegisterStore, *, force: str | None, welfare_since: date | None = None
) -> RegisterRecords:
    """The records a compliance check reads; welfare checks from ``welfare_since`` only."""
    where = _scope({}, force)
    since = ("on", welfare_since) if welfare_since else None
    return RegisterRecords(
        dogs=_read(Dog, store.rows(RecordKind.DOG, where)),
        licences=_read(Licence, store.rows(RecordKind.LICENCE, where)),
        welfare=_read(WelfareCheck, store.rows(RecordKind.WELFARE, where, since=since)),
        deployments=_read(Deployment, store.rows(RecordKind.DEPLOYMENT, where)),
    )


def compliance(
    store: DogRegisterStore, *, force: str | None, today: date, rules: RuleSet | None = None
) -> list[DogFinding]:
    """Every compliance finding of the register in scope on ``today``."""
    rules = rules or dog_rules()
    lookback = rules.rule(RuleId.WELFARE_CHECK_MISSED).setting("lookback_days")
    records = register_records(store, force=force, welfare_since=today - timedelta(days=lookback))
    return check_register(records, today=today, rules=rules)


def as_mapping(record: BaseModel) -> Mapping[str, Any]:
    """A record as JSON-ready data (for the faces)."""
    data: Mapping[str, Any] = record.model_dump(mode="json")
    return data
