"""The data dictionary: every measure of every operation and every case field, with meaning.

Generated from the same definitions the rest of Casework uses (the operations' YAML, the
domain models), so it cannot drift from what is collected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from casework.domain.cases import Case, CaseOffence, CaseParty
from casework.domain.pole import PersonDetails
from casework.operations.definitions import Operation
from casework.operations.forces import force_table

CASE_MODELS: tuple[type[BaseModel], ...] = (Case, CaseOffence, CaseParty, PersonDetails)


@dataclass(frozen=True, slots=True)
class Entry:
    area: str
    """``operation NAME`` or ``case``."""
    name: str
    label: str
    type: str
    unit: str
    meaning: str
    relations: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "area": self.area,
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "unit": self.unit,
            "meaning": self.meaning,
            "relations": self.relations,
        }


@cache
def _case_meanings() -> dict[str, str]:
    text = (
        resources.files("casework.operations.data").joinpath("case_fields.json").read_text("utf-8")
    )
    data: dict[str, str] = json.loads(text)["fields"]
    return data


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("casework.domain.", "")


def case_fields() -> list[Entry]:
    meanings = _case_meanings()
    found = []
    for model in CASE_MODELS:
        for name, info in model.model_fields.items():
            key = f"{model.__name__}.{name}"
            found.append(
                Entry(
                    area="case",
                    name=key,
                    label=name.replace("_", " "),
                    type=_type_name(info.annotation),
                    unit="",
                    meaning=meanings.get(key) or info.description or "",
                )
            )
    return found


def measure_entries(operation: Operation) -> list[Entry]:
    found = []
    for m in operation.measures:
        relations = []
        if m.part_of:
            relations.append(f"part of {m.part_of}")
        if m.sum_of:
            relations.append("sum of " + " + ".join(m.sum_of) + " (worked out)")
        if m.drug_class:
            relations.append(f"Class {m.drug_class} drugs")
        if m.counted_in_register:
            relations.append("checked against the county lines line register")
        found.append(
            Entry(
                area=f"operation {operation.name}",
                name=m.key,
                label=m.label,
                type=m.type.value,
                unit=m.unit,
                meaning=m.definition,
                relations="; ".join(relations),
            )
        )
    for r in operation.rates:
        found.append(
            Entry(
                area=f"operation {operation.name}",
                name=r.key,
                label=r.label,
                type="rate",
                unit="%",
                meaning=r.definition or f"{r.numerator} / {r.denominator}",
                relations=f"{r.numerator} / {r.denominator} (worked out)",
            )
        )
    return found


def data_dictionary(operations: list[Operation]) -> list[Entry]:
    entries = []
    for op in operations:
        entries.extend(measure_entries(op))
    entries.append(
        Entry(
            area="reference",
            name="population",
            label="Population of the force area",
            type="count",
            unit="people",
            meaning=" ".join(
                [
                    force_table().population_basis(),
                    *(f"{s.basis}: {s.source}" for s in force_table().population_sources),
                    force_table().population_note,
                ]
            ),
        )
    )
    entries.extend(case_fields())
    return entries


def as_markdown(entries: list[Entry]) -> str:
    lines = ["| area | name | label | type | unit | meaning | relations |", "|" + "---|" * 7]
    for e in entries:
        cells = [e.area, e.name, e.label, e.type, e.unit, e.meaning, e.relations]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"
