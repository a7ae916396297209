"""The policy decides by table: each role x each action x membership, restriction, grants."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from casework.security.policy import (
    ALL_FORCES,
    CaseFacts,
    DocumentResource,
    ForceResource,
    can,
    default_audience,
)
from casework.security.principal import Principal, Via
from casework.security.roles import CASE_ACTIONS, Action, UserRole, permissions_of

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
R = UserRole


def who(role: UserRole, *, force: str = "WY", scopes: frozenset[Action] | None = None) -> Principal:
    return Principal(
        user_id=uuid4(),
        username=role.value,
        full_name=f"{role.value} USER",
        role=role,
        force=force,
        via=Via.SESSION if scopes is None else Via.TOKEN,
        scopes=scopes,
    )


BASE = CaseFacts(
    case_id=uuid4(),
    reference="WY-2026-000001",
    force="WY",
    restricted=False,
    sent_to_cps=False,
    staff_party=False,
    on_team=False,
)

SITUATIONS: dict[str, CaseFacts] = {
    "stranger": BASE,
    "team": replace(BASE, on_team=True),
    "staff_party": replace(BASE, staff_party=True),
    "restricted_stranger": replace(BASE, restricted=True),
    "restricted_team": replace(BASE, restricted=True, on_team=True),
    "restricted_staff_party": replace(BASE, restricted=True, staff_party=True),
    "restricted_grant": replace(BASE, restricted=True, grant_expires_at=NOW + timedelta(hours=1)),
    "restricted_grant_expired": replace(
        BASE, restricted=True, grant_expires_at=NOW - timedelta(seconds=1)
    ),
    "other_force": replace(BASE, force="GMP"),
    "other_force_staff_party": replace(BASE, force="GMP", staff_party=True),
    "other_force_grant": replace(BASE, force="GMP", grant_expires_at=NOW + timedelta(days=1)),
}
SENT = {f"sent_{k}": replace(v, sent_to_cps=True) for k, v in SITUATIONS.items()}

# Who reads which case. Literal, so that a change to the policy or the role data shows here.
READS: dict[UserRole, set[str]] = {
    R.INVESTIGATOR: {
        "team",
        "staff_party",
        "restricted_team",
        "restricted_staff_party",
        "restricted_grant",
        "other_force_grant",
    },
    R.SUPERVISOR: {
        "stranger",
        "team",
        "staff_party",
        "restricted_team",
        "restricted_staff_party",
        "restricted_grant",
        "other_force_grant",
    },
    R.PROSECUTOR: {
        "sent_stranger",
        "sent_team",
        "sent_staff_party",
        "sent_restricted_team",
        "sent_restricted_staff_party",
        "sent_restricted_grant",
        "sent_other_force_grant",
    },
    R.VICTIMCARE: {
        "team",
        "staff_party",
        "restricted_team",
        "restricted_staff_party",
        "restricted_grant",
        "other_force_grant",
    },
    R.ANALYST: set(),
    R.COORDINATOR: set(),
    R.TRIAGE: set(),
    R.DOGUNIT: set(),
    R.ADMIN: set(),
}
for _role in (R.INVESTIGATOR, R.SUPERVISOR, R.VICTIMCARE):
    READS[_role] |= {f"sent_{s}" for s in READS[_role]}

# What each role may do to a case it can see.
CASE_WORK: dict[UserRole, set[Action]] = {
    R.INVESTIGATOR: {
        Action.CASE_READ,
        Action.CASE_ADVANCE,
        Action.CASE_ADD_PARTY,
        Action.CASE_ADD_OFFENCE,
        Action.CASE_RECORD_EVENT,
        Action.VICTIM_RECORD,
        Action.EVIDENCE_RECORD,
        Action.CPS_RESPOND,
        Action.CUSTODY_RECORD,
        Action.CONDUCT_RECORD,
        Action.DOCUMENT_LIST,
        Action.DOCUMENT_UPLOAD,
    },
    R.SUPERVISOR: {
        Action.CASE_READ,
        Action.CASE_ADVANCE,
        Action.CASE_ADD_PARTY,
        Action.CASE_ADD_OFFENCE,
        Action.CASE_RECORD_EVENT,
        Action.CASE_GRANT,
        Action.VICTIM_RECORD,
        Action.EVIDENCE_RECORD,
        Action.CPS_RESPOND,
        Action.COURT_RECORD,
        Action.CUSTODY_RECORD,
        Action.CONDUCT_RECORD,
        Action.DOCUMENT_LIST,
        Action.DOCUMENT_UPLOAD,
    },
    # Only a prosecutor records the charging decision and the action plan.
    R.PROSECUTOR: {
        Action.CASE_READ,
        Action.CASE_ADVANCE,
        Action.CPS_DECIDE,
        Action.COURT_RECORD,
        Action.DOCUMENT_LIST,
    },
    R.VICTIMCARE: {
        Action.CASE_READ,
        Action.CASE_RECORD_EVENT,
        Action.VICTIM_RECORD,
        Action.COURT_RECORD,
    },
    R.ANALYST: set(),
    R.COORDINATOR: set(),
    R.TRIAGE: set(),
    R.DOGUNIT: set(),
    R.ADMIN: set(),
}

ALL = {**SITUATIONS, **SENT}
CASE_ONLY = sorted(CASE_ACTIONS - {Action.DOCUMENT_READ})


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("situation", sorted(ALL))
@pytest.mark.parametrize("action", CASE_ONLY)
def test_case_actions_by_role_and_situation(role: UserRole, situation: str, action: Action) -> None:
    expected = situation in READS[role] and action in CASE_WORK[role]
    assert can(who(role), action, ALL[situation], now=NOW) is expected


GLOBAL: dict[UserRole, set[Action]] = {
    R.INVESTIGATOR: {
        Action.CASE_LIST,
        Action.CASE_OPEN,
        Action.MISSING_READ,
        Action.MISSING_RECORD,
        Action.NETWORK_READ,
        Action.REFERRAL_READ,
        Action.REFERRAL_OUTCOME,
        Action.DEADLINE_READ,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
    },
    R.SUPERVISOR: {
        Action.LANGUAGE_CHECK,
        Action.REFERRAL_READ,
        Action.REFERRAL_OUTCOME,
        Action.CASE_LIST,
        Action.MISSING_READ,
        Action.MISSING_RECORD,
        Action.MISSING_GRADE,
        Action.NETWORK_READ,
        Action.CASE_OPEN,
        Action.DEADLINE_READ,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.METRICS_READ,
        Action.JOBS_READ,
        Action.DFR_PLAN,
        Action.DOG_READ,
        Action.OPS_READ,  # the roll-ups; the line register of their own force only
        Action.OPS_SUBMIT,  # their own force's return only (FORCE_RETURN_ACTIONS)
        Action.LINES_MANAGE,
    },
    R.PROSECUTOR: {
        Action.CASE_LIST,
        Action.DEADLINE_READ,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
    },
    R.VICTIMCARE: {
        Action.CASE_LIST,
        Action.DEADLINE_READ,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
    },
    R.ANALYST: {
        Action.METRICS_READ,
        Action.DFR_PLAN,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
        Action.OPS_READ,
    },
    R.COORDINATOR: {
        Action.METRICS_READ,
        Action.DFR_PLAN,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
        Action.OPS_READ,
        Action.OPS_SUBMIT,
        Action.LINES_MANAGE,
    },
    R.TRIAGE: {
        Action.REFERRAL_TRIAGE,
        Action.REFERRAL_READ,
        Action.REFERRAL_OUTCOME,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
        Action.LANGUAGE_CHECK,
    },
    R.DOGUNIT: {Action.DOG_MANAGE, Action.DOG_READ, Action.RULES_READ, Action.TOKEN_CREATE},
    R.ADMIN: {
        Action.USER_MANAGE,
        Action.AUDIT_READ,
        Action.JOBS_READ,
        Action.RULES_READ,
        Action.TOKEN_CREATE,
    },
}


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("action", sorted(set(Action) - CASE_ACTIONS))
def test_actions_without_a_case_by_role(role: UserRole, action: Action) -> None:
    assert can(who(role), action) is (action in GLOBAL[role])


@pytest.mark.parametrize("role", list(UserRole))
def test_the_role_table_matches_the_literal_tables(role: UserRole) -> None:
    allowed = permissions_of(role)
    assert allowed - CASE_ACTIONS == GLOBAL[role]
    assert allowed & (CASE_ACTIONS - {Action.DOCUMENT_READ}) == CASE_WORK[role]


@pytest.mark.parametrize("action", sorted(CASE_ACTIONS))
def test_a_case_action_without_its_case_is_refused(action: Action) -> None:
    assert can(who(R.SUPERVISOR), action) is False


def test_case_facts_with_a_global_action_are_refused() -> None:
    assert can(who(R.SUPERVISOR), Action.CASE_LIST, SITUATIONS["team"]) is False


@pytest.mark.parametrize(
    ("force", "expected"), [("WY", True), ("GMP", False)], ids=["own force", "other force"]
)
def test_cases_open_only_in_the_users_force(force: str, expected: bool) -> None:
    assert can(who(R.INVESTIGATOR), Action.CASE_OPEN, ForceResource(force)) is expected


@pytest.mark.parametrize(
    ("role", "force", "expected"),
    [
        (R.ANALYST, ALL_FORCES, True),
        (R.ANALYST, ForceResource("GMP"), True),
        (R.COORDINATOR, ALL_FORCES, True),
        (R.COORDINATOR, ForceResource("WY"), True),
        (R.SUPERVISOR, ForceResource("WY"), True),
        (R.SUPERVISOR, ForceResource("GMP"), False),
        (R.SUPERVISOR, ALL_FORCES, False),
        (R.INVESTIGATOR, ForceResource("WY"), False),
        (R.PROSECUTOR, ALL_FORCES, False),
    ],
)
def test_metrics_national_roles_any_force_others_their_own(
    role: UserRole, force: ForceResource, expected: bool
) -> None:
    assert can(who(role), Action.METRICS_READ, force) is expected


def test_only_metrics_reach_past_the_users_force() -> None:
    assert not can(who(R.ANALYST), Action.RULES_READ, ForceResource("GMP"))


@pytest.mark.parametrize(
    ("role", "audience", "expected"),
    [
        (R.PROSECUTOR, "cps", True),
        (R.PROSECUTOR, "police", False),
        (R.PROSECUTOR, "defence", False),
        (R.INVESTIGATOR, "police", True),
        (R.INVESTIGATOR, "cps", True),
        (R.VICTIMCARE, "cps", False),
        (R.ANALYST, "cps", False),
    ],
)
def test_documents_by_audience(role: UserRole, audience: str, expected: bool) -> None:
    case = replace(SITUATIONS["team"], sent_to_cps=True)
    assert can(who(role), Action.DOCUMENT_READ, DocumentResource(case, audience)) is expected


def test_a_cps_user_sees_no_document_of_a_case_not_sent() -> None:
    resource = DocumentResource(SITUATIONS["team"], "cps")
    assert can(who(R.PROSECUTOR), Action.DOCUMENT_READ, resource) is False


def test_a_token_narrows_the_role_to_its_scopes() -> None:
    reader = who(R.INVESTIGATOR, scopes=frozenset({Action.CASE_READ}))
    case = SITUATIONS["team"]
    assert can(reader, Action.CASE_READ, case)
    assert not can(reader, Action.CASE_ADVANCE, case)
    assert not can(reader, Action.CASE_LIST)


def test_a_token_cannot_widen_the_role() -> None:
    widened = who(R.VICTIMCARE, scopes=frozenset({Action.AUDIT_READ, Action.CASE_ADVANCE}))
    assert not can(widened, Action.AUDIT_READ)
    assert not can(widened, Action.CASE_ADVANCE, SITUATIONS["team"])


def test_a_grant_ends_at_its_expiry() -> None:
    grant_ends = NOW + timedelta(hours=1)
    case = replace(SITUATIONS["restricted_stranger"], grant_expires_at=grant_ends)
    investigator = who(R.INVESTIGATOR)
    assert can(investigator, Action.CASE_READ, case, now=grant_ends - timedelta(seconds=1))
    assert not can(investigator, Action.CASE_READ, case, now=grant_ends)


@pytest.mark.parametrize("role", list(UserRole))
def test_a_cps_user_defaults_to_the_cps_copy_everyone_else_to_the_original(
    role: UserRole,
) -> None:
    expected = "cps" if role is R.PROSECUTOR else "original"
    assert default_audience(who(role)) == expected


@pytest.mark.parametrize("action", [Action.OPS_SUBMIT, Action.LINES_MANAGE])
@pytest.mark.parametrize(
    ("role", "force", "expected"),
    [
        (R.SUPERVISOR, "WY", True),  # their own force's return
        (R.SUPERVISOR, "GMP", False),
        (R.COORDINATOR, "GMP", True),  # the national centre: any force's
        (R.ANALYST, "WY", False),  # aggregates only: enters nothing
    ],
)
def test_a_forces_return_is_entered_by_its_supervisor_or_the_coordinator(
    action: Action, role: UserRole, force: str, expected: bool
) -> None:
    assert can(who(role, force="WY"), action, ForceResource(force)) is expected
