"""Stages of a case from report to outcome, and the table of moves allowed between them.

The table is explicit data (``TRANSITIONS``), not scattered ``if``s, so that a reviewer can
read in one place which moves exist and which agency decides each one. One rule sits on
top of it: a domestic-abuse case goes to the CPS for the charging decision (Director's
Guidance on Charging, 6th edition, 2020): police may not charge it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, field_validator

DG6_SOURCE = "Director's Guidance on Charging, 6th edition (2020)"


class Stage(StrEnum):
    """Where a case is in the justice journey."""

    REPORTED = "reported"
    INVESTIGATING = "investigating"
    WITH_CPS = "with_cps"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"
    OUT_OF_COURT_RESOLUTION = "out_of_court_resolution"
    AT_COURT = "at_court"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISCONTINUED = "discontinued"

    @property
    def words(self) -> str:
        return {
            Stage.WITH_CPS: "with the CPS for charging advice",
            Stage.NO_FURTHER_ACTION: "no further action",
            Stage.OUT_OF_COURT_RESOLUTION: "out-of-court resolution",
        }.get(self, self.value.replace("_", " "))

    @property
    def is_outcome(self) -> bool:
        """A court or prosecution outcome: the journey has ended."""
        return self in OUTCOMES

    @property
    def is_open(self) -> bool:
        """Police or the CPS still have work to do before a decision (time limits still run)."""
        return self in (Stage.REPORTED, Stage.INVESTIGATING, Stage.WITH_CPS)


OUTCOMES = frozenset({Stage.CONVICTED, Stage.ACQUITTED, Stage.DISCONTINUED})


class Agency(StrEnum):
    """Who makes a decision: police, the Crown Prosecution Service, or a court."""

    POLICE = "police"
    CPS = "cps"
    COURT = "court"


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed move and the agencies that may decide it."""

    source: Stage
    target: Stage
    deciders: frozenset[Agency]
    why: str


def _t(source: Stage, target: Stage, *deciders: Agency, why: str) -> Transition:
    return Transition(source, target, frozenset(deciders), why)


_P, _C, _J = Agency.POLICE, Agency.CPS, Agency.COURT
S = Stage
_TABLE: tuple[Transition, ...] = (
    _t(S.REPORTED, S.INVESTIGATING, _P, why="the police investigate the report"),
    _t(S.REPORTED, S.NO_FURTHER_ACTION, _P, why="no crime, or nothing to investigate"),
    _t(S.INVESTIGATING, S.WITH_CPS, _P, why="file sent to the CPS for a charging decision"),
    _t(S.INVESTIGATING, S.CHARGED, _P, why="police charge (DG6: not domestic abuse)"),
    _t(S.INVESTIGATING, S.NO_FURTHER_ACTION, _P, why="police decide not to proceed"),
    _t(S.INVESTIGATING, S.OUT_OF_COURT_RESOLUTION, _P, why="caution or community resolution"),
    _t(S.WITH_CPS, S.CHARGED, _C, why="CPS decision to charge (MG3)"),
    _t(S.WITH_CPS, S.NO_FURTHER_ACTION, _C, why="CPS decision not to charge"),
    _t(S.WITH_CPS, S.OUT_OF_COURT_RESOLUTION, _C, why="CPS advise an out-of-court resolution"),
    _t(S.WITH_CPS, S.INVESTIGATING, _C, _P, why="action plan: more investigation first"),
    _t(S.CHARGED, S.AT_COURT, _J, why="first hearing listed"),
    _t(S.CHARGED, S.DISCONTINUED, _C, why="CPS discontinue before the first hearing"),
    _t(S.AT_COURT, S.CONVICTED, _J, why="guilty plea or verdict"),
    _t(S.AT_COURT, S.ACQUITTED, _J, why="not guilty, or dismissed"),
    _t(S.AT_COURT, S.DISCONTINUED, _C, why="CPS discontinue or offer no evidence"),
    _t(S.NO_FURTHER_ACTION, S.INVESTIGATING, _P, _C, why="reopened: new evidence or a review"),
    _t(S.OUT_OF_COURT_RESOLUTION, S.INVESTIGATING, _P, why="conditions breached: prosecute"),
)
del S

TRANSITIONS: MappingProxyType[tuple[Stage, Stage], Transition] = MappingProxyType(
    {(t.source, t.target): t for t in _TABLE}
)
"""Every allowed move, keyed by (from, to). A move not here never happens."""


def allowed_targets(stage: Stage) -> list[Stage]:
    """Return the stages a case at ``stage`` may move to, in table order."""
    return [t.target for t in _TABLE if t.source is stage]


class StageRuleError(ValueError):
    """A move the rules refuse; the message says why and what to do instead."""


class TransitionNotAllowed(StageRuleError):
    """The move is not in the transition table, or not for this deciding agency."""


class CpsDecisionRequired(StageRuleError):
    """Police tried to charge a domestic-abuse case, which only the CPS may decide."""


def check_transition(
    *, current: Stage, target: Stage, decided_by: Agency, domestic_abuse: bool
) -> Transition:
    """Return the table entry for the move, or raise ``StageRuleError`` saying why not."""
    if (
        domestic_abuse
        and target is Stage.CHARGED
        and not (current is Stage.WITH_CPS and decided_by is Agency.CPS)
    ):
        raise CpsDecisionRequired(
            "a domestic-abuse case goes to the CPS for the charging decision; police may not "
            f"charge it themselves ({DG6_SOURCE}). Move it to {Stage.WITH_CPS.value} first, "
            "then record the CPS decision to charge"
        )
    transition = TRANSITIONS.get((current, target))
    if transition is None:
        allowed = ", ".join(s.value for s in allowed_targets(current)) or "none (final stage)"
        raise TransitionNotAllowed(
            f"a case at {current.value} cannot move to {target.value}; allowed: {allowed}"
        )
    if decided_by not in transition.deciders:
        who = " or ".join(sorted(a.value for a in transition.deciders))
        raise TransitionNotAllowed(
            f"{current.value} -> {target.value} is decided by {who}, not {decided_by.value}"
        )
    return transition


def default_decider(current: Stage, target: Stage) -> Agency | None:
    """Return the only agency that may decide the move, or None when several (or none) may."""
    transition = TRANSITIONS.get((current, target))
    if transition is None or len(transition.deciders) != 1:
        return None
    (only,) = transition.deciders
    return only


class StageChange(BaseModel):
    """One move of a case: from where to where, decided by whom, recorded by whom, when, why.

    ``source`` is None for the first entry (the case opening at ``reported``).
    """

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(default_factory=uuid4)
    source: Stage | None
    target: Stage
    decided_by: Agency
    actor: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=4000)
    at: datetime

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("must be timezone-aware")
        return value

    @field_validator("actor", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()
