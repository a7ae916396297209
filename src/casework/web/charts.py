"""Server-rendered SVG charts: no script, no inline style, the same picture for the same data.

Each chart is an image with a title and a description (``role="img"``); the page shows the
numbers behind it in a table next to it, so nothing is said by the picture alone. Series
differ by colour and by pattern (a hatched second series), never by colour only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 100
SERIES_FILLS = ("#12324f", "url(#{id}-hatch)", "#8a4b00")
"""Dark blue, hatched blue, brown: each at least 3:1 against white (WCAG 1.4.11)."""


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def _nice_max(top: float) -> float:
    """The top of the axis: the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^n at or above."""
    if top <= 0:
        return 1.0
    step = 10.0 ** math.floor(math.log10(top))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if top <= step * factor:
            return step * factor
    return step * 10


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    height: int = 300,
) -> Markup:
    """A grouped vertical bar chart of ``series`` over ``labels`` (None: no bar, "n/a")."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0.0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(2.0, min(28.0, (group_w - 6) / max(len(series), 1)))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>',
        f'<defs><pattern id="{escape(chart_id)}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<rect width="3" height="6" fill="#1a4fa0"/></pattern></defs>',
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#0b0c0c">{escape(_number(value))}</text>'
        )
    if unit:
        parts.append(
            f'<text x="4" y="{TOP - 4}" font-size="11" fill="#0b0c0c">{escape(unit)}</text>'
        )
    for index, label in enumerate(labels):
        x0 = LEFT + group_w * index + (group_w - bar_w * len(series)) / 2
        for position, one in enumerate(series):
            shown = one.values[index] if index < len(one.values) else None
            x = x0 + bar_w * position
            fill = SERIES_FILLS[position % len(SERIES_FILLS)].format(id=escape(chart_id))
            if shown is None:
                continue
            h = plot_h * shown / top
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{fill}" stroke="#0b0c0c" stroke-width="0.5">'
                f"<title>{escape(one.name)}, {escape(label)}: {escape(_number(shown))}"
                f"{escape(' ' + unit if unit else '')}</title></rect>"
            )
        cx = LEFT + group_w * index + group_w / 2
        ly = TOP + plot_h + 14
        parts.append(
            f'<text x="{cx:.1f}" y="{ly}" text-anchor="end" font-size="11" fill="#0b0c0c" '
            f'transform="rotate(-35 {cx:.1f} {ly})">{escape(label[:24])}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#0b0c0c" stroke-width="1"/>'
    )
    legend_x = LEFT
    for position, one in enumerate(series):
        fill = SERIES_FILLS[position % len(SERIES_FILLS)].format(id=escape(chart_id))
        parts.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="12" height="12" fill="{fill}" '
            f'stroke="#0b0c0c" stroke-width="0.5"/><text x="{legend_x + 16}" y="{height - 6}" '
            f'font-size="12" fill="#0b0c0c">{escape(one.name)}</text>'
        )
        legend_x += 24 + 7 * len(one.name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every piece of text above is escaped)
