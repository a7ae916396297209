"""The offence catalogue: what each offence is, where it is in law and how it is tried."""

from __future__ import annotations

import difflib
import re
from datetime import date
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casework.domain.rules.data import RuleFile, load_rule_data

OFFENCES_FILE = "offences.json"

_CODE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"


class ModeOfTrial(StrEnum):
    """Where an offence may be tried; it decides whether a statutory time limit applies."""

    SUMMARY_ONLY = "summary_only"
    EITHER_WAY = "either_way"
    INDICTABLE_ONLY = "indictable_only"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-")


class DomesticAbuseRelevance(StrEnum):
    """How an offence relates to domestic abuse.

    ``defining``: the offence exists because of a domestic relationship or order;
    ``frequent``: commonly charged in domestic-abuse cases; ``possible``: sometimes.
    """

    DEFINING = "defining"
    FREQUENT = "frequent"
    POSSIBLE = "possible"


class UnknownOffenceError(LookupError):
    """An offence code that is not in the catalogue."""

    def __init__(self, code: str, suggestions: list[str]) -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown offence code {code!r}{hint}")
        self.code = code
        self.suggestions = suggestions


class Offence(BaseModel):
    """One offence of the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=_CODE)
    name: str = Field(min_length=1)
    statute: str = Field(min_length=1)
    section: str
    mode_of_trial: ModeOfTrial
    domestic_abuse: DomesticAbuseRelevance
    source: str = Field(min_length=1)
    in_force_from: date | None = None
    in_force_to: date | None = None
    notes: str = ""

    @property
    def citation(self) -> str:
        """Statute and section as a person reads them: 'Serious Crime Act 2015 s.76'."""
        return f"{self.statute} {self.section}".strip()

    def in_force_on(self, day: date) -> bool:
        """Whether conduct on ``day`` can be this offence (it had started and not been repealed)."""
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return self.in_force_to is None or day <= self.in_force_to

    @model_validator(mode="after")
    def _dates_in_order(self) -> Offence:
        if (
            self.in_force_from is not None
            and self.in_force_to is not None
            and self.in_force_to < self.in_force_from
        ):
            raise ValueError("in_force_to is before in_force_from")
        return self


class OffenceCatalogue(RuleFile):
    """A versioned list of offences, looked up by code."""

    offences: tuple[Offence, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> OffenceCatalogue:
        seen: set[str] = set()
        for offence in self.offences:
            if offence.code in seen:
                raise ValueError(f"offence code {offence.code!r} appears more than once")
            seen.add(offence.code)
        return self

    @property
    def codes(self) -> list[str]:
        return [o.code for o in self.offences]

    def get(self, code: str) -> Offence:
        """Return the offence with ``code``; raise ``UnknownOffenceError`` with close matches."""
        for offence in self.offences:
            if offence.code == code:
                return offence
        normalised = re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")
        suggestions = difflib.get_close_matches(normalised, self.codes, n=3, cutoff=0.6)
        raise UnknownOffenceError(code, suggestions)

    def __contains__(self, code: object) -> bool:
        return code in self.codes


@cache
def load_offence_catalogue() -> OffenceCatalogue:
    """Load the packaged catalogue once; a bad file raises ``RuleDataError`` naming the field."""
    return load_rule_data(OFFENCES_FILE, OffenceCatalogue)
