"""The unit dashboard: the register at a glance for the dog unit manager of one force."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from casework.registers import service
from casework.registers.compliance import DogFinding
from casework.registers.dogs import DogStatus, Licence, VisitorReport, WelfareKind
from casework.registers.figures import ForceFigures, Period, unit_figures
from casework.registers.ports import DogRegisterStore
from casework.registers.rules import RuleId

EXPIRING_WITHIN = timedelta(days=30)
RECENT = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class ExpiringLicence:
    dog_reference: str
    dog_name: str
    licence: Licence


@dataclass(frozen=True, slots=True)
class UnitDashboard:
    force: str | None
    today: date
    by_status: dict[str, int]
    by_role: dict[str, int]
    handlers: int
    checked_yesterday: int
    """Dogs in the unit with a daily welfare check yesterday (of ``in_unit``)."""
    in_unit: int
    expiring: list[ExpiringLicence]
    findings: list[DogFinding]
    findings_by_rule: dict[str, int]
    recent: ForceFigures
    """The last 28 days' deployments, finds, arrests, force used and bites (all forces in scope)."""
    last_visit: VisitorReport | None


def unit_dashboard(store: DogRegisterStore, *, force: str | None, today: date) -> UnitDashboard:
    """Counts, licences expiring within 30 days, findings, and the last 28 days' work."""
    records = service.register_records(store, force=force, welfare_since=today - timedelta(days=1))
    dogs = {d.id: d for d in records.dogs}
    working = [d for d in records.dogs if d.status is not DogStatus.RETIRED]
    roles: Counter[str] = Counter(r.value for d in working for r in d.roles)
    yesterday = today - timedelta(days=1)
    checked = {
        c.dog_id for c in records.welfare if c.kind is WelfareKind.DAILY and c.on == yesterday
    }
    latest: dict[tuple[object, str], Licence] = {}
    for licence in records.licences:
        key = (licence.dog_id, licence.role.value)
        if licence.passed and (key not in latest or licence.expires_on > latest[key].expires_on):
            latest[key] = licence
    expiring = [
        ExpiringLicence(dogs[lic.dog_id].reference, dogs[lic.dog_id].name, lic)
        for lic in latest.values()
        if lic.dog_id in dogs
        and dogs[lic.dog_id].status is not DogStatus.RETIRED
        and today <= lic.expires_on <= today + EXPIRING_WITHIN
    ]
    findings = service.compliance(store, force=force, today=today)
    start = today - RECENT + timedelta(days=1)
    per_force = unit_figures(records.deployments, start=start, end=today, period=Period.MONTH)
    recent = ForceFigures(
        force=force or "all",
        start=start,
        end=today,
        deployments=sum(f.deployments for f in per_force),
        finds=sum(f.finds for f in per_force),
        arrests=sum(f.arrests for f in per_force),
        use_of_force=sum(f.use_of_force for f in per_force),
        bites=sum(f.bites for f in per_force),
    )
    visits = service.list_visits(store, force=force)
    by_rule = Counter(f.rule.value for f in findings)
    return UnitDashboard(
        force=force,
        today=today,
        by_status={s.value: sum(1 for d in records.dogs if d.status is s) for s in DogStatus},
        by_role=dict(sorted(roles.items())),
        handlers=len(service.list_handlers(store, force=force)),
        checked_yesterday=sum(1 for d in working if d.id in checked),
        in_unit=len(working),
        expiring=sorted(expiring, key=lambda e: e.licence.expires_on),
        findings=findings,
        findings_by_rule={r.value: by_rule.get(r.value, 0) for r in RuleId},
        recent=recent,
        last_visit=visits[0] if visits else None,
    )
