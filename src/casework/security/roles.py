"""Roles and what each may do, kept as data (``security/data/roles.json``).

A permission says what kind of thing a role may do at all (read cases, record events);
whether a user may do it to a given case is for ``security.policy`` to decide, on top.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, ValidationError


class UserRole(StrEnum):
    """The roles of Casework's users (CONTRACTS.md: one demo user per role)."""

    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    PROSECUTOR = "prosecutor"
    VICTIMCARE = "victimcare"
    ANALYST = "analyst"
    COORDINATOR = "coordinator"
    TRIAGE = "triage"
    DOGUNIT = "dogunit"
    ADMIN = "admin"


class Action(StrEnum):
    """Everything the policy is asked about. Case actions need the case as the resource."""

    CASE_LIST = "case.list"
    CASE_READ = "case.read"
    CASE_OPEN = "case.open"
    CASE_ADVANCE = "case.advance"
    CASE_ADD_PARTY = "case.add_party"
    CASE_ADD_OFFENCE = "case.add_offence"
    CASE_RECORD_EVENT = "case.record_event"
    CASE_GRANT = "case.grant"
    VICTIM_RECORD = "victim.record"
    """The victim's wishes, support referrals, risk assessments and withdrawal."""
    EVIDENCE_RECORD = "evidence.record"
    """The evidence-led prosecution checklist."""
    CPS_DECIDE = "cps.decide"
    """The charging decision and the action plan (a prosecutor's)."""
    CPS_RESPOND = "cps.respond"
    """The investigator's response to an action-plan item."""
    COURT_RECORD = "court.record"
    """Court dates: listed, held or vacated."""
    CUSTODY_RECORD = "custody.record"
    """The suspect detained (the PACE clock starts) or released."""
    CONDUCT_RECORD = "conduct.record"
    """The suspect's conduct on the timeline: by hand, proposed from documents, confirmed."""
    DOCUMENT_READ = "document.read"
    DOCUMENT_LIST = "document.list"
    DOCUMENT_UPLOAD = "document.upload"
    DEADLINE_READ = "deadline.read"
    METRICS_READ = "metrics.read"
    RULES_READ = "rules.read"
    AUDIT_READ = "audit.read"
    JOBS_READ = "jobs.read"
    DFR_PLAN = "dfr.plan"
    """Drone dock coverage and placement from incident files (nothing stored)."""
    USER_MANAGE = "user.manage"
    TOKEN_CREATE = "token.create"  # noqa: S105 (an action name)
    REFERRAL_TRIAGE = "referral.triage"
    """Industry referrals: intake, matching, priority, assignment and outcomes (national)."""
    REFERRAL_READ = "referral.read"
    """Industry referrals assigned to the user's force (every one for a national role)."""
    REFERRAL_OUTCOME = "referral.outcome"
    """Record arrests and children safeguarded for a referral assigned to the user's force."""
    LANGUAGE_CHECK = "language.check"
    """Check text for language that blames child victims (no case data is read)."""
    DOG_MANAGE = "dog.manage"
    """Keep the force's police dog register: dogs, handlers, licences, welfare, deployments."""
    DOG_READ = "dog.read"
    """Read the force's police dog register, its compliance findings and dashboard."""
    MISSING_READ = "missing.read"
    """Missing-person cases of the user's force: grading, logs, review countdown."""
    MISSING_RECORD = "missing.record"
    """Open a missing-person case; add to its logs: decisions, searches, hypotheses, media."""
    MISSING_GRADE = "missing.grade"
    """Grade or review a missing person's risk, and close the case (a supervisor's)."""
    NETWORK_READ = "network.read"
    """The network of people, phones, vehicles and addresses across the cases one may read."""
    OPS_READ = "ops.read"
    """Weeks of action: operations, return status, roll-ups, reports, the line register."""
    OPS_SUBMIT = "ops.submit"
    """A force's return to a week of action (own force; the coordinator any force)."""
    LINES_MANAGE = "lines.manage"
    """The county lines line register: record a deal line, its links, its closure."""

    @property
    def on_a_case(self) -> bool:
        """Whether the action is about one case (the policy then needs the case's facts)."""
        return self in CASE_ACTIONS


CASE_ACTIONS = frozenset(
    {
        Action.CASE_READ,
        Action.CASE_ADVANCE,
        Action.CASE_ADD_PARTY,
        Action.CASE_ADD_OFFENCE,
        Action.CASE_RECORD_EVENT,
        Action.CASE_GRANT,
        Action.VICTIM_RECORD,
        Action.EVIDENCE_RECORD,
        Action.CPS_DECIDE,
        Action.CPS_RESPOND,
        Action.COURT_RECORD,
        Action.CUSTODY_RECORD,
        Action.CONDUCT_RECORD,
        Action.DOCUMENT_READ,
        Action.DOCUMENT_LIST,
        Action.DOCUMENT_UPLOAD,
    }
)


class RoleDefinition(BaseModel):
    """One role as the data file describes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: str
    national: bool
    permissions: frozenset[Action]


class RoleTable(BaseModel):
    """The whole data file: every role, each with its permissions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    source: str
    roles: dict[UserRole, RoleDefinition]


class RoleDataError(ValueError):
    """The packaged role table is missing a role or names an unknown permission."""


@cache
def role_table() -> RoleTable:
    """Return the packaged role table, validated (every role present, known actions only)."""
    text = resources.files("casework.security.data").joinpath("roles.json").read_text("utf-8")
    try:
        table = RoleTable.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as error:
        raise RoleDataError(f"security/data/roles.json: {error}") from error
    missing = sorted(set(UserRole) - set(table.roles))
    if missing:
        raise RoleDataError(f"security/data/roles.json: roles missing: {', '.join(missing)}")
    return table


def permissions_of(role: UserRole) -> frozenset[Action]:
    """Return what ``role`` may do at all."""
    return role_table().roles[role].permissions


def is_national(role: UserRole) -> bool:
    """National roles (analyst, coordinator) see aggregates, never a case's detail."""
    return role_table().roles[role].national


def permission_matrix() -> MappingProxyType[UserRole, frozenset[Action]]:
    """Every role with its permissions (for `casework user roles` and the docs)."""
    return MappingProxyType({role: permissions_of(role) for role in UserRole})
