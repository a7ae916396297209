"""The dog units' figures for national returns: deployments, finds, arrests, per period by force.

A plain function over deployments (``unit_figures``), and one over the register
(``national_figures``), so the operations returns can take the figures without either
capability importing the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from casework.errors import InvalidInput
from casework.registers.dogs import Deployment
from casework.registers.ports import DogRegisterStore, RecordKind
from casework.registers.rules import add_months

LONDON = ZoneInfo("Europe/London")
MAX_PERIODS = 400
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


class Period(StrEnum):
    WEEK = "week"
    """Monday to Sunday."""
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class ForceFigures:
    """One force's dog deployments in one period (both days included)."""

    force: str
    start: date
    end: date
    deployments: int
    finds: int
    arrests: int
    use_of_force: int
    bites: int


def periods(start: date, end: date, period: Period) -> list[tuple[date, date]]:
    """The periods that cover ``start`` to ``end``, cut to them at both ends."""
    if end < start:
        raise InvalidInput("end: before the start")
    for day, what in ((start, "start"), (end, "end")):
        if not EARLIEST <= day <= LATEST:
            raise InvalidInput(
                f"{what}: {day.isoformat()} is outside {EARLIEST.year}-{LATEST.year}"
            )
    found = []
    cursor = start
    while cursor <= end:
        if period is Period.WEEK:
            last = cursor + timedelta(days=6 - cursor.weekday())
        else:
            last = add_months(cursor.replace(day=1), 1) - timedelta(days=1)
        found.append((cursor, min(last, end)))
        cursor = last + timedelta(days=1)
        if len(found) > MAX_PERIODS:
            raise InvalidInput(f"end: more than {MAX_PERIODS} periods; ask for a shorter span")
    return found


def unit_figures(
    deployments: Iterable[Deployment], *, start: date, end: date, period: Period
) -> list[ForceFigures]:
    """Per force and period, the count of deployments and their finds, arrests, force, bites.

    A force with any deployment in the span gets a row for every period (zeros included),
    so that a return shows a quiet month as 0 rather than as missing.
    """
    spans = periods(start, end, period)
    totals: dict[tuple[str, date], Counter[str]] = {}
    forces: set[str] = set()
    for deployment in deployments:
        day = deployment.at.astimezone(LONDON).date()
        if not start <= day <= end:
            continue
        span = next(s for s in spans if s[0] <= day <= s[1])
        forces.add(deployment.force)
        counter = totals.setdefault((deployment.force, span[0]), Counter())
        counter.update(
            deployments=1,
            finds=deployment.finds,
            arrests=deployment.arrests,
            use_of_force=int(deployment.use_of_force),
            bites=int(deployment.bite),
        )
    rows = []
    for force in sorted(forces):
        for first, last in spans:
            counter = totals.get((force, first), Counter())
            rows.append(
                ForceFigures(
                    force=force,
                    start=first,
                    end=last,
                    deployments=counter["deployments"],
                    finds=counter["finds"],
                    arrests=counter["arrests"],
                    use_of_force=counter["use_of_force"],
                    bites=counter["bites"],
                )
            )
    return rows


def national_figures(
    store: DogRegisterStore,
    *,
    start: date,
    end: date,
    period: Period = Period.MONTH,
    force: str | None = None,
) -> list[ForceFigures]:
    """The figures of every force's dog unit (or of ``force``) for a national return."""
    where: dict[str, object] = {"force": force.upper()} if force else {}
    deployments = [Deployment.model_validate(r) for r in store.rows(RecordKind.DEPLOYMENT, where)]
    return unit_figures(deployments, start=start, end=end, period=period)
