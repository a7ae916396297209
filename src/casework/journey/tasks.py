"""What a user must do next on their cases: deadlines close or passed, proposals to confirm,
victims to contact, CPS action plans to answer, files waiting for a charging decision.

Nothing here is new knowledge: each task is something the deadline, timeline, victim and
CPS services already say; this module only gathers them for one person's list, soonest
first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from casework.domain.case_deadlines import DeadlineKind
from casework.domain.cps import ChargingOutcome
from casework.domain.journey_repositories import JourneyStore
from casework.domain.pole import Confirmation
from casework.domain.rules.offences import UnknownOffenceError
from casework.domain.stages import Stage
from casework.domain.victim import FlagKind
from casework.journey import cases as case_service
from casework.journey import cps as cps_service
from casework.journey import victim as victim_service
from casework.journey.rules import offence_catalogue

SOON_DAYS = 7
"""A deadline within this many days is a task."""


class TaskKind(StrEnum):
    DEADLINE = "deadline"
    PROPOSAL = "proposal"
    VICTIM_CONTACT = "victim_contact"
    ACTION_PLAN = "action_plan"
    CHARGING_DECISION = "charging_decision"

    @property
    def words(self) -> str:
        return {
            TaskKind.DEADLINE: "deadline",
            TaskKind.PROPOSAL: "confirm timeline events",
            TaskKind.VICTIM_CONTACT: "victim",
            TaskKind.ACTION_PLAN: "answer the CPS",
            TaskKind.CHARGING_DECISION: "charging decision",
        }[self]


@dataclass(frozen=True, slots=True)
class Task:
    """One thing to do on one case, with where to do it and why."""

    kind: TaskKind
    reference: str
    what: str
    why: str
    due: date | None
    anchor: str
    """Where on the case's pages it is done: ``#victim``, ``/timeline#proposed``, ..."""

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days


@dataclass(frozen=True, slots=True)
class TaskScope:
    """Which kinds of task the user's role can act on (the policy decides; pages pass it)."""

    deadlines: bool = True
    proposals: bool = False
    victim: bool = False
    action_plans: bool = False
    decisions: bool = False


_VICTIM_FLAGS = frozenset(
    {
        FlagKind.NO_RECENT_CONTACT,
        FlagKind.CONTACT_AGAINST_WISHES,
        FlagKind.IDVA_REFERRAL_MISSING,
        FlagKind.MARAC_REFERRAL_MISSING,
    }
)


def _deadline_name(kind: DeadlineKind, about: str) -> str:
    if kind is not DeadlineKind.TIME_LIMIT:
        return about.replace("_", " ").capitalize()
    try:
        return f"Time limit to charge: {offence_catalogue().get(about).name}"
    except UnknownOffenceError:
        return f"Time limit to charge: {about}"


def _awaits_decision(cps: cps_service.CpsFile) -> bool:
    """A file with the CPS and no decision yet, or sent back and now returned."""
    return cps.decision is None or cps.decision.outcome is ChargingOutcome.FURTHER_INVESTIGATION


def tasks_for(
    *,
    store: JourneyStore,
    scopes: Mapping[str, TaskScope],
    today: date,
) -> list[Task]:
    """The tasks on the user's cases (reference -> what the user may act on there).

    Overdue first, then soonest, undated last.
    """
    found: list[Task] = []
    for reference, scope in scopes.items():
        file = case_service.get_case(store=store, reference=reference)
        ref = str(file.case.reference)
        if scope.deadlines:
            for d in file.deadlines:
                left = d.days_left(today)
                answered_below = scope.action_plans and d.kind is DeadlineKind.CPS_ACTION
                if d.is_open and left is not None and left <= SOON_DAYS and not answered_below:
                    found.append(
                        Task(
                            TaskKind.DEADLINE,
                            ref,
                            _deadline_name(d.kind, d.about),
                            d.rule,
                            d.due,
                            "#deadlines",
                        )
                    )
        if scope.proposals:
            waiting = [e for e in file.events if e.status is Confirmation.PROPOSED]
            if waiting:
                found.append(
                    Task(
                        TaskKind.PROPOSAL,
                        ref,
                        f"{len(waiting)} event{'s' if len(waiting) != 1 else ''} proposed from "
                        "documents to confirm or reject",
                        "proposals count towards patterns only once confirmed",
                        None,
                        "/timeline#proposed",
                    )
                )
        if scope.victim:
            panel = victim_service.victim_panel(store=store, reference=ref, today=today)
            for flag in panel.engagement.flags:
                if flag.kind in _VICTIM_FLAGS:
                    found.append(
                        Task(TaskKind.VICTIM_CONTACT, ref, flag.message, flag.rule, None, "#victim")
                    )
        if scope.action_plans or scope.decisions:
            cps = cps_service.cps_file(store=store, reference=ref)
            if scope.action_plans:
                for item in cps.actions:
                    if not item.response:
                        found.append(
                            Task(
                                TaskKind.ACTION_PLAN,
                                ref,
                                f"Action plan item {item.number}: {item.action}",
                                f"set by {item.set_by}",
                                item.due_on,
                                "#cps",
                            )
                        )
            if scope.decisions and file.case.stage is Stage.WITH_CPS and _awaits_decision(cps):
                found.append(
                    Task(
                        TaskKind.CHARGING_DECISION,
                        ref,
                        "File with the CPS waiting for a charging decision",
                        "Director's Guidance on Charging (DG6)",
                        None,
                        "#cps",
                    )
                )
    return sorted(
        found,
        key=lambda t: (t.due is None, t.due or today, t.reference, t.kind.value, t.what),
    )
