"""Synthetic dog-unit demo data for ``casework demo``, with planted breaches of the Standard.

Two forces' units (WY, GMP): handlers, dogs in every status, licences, daily and vet
checks, training, deployments (one with a bite), a visitor report and a safety incident,
all dated back from ``today`` and recorded through the register's services so that their
checks run on demo data as on real data. Five planted breaches (``PLANTED``) are what
``casework dogs compliance`` must find, no more. A dog already on the register (same force
and microchip) is skipped, so a second load adds nothing. Everyone here is made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from casework.registers import service
from casework.registers.dogs import (
    DeploymentOutcome,
    DogRole,
    DogSex,
    DogSource,
    Qualification,
    RetirementDecision,
    WelfareKind,
)
from casework.registers.ports import DogRegisterStore, RecordKind
from casework.registers.rules import RuleId, add_years
from casework.store.dog_models import SqlDogStore
from casework.store.engine import session_factory

LONDON = ZoneInfo("Europe/London")
ACTOR = "casework demo"
CHECK_DAYS = 14
"""Daily checks are recorded for this many days back (the rule looks back 7)."""

R = DogRole

HANDLERS: tuple[tuple[str, str, str, tuple[DogRole, ...]], ...] = (
    ("WY", "4101", "PC Ellie MARSH", (R.GENERAL_PURPOSE, R.SEARCH_DRUGS)),
    ("WY", "4102", "PC Tom BRIGGS", (R.GENERAL_PURPOSE,)),
    ("WY", "4103", "PC Nadia QURESHI", (R.SEARCH_EXPLOSIVES, R.SEARCH_VICTIM_RECOVERY)),
    ("WY", "4104", "PC Owen PRICE", (R.FIREARMS_SUPPORT, R.GENERAL_PURPOSE)),
    ("WY", "4105", "PC Kay LINDLEY", (R.SEARCH_DRUGS, R.SEARCH_CASH)),
    ("GMP", "7201", "PC Ravi DESAI", (R.SEARCH_DRUGS,)),
)


@dataclass(frozen=True, slots=True)
class DemoDog:
    force: str
    name: str
    breed: str
    sex: DogSex
    age_days: int
    source: DogSource
    roles: tuple[DogRole, ...]
    handler: str
    chip: str
    licensed_days_ago: int | None
    """When its licences were assessed (None: still in training)."""
    missed_days: tuple[int, ...] = ()
    """Days back with no daily check (planted)."""
    reviewed_days_ago: int | None = None
    retired_days_ago: int | None = None
    deployments: tuple[tuple[int, DogRole, DeploymentOutcome, int, int, str], ...] = ()
    """(days ago, role, outcome, finds, arrests, incident)."""


YEAR = 365
DOGS: tuple[DemoDog, ...] = (
    DemoDog(
        "WY", "Bracken", "German Shepherd", DogSex.MALE, 5 * YEAR, DogSource.BREEDING,
        (R.GENERAL_PURPOSE,), "4101", "826098100000001", 100,
        deployments=(
            (3, R.GENERAL_PURPOSE, DeploymentOutcome.ARREST, 0, 1, "burglary in progress, LS6"),
            (10, R.GENERAL_PURPOSE, DeploymentOutcome.ARREST, 0, 1, "suspect made off, BD3"),
        ),
    ),
    DemoDog(
        "WY", "Juno", "English Springer Spaniel", DogSex.FEMALE, 4 * YEAR, DogSource.PROCUREMENT,
        (R.SEARCH_DRUGS, R.SEARCH_CASH), "4105", "826098100000002", 200,
        deployments=(
            (2, R.SEARCH_DRUGS, DeploymentOutcome.FIND_AND_ARREST, 2, 1, "warrant, HX1"),
            (12, R.SEARCH_CASH, DeploymentOutcome.FIND, 1, 0, "vehicle stop, M62"),
        ),
    ),
    DemoDog(
        "WY", "Rolo", "Belgian Malinois", DogSex.MALE, 6 * YEAR, DogSource.PROCUREMENT,
        (R.GENERAL_PURPOSE,), "4102", "826098100000003", 385,
        deployments=((5, R.GENERAL_PURPOSE, DeploymentOutcome.NOTHING_FOUND, 0, 0,
                      "area search after a robbery, WF1"),),
    ),
    DemoDog(
        "WY", "Maple", "Labrador Retriever", DogSex.FEMALE, 3 * YEAR, DogSource.BREEDING,
        (R.SEARCH_EXPLOSIVES,), "4103", "826098100000004", 60, missed_days=(3, 4),
    ),
    DemoDog(
        "WY", "Bramble", "German Shepherd", DogSex.FEMALE, 9 * YEAR + 10, DogSource.BREEDING,
        (R.FIREARMS_SUPPORT, R.GENERAL_PURPOSE), "4104", "826098100000005", 150,
    ),
    DemoDog(
        "WY", "Pepper", "Cocker Spaniel", DogSex.MALE, YEAR, DogSource.BREEDING,
        (R.SEARCH_DRUGS,), "4105", "826098100000006", None,
    ),
    DemoDog(
        "WY", "Tilly", "English Springer Spaniel", DogSex.FEMALE, 9 * YEAR, DogSource.PROCUREMENT,
        (R.SEARCH_VICTIM_RECOVERY,), "4103", "826098100000007", 30, reviewed_days_ago=60,
    ),
    DemoDog(
        "WY", "Shadow", "German Shepherd", DogSex.MALE, 11 * YEAR, DogSource.BREEDING,
        (R.GENERAL_PURPOSE,), "4102", "826098100000008", 600, retired_days_ago=200,
    ),
    DemoDog(
        "GMP", "Nell", "Labrador Retriever", DogSex.FEMALE, 5 * YEAR, DogSource.PROCUREMENT,
        (R.SEARCH_DRUGS,), "7201", "826098100000101", 400,
    ),
)  # fmt: skip

PLANTED: tuple[tuple[str, RuleId], ...] = (
    ("Nell", RuleId.LICENCE_OVERDUE),
    ("Rolo", RuleId.LICENCE_OVERDUE),
    ("Rolo", RuleId.UNLICENSED_DEPLOYMENT),
    ("Maple", RuleId.WELFARE_CHECK_MISSED),
    ("Bramble", RuleId.RETIREMENT_REVIEW_OVERDUE),
)
"""(dog, rule) of every breach planted in the demo data: exactly what compliance finds."""


@dataclass(slots=True)
class DemoDogsReport:
    added: list[str] = field(default_factory=list)
    skipped: int = 0
    handlers: int = 0


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 15), tzinfo=LONDON)


def _handlers(store: DogRegisterStore, now: datetime, today: date) -> int:
    added = 0
    for force, number, name, roles in HANDLERS:
        if store.rows(RecordKind.HANDLER, {"force": force, "number": number}):
            continue
        qualified = today - timedelta(days=3 * YEAR)
        service.add_handler(
            store,
            force=force,
            number=number,
            name=name,
            now=now,
            qualifications=[
                Qualification(role=r, qualified_on=qualified, course="initial course")
                for r in roles
            ],
        )
        added += 1
    return added


def _load_dog(store: DogRegisterStore, plan: DemoDog, *, now: datetime, today: date) -> str:
    handler_name = next(name for f, n, name, _ in HANDLERS if n == plan.handler)
    born = today - timedelta(days=plan.age_days)
    acquired = min(add_years(born, 1), today - timedelta(days=CHECK_DAYS + 30))
    dog = service.register_dog(
        store,
        force=plan.force,
        name=plan.name,
        breed=plan.breed,
        sex=plan.sex,
        born_on=born,
        microchip=plan.chip,
        source=plan.source,
        roles=plan.roles,
        acquired_on=acquired,
        handler_number=plan.handler,
        actor=ACTOR,
        now=now,
        today=today,
    )
    ref, scope = dog.reference, plan.force
    for days in (120, 90, 60, 30):
        on = today - timedelta(days=days)
        if on >= acquired:
            service.record_training(
                store, reference=ref, force=scope, on=on, hours=3.0,
                topic="continuation training", trainer="Sgt Lee FORD", today=today,
            )  # fmt: skip
    if plan.licensed_days_ago is not None:
        for role in plan.roles:
            service.record_licence(
                store, reference=ref, force=scope, role=role, passed=True,
                assessed_on=today - timedelta(days=plan.licensed_days_ago),
                assessor="Insp Jo HARGREAVES (licensing assessor)", today=today,
            )  # fmt: skip
    service.record_welfare(
        store, reference=ref, force=scope, on=max(today - timedelta(days=90), acquired),
        kind=WelfareKind.VET, by="Ms Ann VETTER MRCVS", today=today,
        notes="annual health check; vaccinations up to date",
    )  # fmt: skip
    for days in range(CHECK_DAYS, 0, -1):
        on = today - timedelta(days=days)
        if days in plan.missed_days or on < acquired:
            continue
        if plan.retired_days_ago is not None and days >= plan.retired_days_ago:
            continue
        service.record_welfare(
            store, reference=ref, force=scope, on=on, kind=WelfareKind.DAILY,
            by=handler_name, today=today,
        )  # fmt: skip
    for days, role, outcome, finds, arrests, incident in plan.deployments:
        bite = plan.name == "Bracken" and days == 10  # the one planted bite
        service.record_deployment(
            store, reference=ref, force=scope, at=_at(today - timedelta(days=days), 22),
            incident=incident, role=role, outcome=outcome, finds=finds, arrests=arrests,
            bite=bite, actor=ACTOR, now=now,
            injury="suspect: puncture wounds to the left forearm; treated at the scene by "
            "paramedics, then in custody" if bite else "",
        )  # fmt: skip
    if plan.reviewed_days_ago is not None:
        service.review_retirement(
            store, reference=ref, force=scope, on=today - timedelta(days=plan.reviewed_days_ago),
            decision=RetirementDecision.CONTINUE, today=today,
        )  # fmt: skip
    if plan.retired_days_ago is not None:
        on = today - timedelta(days=plan.retired_days_ago)
        service.retire(
            store, reference=ref, force=scope, on=on, today=today,
            reason="age and stiffness in the hips; the vet advised retirement",
            rehomed_with="his handler, PC Tom BRIGGS", rehomed_on=on,
        )  # fmt: skip
    return ref


def load_demo_dogs(store: DogRegisterStore, *, now: datetime, today: date) -> DemoDogsReport:
    """Add the demo handlers, dogs and unit records that are missing (in ``store``'s unit)."""
    report = DemoDogsReport(handlers=_handlers(store, now, today))
    for plan in DOGS:
        if store.rows(RecordKind.DOG, {"force": plan.force, "microchip": plan.chip}):
            report.skipped += 1
            continue
        report.added.append(_load_dog(store, plan, now=now, today=today))
    if report.added:
        service.record_visit(
            store, force="WY", visited_on=today - timedelta(days=40),
            visitor="Mrs Pat OKAFOR (independent visitor)", kennels="Carr Gate kennels",
            satisfactory=True, findings="kennels clean; water and bedding fresh", today=today,
        )  # fmt: skip
        service.record_incident(
            store, force="WY", on=today - timedelta(days=15), kind="training injury",
            description="handler's hand caught by the dog's teeth during bite-work training; "
            "first aid given", reported_by="PC Tom BRIGGS", injured=True, today=today,
        )  # fmt: skip
    return report


def load_demo_dog_unit(engine: Engine) -> DemoDogsReport:
    """Load the dog-unit demo data into the database behind ``engine``, in one transaction."""
    with session_factory(engine)() as session, session.begin():
        return load_demo_dogs(
            SqlDogStore(session), now=datetime.now(UTC), today=service.london_today()
        )
