"""Operations defined as data: a YAML file per week of action, validated by a schema.

An operation names its dates, the forces taking part and the measures it collects, each
with a type, a unit, a definition and its relations to other measures:

- ``part_of: X``: never more than X in the same return (knife-related arrests are arrests);
- ``sum_of: [a, b]``: worked out as a + b, never entered (surrendered + recovered);
- ``rates``: derived ratios (test purchase failures / test purchases).

The shipped examples live in ``operations/data/*.yaml``; more can be defined in the
database (``casework ops define FILE``) with the same schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casework.errors import InvalidInput, NotFound
from casework.operations.forces import Force, all_forces, find_force

SCHEMA = "casework.operation/1"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when installed (about 10 times faster), else the pure-Python one."""
KEY = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
NAME = r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$"


class MeasureType(StrEnum):
    COUNT = "count"
    """A whole number of things (arrests, knives)."""
    QUANTITY = "quantity"
    """A weight or amount with decimals (kg)."""
    MONEY = "money"
    """Pounds sterling, to the penny."""

    @property
    def words(self) -> str:
        return {
            MeasureType.COUNT: "a whole number",
            MeasureType.QUANTITY: "a number",
            MeasureType.MONEY: "an amount in pounds",
        }[self]


class Measure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY, max_length=60)
    label: str = Field(min_length=1, max_length=120)
    group: str = Field(default="", max_length=60)
    type: MeasureType
    unit: str = Field(min_length=1, max_length=40)
    definition: str = Field(min_length=10)
    part_of: str | None = None
    sum_of: tuple[str, ...] = ()
    drug_class: Literal["A", "B", "C"] | None = None
    counted_in_register: Literal["lines_closed"] | None = None
    """Also counted from a register (the county lines line register's closures)."""

    @property
    def derived(self) -> bool:
        """Worked out from other measures, never entered by a force."""
        return bool(self.sum_of)


class Rate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY, max_length=60)
    label: str
    numerator: str
    denominator: str
    definition: str = ""


class Operation(BaseModel):
    """A week of action as the YAML file defines it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_: str = Field(alias="schema")
    name: str = Field(pattern=NAME)
    title: str = Field(min_length=3, max_length=200)
    series: str = Field(pattern=NAME)
    purpose: str = ""
    starts: date
    ends: date
    forces: Literal["all"] | tuple[str, ...] = "all"
    previous: str | None = None
    """The name of the previous week of action of the series (for changes since then)."""
    source: str = ""
    headline: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = Field(min_length=1)
    rates: tuple[Rate, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Operation:
        problems: list[str] = []
        if self.schema_ != SCHEMA:
            problems.append(f"schema: {self.schema_!r} is not {SCHEMA!r}")
        if self.ends < self.starts:
            problems.append(f"ends: {self.ends} is before starts {self.starts}")
        keys = [m.key for m in self.measures]
        for key in {k for k in keys if keys.count(k) > 1}:
            problems.append(f"measures: {key} is defined twice")
        known = set(keys)
        for m in self.measures:
            if m.part_of is not None and m.part_of not in known:
                problems.append(f"measures.{m.key}.part_of: no measure {m.part_of!r}")
            if m.part_of == m.key:
                problems.append(f"measures.{m.key}.part_of: a measure cannot be part of itself")
            for part in m.sum_of:
                if part not in known or part == m.key:
                    problems.append(f"measures.{m.key}.sum_of: no measure {part!r}")
        by_key = {m.key: m for m in self.measures}
        for m in self.measures:
            for part in m.sum_of:
                if part in by_key and by_key[part].derived:
                    problems.append(f"measures.{m.key}.sum_of: {part} is itself worked out")
        for r in self.rates:
            for end in (r.numerator, r.denominator):
                if end not in known:
                    problems.append(f"rates.{r.key}: no measure {end!r}")
        for h in self.headline:
            if h not in known:
                problems.append(f"headline: no measure {h!r}")
        if self.forces != "all":
            for code in self.forces:
                try:
                    find_force(code)
                except InvalidInput:
                    problems.append(f"forces: {code!r} is not one of the 43 forces")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def measure(self, key: str) -> Measure:
        for m in self.measures:
            if m.key == key:
                return m
        raise KeyError(key)

    @property
    def entered(self) -> tuple[Measure, ...]:
        """The measures a force fills in (derived ones are worked out)."""
        return tuple(m for m in self.measures if not m.derived)

    @property
    def taking_part(self) -> tuple[Force, ...]:
        if self.forces == "all":
            return all_forces()
        codes = {find_force(c).code for c in self.forces}
        return tuple(f for f in all_forces() if f.code in codes)

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1


def parse_operation(text: str, *, source: str) -> Operation:
    """Read one operation from YAML; errors name ``source`` and the field."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise InvalidInput(f"{source}: not YAML: {error}") from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping of fields (schema, name, measures...)")
    try:
        return Operation.model_validate(data)
    except ValidationError as error:
        parts = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"]) or "operation"
            parts.append(f"{where}: {problem['msg']}")
        raise InvalidInput(f"{source}: " + "; ".join(parts)) from error


@cache
def shipped_operations() -> tuple[Operation, ...]:
    """The example operations packaged with Casework (Op Sceptre, County Lines)."""
    folder = resources.files("casework.operations.data")
    found = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            found.append(parse_operation(item.read_text("utf-8"), source=item.name))
    return tuple(found)


def catalogue(defined: Iterable[tuple[str, str]] = ()) -> dict[str, Operation]:
    """Shipped operations plus those defined in the database (``(name, yaml)``), by name."""
    found = {op.name: op for op in shipped_operations()}
    for name, text in defined:
        found[name] = _parsed(name, text)
    return found


@lru_cache(maxsize=4096)
def _parsed(name: str, text: str) -> Operation:
    # Stored definitions are read on every request; parse each text once (Operation is frozen).
    return parse_operation(text, source=f"operation {name}")


def find_operation(name: str, defined: Iterable[tuple[str, str]] = ()) -> Operation:
    key = (name or "").strip().lower()
    ops = catalogue(defined)
    if key not in ops:
        known = ", ".join(sorted(ops)) or "none"
        raise NotFound(f"operation {name!r} is not defined (known: {known})")
    return ops[key]


def slug_ok(name: str) -> bool:
    return re.fullmatch(NAME, name) is not None
