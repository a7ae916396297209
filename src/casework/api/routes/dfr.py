"""``POST /api/dfr/coverage`` and ``POST /api/dfr/place``: drone docks from incident history.

Files in, results out: the incidents and sites come in the body as CSV text (the files
``casework dfr`` reads), the profile as JSON and zones/boundary as GeoJSON; nothing is
stored. The answer is the JSON of ``casework dfr ... --format json``; rows left out are
listed in ``skipped_rows``. Each run is in the audit log with its counts, never its rows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, SessionDep, requires, without_database
from casework.dfr.coverage import CoverageReport
from casework.dfr.placement import Method
from casework.dfr.planning import DEFAULT_TARGET_S, PlanInputs, cover, place
from casework.dfr.sources import inputs_from_text
from casework.dfr.svgmap import render_map
from casework.security.principal import Principal
from casework.security.roles import Action

router = APIRouter(prefix="/api/dfr", tags=["dfr"])

MAX_CSV_CHARS = 64 * 1024 * 1024


class PlanBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    incidents_csv: Annotated[
        str,
        Field(
            max_length=MAX_CSV_CHARS,
            description="CSV: time, lat/lon or easting/northing, type, priority, first_arrival.",
        ),
    ]
    sites_csv: Annotated[
        str,
        Field(max_length=MAX_CSV_CHARS, description="CSV of candidate sites: id, name, position."),
    ]
    profile: dict[str, Any] | None = Field(
        None, description="Drone profile; fields left out keep the planning defaults."
    )
    zones: dict[str, Any] | None = Field(None, description="GeoJSON no-fly and restricted zones.")
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON force area, for the map.")
    target_s: Annotated[float, Field(gt=0, le=3600)] = DEFAULT_TARGET_S
    include_map: bool = Field(False, description="Add the map as SVG text (``map_svg``).")

    def inputs(self) -> PlanInputs:
        return inputs_from_text(
            incidents_csv=self.incidents_csv,
            sites_csv=self.sites_csv,
            profile=self.profile,
            zones=self.zones,
            boundary=self.boundary,
        )


class CoverageBody(PlanBody):
    docks: Annotated[list[str], Field(max_length=5_000)] | None = Field(
        None, description="Site ids with a dock (default: every site)."
    )


class PlaceBody(PlanBody):
    count: Annotated[int, Field(ge=1, le=500)]
    method: Method = Method.BOTH
    keep: Annotated[list[str], Field(max_length=500)] | None = None
    time_limit_s: Annotated[float, Field(ge=1, le=300)] = 60.0
    gap: Annotated[float, Field(ge=0, le=0.5)] = Field(
        0.0, description="Let the exact solver stop within this share of the optimum."
    )


def _answer(
    body: dict[str, object], inputs: PlanInputs, report: CoverageReport, map_: bool
) -> Response:
    if map_:
        body["map_svg"] = render_map(
            incidents=inputs.incidents,
            sites=inputs.sites,
            report=report,
            zones=inputs.zones,
            boundary=inputs.boundary,
            standalone=True,
        )
    return Response(json.dumps(body) + "\n", media_type="application/json")


def _audit(
    audit: AuditDep,
    store: SessionDep,
    principal: Principal,
    what: str,
    inputs: PlanInputs,
    **extra: Any,
) -> None:
    audit.wrote(  # a POST holds the write lock: the entry goes in its own unit of work
        store,
        principal,
        action=Action.DFR_PLAN.value,
        target=f"dfr/{what}",
        detail={
            "incidents": len(inputs.incidents),
            "sites": len(inputs.sites),
            "skipped_rows": len(inputs.problems),
            **extra,
        },
    )


PLANNING_AT_ONCE = 2
"""Plans computed at once (each takes a core for up to ``time_limit_s``); more wait their turn."""

_planning = threading.BoundedSemaphore(PLANNING_AT_ONCE)
_Result = TypeVar("_Result")


async def planned(request: Request, store: SessionDep, work: Callable[[], _Result]) -> _Result:
    """Run planning in a worker thread, a few at once, holding no database lock or slot.

    A POST's unit of work holds SQLite's write lock; a plan takes seconds to minutes, so the
    transaction ends first and the audit entry is written in a new, short one afterwards.
    """

    def bounded() -> _Result:
        with _planning:
            return work()

    async with without_database(request, store):
        return await run_in_threadpool(bounded)


@router.post("/coverage", **requires(Action.DFR_PLAN), response_class=Response)
async def coverage(
    request: Request, body: CoverageBody, principal: Authorized, store: SessionDep, audit: AuditDep
) -> Response:
    """Reach, modelled arrival and minutes gained over recorded arrival, for a set of docks."""
    inputs = await run_in_threadpool(body.inputs)  # CSV parsing: off the event loop
    report = await planned(
        request, store, lambda: cover(inputs, docks=body.docks, target_s=body.target_s)
    )
    _audit(audit, store, principal, "coverage", inputs, docks=len(report.docks))
    return await run_in_threadpool(_answer, report.as_dict(), inputs, report, body.include_map)


@router.post("/place", **requires(Action.DFR_PLAN), response_class=Response)
async def place_docks(
    request: Request, body: PlaceBody, principal: Authorized, store: SessionDep, audit: AuditDep
) -> Response:
    """The best ``count`` docks: exact (HiGHS), greedy, or both with the gap between them."""
    inputs = await run_in_threadpool(body.inputs)  # CSV parsing: off the event loop
    result = await planned(
        request,
        store,
        lambda: place(
            inputs,
            count=body.count,
            target_s=body.target_s,
            method=body.method,
            keep=body.keep,
            time_limit_s=body.time_limit_s,
            gap=body.gap,
        ),
    )
    _audit(audit, store, principal, "place", inputs, count=body.count, method=body.method.value)
    return await run_in_threadpool(_answer, result.as_dict(), inputs, result.best, body.include_map)
