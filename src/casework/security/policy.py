"""The one place that decides who may do what: ``can(principal, action, resource)``.

Routes and commands only ask; nothing else holds an access rule. Pure: the facts about a
case (who is on its team, whether it is restricted or was sent to the CPS, the caller's
grants) are gathered by ``security.access`` and passed in.

Need-to-know, in order:

1. The role must have the permission at all (``security/data/roles.json``); a token
   narrows that to its scopes.
2. National roles (analyst, coordinator) never see a case's detail, only aggregates: the
   metrics of any force or of all forces together. Others see their own force's metrics.
3. A CPS prosecutor sees only cases sent to the CPS (a stage change to ``with_cps`` or a
   CPS decision), and only the CPS audience of their documents.
4. Otherwise a user sees a case as a member of its team (named on it in a staff role, e.g.
   officer in the case, in their force; or put on the team explicitly), or by an explicit
   grant that has not expired or been revoked, or as a supervisor (or, for cases sent to
   the CPS, a prosecutor) in the case's force.
5. A restricted case (e.g. an officer as the suspect) is hidden from the force at large:
   only its team and explicit grants see it.

A force's return to a week of action, and its deal lines in the county lines register, are
written by a user of that force, or by the national coordinator for any force. The roll-ups
are aggregates that every ``ops.read`` holder sees; the register names people and places, so
a force user sees only their own force's lines (``lines_visible_to``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from casework.security.principal import Principal
from casework.security.roles import Action, UserRole, is_national

CPS_AUDIENCE = "cps"
ORIGINAL_AUDIENCE = "original"
"""A document as uploaded, unredacted."""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the policy needs to know about one case, as seen by one principal."""

    case_id: UUID
    reference: str
    force: str
    restricted: bool
    sent_to_cps: bool
    staff_party: bool
    """The principal is named on the case in a staff role (officer in the case, IDVA, ...)."""
    on_team: bool
    """The principal was put on the case's team explicitly."""
    grant_expires_at: datetime | None = None
    """When the principal's latest unrevoked grant on this case ends (None: no grant)."""

    @property
    def member(self) -> bool:
        return self.staff_party or self.on_team


FORCE_RETURN_ACTIONS = frozenset({Action.OPS_SUBMIT, Action.LINES_MANAGE})
"""A force's own data for a week of action: its user's force, or any for the coordinator."""


@dataclass(frozen=True, slots=True)
class ForceResource:
    """A force as the target (opening a case in it)."""

    force: str


ALL_FORCES = ForceResource("*")
"""Every force at once (the metrics of all forces together)."""


@dataclass(frozen=True, slots=True)
class DocumentResource:
    """A case document in one audience's version (``cps``, ``defence``, ``police``, ...)."""

    case: CaseFacts
    audience: str


Resource = CaseFacts | ForceResource | DocumentResource | None


def can(
    principal: Principal, action: Action, resource: Resource = None, *, now: datetime | None = None
) -> bool:
    """Return whether ``principal`` may do ``action`` to ``resource``.

    Case actions without their case, and case facts with a non-case action, are refused:
    a caller that forgets the resource gets "no", never "yes".
    """
    if action not in principal.permissions:
        return False
    if isinstance(resource, DocumentResource):
        if action is not Action.DOCUMENT_READ:
            return False
        if principal.role is UserRole.PROSECUTOR and resource.audience != CPS_AUDIENCE:
            return False
        return sees_case(principal, resource.case, now=now)
    if isinstance(resource, CaseFacts):
        if not action.on_a_case or action is Action.DOCUMENT_READ:
            return False
        return sees_case(principal, resource, now=now)
    if action.on_a_case:
        return False
    if isinstance(resource, ForceResource):
        if action is Action.METRICS_READ and is_national(principal.role):
            return True
        if action in FORCE_RETURN_ACTIONS and principal.role is UserRole.COORDINATOR:
            return True  # the national centre enters or corrects any force's return
        return resource.force == principal.force
    return resource is None


def default_audience(principal: Principal) -> str:
    """The version of a document a user gets when they name none: CPS users the CPS copy."""
    return CPS_AUDIENCE if principal.role is UserRole.PROSECUTOR else ORIGINAL_AUDIENCE


def sees_case(principal: Principal, case: CaseFacts, *, now: datetime | None = None) -> bool:
    """Return whether the case is within ``principal``'s need to know (rules 2 to 5 above)."""
    if is_national(principal.role):
        return False
    if principal.role is UserRole.PROSECUTOR and not case.sent_to_cps:
        return False
    if case.on_team:
        return True
    if case.staff_party and case.force == principal.force:
        return True
    if case.grant_expires_at is not None and case.grant_expires_at > (now or datetime.now(UTC)):
        return True
    if case.restricted or case.force != principal.force:
        return False
    return principal.role in (UserRole.SUPERVISOR, UserRole.PROSECUTOR)


def lines_visible_to(principal: Principal) -> str | None:
    """The force whose deal lines this user may read: ``None`` (every force) for a national role.

    A line links phone numbers to people and places (POLE): personal data a force shares
    with the national centre, not with the other 42 forces.
    """
    return None if is_national(principal.role) else principal.force
