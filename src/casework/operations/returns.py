"""Validate a force's return against its operation: every problem named where it is.

A return arrives as raw text or numbers (a web form, an XLSX cell, a CSV row, API JSON)
with a location for each field (``cell C12``, ``row 3, column arrests``, ``arrests``).
Validation collects every problem before refusing, so a force fixes its file in one go:
wrong type, negative number, a part larger than its whole, a date outside the operation,
an unknown force or measure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from casework.errors import InvalidInput
from casework.operations.definitions import Measure, MeasureType, Operation
from casework.operations.forces import Force, find_force

MAX_VALUE = 1e12
"""Larger than any honest weekly figure; a bigger one is a typing slip."""


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


class ReturnRejected(InvalidInput):
    """A return (or a file of returns) with problems; nothing of it was stored."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:50])
        more = f" (and {len(problems) - 50} more)" if len(problems) > 50 else ""
        super().__init__(f"{source}: {len(problems)} problem(s): {shown}{more}")
        self.source = source
        self.problems = problems


@dataclass
class RawReturn:
    """A return as sent, before validation."""

    force: object
    values: dict[str, object]
    period_from: object = None
    period_to: object = None
    where: dict[str, str] = field(default_factory=dict)
    """Field -> where it is in the source (``cell C12``); the field's name if absent."""
    operation: object = None
    """The operation the file says it is for (templates carry it), if any."""

    def at(self, name: str) -> str:
        return self.where.get(name, name)


@dataclass(frozen=True, slots=True)
class ValidReturn:
    force: Force
    period_from: date
    period_to: date
    values: dict[str, float]
    """Entered measures only; blanks are absent."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_value(measure: Measure, value: object) -> float | str:
    """The value as a float, or the problem with it in words."""
    if isinstance(value, bool):
        return f"{value!r} is not {measure.type.words}"
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("£", "").replace(" ", "")
        if measure.type is MeasureType.QUANTITY and text.lower().endswith("kg"):
            text = text[:-2]
        if not _NUMBER.fullmatch(text):
            return f"{str(value)[:40]!r} is not {measure.type.words} ({measure.unit})"
        try:
            number = Decimal(text)
        except InvalidOperation:
            return f"{str(value)[:40]!r} is not {measure.type.words} ({measure.unit})"
    if not number.is_finite():
        return f"{value!r} is not {measure.type.words}"
    if number < 0:
        return f"{number} is negative; {measure.label} cannot be below 0"
    if number > Decimal(str(MAX_VALUE)):
        return f"{number} is too large to be a week's {measure.label}"
    if measure.type is MeasureType.COUNT and number != number.to_integral_value():
        return f"{number} is not a whole number ({measure.unit} are counted)"
    if measure.type is MeasureType.MONEY and number != number.quantize(Decimal("0.01")):
        return f"{number} has more than 2 decimal places (pounds and pence)"
    return float(number)


def _parse_date(value: object) -> date | str:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return f"{text[:40]!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"


def with_derived(
    operation: Operation,
    values: Mapping[str, float],
    derived: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
) -> dict[str, float]:
    """The entered values plus the measures worked out from them (a sum of the parts given).

    ``derived``: ``derived_measures(operation)``, when the caller works out many returns.
    """
    full = dict(values)
    for key, sum_of in derived if derived is not None else derived_measures(operation):
        parts = [values[p] for p in sum_of if p in values]
        if parts:
            full[key] = float(sum(parts))
    return full


def derived_measures(operation: Operation) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((m.key, m.sum_of) for m in operation.measures if m.derived)


def relation_problems(operation: Operation, values: Mapping[str, float]) -> list[tuple[str, str]]:
    """(measure, problem) for each part larger than its whole, derived measures included."""
    full = with_derived(operation, values)
    found = []
    for m in operation.measures:
        if m.part_of and m.key in full and m.part_of in full and full[m.key] > full[m.part_of]:
            whole = operation.measure(m.part_of)
            found.append(
                (
                    m.key,
                    f"{m.label} ({full[m.key]:g}) is more than {whole.label} "
                    f"({full[m.part_of]:g}), which it is part of",
                )
            )
    return found


def validate_return(operation: Operation, raw: RawReturn) -> ValidReturn | list[Problem]:
    """The checked return, or every problem found in it."""
    problems: list[Problem] = []
    if not _blank(raw.operation) and str(raw.operation).strip().lower() != operation.name:
        problems.append(
            Problem(
                raw.at("operation"),
                f"this return is for operation {raw.operation!r}, not {operation.name!r}",
            )
        )
    force: Force | None = None
    if _blank(raw.force):
        problems.append(Problem(raw.at("force"), "no force given"))
    else:
        try:
            force = find_force(str(raw.force))
        except InvalidInput:
            problems.append(
                Problem(
                    raw.at("force"),
                    f"{str(raw.force)[:60]!r} is an unknown force (not one of the 43)",
                )
            )
        else:
            if force.code not in {f.code for f in operation.taking_part}:
                problems.append(
                    Problem(
                        raw.at("force"), f"{force.name} is not taking part in {operation.title}"
                    )
                )
    period: dict[str, date] = {}
    for name, default in (("period_from", operation.starts), ("period_to", operation.ends)):
        value = getattr(raw, name)
        if _blank(value):
            period[name] = default
            continue
        parsed = _parse_date(value)
        if isinstance(parsed, str):
            problems.append(Problem(raw.at(name), parsed))
        elif not operation.starts <= parsed <= operation.ends:
            problems.append(
                Problem(
                    raw.at(name),
                    f"{parsed.isoformat()} is outside the operation "
                    f"({operation.starts.isoformat()} to {operation.ends.isoformat()})",
                )
            )
        else:
            period[name] = parsed
    if (
        "period_from" in period
        and "period_to" in period
        and period["period_from"] > period["period_to"]
    ):
        problems.append(Problem(raw.at("period_to"), "the period ends before it starts"))
    known = {m.key: m for m in operation.measures}
    values: dict[str, float] = {}
    for key, value in raw.values.items():
        measure = known.get(key)
        if measure is None:
            problems.append(Problem(raw.at(key), f"{key!r} is not a measure of {operation.name}"))
            continue
        if _blank(value):
            continue
        parsed_value = parse_value(measure, value)
        if isinstance(parsed_value, str):
            problems.append(Problem(raw.at(key), parsed_value))
        elif measure.derived:
            parts = " + ".join(known[p].label for p in measure.sum_of)
            problems.append(
                Problem(raw.at(key), f"{measure.label} is worked out from {parts}; leave it blank")
            )
        else:
            values[key] = parsed_value
    for key, problem in relation_problems(operation, values):
        problems.append(Problem(raw.at(key), problem))
    if problems or force is None:
        return problems
    return ValidReturn(force, period["period_from"], period["period_to"], values)
