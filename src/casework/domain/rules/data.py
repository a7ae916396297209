"""Load a versioned rule file shipped in ``casework.domain.data`` and validate it.

Rule data is JSON rather than YAML so that ``domain`` keeps to the standard library and
pydantic (the layer rule in DESIGN.md); a bad file fails at load time with its name and
the path of the offending field, never later with a ``KeyError`` in the middle of a case.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

DATA_PACKAGE = "casework.domain.data"

ModelT = TypeVar("ModelT", bound=BaseModel)


class RuleDataError(ValueError):
    """A rule data file is missing, not JSON, or does not match its schema."""


class RuleFile(BaseModel):
    """Fields every versioned rule file carries: which version, since when, on what authority."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    effective_from: date
    description: str = ""
    sources: tuple[str, ...]


def _field_path(location: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(f".{item}" if parts else item)
    return "".join(parts) or "(top level)"


def parse_rule_data(text: str, model: type[ModelT], *, name: str) -> ModelT:
    """Parse and validate ``text`` as ``model``; errors name the file ``name`` and the field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleDataError(
            f"{name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"field {_field_path(tuple(e['loc']))}: {e['msg']}" for e in error.errors()
        )
        raise RuleDataError(f"{name}: {problems}") from error


def load_rule_data(filename: str, model: type[ModelT]) -> ModelT:
    """Read ``filename`` from the packaged rule data and validate it as ``model``."""
    resource = resources.files(DATA_PACKAGE).joinpath(filename)
    name = f"{DATA_PACKAGE.replace('.', '/')}/{filename}"
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as error:
        raise RuleDataError(f"{name}: rule data file not found") from error
    return parse_rule_data(text, model, name=name)
