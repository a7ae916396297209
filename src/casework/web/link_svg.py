"""The link chart drawn as SVG with a fixed layout: cases in a column on the left, people,
phones, vehicles and addresses on the right, a line from each entity to each case it is in.

The same network always gives the same picture (sorted, no force simulation). Entity kinds
differ by shape and by the word in the label, never by colour alone; the page lists every
link in a table as well.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from casework.safeguarding.linkage import EntityKind
from casework.web.link_sources import LinkChart

WIDTH, ROW, TOP = 960, 30, 24
CASE_X, ENTITY_X = 150, 560
KIND_ORDER = (EntityKind.PERSON, EntityKind.PHONE, EntityKind.VEHICLE, EntityKind.ADDRESS)


def _shape(kind: EntityKind, x: float, y: float, across: bool) -> str:
    fill = "#12324f" if across else "#ffffff"
    line = 'stroke="#12324f" stroke-width="2"'
    if kind is EntityKind.PERSON:
        return f'<circle cx="{x}" cy="{y}" r="8" fill="{fill}" {line}/>'
    if kind is EntityKind.PHONE:
        return f'<rect x="{x - 6}" y="{y - 9}" width="12" height="18" rx="3" fill="{fill}" {line}/>'
    if kind is EntityKind.VEHICLE:
        return (
            f'<polygon points="{x},{y - 9} {x + 9},{y} {x},{y + 9} {x - 9},{y}" '
            f'fill="{fill}" {line}/>'
        )
    return f'<polygon points="{x},{y - 9} {x + 9},{y + 8} {x - 9},{y + 8}" fill="{fill}" {line}/>'


def link_svg(chart: LinkChart, *, title: str) -> Markup:
    """Draw ``chart``: one row per case on the left, one per entity on the right."""
    nodes = sorted(
        chart.network.nodes, key=lambda n: (KIND_ORDER.index(n.kind), n.label.casefold(), n.id)
    )
    rows = max(len(chart.cases), len(nodes), 1)
    height = TOP + ROW * rows + 20
    case_y = {ref: TOP + ROW * i + ROW / 2 for i, ref in enumerate(chart.cases)}
    parts = [
        f'<svg class="chart link-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-labelledby="links-svg-t links-svg-d" xmlns="http://www.w3.org/2000/svg" '
        'focusable="false">',
        f'<title id="links-svg-t">{escape(title)}</title>',
        f'<desc id="links-svg-d">{len(nodes)} people, phones, vehicles or addresses and the '
        f"{len(chart.cases)} cases they appear in; the table below lists every link.</desc>",
    ]
    for index, node in enumerate(nodes):
        y = TOP + ROW * index + ROW / 2
        for ref in node.cases:
            if ref in case_y:
                width = 3 if node.across_cases else 1.5
                parts.append(
                    f'<line x1="{CASE_X + 8}" y1="{case_y[ref]}" x2="{ENTITY_X - 10}" y2="{y}" '
                    f'stroke="#505a5f" stroke-width="{width}"/>'
                )
    for ref, y in case_y.items():
        focus = ref == chart.focus
        parts.append(
            f'<rect x="{CASE_X - 8}" y="{y - 8}" width="16" height="16" '
            f'fill="{"#b10e1e" if focus else "#4c2c92"}"/>'
            f'<text x="{CASE_X - 14}" y="{y + 4}" text-anchor="end" font-size="13" '
            f'font-weight="{700 if focus else 400}" fill="#0b0c0c">{escape(ref)}</text>'
        )
    for index, node in enumerate(nodes):
        y = TOP + ROW * index + ROW / 2
        name = node.label if len(node.label) <= 36 else node.label[:35] + "…"
        label = f"{node.kind.value}: {name}"
        if node.across_cases:
            label += f" ({len(node.cases)} cases)"
        parts.append(
            _shape(node.kind, ENTITY_X, y, node.across_cases)
            + f'<text x="{ENTITY_X + 16}" y="{y + 4}" font-size="13" fill="#0b0c0c">'
            f"{escape(label)}<title>{escape(node.label)}</title></text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every piece of text above is escaped)
