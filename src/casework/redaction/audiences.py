"""Audiences: who a redacted copy is for, and the policy that says what it may not see.

A policy is data (a YAML file per audience) because the duty to redact changes with the
law and with local agreements; the built-in ones live in ``policies/`` inside the package,
each with a version, a rationale and its source. More audiences come from a folder of
YAML files (``AudienceRegistry.load_folder``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casework.domain.labels import Label, PartyRole
from casework.errors import InvalidInput

log = logging.getLogger(__name__)

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
NEVER_KEPT_FOR_VICTIMS = (Label.ADDRESS, Label.POSTCODE)
"""A victim's address never leaves, whatever an audience file says (refuges, new addresses)."""


class Audience(BaseModel):
    """A redaction policy: which labels an audience may not see, and for whom they stay.

    ``default`` decides labels that are in neither ``keep`` nor ``remove`` (``remove`` is the
    safe choice: a label added to Casework later is then redacted until someone decides).
    ``keep_roles`` keeps a removed label for some party roles only, e.g. officers' names.
    A finding without a role is treated as an unknown party and is never kept by a role.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    version: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    source: str = Field(min_length=1)
    default: Literal["remove", "keep"] = "remove"
    remove: frozenset[Label] = frozenset()
    keep: frozenset[Label] = frozenset()
    keep_roles: dict[Label, frozenset[PartyRole]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Audience:
        both = self.remove & self.keep
        if both:
            names = ", ".join(sorted(both))
            raise ValueError(f"labels both kept and removed: {names}")
        for label in NEVER_KEPT_FOR_VICTIMS:
            if not self.removes(label, PartyRole.VICTIM):
                raise ValueError(
                    f"{label} must be removed for victims (a victim's address never leaves); "
                    f"remove it and do not list 'victim' in keep_roles.{label}"
                )
        return self

    def removes(self, label: Label, role: PartyRole | None) -> bool:
        """Say whether a span with this label (and party role, if known) is redacted."""
        if label in self.keep:
            return False
        if label not in self.remove and self.default == "keep":
            return False
        return role is None or role not in self.keep_roles.get(label, frozenset())

    def describe(self, label: Label, role: PartyRole | None) -> str:
        """Explain a removal in words for the redaction log."""
        who = f" ({role})" if role is not None else ""
        return f"{self.name} policy v{self.version} removes {label}{who}"


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def load_audience_file(path: Path) -> Audience:
    """Read and validate one audience file; errors name the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the audience file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML ({exc})") from exc
    return _validate(raw, path.stem, str(path))


def _validate(raw: object, stem: str, where: str) -> Audience:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: an audience file must be a mapping of fields")
    try:
        audience = Audience.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{_field_path(err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise InvalidInput(f"{where}: {problems}") from exc
    if audience.name != stem:
        raise InvalidInput(
            f"{where}: field 'name': {audience.name!r} does not match the file name {stem!r}"
        )
    return audience


def builtin_audience_files() -> list[tuple[str, str]]:
    """Return (file name, text) of the policies shipped inside the package."""
    folder = resources.files("casework.redaction").joinpath("policies")
    found = [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    ]
    return sorted(found)


def builtin_audiences() -> list[Audience]:
    """Return the audiences Casework ships (``cps``, ``defence``, ``public``), validated."""
    audiences = []
    for file_name, text in builtin_audience_files():
        stem = re.sub(r"\.ya?ml$", "", file_name)
        where = f"casework/redaction/policies/{file_name}"
        audiences.append(_validate(yaml.safe_load(text), stem, where))
    return audiences


class AudienceRegistry:
    """The audiences Casework can redact for. An instance, never a global: tests build their own."""

    def __init__(self) -> None:
        self._by_name: dict[str, Audience] = {}

    @classmethod
    def with_builtins(cls, *folders: Path) -> AudienceRegistry:
        """Build a registry of the built-in audiences plus those in ``folders`` (in order)."""
        registry = cls()
        for audience in builtin_audiences():
            registry.add(audience)
        for folder in folders:
            registry.load_folder(folder)
        return registry

    def add(self, audience: Audience) -> None:
        if audience.name in self._by_name:
            raise InvalidInput(f"an audience named {audience.name!r} is already registered")
        self._by_name[audience.name] = audience

    def remove(self, name: str) -> None:
        if name not in self._by_name:
            raise InvalidInput(self._unknown(name))
        del self._by_name[name]

    def load_folder(self, folder: Path) -> list[Audience]:
        """Add every ``*.yaml``/``*.yml`` file of ``folder`` as an audience."""
        if not folder.is_dir():
            raise InvalidInput(f"{folder}: no such folder of audience files")
        files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        loaded = [load_audience_file(path) for path in files]
        for audience in loaded:
            self.add(audience)
            log.info("audience %s v%s loaded from %s", audience.name, audience.version, folder)
        return loaded

    def get(self, name: str) -> Audience:
        """Return the audience called ``name``; the error lists the known names."""
        try:
            return self._by_name[name]
        except KeyError:
            raise InvalidInput(self._unknown(name)) from None

    def _unknown(self, name: str) -> str:
        known = ", ".join(sorted(self._by_name)) or "none"
        return f"unknown audience {name!r}; known audiences: {known}"

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def __iter__(self) -> Iterator[Audience]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name
