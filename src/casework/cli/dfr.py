"""`casework dfr coverage|place|demo-data`: drone dock coverage and placement from files.

Parse, call ``casework.dfr``, render as a table (for people) or JSON (the shape of
``CoverageReport.as_dict`` / ``PlacementResult.as_dict``). Rows left out of the input are
named on stderr; the rest are used.
"""

from __future__ import annotations

import csv
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from casework.cli.main import app
from casework.dfr.coverage import INCIDENT_HEADER, CoverageReport, incident_rows
from casework.dfr.demo import write_demo
from casework.dfr.placement import Method
from casework.dfr.planning import DEFAULT_TARGET_S, PlacementResult, PlanInputs, cover, place
from casework.dfr.sources import inputs_from_files
from casework.dfr.svgmap import render_map
from casework.errors import InvalidInput

dfr_app = typer.Typer(
    name="dfr",
    help="Drones as first responders: dock coverage and placement from incident history.",
    no_args_is_help=True,
)
app.add_typer(dfr_app, name="dfr")


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


IncidentsOpt = Annotated[
    Path,
    typer.Option(
        "--incidents",
        help="CSV or XLSX: time, lat/lon or easting/northing, type, priority, first_arrival.",
    ),
]
SitesOpt = Annotated[
    Path, typer.Option("--sites", help="CSV or XLSX of candidate dock sites: id, name, position.")
]
ProfileOpt = Annotated[
    Path | None, typer.Option("--profile", help="JSON drone profile (default: planning figures).")
]
ZonesOpt = Annotated[
    Path | None, typer.Option("--zones", help="GeoJSON no-fly and restricted zones.")
]
BoundaryOpt = Annotated[
    Path | None, typer.Option("--boundary", help="GeoJSON force area (drawn on the map).")
]
TargetOpt = Annotated[
    float, typer.Option("--target", help="Seconds from the call to the drone on scene.")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table or json.")]
SvgOpt = Annotated[Path | None, typer.Option("--svg", help="Also write the map as an SVG file.")]
PerIncidentOpt = Annotated[
    Path | None,
    typer.Option(
        "--per-incident",
        help="Also write a CSV: each incident's dock, modelled and recorded arrival, gain.",
    ),
]


def _load(
    incidents: Path, sites: Path, profile: Path | None, zones: Path | None, boundary: Path | None
) -> PlanInputs:
    inputs = inputs_from_files(
        incidents=incidents, sites=sites, profile=profile, zones=zones, boundary=boundary
    )
    for problem in inputs.problems[:20]:
        typer.echo(f"warning: left out {problem}", err=True)
    if len(inputs.problems) > 20:
        typer.echo(f"warning: ... and {len(inputs.problems) - 20} more rows left out", err=True)
    return inputs


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise InvalidInput("--docks: give site ids separated by commas")
    return ids


def _percent(value: object) -> str:
    return f"{value * 100:.1f}%" if isinstance(value, float) else "-"


def _write_svg(path: Path | None, inputs: PlanInputs, report: CoverageReport, title: str) -> None:
    if path is None:
        return
    svg = render_map(
        incidents=inputs.incidents,
        sites=inputs.sites,
        report=report,
        zones=inputs.zones,
        boundary=inputs.boundary,
        title=title,
        standalone=True,
    )
    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"--svg {path}: cannot write ({error.strerror})") from error


def _write_per_incident(path: Path | None, inputs: PlanInputs, report: CoverageReport) -> None:
    if path is None:
        return
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(INCIDENT_HEADER)
            writer.writerows(incident_rows(inputs.incidents, report))
    except OSError as error:
        raise InvalidInput(f"--per-incident {path}: cannot write ({error.strerror})") from error


def _coverage_lines(report: CoverageReport) -> list[str]:
    s = report.summary
    lines = [
        f"docks: {', '.join(report.docks)}",
        f"incidents: {s['incidents']}; in reach: {s['reached']} ({_percent(s['reached_share'])}); "
        f"on scene within {report.target_s:g} s: {s['within_target']} "
        f"({_percent(s['within_target_share'])})",
        "",
        "priority  incidents  in reach  within target",
    ]
    by_priority = s["by_priority"]
    assert isinstance(by_priority, dict)
    for grade, row in by_priority.items():
        lines.append(
            f"P{grade:<8} {row['incidents']:>9}  {_percent(row['reached_share']):>8}  "
            f"{_percent(row['within_target_share']):>13}"
        )
    arrival = s["modelled_arrival_s"]
    if isinstance(arrival, dict):
        lines += [
            "",
            "modelled drone arrival (s): " + ", ".join(f"{k} {v:g}" for k, v in arrival.items()),
        ]
    recorded = s["recorded_arrival_s"]
    if isinstance(recorded, dict):
        lines.append(
            "recorded first arrival (s): " + ", ".join(f"{k} {v:g}" for k, v in recorded.items())
        )
    gain = s["gain_min"]
    assert isinstance(gain, dict)
    lines += [
        "",
        f"compared with recorded first arrival: {gain['compared']} incidents; drone earlier in "
        f"{gain['drone_earlier']} ({_percent(gain['drone_earlier_share'])})",
    ]
    if isinstance(gain["percentiles"], dict):
        lines.append(
            "minutes earlier: " + ", ".join(f"{k} {v:g}" for k, v in gain["percentiles"].items())
        )
    lines += [f"  {band['band']:<18} {band['incidents']:>8}" for band in gain["bands"]]
    return lines


@dfr_app.command("coverage")
def coverage(
    incidents: IncidentsOpt,
    sites: SitesOpt,
    docks: Annotated[
        str | None,
        typer.Option(
            "--docks", help="Site ids with a dock, comma-separated (default: every site)."
        ),
    ] = None,
    profile: ProfileOpt = None,
    zones: ZonesOpt = None,
    boundary: BoundaryOpt = None,
    target: TargetOpt = DEFAULT_TARGET_S,
    fmt: FormatOpt = Format.TABLE,
    svg: SvgOpt = None,
    per_incident: PerIncidentOpt = None,
) -> None:
    """What these docks would have reached, how fast, and how much earlier than patrol."""
    inputs = _load(incidents, sites, profile, zones, boundary)
    report = cover(inputs, docks=_ids(docks), target_s=target)
    _write_svg(svg, inputs, report, f"Coverage of {len(report.docks)} docks")
    _write_per_incident(per_incident, inputs, report)
    if fmt is Format.JSON:
        typer.echo(report.to_json())
        return
    for line in _coverage_lines(report):
        typer.echo(line)


def _placement_lines(result: PlacementResult) -> list[str]:
    lines = [
        f"choose {result.count} docks; target {result.target_s:g} s; "
        f"{result.signature_count} coverage signatures; reach worked out in "
        f"{result.reach_seconds:.2f} s",
        "",
        "method  weighted share  seconds  optimal  docks",
    ]
    for s in result.as_dict()["solutions"]:  # type: ignore[attr-defined]
        lines.append(
            f"{s['method']:<7} {_percent(s['weighted_share']):>14}  {s['seconds']:>7.3f}  "
            f"{'yes' if s['proven_optimal'] else 'no':>7}  {', '.join(s['docks'])}"
        )
    if result.greedy_gap is not None:
        lines.append(f"greedy falls short of the optimum by {result.greedy_gap * 100:.2f}%")
    return [*lines, "", *_coverage_lines(result.best)]


@dfr_app.command("place")
def place_docks(
    incidents: IncidentsOpt,
    sites: SitesOpt,
    count: Annotated[int, typer.Option("--count", min=1, help="How many docks to place.")],
    method: Annotated[
        Method, typer.Option("--method", help="exact (HiGHS), greedy, or both (and the gap).")
    ] = Method.BOTH,
    keep: Annotated[
        str | None,
        typer.Option("--keep", help="Site ids of docks already in place, comma-separated."),
    ] = None,
    profile: ProfileOpt = None,
    zones: ZonesOpt = None,
    boundary: BoundaryOpt = None,
    target: TargetOpt = DEFAULT_TARGET_S,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds the exact solver may take.")
    ] = 120.0,
    gap: Annotated[
        float,
        typer.Option(
            "--gap", min=0, max=0.5, help="Stop the exact solver within this share of the optimum."
        ),
    ] = 0.0,
    fmt: FormatOpt = Format.TABLE,
    svg: SvgOpt = None,
    per_incident: PerIncidentOpt = None,
) -> None:
    """The best N docks for priority-weighted incidents reached within the target time."""
    inputs = _load(incidents, sites, profile, zones, boundary)
    result = place(
        inputs,
        count=count,
        target_s=target,
        method=method,
        keep=_ids(keep) if keep else None,
        time_limit_s=time_limit,
        gap=gap,
    )
    _write_svg(svg, inputs, result.best, f"Best {count} docks ({result.solutions[-1].method})")
    _write_per_incident(per_incident, inputs, result.best)
    if fmt is Format.JSON:
        typer.echo(result.to_json())
        return
    for line in _placement_lines(result):
        typer.echo(line)


@dfr_app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    incidents: Annotated[
        int, typer.Option("--incidents", min=1, max=2_000_000, help="How many incidents.")
    ] = 5_000,
    sites: Annotated[
        int, typer.Option("--sites", min=1, max=5_000, help="How many candidate dock sites.")
    ] = 80,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 7,
) -> None:
    """Write a synthetic force (Demoshire): incidents, sites, zones, boundary, profile."""
    began = time.perf_counter()
    paths = write_demo(out, incident_count=incidents, site_count=sites, seed=seed)
    typer.echo(
        f"wrote {', '.join(p.name for p in paths)} to {out} in {time.perf_counter() - began:.1f} s"
    )
