"""`casework metrics`: time to charge and to outcome, victim attrition, charge rate, outcomes.

Parse, call ``journey.case_metrics`` over the cases in the configured database, render as a
table (for people), JSON (the shape of ``CaseMetrics.as_dict``) or CSV (long rows of
dimension, group, measure, value; see ``journey.metrics.ROW_HEADER``).
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from casework.cli.cases import _store
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.domain.pole import FORCE_CODE
from casework.errors import InvalidInput
from casework.journey.case_metrics import case_metrics, metrics_query
from casework.journey.metrics import PENDING, ROW_HEADER, CaseMetrics, GroupMetrics
from casework.store.metrics_queries import SqlJourneyFactsRepository


class MetricsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _table(rows: list[list[str]]) -> list[str]:
    """Align columns: the first left, the others right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


_MEASURES = [
    "group",
    "cases",
    "charged",
    "charge rate",
    "withdrew",
    "withdrawal rate",
    "to charge: median",
    "p90",
    "to outcome: median",
    "p90",
]


def _measure_row(group: str, m: GroupMetrics) -> list[str]:
    return [
        group,
        str(m.cases),
        str(m.charged),
        _percent(m.charge_rate),
        str(m.withdrawals),
        _percent(m.withdrawal_rate),
        _days(m.report_to_charge.median_days),
        _days(m.report_to_charge.p90_days),
        _days(m.report_to_outcome.median_days),
        _days(m.report_to_outcome.p90_days),
    ]


def _counts_table(groups: dict[str, GroupMetrics], pick: str, last: str | None) -> list[str]:
    columns = sorted(
        {k for g in groups.values() for k in getattr(g, pick)}, key=lambda k: (k == last, k)
    )
    if not columns:
        return ["  (none)"]
    rows = [["group", *columns]]
    rows.extend(
        [name, *(str(getattr(g, pick).get(c, 0)) for c in columns)] for name, g in groups.items()
    )
    return ["  " + line for line in _table(rows)]


def render_table(metrics: CaseMetrics, heading: str) -> str:
    """The metrics as text tables: measures, outcomes and attrition by force, offence, month."""
    lines = [heading, "Days are calendar days from the report; rates are of all cases.", ""]
    sections = (
        ("All cases", {"all": metrics.overall}),
        ("By force", metrics.by_force),
        ("By offence (a case counts under each of its offences)", metrics.by_offence),
        ("By month of report", metrics.by_month),
    )
    for title, groups in sections:
        lines.append(f"{title}:")
        rows = [_MEASURES, *(_measure_row(name, g) for name, g in groups.items())]
        lines.extend("  " + line for line in _table(rows))
        lines.append("  Outcomes:")
        lines.extend("  " + line for line in _counts_table(groups, "outcomes", PENDING))
        lines.append("  Victim withdrew support, by stage:")
        lines.extend("  " + line for line in _counts_table(groups, "withdrawals_by_stage", None))
        lines.append("")
    return "\n".join(lines).rstrip()


def _heading(force: str | None, start: date | None, end: date | None, cases: int) -> str:
    where = f"force {force}" if force else "all forces"
    when = "reported at any time"
    if start and end:
        when = f"reported {start.isoformat()} to {end.isoformat()}"
    elif start:
        when = f"reported on or after {start.isoformat()}"
    elif end:
        when = f"reported on or before {end.isoformat()}"
    return f"Justice-journey metrics: {cases} case(s), {where}, {when}"


@app.command("metrics")
def metrics(
    force: str | None = typer.Option(None, "--force", help="Only this force's cases (code)."),
    start: str | None = typer.Option(
        None, "--from", help="Only cases reported on or after YYYY-MM-DD."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Only cases reported on or before YYYY-MM-DD."
    ),
    fmt: Annotated[
        MetricsFormat, typer.Option("--format", help="table, json or csv.")
    ] = MetricsFormat.TABLE,
) -> None:
    """Print time to charge and to outcome, victim attrition, charge rate and outcomes."""
    reported_from = parse_date(start, flag="--from") if start is not None else None
    reported_to = parse_date(end, flag="--to") if end is not None else None
    if reported_from and reported_to and reported_from > reported_to:
        raise InvalidInput(
            f"--from {reported_from.isoformat()} is after --to {reported_to.isoformat()}"
        )
    code = force.strip().upper() if force is not None else None
    if code is not None and not re.fullmatch(FORCE_CODE, code):
        raise InvalidInput(f"--force: {force!r} is not a force code (2 to 4 letters, e.g. WY)")
    query = metrics_query(force=code, reported_from=reported_from, reported_to=reported_to)
    with _store() as store:
        result = case_metrics(facts=SqlJourneyFactsRepository(store.session), query=query)
    if fmt is MetricsFormat.JSON:
        typer.echo(result.to_json())
    elif fmt is MetricsFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(ROW_HEADER)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows())
    else:
        heading = _heading(code, reported_from, reported_to, result.overall.cases)
        typer.echo(render_table(result, heading))
