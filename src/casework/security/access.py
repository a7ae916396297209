"""Gather the facts the policy decides on, and filter lists down to what a user may see.

Nothing here decides: every yes or no comes from ``security.policy.can``. These functions
only read the case rows, staff parties, explicit teams and grants, a few queries per list
rather than one per case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework.domain.cases import PROFESSIONAL_ROLES, CaseQuery, CaseReference, CaseSummary
from casework.domain.repositories import DueDeadline
from casework.domain.stages import Agency, Stage
from casework.security.policy import CaseFacts, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store.models import CasePartyRow, CaseRow, PersonRow, StageChangeRow
from casework.store.security_models import CaseGrantRow, CaseTeamMemberRow

_STAFF = [r.value for r in PROFESSIONAL_ROLES]
_MAX_PAGES = 50


def case_facts_many(
    *, session: Session, principal: Principal, references: Iterable[str]
) -> dict[str, CaseFacts]:
    """Return the facts of each existing case among ``references``, keyed by reference."""
    wanted = sorted({str(r).upper() for r in references})
    if not wanted:
        return {}
    cases = session.execute(
        select(CaseRow.id, CaseRow.reference, CaseRow.force, CaseRow.restricted).where(
            CaseRow.reference.in_(wanted)
        )
    ).all()
    if not cases:
        return {}
    ids = [c[0] for c in cases]
    sent = set(
        session.scalars(
            select(StageChangeRow.case_id).where(
                StageChangeRow.case_id.in_(ids),
                or_(
                    StageChangeRow.target == Stage.WITH_CPS.value,
                    StageChangeRow.decided_by == Agency.CPS.value,
                ),
            )
        )
    )
    staff = set(
        session.scalars(
            select(CasePartyRow.case_id)
            .join(PersonRow, PersonRow.id == CasePartyRow.person_id)
            .where(
                CasePartyRow.case_id.in_(ids),
                CasePartyRow.role.in_(_STAFF),
                PersonRow.name_key == principal.name_key,
            )
        )
    )
    team = set(
        session.scalars(
            select(CaseTeamMemberRow.case_id).where(
                CaseTeamMemberRow.case_id.in_(ids), CaseTeamMemberRow.user_id == principal.user_id
            )
        )
    )
    grants: dict[UUID, datetime] = {
        case_id: expires
        for case_id, expires in session.execute(
            select(CaseGrantRow.case_id, func.max(CaseGrantRow.expires_at))
            .where(
                CaseGrantRow.case_id.in_(ids),
                CaseGrantRow.user_id == principal.user_id,
                CaseGrantRow.revoked_at.is_(None),
            )
            .group_by(CaseGrantRow.case_id)
        )
    }
    return {
        reference: CaseFacts(
            case_id=case_id,
            reference=reference,
            force=force,
            restricted=restricted,
            sent_to_cps=case_id in sent,
            staff_party=case_id in staff,
            on_team=case_id in team,
            grant_expires_at=_aware(grants.get(case_id)),
        )
        for case_id, reference, force, restricted in cases
    }


def _aware(value: datetime | None) -> datetime | None:
    # func.max loses the column type on SQLite; read it back as the UTC it was written in.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def case_facts(
    *, session: Session, principal: Principal, reference: str | CaseReference
) -> CaseFacts | None:
    """Return the facts of one case, or None when there is no such case."""
    key = str(reference).upper()
    return case_facts_many(session=session, principal=principal, references=[key]).get(key)


def visible_cases(
    *,
    session: Session,
    principal: Principal,
    query: CaseQuery,
    search: Callable[[CaseQuery], list[CaseSummary]],
    now: datetime | None = None,
) -> list[CaseSummary]:
    """Return up to ``query.limit`` cases matching ``query`` that ``principal`` may read.

    Listing is scoped to the user's force; cases of other forces reached through a grant
    are opened by reference. ``search`` is the journey's case search; pages are fetched
    until the limit is filled or the cases run out.
    """
    if not can(principal, Action.CASE_LIST):
        return []
    if query.force is not None and query.force.upper() != principal.force:
        return []
    scoped = query.model_copy(update={"force": principal.force, "offset": 0})
    found: list[CaseSummary] = []
    skip = query.offset
    offset = 0
    for _ in range(_MAX_PAGES):
        page = search(scoped.model_copy(update={"offset": offset}))
        if not page:
            break
        facts = case_facts_many(
            session=session, principal=principal, references=[str(c.reference) for c in page]
        )
        for summary in page:
            fact = facts.get(str(summary.reference))
            if fact is None or not can(principal, Action.CASE_READ, fact, now=now):
                continue
            if skip:
                skip -= 1
                continue
            found.append(summary)
            if len(found) == query.limit:
                return found
        offset += len(page)
        if len(page) < scoped.limit:
            break
    return found


def visible_deadlines(
    *,
    session: Session,
    principal: Principal,
    due: list[DueDeadline],
    now: datetime | None = None,
) -> list[DueDeadline]:
    """Keep the deadlines of cases ``principal`` may read."""
    if not can(principal, Action.DEADLINE_READ):
        return []
    facts = case_facts_many(
        session=session, principal=principal, references=[str(d.reference) for d in due]
    )
    return [
        d
        for d in due
        if (fact := facts.get(str(d.reference))) is not None
        and can(principal, Action.CASE_READ, fact, now=now)
    ]
