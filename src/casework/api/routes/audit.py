"""``/api/audit``: read and verify the audit log (administrators only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.security.audit import AuditEntry, AuditQuery, audit_entries, verify_chain
from casework.security.roles import Action

router = APIRouter(prefix="/api/audit", tags=["audit"])


class ChainOut(BaseModel):
    intact: bool
    checked: int
    broken_seq: int | None
    problem: str


@router.get("", **requires(Action.AUDIT_READ))
def entries(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    case: Annotated[str | None, Query(max_length=24)] = None,
    user: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> list[AuditEntry]:
    """Entries by case, user, action and time, oldest first (page on with after_seq)."""
    found = audit_entries(
        session=store.session,
        query=AuditQuery(
            case_reference=case,
            actor=user,
            action=action,
            since=since,
            until=until,
            after_seq=after_seq,
            limit=limit,
        ),
    )
    audit.separately(
        principal,
        action=Action.AUDIT_READ.value,
        target="audit",
        detail={"case": case, "user": user, "count": len(found)},
    )
    return found


@router.get("/verify", **requires(Action.AUDIT_READ))
def verify(principal: Authorized, store: SessionDep) -> ChainOut:
    """Check the whole chain; name the first entry that was changed, removed or moved."""
    report = verify_chain(session=store.session)
    return ChainOut(
        intact=report.intact,
        checked=report.checked,
        broken_seq=report.broken_seq,
        problem=report.problem,
    )
