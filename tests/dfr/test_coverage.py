"""Coverage of a set of docks: reach by priority and hour, modelled arrival, minutes gained."""

from __future__ import annotations

import pytest

from casework.dfr import demo
from casework.dfr.inputs import load_incidents, load_sites, text_rows
from casework.dfr.model import DroneProfile
from casework.dfr.planning import PlanInputs, cover
from casework.dfr.svgmap import gain_class, render_map
from casework.errors import InvalidInput
from tests.dfr.samples import INCIDENTS_CSV, SITES_CSV

PROFILE = DroneProfile(cruise_mps=20.0, launch_s=30.0, max_range_m=3_000.0)


def _inputs() -> PlanInputs:
    sites, _ = load_sites(text_rows(SITES_CSV, "sites"), "sites")
    return PlanInputs(
        incidents=load_incidents(text_rows(INCIDENTS_CSV, "inc"), "inc"),
        sites=sites,
        profile=PROFILE,
    )


def test_one_dock_reaches_the_incidents_near_it_and_the_gain_is_in_minutes() -> None:
    report = cover(_inputs(), docks=["S1"], target_s=75)  # A3: 806 m, 70.3 s
    s = report.as_dict()
    assert s["incidents"] == 5 and s["reached"] == 3
    # A1 is 223.6 m from S1: 30 + 11.2 s; recorded 9 minutes after the call.
    assert report.arrival_s[0] == pytest.approx(30 + 223.607 / 20, abs=0.01)
    assert report.gain_min[0] == pytest.approx((540 - report.arrival_s[0]) / 60)
    assert report.gain_min[2] != report.gain_min[2]  # A3: no arrival recorded
    assert s["by_priority"]["1"] == {  # type: ignore[index]
        "incidents": 2,
        "reached": 2,
        "reached_share": 1.0,
        "within_target": 2,
        "within_target_share": 1.0,
    }
    gain = s["gain_min"]
    assert gain["compared"] == 2 and gain["drone_earlier"] == 2  # type: ignore[index]


def test_every_site_is_a_dock_when_none_are_named() -> None:
    report = cover(_inputs(), docks=None, target_s=120)
    assert report.docks == ["S1", "S2", "S3"]
    assert report.summary["reached"] == 5
    by_hour = report.summary["by_hour"]
    assert isinstance(by_hour, list) and len(by_hour) == 24
    assert by_hour[23]["incidents"] == 1


def test_unknown_docks_are_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="docks: unknown site id\\(s\\) S9"):
        cover(_inputs(), docks=["S1", "S9"], target_s=120)


@pytest.mark.parametrize(
    ("gain", "css"),
    [(-1.0, "dfr-gain-later"), (1.0, "dfr-gain-0"), (3.0, "dfr-gain-2"), (30.0, "dfr-gain-10")],
)
def test_gain_classes(gain: float, css: str) -> None:
    assert gain_class(gain) == css


def test_the_map_draws_boundary_zones_docks_and_incidents_without_tiles() -> None:
    inputs = demo.demo_inputs(500, 20)
    report = cover(inputs, docks=["S001", "S002"], target_s=120)
    svg = render_map(
        incidents=inputs.incidents,
        sites=inputs.sites,
        report=report,
        zones=inputs.zones,
        boundary=inputs.boundary,
        title="Demoshire <test>",
        standalone=True,
    )
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'class="dfr-boundary"' in svg and "dfr-zone-no_fly" in svg
    assert svg.count('class="dfr-dock"') == 2 + 1  # two docks and the legend's square
    assert "Demoshire &lt;test&gt;" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "<style>" in svg
    inline = render_map(
        incidents=inputs.incidents,
        sites=inputs.sites,
        report=report,
        zones=inputs.zones,
        boundary=None,
    )
    assert "<style>" not in inline and "style=" not in inline


def test_each_incident_gets_its_first_dock_arrival_and_gain() -> None:
    from casework.dfr.coverage import incident_rows

    inputs = _inputs()
    report = cover(inputs, docks=["S1", "S2"], target_s=120)
    rows = {row[0]: row for row in incident_rows(inputs.incidents, report)}
    assert rows["A1"][4] == "S1" and rows["A4"][4] == "S2"
    assert rows["A1"][5] == pytest.approx(30 + 223.607 / 20, abs=0.1)
    assert rows["A1"][6] == 540
    assert rows["A3"][6] == "" and rows["A3"][7] == ""  # no arrival recorded
