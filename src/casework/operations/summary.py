"""The one-page summary of a week of action, as HTML and as PDF, for a press office.

Headline figures, derived rates, changes since the previous week, regional totals and a
chart; every figure is the sum of the force returns listed on the page (force, version,
time), so it can be traced back to what each force sent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casework.operations.charts import by_region_chart, figure
from casework.operations.forces import force_table
from casework.operations.rollup import Rollup


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    value: str
    note: str = ""


def headline(rollup: Rollup) -> list[Line]:
    """The headline figures with, where known, the change since the previous week."""
    op = rollup.operation
    keys = op.headline or tuple(m.key for m in op.measures[:8])
    found = []
    for key in keys:
        m = op.measure(key)
        decimals = 1 if m.type.value == "quantity" else 0
        value = figure(rollup.total(key), decimals=decimals)
        if m.type.value == "money" and rollup.total(key) is not None:
            value = f"£{rollup.total(key):,.0f}"
        elif m.type.value == "quantity" and rollup.total(key) is not None:
            value += f" {m.unit}"
        note = ""
        change = rollup.change(key)
        if change is not None and change.difference is not None:
            sign = "+" if change.difference >= 0 else ""
            note = f"{sign}{figure(change.difference, decimals=decimals)} on the previous week"
        found.append(Line(m.label, value, note))
    for r in op.rates:
        rate = rollup.rate(r.key)
        found.append(Line(r.label, "-" if rate is None else f"{rate * 100:.0f}%"))
    return found


_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(
    resources.files("casework.operations.data").joinpath("summary.html.j2").read_text("utf-8")
)


def summary_html(rollup: Rollup, *, generated: datetime) -> str:
    op = rollup.operation
    keys = list(op.headline[:4] or [m.key for m in op.measures[:4]])
    return _template.render(
        op=op,
        rollup=rollup,
        lines=headline(rollup),
        keys=keys,
        fig=figure,
        chart=Markup(by_region_chart(rollup, keys[0])),  # noqa: S704 (our own SVG, text escaped)
        forces=rollup.forces,
        population=force_table().population_basis(),
        population_note=force_table().population_note,
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
    )


def summary_pdf(rollup: Rollup, *, generated: datetime) -> bytes:
    """The same summary on one A4 page (reportlab)."""
    op = rollup.operation
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{op.title}: national summary",
        author="Casework",
    )
    story: list[object] = [
        Paragraph(op.title, styles["Title"]),
        Paragraph(
            f"{op.starts:%d %B %Y} to {op.ends:%d %B %Y}: returns from "
            f"{len(rollup.submitted)} of {len(op.taking_part)} forces",
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
    ]
    cells = [[line.label, line.value, line.note] for line in headline(rollup)]
    table = Table([["Measure", "Total", "Change"], *cells], colWidths=[80 * mm, 40 * mm, 60 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), Paragraph("By region", styles["Heading3"])]
    keys = list(op.headline[:3] or [m.key for m in op.measures[:3]])
    region_rows = [
        [region, *(figure(values.get(k)) for k in keys)]
        for region, values in rollup.by_region.items()
    ]
    regions = Table(
        [["Region", *(op.measure(k).label for k in keys)], *region_rows],
        colWidths=[60 * mm, 40 * mm, 40 * mm, 40 * mm],
    )
    regions.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
            ]
        )
    )
    story += [regions, Spacer(1, 3 * mm)]
    sent = ", ".join(f"{r.force} v{r.version}" for r in rollup.returns)
    story.append(
        Paragraph(
            f"Figures are the sums of these current force returns (force, version): {sent}. "
            f"{force_table().population_basis()} "
            f"Generated {generated:%Y-%m-%d %H:%M} UTC by Casework.",
            small,
        )
    )
    doc.build(story)
    return out.getvalue()
