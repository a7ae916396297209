"""Data quality of an operation's returns: missing, inconsistent and out-of-range values.

Returns were validated when sent, so what remains is what validation cannot refuse:
forces not yet submitted, measures left blank, a figure far out of line with the other
forces (per 100,000 people), and line closures that disagree with the line register.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import median
from typing import Any

from casework.operations.rollup import Rollup

OUTLIER_FACTOR = 10.0
"""A force's rate per 100,000 more than this many times the median of the forces is flagged."""


class Kind(StrEnum):
    MISSING = "missing"
    INCONSISTENT = "inconsistent"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    force: str
    measure: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "force": self.force,
            "measure": self.measure,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class QualityReport:
    operation: str
    findings: list[Finding]

    def count(self, kind: Kind) -> int:
        return sum(1 for f in self.findings if f.kind is kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "counts": {k.value: self.count(k) for k in Kind},
            "findings": [f.as_dict() for f in self.findings],
        }


def quality_report(
    rollup: Rollup, *, register_closures: Mapping[str, int] | None = None
) -> QualityReport:
    """Every finding, forces in table order; ``register_closures``: force -> lines closed."""
    op = rollup.operation
    findings: list[Finding] = []
    for force in rollup.missing:
        findings.append(Finding(Kind.MISSING, force.code, "", f"{force.name} has not submitted"))
    for code, values in rollup.by_force.items():
        for m in op.entered:
            if m.key not in values:
                findings.append(
                    Finding(Kind.MISSING, code, m.key, f"{m.label} left blank (not reported)")
                )
    for m in op.entered:
        rates = {
            code: rate
            for code in rollup.by_force
            if (rate := rollup.per_100k(m.key, code)) is not None
        }
        positive = [r for r in rates.values() if r > 0]
        if len(positive) < 5:
            continue
        middle = median(positive)
        for code, rate in rates.items():
            if middle and rate > middle * OUTLIER_FACTOR:
                findings.append(
                    Finding(
                        Kind.OUT_OF_RANGE,
                        code,
                        m.key,
                        f"{m.label}: {rate:,.1f} per 100,000 people, over {OUTLIER_FACTOR:g} "
                        f"times the median force ({middle:,.1f}); check the figure",
                    )
                )
    register = [m for m in op.entered if m.counted_in_register == "lines_closed"]
    if register and register_closures is not None:
        key = register[0].key
        for code, values in rollup.by_force.items():
            counted = register_closures.get(code, 0)
            if key in values and int(values[key]) != counted:
                findings.append(
                    Finding(
                        Kind.INCONSISTENT,
                        code,
                        key,
                        f"return says {values[key]:g} line(s) closed; the line register "
                        f"has {counted} closed during the operation",
                    )
                )
    return QualityReport(op.name, findings)
