"""Draw docks, their reach and the incidents coloured by modelled gain, as SVG.

No tile service: the map is the force boundary from GeoJSON, the zones and the points,
drawn on the British National Grid plane (north up, one grid metre the same in x and y).
Shapes carry classes, not colours: the page styles them from casework.css (its CSP
forbids style attributes); ``standalone=True`` adds the same rules in a ``<style>`` element
for a file on its own.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from casework.dfr.coverage import GAIN_BANDS, CoverageReport
from casework.dfr.model import DockSite, Incidents, Zone

WIDTH = 960
MAP_WIDTH = 700
PAD = 16
MAX_POINTS = 6_000
"""Incidents drawn at most (an even sample beyond that keeps the page light)."""

GAIN_CLASSES = ("dfr-gain-later", "dfr-gain-0", "dfr-gain-2", "dfr-gain-5", "dfr-gain-10")

MAP_CSS = """\
.dfr-map { background: #f7f7f2; font-family: sans-serif; font-size: 13px; }
.dfr-map text { fill: #0b0c0c; }
.dfr-map-bg { fill: #f7f7f2; }
.dfr-boundary { fill: #ffffff; stroke: #1d1d1b; stroke-width: 1.5; }
.dfr-zone-no_fly { fill: #d4351c; fill-opacity: 0.18; stroke: #d4351c; stroke-dasharray: 4 3; }
.dfr-zone-restricted { fill: #f47738; fill-opacity: 0.12; stroke: #f47738; stroke-dasharray: 2 3; }
.dfr-range { fill: #1d70b8; fill-opacity: 0.05; stroke: #1d70b8; stroke-width: 1; }
.dfr-target { fill: none; stroke: #1d70b8; stroke-width: 1; stroke-dasharray: 5 4; }
.dfr-site { fill: none; stroke: #505a5f; stroke-width: 1; }
.dfr-dock { fill: #0b0c0c; stroke: #ffffff; stroke-width: 1.5; }
.dfr-dock-label { fill: #0b0c0c; font-size: 11px; font-weight: bold; }
.dfr-gain-none { fill: #b1b4b6; }
.dfr-gain-later { fill: #d4351c; }
.dfr-gain-0 { fill: #fde725; }
.dfr-gain-2 { fill: #5ec962; }
.dfr-gain-5 { fill: #21918c; }
.dfr-gain-10 { fill: #3b528b; }
.dfr-legend-title { font-weight: bold; }
.dfr-scale { stroke: #0b0c0c; stroke-width: 2; }
"""


class _Frame:
    """BNG metres to SVG pixels: north up, equal scale on both axes."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        span = max(maxx - minx, maxy - miny, 1.0)
        self.scale = (MAP_WIDTH - 2 * PAD) / span
        self.minx, self.maxy = minx, maxy
        self.height = (maxy - miny) * self.scale + 2 * PAD

    def x(self, easting: float) -> float:
        return (easting - self.minx) * self.scale + PAD

    def y(self, northing: float) -> float:
        return (self.maxy - northing) * self.scale + PAD


def _ring(frame: _Frame, coords: Iterable[tuple[float, ...]]) -> str:
    points = [f"{frame.x(c[0]):.1f},{frame.y(c[1]):.1f}" for c in coords]
    return "M" + " L".join(points) + " Z"


def _path(frame: _Frame, shape: BaseGeometry) -> str:
    parts = list(shape.geoms) if isinstance(shape, MultiPolygon) else [shape]
    rings = []
    for part in parts:
        if isinstance(part, Polygon):
            rings.append(_ring(frame, part.exterior.coords))
            rings.extend(_ring(frame, hole.coords) for hole in part.interiors)
    return " ".join(rings)


def gain_class(gain_min: float) -> str:
    """The class of an incident's dot from its gain in minutes (NaN: not compared)."""
    if np.isnan(gain_min):
        return "dfr-gain-none"
    for css, (_, lo, hi) in zip(GAIN_CLASSES, GAIN_BANDS, strict=True):
        if lo <= gain_min < hi:
            return css
    return GAIN_CLASSES[-1]


def render_map(
    *,
    incidents: Incidents,
    sites: list[DockSite],
    report: CoverageReport,
    zones: list[Zone],
    boundary: BaseGeometry | None,
    title: str = "",
    standalone: bool = False,
) -> str:
    """The map as an SVG document (``standalone``) or an element to put in a page."""
    docks = [s for s in sites if s.id in set(report.docks)]
    if boundary is not None and not boundary.is_empty:
        bounds = boundary.bounds
    else:
        xs = np.concatenate([incidents.easting, [s.easting for s in sites]])
        ys = np.concatenate([incidents.northing, [s.northing for s in sites]])
        bounds = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
    frame = _Frame(bounds)
    height = max(frame.height, 330.0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dfr-map" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="{WIDTH}" height="{height:.0f}" role="img" '
        f'aria-labelledby="dfr-map-title">',
        f'<title id="dfr-map-title">{html.escape(title or "Drone dock coverage map")}</title>',
    ]
    if standalone:
        out.append(f"<style>{MAP_CSS}</style>")
        out.append(f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" class="dfr-map-bg"/>')
    if boundary is not None:
        out.append(f'<path class="dfr-boundary" d="{_path(frame, boundary)}"/>')
    for zone in zones:
        out.append(
            f'<path class="dfr-zone-{zone.kind.value}" d="{_path(frame, zone.shape)}">'
            f"<title>{html.escape(zone.name)} ({zone.kind.value.replace('_', '-')})</title></path>"
        )
    reach_px = report.profile.reach_m * frame.scale
    target_m = max(0.0, (report.target_s - report.profile.launch_s) * report.profile.cruise_mps)
    target_px = min(target_m, report.profile.reach_m) * frame.scale
    for dock in docks:
        cx, cy = frame.x(dock.easting), frame.y(dock.northing)
        out.append(f'<circle class="dfr-range" cx="{cx:.1f}" cy="{cy:.1f}" r="{reach_px:.1f}"/>')
        out.append(f'<circle class="dfr-target" cx="{cx:.1f}" cy="{cy:.1f}" r="{target_px:.1f}"/>')
    out.extend(_incident_dots(frame, incidents, report))
    chosen = set(report.docks)
    for site in sites:
        if site.id not in chosen:
            x, y = frame.x(site.easting), frame.y(site.northing)
            out.append(
                f'<rect class="dfr-site" x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5">'
                f"<title>{html.escape(site.id)} {html.escape(site.name)} (candidate)</title></rect>"
            )
    for dock in docks:
        x, y = frame.x(dock.easting), frame.y(dock.northing)
        out.append(
            f'<rect class="dfr-dock" x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10">'
            f"<title>{html.escape(dock.id)} {html.escape(dock.name)} (dock)</title></rect>"
            f'<text class="dfr-dock-label" x="{x + 7:.1f}" y="{y - 6:.1f}">'
            f"{html.escape(dock.id)}</text>"
        )
    out.extend(_scale_bar(frame, height))
    out.extend(_legend(report))
    out.append("</svg>")
    return "\n".join(out)


def _incident_dots(frame: _Frame, incidents: Incidents, report: CoverageReport) -> list[str]:
    count = len(incidents)
    shown = np.arange(count)
    if count > MAX_POINTS:
        shown = np.linspace(0, count - 1, MAX_POINTS).astype(np.int64)
    groups: dict[str, list[str]] = {}
    for i in shown:
        css = gain_class(float(report.gain_min[i]))
        x, y = frame.x(float(incidents.easting[i])), frame.y(float(incidents.northing[i]))
        groups.setdefault(css, []).append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>')
    order = ["dfr-gain-none", *GAIN_CLASSES]
    return [f'<g class="{css}">' + "".join(groups[css]) + "</g>" for css in order if css in groups]


def _scale_bar(frame: _Frame, height: float) -> list[str]:
    length_m = 10_000.0
    px = length_m * frame.scale
    y = height - 12
    return [
        f'<line class="dfr-scale" x1="{PAD}" y1="{y:.1f}" x2="{PAD + px:.1f}" y2="{y:.1f}"/>',
        f'<text x="{PAD}" y="{y - 6:.1f}">10 km (British National Grid; north up)</text>',
    ]


def _legend(report: CoverageReport) -> list[str]:
    x = MAP_WIDTH + 10
    bands = report.summary["gain_min"]
    assert isinstance(bands, dict)
    counts = {b["band"]: b["incidents"] for b in bands["bands"]}
    rows = [
        f'<text class="dfr-legend-title" x="{x}" y="30">Modelled gain over recorded</text>',
        f'<text class="dfr-legend-title" x="{x}" y="46">first arrival</text>',
    ]
    y = 70
    for css, (name, _, _) in zip(GAIN_CLASSES[::-1], GAIN_BANDS[::-1], strict=True):
        rows.append(f'<circle class="{css}" cx="{x + 6}" cy="{y - 4}" r="5"/>')
        rows.append(
            f'<text x="{x + 18}" y="{y}">{html.escape(name)} ({counts.get(name, 0)})</text>'
        )
        y += 20
    rows.append(f'<circle class="dfr-gain-none" cx="{x + 6}" cy="{y - 4}" r="5"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">out of reach or no record</text>')
    y += 30
    rows.append(f'<rect class="dfr-dock" x="{x + 1}" y="{y - 9}" width="10" height="10"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">dock ({len(report.docks)})</text>')
    y += 20
    rows.append(f'<rect class="dfr-site" x="{x + 3}" y="{y - 7}" width="5" height="5"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">candidate site</text>')
    y += 20
    reach_km = report.profile.reach_m / 1000
    rows.append(f'<circle class="dfr-range" cx="{x + 6}" cy="{y - 4}" r="6"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">reach {reach_km:g} km</text>')
    y += 20
    rows.append(f'<circle class="dfr-target" cx="{x + 6}" cy="{y - 4}" r="6"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">on scene within {report.target_s:g} s</text>')
    y += 20
    rows.append(f'<rect class="dfr-zone-no_fly" x="{x}" y="{y - 10}" width="12" height="10"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">no-fly zone</text>')
    y += 20
    rows.append(f'<rect class="dfr-zone-restricted" x="{x}" y="{y - 10}" width="12" height="10"/>')
    rows.append(f'<text x="{x + 18}" y="{y}">restricted zone</text>')
    y += 30
    share = report.summary.get("within_target_share")
    if isinstance(share, float):
        rows.append(f'<text x="{x}" y="{y}">{share * 100:.1f}% of incidents within target</text>')
    return rows
