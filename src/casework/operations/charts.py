"""Server-rendered SVG bar charts (no JavaScript): a measure by force, by region, or change.

Each chart carries a title and a description for screen readers, and shows the figure
beside every bar, so nothing depends on colour or on reading the bar's length.
"""

from __future__ import annotations

from html import escape

from casework.operations.rollup import Rollup

BAR = 16
GAP = 6
LABEL_WIDTH = 190
CHART_WIDTH = 420
VALUE_WIDTH = 90


def figure(value: float | None, *, decimals: int = 0) -> str:
    """A figure as people read it: ``13,272``; ``-`` when there is none."""
    if value is None:
        return "-"
    if decimals == 0 and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{max(decimals, 1)}f}"


def bar_chart(
    title: str, rows: list[tuple[str, float]], *, unit: str = "", chart_id: str = "chart"
) -> str:
    """Horizontal bars, largest first; the figure is printed at the end of each bar."""
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    width = LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH
    height = 30 + max(len(rows), 1) * (BAR + GAP)
    largest = max((v for _, v in rows), default=0) or 1
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    described = ", ".join(f"{label} {figure(value)}" for label, value in rows[:60])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ops-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(described or "no figures yet")}</desc>',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#0b0c0c">{escape(title)}'
        f"{escape(f' ({unit})' if unit else '')}</text>",
    ]
    if not rows:
        parts.append('<text x="0" y="44" font-size="13" fill="#505a5f">No figures yet</text>')
    for index, (label, value) in enumerate(rows):
        y = 30 + index * (BAR + GAP)
        length = max(value / largest * CHART_WIDTH, 1 if value else 0)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 4}" font-size="12" text-anchor="end" '
            f'fill="#0b0c0c">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="#1d70b8"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR - 4}" font-size="12" '
            f'fill="#0b0c0c">{escape(figure(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def by_force_chart(rollup: Rollup, key: str) -> str:
    measure = rollup.operation.measure(key)
    forces = rollup.forces
    rows = [
        (forces[code].area, values[key])
        for code, values in rollup.by_force.items()
        if key in values
    ]
    return bar_chart(f"{measure.label} by force", rows, unit=measure.unit, chart_id=f"force-{key}")


def by_region_chart(rollup: Rollup, key: str) -> str:
    measure = rollup.operation.measure(key)
    rows = [(region, values[key]) for region, values in rollup.by_region.items() if key in values]
    return bar_chart(
        f"{measure.label} by region", rows, unit=measure.unit, chart_id=f"region-{key}"
    )
