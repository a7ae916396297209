"""Justice-journey metrics over plain case records: timeliness, attrition, charges, outcomes.

Pure: the store fills ``CaseRecord``s (one per case) and the faces render the result, as
JSON or as a long table of (dimension, group, measure, value) rows ready for CSV.

Definitions, so that a number can be explained:

- time to charge / to outcome: whole calendar days from the report to the charge (or the
  outcome), over the cases that have one; median and 90th percentile by linear
  interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC);
- charge rate: cases with a charge date / all cases in the group (open cases included,
  so a recent month's rate rises as its cases are decided);
- withdrawal rate: cases where the victim withdrew support / all cases in the group, with
  the count at each stage at which it happened;
- outcomes: count of each outcome, ``pending`` for cases with none yet;
- month: the month of the report (``YYYY-MM``); a case with several offences counts once
  under each of them, so the offence groups add up to more than the total.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from casework.errors import InvalidInput

PENDING = "pending"
ROW_HEADER = ("dimension", "group", "measure", "value")
Row = tuple[str, str, str, int | float | None]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What the metrics need to know about one case; the store fills it.

    ``withdrawal_stage`` is the case stage at which the victim withdrew support (None when
    they did not); ``outcome`` is the outcome's name from the case model (e.g. "convicted").
    """

    reference: str
    force: str
    offences: tuple[str, ...]
    reported_on: date
    charged_on: date | None = None
    outcome: str | None = None
    outcome_on: date | None = None
    withdrawal_stage: str | None = None

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise InvalidInput("case record: the reference is required")
        where = f"case {self.reference}"
        if not self.force.strip():
            raise InvalidInput(f"{where}: force is required")
        for name in ("charged_on", "outcome_on"):
            value: date | None = getattr(self, name)
            if value is not None and value < self.reported_on:
                raise InvalidInput(
                    f"{where}: {name} {value.isoformat()} is before reported_on "
                    f"{self.reported_on.isoformat()}"
                )
        if (self.outcome is None) != (self.outcome_on is None):
            raise InvalidInput(f"{where}: outcome and outcome_on go together")
        if self.outcome is not None and not self.outcome.strip():
            raise InvalidInput(f"{where}: outcome is empty")
        if self.withdrawal_stage is not None and not self.withdrawal_stage.strip():
            raise InvalidInput(f"{where}: withdrawal_stage is empty (use None)")

    @property
    def month(self) -> str:
        """The month of the report, ``YYYY-MM``."""
        return f"{self.reported_on.year:04d}-{self.reported_on.month:02d}"


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) of ``values`` by linear interpolation between ranks.

    Raises ``ValueError`` for no values or ``q`` outside 0..1.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 1:
        raise ValueError(f"quantile {q} is outside 0..1")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


@dataclass(frozen=True, slots=True)
class DurationStats:
    """Median and 90th percentile of a set of durations in days; None when there are none."""

    count: int
    median_days: float | None
    p90_days: float | None

    @classmethod
    def of(cls, days: Sequence[int]) -> DurationStats:
        if not days:
            return cls(count=0, median_days=None, p90_days=None)
        return cls(
            count=len(days), median_days=percentile(days, 0.5), p90_days=percentile(days, 0.9)
        )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class GroupMetrics:
    """The measures over one group of cases (all, one force, one offence, one month)."""

    cases: int
    charged: int
    charge_rate: float | None
    withdrawals: int
    withdrawal_rate: float | None
    withdrawals_by_stage: dict[str, int]
    report_to_charge: DurationStats
    report_to_outcome: DurationStats
    outcomes: dict[str, int]

    @classmethod
    def of(cls, records: Sequence[CaseRecord]) -> GroupMetrics:
        charged = [r for r in records if r.charged_on is not None]
        withdrawn = [r.withdrawal_stage for r in records if r.withdrawal_stage is not None]
        to_charge = [(r.charged_on - r.reported_on).days for r in charged if r.charged_on]
        to_outcome = [(r.outcome_on - r.reported_on).days for r in records if r.outcome_on]
        outcomes = Counter(r.outcome or PENDING for r in records)
        return cls(
            cases=len(records),
            charged=len(charged),
            charge_rate=_rate(len(charged), len(records)),
            withdrawals=len(withdrawn),
            withdrawal_rate=_rate(len(withdrawn), len(records)),
            withdrawals_by_stage=dict(sorted(Counter(withdrawn).items())),
            report_to_charge=DurationStats.of(to_charge),
            report_to_outcome=DurationStats.of(to_outcome),
            outcomes=dict(sorted(outcomes.items())),
        )

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict; rates rounded to 4 places, days to 1."""
        return {
            "cases": self.cases,
            "charged": self.charged,
            "charge_rate": _round(self.charge_rate, 4),
            "withdrawals": self.withdrawals,
            "withdrawal_rate": _round(self.withdrawal_rate, 4),
            "withdrawals_by_stage": self.withdrawals_by_stage,
            "report_to_charge": _durations(self.report_to_charge),
            "report_to_outcome": _durations(self.report_to_outcome),
            "outcomes": self.outcomes,
        }

    def rows(self, dimension: str, group: str) -> list[Row]:
        """This group's measures as long-table rows."""
        out: list[Row] = [
            (dimension, group, "cases", self.cases),
            (dimension, group, "charged", self.charged),
            (dimension, group, "charge_rate", _round(self.charge_rate, 4)),
            (dimension, group, "withdrawals", self.withdrawals),
            (dimension, group, "withdrawal_rate", _round(self.withdrawal_rate, 4)),
        ]
        for name, stats in (
            ("report_to_charge", self.report_to_charge),
            ("report_to_outcome", self.report_to_outcome),
        ):
            out.append((dimension, group, f"{name}_count", stats.count))
            out.append((dimension, group, f"{name}_median_days", _round(stats.median_days, 1)))
            out.append((dimension, group, f"{name}_p90_days", _round(stats.p90_days, 1)))
        out.extend(
            (dimension, group, f"withdrawal_stage:{stage}", n)
            for stage, n in self.withdrawals_by_stage.items()
        )
        out.extend(
            (dimension, group, f"outcome:{outcome}", n) for outcome, n in self.outcomes.items()
        )
        return out


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _durations(stats: DurationStats) -> dict[str, object]:
    return {
        "count": stats.count,
        "median_days": _round(stats.median_days, 1),
        "p90_days": _round(stats.p90_days, 1),
    }


@dataclass(frozen=True, slots=True)
class CaseMetrics:
    """Metrics over all cases and broken down by offence, force and month of report."""

    overall: GroupMetrics
    by_offence: dict[str, GroupMetrics]
    by_force: dict[str, GroupMetrics]
    by_month: dict[str, GroupMetrics]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every measure."""
        return {
            "overall": self.overall.as_dict(),
            "by_offence": {k: v.as_dict() for k, v in self.by_offence.items()},
            "by_force": {k: v.as_dict() for k, v in self.by_force.items()},
            "by_month": {k: v.as_dict() for k, v in self.by_month.items()},
        }

    def to_json(self) -> str:
        """The metrics as a JSON document."""
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)

    def rows(self) -> list[Row]:
        """Every measure as a (dimension, group, measure, value) row; see ``ROW_HEADER``."""
        out = self.overall.rows("all", "all")
        for dimension, groups in (
            ("offence", self.by_offence),
            ("force", self.by_force),
            ("month", self.by_month),
        ):
            for group, metrics in groups.items():
                out.extend(metrics.rows(dimension, group))
        return out


def compute_metrics(records: Iterable[CaseRecord]) -> CaseMetrics:
    """Compute the journey metrics over ``records``; a reference given twice is refused."""
    cases = list(records)
    seen: set[str] = set()
    for record in cases:
        if record.reference in seen:
            raise InvalidInput(f"case {record.reference} appears more than once")
        seen.add(record.reference)
    by_offence: dict[str, list[CaseRecord]] = {}
    by_force: dict[str, list[CaseRecord]] = {}
    by_month: dict[str, list[CaseRecord]] = {}
    for record in cases:
        for offence in dict.fromkeys(record.offences):
            by_offence.setdefault(offence, []).append(record)
        by_force.setdefault(record.force, []).append(record)
        by_month.setdefault(record.month, []).append(record)
    return CaseMetrics(
        overall=GroupMetrics.of(cases),
        by_offence={k: GroupMetrics.of(v) for k, v in sorted(by_offence.items())},
        by_force={k: GroupMetrics.of(v) for k, v in sorted(by_force.items())},
        by_month={k: GroupMetrics.of(v) for k, v in sorted(by_month.items())},
    )
