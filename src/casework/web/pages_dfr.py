"""Drone docks: compare placements and see the modelled gain on a map.

``GET /dfr`` plans on Demoshire, the synthetic force (so the page works out of the box);
``POST /dfr`` plans on a force's own files, uploaded in the form. Files in, results out:
nothing is stored. Each run is in the audit log with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires, without_database
from casework.api.routes.dfr import planned
from casework.dfr.coverage import CoverageReport
from casework.dfr.demo import demo_inputs
from casework.dfr.placement import Method
from casework.dfr.planning import DEFAULT_TARGET_S, PlacementResult, PlanInputs, cover, place
from casework.dfr.sources import Upload, inputs_from_uploads
from casework.dfr.svgmap import render_map
from casework.errors import CaseworkError, InvalidInput, TooLarge
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.web.deps import PageCsrf
from casework.web.render import page

router = APIRouter(include_in_schema=False)

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
FILE_FIELDS = ("incidents", "sites", "profile", "zones", "boundary")
DEMO_INCIDENTS = 5_000
DEMO_SITES = 80


@lru_cache(maxsize=1)
def _demoshire() -> PlanInputs:
    """The synthetic force, its reach worked out once per process."""
    inputs = demo_inputs(DEMO_INCIDENTS, DEMO_SITES)
    _ = inputs.reach
    return inputs


@dataclass(frozen=True, slots=True)
class Choice:
    count: int
    target_s: float
    method: Method
    docks: list[str]

    def as_form(self) -> dict[str, object]:
        return {
            "count": self.count,
            "target": f"{self.target_s:g}",
            "method": self.method.value,
            "docks": ", ".join(self.docks),
        }


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()][:500]


def _plan(inputs: PlanInputs, choice: Choice) -> dict[str, Any]:
    """The placement, the planner's own docks if named, and a map of each."""
    result: PlacementResult = place(
        inputs, count=choice.count, target_s=choice.target_s, method=choice.method
    )
    compared: list[tuple[str, CoverageReport]] = [
        (f"best {choice.count} ({result.solutions[-1].method.value})", result.best)
    ]
    if choice.docks:
        compared.append(("your docks", cover(inputs, docks=choice.docks, target_s=choice.target_s)))
    maps = [
        (
            label,
            Markup(  # noqa: S704 (our own SVG: every text in it is escaped by render_map)
                render_map(
                    incidents=inputs.incidents,
                    sites=inputs.sites,
                    report=report,
                    zones=inputs.zones,
                    boundary=inputs.boundary,
                    title=f"Map: {label}",
                )
            ),
        )
        for label, report in compared
    ]
    return {
        "result": result.as_dict(),
        "compared": [(label, report.as_dict()) for label, report in compared],
        "maps": maps,
        "problems": inputs.problems[:50],
        "problem_count": len(inputs.problems),
        "incident_count": len(inputs.incidents),
        "site_count": len(inputs.sites),
        "zone_count": len(inputs.zones),
        "profile": inputs.profile.as_dict(),
    }


def _audit(audit: AuditDep, store: SessionDep | None, principal: Principal, **detail: Any) -> None:
    if store is None:
        audit.separately(principal, action=Action.DFR_PLAN.value, target="dfr", detail=detail)
    else:  # a POST holds the write lock: the entry goes in its own unit of work
        audit.wrote(store, principal, action=Action.DFR_PLAN.value, target="dfr", detail=detail)


@router.get("/dfr", **requires(Action.DFR_PLAN))
def dfr_demo(
    request: Request,
    principal: Authorized,
    audit: AuditDep,
    csrf: PageCsrf,
    count: Annotated[int, Query(ge=1, le=30)] = 6,
    target: Annotated[float, Query(ge=10, le=900)] = DEFAULT_TARGET_S,
    method: Method = Method.BOTH,
    docks: Annotated[str, Query(max_length=2_000)] = "",
) -> Response:
    """Plan docks for Demoshire, the synthetic force."""
    choice = Choice(count, target, method, _ids(docks))
    error = ""
    context: dict[str, Any] = {}
    try:
        context = _plan(_demoshire(), choice)
    except InvalidInput as problem:
        error = problem.message
    _audit(audit, None, principal, source="demo", count=count, target_s=target)
    return page(
        request,
        "dfr/plan.html",
        principal=principal,
        csrf=csrf,
        title="Drone docks",
        source="Demoshire (synthetic)",
        form=choice.as_form(),
        error=error,
        status=422 if error else 200,
        **context,
    )


async def _uploads(request: Request) -> tuple[dict[str, Upload], dict[str, str]]:
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise InvalidInput("upload: send the files with a Content-Length header")
    if int(declared) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"upload: {declared} bytes is more than {MAX_UPLOAD_BYTES} bytes")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput("upload: send the form as multipart/form-data")
    try:
        form = await request.form(max_files=len(FILE_FIELDS), max_fields=12)
    except (ValueError, KeyError, AssertionError) as error:
        raise InvalidInput(f"upload: the form cannot be read ({error})") from error
    files: dict[str, Upload] = {}
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            if name in FILE_FIELDS and value.filename:
                files[name] = (value.filename.rsplit("/", 1)[-1][:200], await value.read())
        else:
            fields[name] = value
    for needed in ("incidents", "sites"):
        if needed not in files:
            raise InvalidInput(f"{needed}: choose a file")
    return files, fields


def _number(fields: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    text = fields.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a number") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name}: {value:g} is not between {low:g} and {high:g}")
    return value


@router.post("/dfr", **requires(Action.DFR_PLAN))
async def dfr_upload(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Plan docks for a force's own incidents and sites, uploaded in the form."""
    form: dict[str, object] = {"count": 6, "target": "120", "method": "both", "docks": ""}
    context: dict[str, Any] = {}
    error = ""
    status = 200
    try:
        async with without_database(request, store):  # the body streams in: no lock, no slot
            files, fields = await _uploads(request)
        method_text = fields.get("method", "both")
        if method_text not in {m.value for m in Method}:
            raise InvalidInput(f"method: {method_text!r} is not exact, greedy or both")
        choice = Choice(
            int(_number(fields, "count", 6, 1, 100)),
            _number(fields, "target", DEFAULT_TARGET_S, 10, 900),
            Method(method_text),
            _ids(fields.get("docks", "")),
        )
        form = choice.as_form()
        # Reading and planning take CPU seconds: off the event loop, as a sync route would be.
        inputs = await run_in_threadpool(lambda: inputs_from_uploads(**files))
        context = await planned(request, store, lambda: _plan(inputs, choice))
        _audit(
            audit,
            store,
            principal,
            source="upload",
            incidents=len(inputs.incidents),
            sites=len(inputs.sites),
            count=choice.count,
        )
        store.commit()
    except CaseworkError as problem:
        if problem.http_status >= 500:
            raise
        error, status = problem.message, problem.http_status
    return page(
        request,
        "dfr/plan.html",
        principal=principal,
        csrf=csrf,
        title="Drone docks",
        source="your files",
        form=form,
        error=error,
        status=status,
        **context,
    )
