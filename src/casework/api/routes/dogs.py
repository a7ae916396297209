"""``/api/dogs``: the police dog register of the caller's force, its compliance and figures.

The same operations as ``casework dogs``. Every route declares its action (``dog.read``,
``dog.manage``; the national figures ``metrics.read``), reads only the caller's force (a
dog of another force answers exactly like one that does not exist), writes its audit
entry (writes in the same unit of work) and calls a ``registers`` service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.writing import Recorder, RecorderDep, fields_of, naming
from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput, PermissionDenied
from casework.registers import service
from casework.registers.dashboard import unit_dashboard
from casework.registers.dogs import (
    DeploymentOutcome,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Qualification,
    RetirementDecision,
    WelfareKind,
)
from casework.registers.figures import Period, national_figures
from casework.registers.rules import dog_rules
from casework.security.audit import DetailValue
from casework.security.policy import ALL_FORCES, ForceResource, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.dog_models import SqlDogStore

router = APIRouter(prefix="/api/dogs", tags=["police dogs"])

_FORCE = re.compile(FORCE_CODE)
Day = Annotated[date | None, Field(default=None, description="Default: today (London).")]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Notes = Annotated[str, Field(default="", max_length=4000)]
Json = dict[str, Any]
Made = TypeVar("Made")


class DogIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=60)
    breed: str = Field(min_length=1, max_length=60)
    sex: DogSex
    born_on: date
    microchip: str = Field(min_length=1, max_length=20, description="15-digit ISO 11784 code.")
    source: DogSource
    roles: list[DogRole] = Field(min_length=1, max_length=9)
    acquired_on: Day = None
    handler_number: str | None = Field(default=None, max_length=20)


class HandlerIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    number: str = Field(min_length=1, max_length=20, description="Staff (collar) number.")
    name: Short
    qualifications: list[Qualification] = Field(default_factory=list, max_length=20)


class AssignIn(BaseModel):
    handler_number: str = Field(min_length=1, max_length=20)
    from_on: Day = None


class LicenceIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    role: DogRole
    passed: bool
    assessor: Short
    assessed_on: Day = None
    handler_number: str | None = Field(default=None, max_length=20)
    expires_on: date | None = Field(default=None, description="Default: from the rule set.")
    notes: Notes = ""


class TrainingIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    hours: float = Field(gt=0, le=24)
    topic: Short
    trainer: Short
    on: Day = None
    handler_number: str | None = Field(default=None, max_length=20)
    notes: Notes = ""


class WelfareIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: WelfareKind = WelfareKind.DAILY
    by: Short
    on: Day = None
    concern: bool = False
    notes: Notes = ""


class DeploymentIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    at: datetime = Field(description="When, with its time zone.")
    incident: Short
    role: DogRole
    outcome: DeploymentOutcome
    finds: int = Field(default=0, ge=0, le=10_000)
    arrests: int = Field(default=0, ge=0, le=10_000)
    use_of_force: bool = False
    bite: bool = False
    injury: Notes = ""
    handler_number: str | None = Field(default=None, max_length=20)
    notes: Notes = ""


class ReviewIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    decision: RetirementDecision
    on: Day = None
    next_review_on: date | None = None
    reason: Notes = ""


class RetirementIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)
    on: Day = None
    rehomed_with: str = Field(default="", max_length=200)
    rehomed_on: date | None = None


class StatusIn(BaseModel):
    status: DogStatus


class VisitIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    visitor: Short
    kennels: Short
    satisfactory: bool
    visited_on: Day = None
    findings: str = Field(default="", max_length=8000)


class IncidentIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: str = Field(min_length=1, max_length=60)
    description: str = Field(min_length=1, max_length=4000)
    reported_by: Short
    on: Day = None
    dog: str | None = Field(default=None, max_length=20, description="e.g. WY-DOG-0001.")
    injured: bool = False


def _register(store: SqlCaseStore) -> SqlDogStore:
    return SqlDogStore(store.session)


def _today() -> date:
    return service.london_today()


def _read(audit: AuditDep, principal: Principal, target: str, **detail: DetailValue) -> None:
    audit.separately(principal, action=Action.DOG_READ.value, target=target, detail=detail)


def _manage(
    write: Callable[..., Made],
    rec: Recorder,
    body: BaseModel,
    *,
    field: str,
    today_in: str | None = None,
    **more: Any,
) -> Made:
    """Call a register service on the caller's force with the request's fields.

    Bad input names ``field`` (unless its message names one). ``today_in`` is the day that
    is today when the request leaves it out; the service is then told today as well.
    """
    defaults: dict[str, object] = {}
    if today_in is not None:
        more["today"] = defaults[today_in] = _today()
    with naming(field):
        return write(
            _register(rec.store), force=rec.principal.force, **fields_of(body, **defaults), **more
        )


def _wrote(rec: Recorder, target: str, **detail: DetailValue) -> None:
    rec.wrote(Action.DOG_MANAGE, target=target, detail=detail)


@router.get("", **requires(Action.DOG_READ))
def list_dogs(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    status: DogStatus | None = None,
) -> list[Json]:
    """The dogs of your force's register, by reference."""
    dogs = service.list_dogs(_register(store), force=principal.force, status=status)
    _read(audit, principal, "dogs", count=len(dogs))
    return [d.model_dump(mode="json") for d in dogs]


@router.post("", status_code=201, **requires(Action.DOG_MANAGE))
def add_dog(body: DogIn, rec: RecorderDep) -> Json:
    """Put a dog on your force's register (in training); its reference is in the answer."""
    dog = _manage(
        service.register_dog,
        rec,
        body,
        field="dog",
        today_in="acquired_on",
        actor=rec.principal.username,
        now=datetime.now().astimezone(),
    )
    _wrote(rec, f"dog:{dog.reference}", name=dog.name)
    return dog.model_dump(mode="json")


@router.get("/compliance", **requires(Action.DOG_READ))
def compliance(principal: Authorized, store: SessionDep, audit: AuditDep) -> Json:
    """Every compliance finding of your force's register today, with the rule and its source."""
    today = _today()
    findings = service.compliance(_register(store), force=principal.force, today=today)
    _read(audit, principal, "dogs.compliance", count=len(findings))
    return {
        "rule_set": dog_rules().version,
        "on": today.isoformat(),
        "findings": [{**asdict(f), "rule": f.rule.value, "on": f.on.isoformat()} for f in findings],
    }


@router.get("/dashboard", **requires(Action.DOG_READ))
def dashboard(principal: Authorized, store: SessionDep, audit: AuditDep) -> Json:
    """Your unit at a glance: dogs by status and role, checks, expiring licences, findings."""
    board = unit_dashboard(_register(store), force=principal.force, today=_today())
    _read(audit, principal, "dogs.dashboard")
    return {
        "force": board.force,
        "on": board.today.isoformat(),
        "by_status": board.by_status,
        "by_role": board.by_role,
        "handlers": board.handlers,
        "checked_yesterday": board.checked_yesterday,
        "in_unit": board.in_unit,
        "expiring": [
            {"dog": e.dog_reference, "name": e.dog_name, **e.licence.model_dump(mode="json")}
            for e in board.expiring
        ],
        "findings_by_rule": board.findings_by_rule,
        "last_28_days": {
            k: str(v) if isinstance(v, date) else v for k, v in asdict(board.recent).items()
        },
    }


@router.get("/figures", **requires(Action.METRICS_READ))
def figures(
    principal: Authorized,
    audit: AuditDep,
    store: SessionDep,
    start: Annotated[date, Query(alias="from", description="First day.")],
    end: Annotated[date, Query(alias="to", description="Last day.")],
    period: Period = Period.MONTH,
    force: Annotated[
        str | None, Query(max_length=10, description="Default: all (national roles) or yours.")
    ] = None,
) -> list[Json]:
    """Dog deployments, finds and arrests per period by force, for national returns."""
    code = force.strip().upper() if force is not None else None
    if code is not None and not _FORCE.fullmatch(code):
        raise InvalidInput(f"force: {force!r} is not a force code (2 to 4 letters, e.g. WY)")
    if code is None and not can(principal, Action.METRICS_READ, ALL_FORCES):
        code = principal.force
    if code is not None and not can(principal, Action.METRICS_READ, ForceResource(code)):
        raise PermissionDenied(f"force: your role sees the figures of {principal.force} only")
    with naming("to"):
        rows = national_figures(_register(store), start=start, end=end, period=period, force=code)
    audit.separately(
        principal,
        action=Action.METRICS_READ.value,
        target="dogs.figures",
        detail={"force": code, "from": start.isoformat(), "to": end.isoformat()},
    )
    return [{**asdict(r), "start": r.start.isoformat(), "end": r.end.isoformat()} for r in rows]


@router.get("/handlers", **requires(Action.DOG_READ))
def handlers(principal: Authorized, store: SessionDep, audit: AuditDep) -> list[Json]:
    """Your force's dog handlers and their qualifications."""
    found = service.list_handlers(_register(store), force=principal.force)
    _read(audit, principal, "dogs.handlers", count=len(found))
    return [h.model_dump(mode="json") for h in found]


@router.post("/handlers", status_code=201, **requires(Action.DOG_MANAGE))
def add_handler(body: HandlerIn, rec: RecorderDep) -> Json:
    """Add a handler to your force's unit."""
    made = _manage(service.add_handler, rec, body, field="number", now=datetime.now().astimezone())
    _wrote(rec, f"dog-handler:{made.number}")
    return made.model_dump(mode="json")


@router.post("/visitor-reports", status_code=201, **requires(Action.DOG_MANAGE))
def add_visit(body: VisitIn, rec: RecorderDep) -> Json:
    """Record an independent visitor's report on your force's kennels."""
    made = _manage(service.record_visit, rec, body, field="findings", today_in="visited_on")
    _wrote(rec, "dogs.visitor-report")
    return made.model_dump(mode="json")


@router.post("/safety-incidents", status_code=201, **requires(Action.DOG_MANAGE))
def add_incident(body: IncidentIn, rec: RecorderDep) -> Json:
    """Record a health and safety incident of your force's unit."""
    today = _today()
    with naming("on"):  # the request's ``dog`` is the service's ``dog_reference_``
        made = service.record_incident(
            _register(rec.store),
            force=rec.principal.force,
            on=body.on or today,
            kind=body.kind,
            description=body.description,
            reported_by=body.reported_by,
            dog_reference_=body.dog,
            injured=body.injured,
            today=today,
        )
    _wrote(rec, "dogs.safety-incident", dog=body.dog)
    return made.model_dump(mode="json")


@router.get("/{dog}", **requires(Action.DOG_READ))
def dog_file(dog: str, principal: Authorized, store: SessionDep, audit: AuditDep) -> Json:
    """A dog with its handler history, licences, training, welfare checks and deployments."""
    with naming("dog"):
        file = service.dog_file(_register(store), reference=dog, force=principal.force)
    _read(audit, principal, f"dog:{file.dog.reference}")
    return file.model_dump(mode="json")


@router.post("/{dog}/handler", status_code=201, **requires(Action.DOG_MANAGE))
def assign(dog: str, body: AssignIn, rec: RecorderDep) -> Json:
    """Give the dog a new handler (the previous handler's time with it ends that day)."""
    made = _manage(
        service.assign_handler, rec, body, field="from_on", today_in="from_on", reference=dog
    )
    _wrote(rec, f"dog:{dog.upper()}", handler=made.handler_number)
    return made.model_dump(mode="json")


@router.post("/{dog}/licences", status_code=201, **requires(Action.DOG_MANAGE))
def licence(dog: str, body: LicenceIn, rec: RecorderDep) -> Json:
    """Record a licensing assessment of the team in a role (valid for the rule set's term)."""
    made = _manage(
        service.record_licence, rec, body, field="licence", today_in="assessed_on", reference=dog
    )
    _wrote(rec, f"dog:{dog.upper()}", licence=made.role.value)
    return made.model_dump(mode="json")


@router.post("/{dog}/training", status_code=201, **requires(Action.DOG_MANAGE))
def training(dog: str, body: TrainingIn, rec: RecorderDep) -> Json:
    """Record a training session."""
    made = _manage(service.record_training, rec, body, field="on", today_in="on", reference=dog)
    _wrote(rec, f"dog:{dog.upper()}", record="training")
    return made.model_dump(mode="json")


@router.post("/{dog}/welfare-checks", status_code=201, **requires(Action.DOG_MANAGE))
def welfare(dog: str, body: WelfareIn, rec: RecorderDep) -> Json:
    """Record a daily, vet or kennel welfare check (a concern says what was wrong)."""
    made = _manage(service.record_welfare, rec, body, field="on", today_in="on", reference=dog)
    _wrote(rec, f"dog:{dog.upper()}", welfare=made.kind.value)
    return made.model_dump(mode="json")


@router.post("/{dog}/deployments", status_code=201, **requires(Action.DOG_MANAGE))
def deployment(dog: str, body: DeploymentIn, rec: RecorderDep) -> Json:
    """Record a deployment: incident, outcome, finds, arrests, use of force, bite and injury."""
    made = _manage(
        service.record_deployment,
        rec,
        body,
        field="at",
        reference=dog,
        actor=rec.principal.username,
        now=datetime.now().astimezone(),
    )
    _wrote(rec, f"dog:{dog.upper()}", deployment=made.incident[:60])
    return made.model_dump(mode="json")


@router.post("/{dog}/retirement-review", status_code=201, **requires(Action.DOG_MANAGE))
def retirement_review(dog: str, body: ReviewIn, rec: RecorderDep) -> Json:
    """Record a retirement review: the dog works on (next review set) or retires."""
    made = _manage(service.review_retirement, rec, body, field="on", today_in="on", reference=dog)
    _wrote(rec, f"dog:{dog.upper()}", review=body.decision.value)
    return made.model_dump(mode="json")


@router.post("/{dog}/retirement", status_code=201, **requires(Action.DOG_MANAGE))
def retirement(dog: str, body: RetirementIn, rec: RecorderDep) -> Json:
    """Retire the dog and record where it was rehomed."""
    made = _manage(service.retire, rec, body, field="on", today_in="on", reference=dog)
    _wrote(rec, f"dog:{dog.upper()}", retired=str(made.retired_on))
    return made.model_dump(mode="json")


@router.post("/{dog}/status", **requires(Action.DOG_MANAGE))
def set_status(dog: str, body: StatusIn, rec: RecorderDep) -> Json:
    """Suspend the dog, or return it to training or licensed work."""
    made = _manage(service.set_status, rec, body, field="status", reference=dog)
    _wrote(rec, f"dog:{dog.upper()}", status=body.status.value)
    return made.model_dump(mode="json")
