"""The suspect timeline drawn as SVG on a time axis, for a window of time (the zoom).

Three lanes: this case's events, events proposed from documents (awaiting confirmation),
and the suspect's other cases; the offence is a band across all three. Lanes differ by
shape as well as colour (circle, hollow circle, square). The page lists every entry in a
table below, so the picture adds nothing the table does not say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup

from casework.domain.timeline import TimelineEntry, When

LONDON = ZoneInfo("Europe/London")
WIDTH, LEFT, RIGHT = 960, 150, 20
LANE_H, TOP, AXIS_H = 48, 28, 40
LANES = ("This case", "Awaiting confirmation", "Other cases")

ZOOMS: dict[str, tuple[str, int | None]] = {
    "all": ("Everything", None),
    "1y": ("A year either side", 365),
    "90d": ("90 days either side", 90),
    "30d": ("30 days either side", 30),
    "7d": ("7 days either side", 7),
}
"""Zoom levels: a window of days either side of the offence (None: every entry)."""


def moment(when: When) -> datetime:
    """``when`` as a London moment (a day alone is its noon)."""
    if isinstance(when, datetime):
        return when.astimezone(LONDON)
    return datetime.combine(when, time(12), LONDON)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime

    def holds(self, when: When) -> bool:
        return self.start <= moment(when) <= self.end


def window_for(entries: Sequence[TimelineEntry], offence: When, zoom: str) -> Window:
    """The time window of a zoom: days either side of the offence, or all entries padded."""
    centre = moment(offence)
    days = ZOOMS.get(zoom, ZOOMS["all"])[1]
    if days is not None:
        return Window(centre - timedelta(days=days), centre + timedelta(days=days))
    moments = [moment(e.when) for e in entries] or [centre]
    first, last = min(moments), max(moments)
    pad = max((last - first) / 20, timedelta(days=2))
    return Window(first - pad, last + pad)


def _lane(entry: TimelineEntry) -> int:
    if entry.other_case:
        return 2
    return 1 if entry.awaiting_confirmation else 0


def _ticks(window: Window) -> list[tuple[datetime, str]]:
    span = window.end - window.start
    ticks: list[tuple[datetime, str]] = []
    if span <= timedelta(days=20):
        day = window.start.date() + timedelta(days=1)
        while day <= window.end.date():
            ticks.append((datetime.combine(day, time(0), LONDON), f"{day.day} {day:%b}"))
            day += timedelta(days=max(1, span.days // 8))
        return ticks
    step_months = 1 if span <= timedelta(days=200) else (3 if span <= timedelta(days=800) else 12)
    year, month = window.start.year, window.start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if (month - 1) % step_months:
            continue
        first = datetime.combine(date(year, month, 1), time(0), LONDON)
        if first > window.end:
            return ticks
        ticks.append((first, f"{first:%b %Y}"))


def timeline_svg(entries: Sequence[TimelineEntry], window: Window, *, title: str) -> Markup:
    """Draw ``entries`` that fall in ``window``: markers per lane, the offence as a band."""
    height = TOP + LANE_H * len(LANES) + AXIS_H
    plot_w = WIDTH - LEFT - RIGHT
    span = (window.end - window.start).total_seconds() or 1.0

    def x_of(when: When) -> float:
        return LEFT + plot_w * (moment(when) - window.start).total_seconds() / span

    shown = [e for e in entries if window.holds(e.when)]
    parts = [
        f'<svg class="chart timeline-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-labelledby="timeline-svg-t timeline-svg-d" xmlns="http://www.w3.org/2000/svg" '
        'focusable="false">',
        f'<title id="timeline-svg-t">{escape(title)}</title>',
        f'<desc id="timeline-svg-d">{len(shown)} entries from {window.start:%d %b %Y} to '
        f"{window.end:%d %b %Y}; the table below lists every entry.</desc>",
    ]
    for index, name in enumerate(LANES):
        y = TOP + LANE_H * index
        fill = "#f3f4f5" if index % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{plot_w}" height="{LANE_H}" fill="{fill}"/>'
            f'<text x="{LEFT - 8}" y="{y + LANE_H / 2 + 4}" text-anchor="end" font-size="13" '
            f'fill="#0b0c0c">{escape(name)}</text>'
        )
    bottom = TOP + LANE_H * len(LANES)
    for offence in (e for e in entries if e.is_offence and window.holds(e.when)):
        x = x_of(offence.when)
        parts.append(
            f'<rect x="{x - 3:.1f}" y="{TOP - 6}" width="6" height="{bottom - TOP + 6}" '
            f'fill="#b10e1e"><title>{escape(offence.label)}</title></rect>'
            f'<text x="{min(x + 6, WIDTH - RIGHT - 60):.1f}" y="{TOP - 10}" font-size="12" '
            'font-weight="700" fill="#b10e1e">Offence</text>'
        )
    for tick, label in _ticks(window):
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom + 4}" stroke="#b1b4b6"/>'
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="11" '
            f'fill="#0b0c0c">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#0b0c0c"/>'
    )
    stacked: dict[tuple[int, int], int] = {}
    for entry in shown:
        if entry.is_offence:
            continue
        lane = _lane(entry)
        x = x_of(entry.when)
        slot = (lane, round(x / 8))
        level = stacked.get(slot, 0)
        stacked[slot] = level + 1
        y = TOP + LANE_H * lane + 14 + (level % 3) * 10
        label = f"{moment(entry.when):%d %b %Y}: {entry.label}"
        if lane == 0:
            shape = f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="#12324f"'
        elif lane == 1:
            shape = (
                f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="#ffffff" stroke="#8a4b00" '
                'stroke-width="2.5"'
            )
        else:
            shape = f'<rect x="{x - 6:.1f}" y="{y - 6}" width="12" height="12" fill="#4c2c92"'
        parts.append(f"{shape}><title>{escape(label)}</title></{shape.split()[0][1:]}>")
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{height - 6}" text-anchor="end" font-size="11" '
        f'fill="#484949">{escape(f"{window.start:%d %b %Y} to {window.end:%d %b %Y}")}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every piece of text above is escaped)
