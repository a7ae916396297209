"""Check the dog register against the rule set: one finding per breach, each saying why.

Pure: it takes the records (``RegisterRecords``) and the day, and returns findings that
name the rule, the rule set's version, the dog and the facts that broke the rule, so that
a unit manager can explain (or dispute) every one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from casework.registers.dogs import Deployment, Dog, DogStatus, Licence, WelfareCheck, WelfareKind
from casework.registers.rules import ComplianceRule, RuleId, RuleSet, add_months, add_years

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class RegisterRecords:
    """The records a compliance check reads (one force's, or every force's)."""

    dogs: Sequence[Dog]
    licences: Sequence[Licence]
    welfare: Sequence[WelfareCheck]
    deployments: Sequence[Deployment]


@dataclass(frozen=True, slots=True)
class DogFinding:
    """One breach of one rule by one dog (or one deployment)."""

    rule: RuleId
    title: str
    rule_set_version: str
    force: str
    dog_reference: str
    dog_name: str
    on: date
    """The day the breach began (licence expiry, first missed day, deployment, review due)."""
    reason: str
    source: str

    def line(self) -> str:
        return (
            f"{self.dog_reference} {self.dog_name}: {self.rule.value}: {self.reason} "
            f"[{self.source}]"
        )


def _day(value: date) -> str:
    return value.isoformat()


def _licence_overdue(
    rule: ComplianceRule, records: RegisterRecords, today: date
) -> list[tuple[Dog, date, str]]:
    """A licensed (or suspended) dog with a role whose latest passed licence has expired."""
    latest: dict[tuple[object, str], Licence] = {}
    for licence in records.licences:
        key = (licence.dog_id, licence.role.value)
        if licence.passed and (key not in latest or licence.expires_on > latest[key].expires_on):
            latest[key] = licence
    found = []
    for dog in records.dogs:
        if dog.status not in (DogStatus.LICENSED, DogStatus.SUSPENDED):
            continue
        for role in dog.roles:
            current = latest.get((dog.id, role.value))
            if current is None:
                found.append((dog, dog.acquired_on, f"no passed licence for {role.words}"))
            elif current.expires_on < today:
                found.append(
                    (
                        dog,
                        current.expires_on + timedelta(days=1),
                        f"{role.words} licence expired on {_day(current.expires_on)} "
                        f"(assessed {_day(current.assessed_on)}, valid "
                        f"{rule.setting('validity_months')} months)",
                    )
                )
    return found


def _welfare_check_missed(
    rule: ComplianceRule, records: RegisterRecords, today: date
) -> list[tuple[Dog, date, str]]:
    """A dog in the unit with a day in the look-back period without a daily check."""
    lookback = rule.setting("lookback_days")
    checked: dict[object, set[date]] = defaultdict(set)
    for check in records.welfare:
        if check.kind is WelfareKind.DAILY:
            checked[check.dog_id].add(check.on)
    found = []
    for dog in records.dogs:
        first = max(today - timedelta(days=lookback), dog.acquired_on)
        last = today - timedelta(days=1)
        if dog.retired_on is not None:
            last = min(last, dog.retired_on - timedelta(days=1))
        days = [
            first + timedelta(days=n)
            for n in range((last - first).days + 1)
            if first + timedelta(days=n) not in checked[dog.id]
        ]
        if days:
            shown = ", ".join(_day(d) for d in days)
            found.append(
                (
                    dog,
                    days[0],
                    f"no daily welfare check on {len(days)} day{'s' if len(days) != 1 else ''} "
                    f"of the last {lookback}: {shown}",
                )
            )
    return found


def _unlicensed_deployment(
    rule: ComplianceRule, records: RegisterRecords, today: date
) -> list[tuple[Dog, date, str]]:
    """A deployment with no passed licence of that dog, handler and role current on its day."""
    dogs = {dog.id: dog for dog in records.dogs}
    by_team: dict[tuple[object, str, str], list[Licence]] = defaultdict(list)
    for licence in records.licences:
        by_team[(licence.dog_id, licence.handler_number, licence.role.value)].append(licence)
    found = []
    for deployment in sorted(records.deployments, key=lambda d: d.at):
        dog = dogs.get(deployment.dog_id)
        if dog is None:
            continue
        day = deployment.at.astimezone(LONDON).date()
        team = by_team[(deployment.dog_id, deployment.handler_number, deployment.role.value)]
        if not any(licence.covers(day) for licence in team):
            found.append(
                (
                    dog,
                    day,
                    f"deployed on {_day(day)} to {deployment.incident} ({deployment.role.words}) "
                    f"with handler {deployment.handler_number}, a team not licensed for that "
                    "role on that day",
                )
            )
    return found


def _retirement_review_overdue(
    rule: ComplianceRule, records: RegisterRecords, today: date
) -> list[tuple[Dog, date, str]]:
    """A dog not retired whose retirement review was due before today."""
    found = []
    for dog in records.dogs:
        if dog.status is DogStatus.RETIRED:
            continue
        if dog.retirement_review_due_on < today:
            found.append(
                (
                    dog,
                    dog.retirement_review_due_on,
                    f"retirement review was due on {_day(dog.retirement_review_due_on)} "
                    f"(aged {dog.age_on(today)})",
                )
            )
    return found


Check = Callable[[ComplianceRule, RegisterRecords, date], list[tuple[Dog, date, str]]]

CHECKS: dict[RuleId, Check] = {
    RuleId.LICENCE_OVERDUE: _licence_overdue,
    RuleId.WELFARE_CHECK_MISSED: _welfare_check_missed,
    RuleId.UNLICENSED_DEPLOYMENT: _unlicensed_deployment,
    RuleId.RETIREMENT_REVIEW_OVERDUE: _retirement_review_overdue,
}


def check_register(records: RegisterRecords, *, today: date, rules: RuleSet) -> list[DogFinding]:
    """Every finding of every rule, by force, dog reference, rule, then day."""
    findings = []
    for rule in rules.rules:
        for dog, on, reason in CHECKS[rule.id](rule, records, today):
            findings.append(
                DogFinding(
                    rule=rule.id,
                    title=rule.title,
                    rule_set_version=rules.version,
                    force=dog.force,
                    dog_reference=dog.reference,
                    dog_name=dog.name,
                    on=on,
                    reason=reason,
                    source=rule.source.split(";")[0].split(":")[0],
                )
            )
    order = list(RuleId)
    return sorted(findings, key=lambda f: (f.force, f.dog_reference, order.index(f.rule), f.on))


def first_review_due(born_on: date, rules: RuleSet) -> date:
    """When a new dog's first retirement review falls due under the rule set."""
    years = rules.rule(RuleId.RETIREMENT_REVIEW_OVERDUE).setting("first_review_age_years")
    return add_years(born_on, years)


def next_review_due(reviewed_on: date, rules: RuleSet) -> date:
    months = rules.rule(RuleId.RETIREMENT_REVIEW_OVERDUE).setting("review_interval_months")
    return add_months(reviewed_on, months)


def licence_expiry(assessed_on: date, rules: RuleSet) -> date:
    """The default expiry of a licence assessed on ``assessed_on``: the eve of its anniversary."""
    months = rules.rule(RuleId.LICENCE_OVERDUE).setting("validity_months")
    return add_months(assessed_on, months) - timedelta(days=1)
