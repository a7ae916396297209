"""``/api/cases/{reference}/timeline/events``: the suspect's conduct, entered or confirmed.

Conduct entered by hand, and events proposed from documents confirmed (saying what the
suspect did) or rejected; the same operations as ``casework suspect``. Each route parses,
lets the guard ask the policy, writes the audit entry in the same unit of work and calls
a ``journey.timeline`` service; no rule lives here.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from casework.api.deps import CaseInScope, requires
from casework.api.routes.journey import JourneyDep
from casework.api.routes.writing import RecorderDep, fields_of, naming
from casework.domain.pole import Event, EventPhase
from casework.domain.timeline import ConductKind
from casework.journey import timeline as timeline_service
from casework.security.roles import Action

router = APIRouter(prefix="/api/cases", tags=["victim, CPS and suspect"])


class ConductIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: ConductKind
    at: date | AwareDatetime = Field(
        description="A date-time with a time zone, or a date when the time is not known."
    )
    description: str = Field(min_length=1, max_length=4000, description="What happened.")
    phase: EventPhase | None = None
    fear_of_violence: bool = Field(default=False, description="The victim feared violence.")


class ConfirmIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: ConductKind
    phase: EventPhase | None = None
    description: str | None = Field(
        default=None, min_length=1, max_length=4000, description="Say it better."
    )
    fear_of_violence: bool = False


@router.post("/{reference}/timeline/events", status_code=201, **requires(Action.CONDUCT_RECORD))
def add_conduct(
    body: ConductIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> Event:
    """Record something the suspect did, for the suspect timeline."""
    rec.wrote(
        Action.CONDUCT_RECORD,
        case_reference=case.reference,
        target="timeline.event",
        detail={"kind": body.kind.value},
    )
    with naming("at", {"description": "description"}):
        return timeline_service.add_conduct(
            store=store,
            reference=case.reference,
            kind=body.kind,
            when=body.at,
            description=body.description,
            phase=body.phase,
            fear_of_violence=body.fear_of_violence,
            actor=rec.principal.username,
        )


@router.post("/{reference}/timeline/events/{event_id}/confirm", **requires(Action.CONDUCT_RECORD))
def confirm(
    event_id: UUID,
    body: ConfirmIn,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> dict[str, Any]:
    """Confirm an event proposed from a document; it then counts towards patterns."""
    rec.wrote(
        Action.CONDUCT_RECORD,
        case_reference=case.reference,
        target=str(event_id),
        detail={"confirmed_as": body.kind.value},
    )
    with naming("kind"):
        event = timeline_service.confirm_conduct(
            store=store,
            reference=case.reference,
            event_id=event_id,
            **fields_of(body),
        )
    return {**event.model_dump(mode="json"), "conduct": body.kind.value}


@router.post("/{reference}/timeline/events/{event_id}/reject", **requires(Action.CONDUCT_RECORD))
def reject(
    event_id: UUID,
    case: CaseInScope,
    rec: RecorderDep,
    store: JourneyDep,
) -> Event:
    """Reject an event proposed from a document: kept on record, off the timeline."""
    rec.wrote(
        Action.CONDUCT_RECORD,
        case_reference=case.reference,
        target=str(event_id),
        detail={"rejected": True},
    )
    return timeline_service.reject_conduct(store=store, reference=case.reference, event_id=event_id)
