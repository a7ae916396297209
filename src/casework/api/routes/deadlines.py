"""``/api/deadlines``: deadlines overdue or due soon across the cases you may see."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.domain.repositories import DueDeadline
from casework.errors import InvalidInput
from casework.journey.deadlines import deadlines_due, today_in_london
from casework.security.access import visible_deadlines
from casework.security.roles import Action

router = APIRouter(prefix="/api/deadlines", tags=["deadlines"])

_DURATION = re.compile(r"\s*(\d{1,5})\s*([dhw])\s*")


class DueItem(DueDeadline):
    overdue: bool
    days_left: int | None


class DueList(BaseModel):
    today: date
    until: date
    deadlines: list[DueItem]


def parse_window(value: str) -> timedelta:
    """Read ``7d``, ``48h`` or ``2w`` (InvalidInput naming ``due_within`` otherwise)."""
    match = _DURATION.fullmatch(value.lower())
    if match is None:
        raise InvalidInput(f"due_within: {value!r} is not a duration; use e.g. 7d, 48h or 2w")
    amount, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
        "w": timedelta(weeks=amount),
    }[unit]


@router.get("", **requires(Action.DEADLINE_READ))
def due(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    due_within: Annotated[str, Query(max_length=10, description="7d, 48h, 2w")] = "7d",
) -> DueList:
    """Open deadlines overdue or falling due within the window, soonest first."""
    window = parse_window(due_within)
    today = today_in_london()
    found = visible_deadlines(
        session=store.session,
        principal=principal,
        due=deadlines_due(store=store, within=window, today=today, force=principal.force),
    )
    audit.separately(
        principal,
        action=Action.DEADLINE_READ.value,
        target="deadlines",
        detail={"due_within": due_within, "count": len(found)},
    )
    return DueList(
        today=today,
        until=today + timedelta(days=window.days),
        deadlines=[
            DueItem(
                **dict(d),
                overdue=d.deadline.is_overdue(today),
                days_left=d.deadline.days_left(today),
            )
            for d in found
        ],
    )
