"""``GET /api/metrics``: time to charge and to outcome, victim attrition, charge rate, outcomes.

Aggregates only, never a case: the same JSON as ``casework metrics --format json`` (the
shape of ``CaseMetrics.as_dict``) or, with ``format=csv``, the same CSV rows. National
roles (analysts, coordinators) may ask for any force or all of them; others get their
own force's (the policy says which).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput, PermissionDenied
from casework.journey.case_metrics import case_metrics, metrics_query
from casework.journey.metrics import ROW_HEADER
from casework.security.policy import ALL_FORCES, ForceResource, can
from casework.security.roles import Action
from casework.store.metrics_queries import SqlJourneyFactsRepository

router = APIRouter(prefix="/api/metrics", tags=["metrics"])

_FORCE = re.compile(FORCE_CODE)


class MetricsFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The metrics: JSON (``CaseMetrics.as_dict``) or CSV rows.",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


@router.get("", **requires(Action.METRICS_READ), response_class=Response, responses=_RESPONSES)
def metrics(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    force: Annotated[
        str | None,
        Query(max_length=10, description="Force code; default: all (national roles) or yours."),
    ] = None,
    reported_from: Annotated[
        date | None, Query(alias="from", description="Cases reported on or after.")
    ] = None,
    reported_to: Annotated[
        date | None, Query(alias="to", description="Cases reported on or before.")
    ] = None,
    fmt: Annotated[MetricsFormat, Query(alias="format")] = MetricsFormat.JSON,
) -> Response:
    """Time to charge and to outcome, attrition, charge rate, outcomes; by force, offence, month."""
    if reported_from and reported_to and reported_from > reported_to:
        raise InvalidInput(
            f"from: {reported_from.isoformat()} is after to {reported_to.isoformat()}"
        )
    code = force.strip().upper() if force is not None else None
    if code is not None and not _FORCE.fullmatch(code):
        raise InvalidInput(f"force: {force!r} is not a force code (2 to 4 letters, e.g. WY)")
    if code is None and not can(principal, Action.METRICS_READ, ALL_FORCES):
        code = principal.force
    if code is not None and not can(principal, Action.METRICS_READ, ForceResource(code)):
        raise PermissionDenied(f"force: your role sees the metrics of {principal.force} only")
    query = metrics_query(force=code, reported_from=reported_from, reported_to=reported_to)
    result = case_metrics(facts=SqlJourneyFactsRepository(store.session), query=query)
    audit.separately(
        principal,
        action=Action.METRICS_READ.value,
        target="metrics",
        detail={
            "force": code,
            "from": reported_from.isoformat() if reported_from else None,
            "to": reported_to.isoformat() if reported_to else None,
            "format": fmt.value,
        },
    )
    if fmt is MetricsFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ROW_HEADER)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows())
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
    return Response(result.to_json() + "\n", media_type="application/json")
