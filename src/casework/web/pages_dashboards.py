"""Dashboards: timeliness, victim attrition and outcomes, from the journey metrics services.

The same numbers as ``GET /api/metrics`` and ``casework metrics``, under the same policy
(national roles any force or all, others their own) and the same audit entry; each chart
is server-rendered SVG with its numbers in a table beside it and a CSV download.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, AuditTrail, Authorized, SessionDep, requires
from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput, PermissionDenied
from casework.journey.case_metrics import case_metrics, metrics_query
from casework.journey.metrics import ROW_HEADER, CaseMetrics, GroupMetrics
from casework.security.policy import ALL_FORCES, ForceResource, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.metrics_queries import SqlJourneyFactsRepository
from casework.web.charts import Series, bar_chart
from casework.web.deps import PageCsrf
from casework.web.render import page

router = APIRouter(include_in_schema=False)

_FORCE = re.compile(FORCE_CODE)
Text = Annotated[str, Query(max_length=10)]


def _day(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(f"{field}: {text.strip()!r} is not a date (use YYYY-MM-DD)") from error


def _metrics(
    *,
    principal: Principal,
    store: SqlCaseStore,
    audit: AuditTrail,
    force: str,
    start: str,
    end: str,
    fmt: str,
) -> tuple[CaseMetrics, str | None]:
    """The metrics the user may see for the filters, audited as the API audits them."""
    reported_from, reported_to = _day(start, "from"), _day(end, "to")
    if reported_from and reported_to and reported_from > reported_to:
        raise InvalidInput(f"from: {start} is after to {end}")
    code = force.strip().upper() or None
    if code is not None and not _FORCE.fullmatch(code):
        raise InvalidInput(f"force: {force!r} is not a force code (2 to 4 letters, e.g. WY)")
    if code is None and not can(principal, Action.METRICS_READ, ALL_FORCES):
        code = principal.force
    if code is not None and not can(principal, Action.METRICS_READ, ForceResource(code)):
        raise PermissionDenied(f"force: your role sees the metrics of {principal.force} only")
    query = metrics_query(force=code, reported_from=reported_from, reported_to=reported_to)
    result = case_metrics(facts=SqlJourneyFactsRepository(store.session), query=query)
    store.rollback()
    audit.separately(
        principal,
        action=Action.METRICS_READ.value,
        target="metrics",
        detail={
            "force": code,
            "from": reported_from.isoformat() if reported_from else None,
            "to": reported_to.isoformat() if reported_to else None,
            "format": fmt,
        },
    )
    return result, code


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _charts(result: CaseMetrics) -> dict[str, object]:
    months = list(result.by_month)
    groups: list[GroupMetrics] = list(result.by_month.values())
    timeliness = bar_chart(
        chart_id="chart-timeliness",
        title="Median days from report to charge and to outcome, by month of report",
        description="Bars per month: median days from report to charge, and to outcome. "
        "The table below gives every number.",
        labels=months,
        series=[
            Series("to charge", tuple(g.report_to_charge.median_days for g in groups)),
            Series("to outcome", tuple(g.report_to_outcome.median_days for g in groups)),
        ],
        unit="days",
    )
    attrition = bar_chart(
        chart_id="chart-attrition",
        title="Victims withdrawing support, per cent of cases, by month of report",
        description="One bar per month: the share of cases whose victim withdrew support.",
        labels=months,
        series=[Series("withdrew", tuple(_percent(g.withdrawal_rate) for g in groups))],
        unit="%",
    )
    stages = result.overall.withdrawals_by_stage
    by_stage = bar_chart(
        chart_id="chart-attrition-stage",
        title="Withdrawals by the stage the case was at",
        description="One bar per stage: how many victims withdrew support at that stage.",
        labels=[s.replace("_", " ") for s in stages],
        series=[Series("withdrawals", tuple(float(n) for n in stages.values()))],
        unit="cases",
    )
    outcomes = result.overall.outcomes
    outcome_chart = bar_chart(
        chart_id="chart-outcomes",
        title="Cases by outcome",
        description="One bar per outcome (pending: not ended yet).",
        labels=[o.replace("_", " ") for o in outcomes],
        series=[Series("cases", tuple(float(n) for n in outcomes.values()))],
        unit="cases",
    )
    return {
        "timeliness": timeliness,
        "attrition": attrition,
        "by_stage": by_stage,
        "outcomes": outcome_chart,
    }


@router.get("/dashboards", **requires(Action.METRICS_READ))
def dashboards(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
    force: Text = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """Timeliness, attrition and outcomes as charts, each with its numbers and a CSV."""
    filters = {"force": force.strip().upper(), "from": start.strip(), "to": end.strip()}
    error = ""
    field = ""
    status = 200
    result: CaseMetrics | None = None
    code: str | None = None
    try:
        result, code = _metrics(
            principal=principal,
            store=store,
            audit=audit,
            force=force,
            start=start,
            end=end,
            fmt="html",
        )
    except (InvalidInput, PermissionDenied) as problem:
        error = problem.message
        status = problem.http_status
        name, sep, _ = problem.message.partition(":")
        field = name if sep and name in filters else ""
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return page(
        request,
        "dashboards/dashboards.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title="Dashboards",
        filters=filters,
        error=error,
        field=field,
        result=result,
        scope=code or "all forces",
        national=can(principal, Action.METRICS_READ, ALL_FORCES),
        charts=_charts(result) if result is not None else {},
        csv_href="/dashboards/metrics.csv" + (f"?{query}" if query else ""),
        percent=_percent,
    )


@router.get("/dashboards/metrics.csv", **requires(Action.METRICS_READ))
def dashboards_csv(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    force: Text = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """Every number behind the dashboards: the rows of ``casework metrics --format csv``."""
    result, code = _metrics(
        principal=principal,
        store=store,
        audit=audit,
        force=force,
        start=start,
        end=end,
        fmt="csv",
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_HEADER)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows())
    name = f"casework-metrics-{(code or 'all').lower()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
