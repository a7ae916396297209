"""The suspect timeline page: before, during and after the offence on a zoomable time axis,
the suspect's other cases, and the events proposed from documents to confirm or reject.

Reads as ``GET /api/cases/{ref}/timeline`` reads (the same need-to-know check for the other
cases, the same audit entry); confirm and reject call the services the API's conduct routes
call, under ``conduct.record``. Zoom is a link (HTMX swaps only the chart and its table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from starlette.responses import Response

from casework.api.deps import CaseInScope, requires
from casework.domain.cases import CaseReference
from casework.domain.pole import EventPhase
from casework.domain.timeline import ConductKind
from casework.errors import CaseworkError, InvalidInput
from casework.journey import timeline as timeline_service
from casework.security.access import case_facts
from casework.security.policy import CaseFacts, can
from casework.security.roles import Action
from casework.store.journey_repositories import SqlJourneyStore
from casework.web.deps import FormDep
from casework.web.forms import PageContext, PageContextDep
from casework.web.language_notes import wording_from
from casework.web.pages_cases import Typed
from casework.web.render import page
from casework.web.timeline_svg import ZOOMS, moment, timeline_svg, window_for

router = APIRouter(include_in_schema=False)

Zoom = Annotated[str, Query(max_length=8)]


def _timeline_page(
    ctx: PageContext,
    *,
    facts: CaseFacts,
    zoom: str = "all",
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    request, principal, store, audit = ctx.request, ctx.principal, ctx.store, ctx.audit
    journey = SqlJourneyStore(store.session)

    def may_see(other: CaseReference) -> bool:
        found = case_facts(session=store.session, principal=principal, reference=other)
        return found is not None and can(principal, Action.CASE_READ, found)

    result = timeline_service.suspect_timeline(
        store=journey, reference=facts.reference, include_other_cases=True, may_see=may_see
    )
    store.rollback()
    audit.separately(
        principal, action=Action.CASE_READ.value, case_reference=facts.reference, target="timeline"
    )
    timeline = result.timeline
    zoom = zoom if zoom in ZOOMS else "all"
    window = window_for(timeline.entries, timeline.offence.start, zoom)
    in_view = [e for e in timeline.entries if window.holds(e.when)]
    proposed = [e for e in timeline.entries if e.awaiting_confirmation and not e.other_case]
    partial = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    return page(
        request,
        "timeline/view.html" if partial else "timeline/timeline.html",
        principal=principal,
        csrf=ctx.csrf,
        status=status,
        title=f"Suspect timeline, case {facts.reference}",
        reference=facts.reference,
        result=result,
        timeline=timeline,
        chart=timeline_svg(
            timeline.entries, window, title=f"Suspect timeline of case {facts.reference}"
        ),
        zoom=zoom,
        zooms=ZOOMS,
        in_view=in_view,
        proposed=proposed,
        moment_of=moment,
        kinds=list(ConductKind),
        phases=list(EventPhase),
        may_confirm=can(principal, Action.CONDUCT_RECORD, facts),
        typed=typed or Typed(form=""),
        done={
            "confirmed": "Event confirmed.",
            "rejected": "Event rejected: kept on record, off the timeline.",
        }.get(request.query_params.get("done", ""), ""),
        wording=wording_from(request),
    )


@router.get("/cases/{reference}/timeline", **requires(Action.CASE_READ))
def timeline_page(
    reference: str, case: CaseInScope, ctx: PageContextDep, zoom: Zoom = "all"
) -> Response:
    """The suspect's actions before, during and after the offence, and earlier incidents."""
    return _timeline_page(ctx, facts=case, zoom=zoom)


def _form_write(
    ctx: PageContext, *, case: CaseFacts, typed: Typed, act: Callable[[], str]
) -> Response:
    """Run a confirm or reject (``act`` returns where to go next); a refusal shows the page."""

    def refused(problem: CaseworkError) -> Response:
        refusal = typed.refused(problem, typed.values)
        return _timeline_page(ctx, facts=case, typed=refusal, status=problem.http_status)

    return ctx.form_write(act, refused, typed=typed.values)


@router.post(
    "/cases/{reference}/timeline/events/{event_id}/confirm", **requires(Action.CONDUCT_RECORD)
)
def confirm(
    reference: str, event_id: UUID, form: FormDep, case: CaseInScope, ctx: PageContextDep
) -> Response:
    """Confirm a proposed event, saying what the suspect did; it then counts to patterns."""
    typed = Typed(
        form=f"confirm-{event_id}",
        values={
            "kind": form.get("kind", "").strip()[:40],
            "phase": form.get("phase", "").strip()[:10],
            "description": form.get("description", "").strip()[:4000],
            "fear_of_violence": "on" if form.get("fear_of_violence") else "",
        },
    )
    values = typed.values

    def act() -> str:
        try:
            kind = ConductKind(values["kind"])
        except ValueError as error:
            raise InvalidInput("kind: choose what the suspect did") from error
        try:
            phase = EventPhase(values["phase"]) if values["phase"] else None
        except ValueError as error:
            raise InvalidInput("phase: choose before, during or after the offence") from error
        ctx.wrote(
            Action.CONDUCT_RECORD,
            case_reference=case.reference,
            target=str(event_id),
            detail={"confirmed_as": kind.value},
        )
        timeline_service.confirm_conduct(
            store=SqlJourneyStore(ctx.store.session),
            reference=case.reference,
            event_id=event_id,
            kind=kind,
            phase=phase,
            description=values["description"] or None,
            fear_of_violence=bool(values["fear_of_violence"]),
        )
        return f"/cases/{case.reference}/timeline?done=confirmed#proposed"

    return _form_write(ctx, case=case, typed=typed, act=act)


@router.post(
    "/cases/{reference}/timeline/events/{event_id}/reject", **requires(Action.CONDUCT_RECORD)
)
def reject(reference: str, event_id: UUID, case: CaseInScope, ctx: PageContextDep) -> Response:
    """Reject a proposed event: kept on record, off the timeline."""

    def act() -> str:
        ctx.wrote(
            Action.CONDUCT_RECORD,
            case_reference=case.reference,
            target=str(event_id),
            detail={"rejected": True},
        )
        timeline_service.reject_conduct(
            store=SqlJourneyStore(ctx.store.session), reference=case.reference, event_id=event_id
        )
        return f"/cases/{case.reference}/timeline?done=rejected#proposed"

    return _form_write(ctx, case=case, typed=Typed(form=f"confirm-{event_id}"), act=act)
