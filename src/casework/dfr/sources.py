"""Load a planning run's inputs from files (the CLI) or from text and JSON (the API)."""

from __future__ import annotations

from pathlib import Path

from casework.dfr.inputs import (
    bytes_rows,
    load_boundary,
    load_incidents,
    load_sites,
    load_zones,
    parse_json,
    profile_from,
    read_json,
    table_rows,
    text_rows,
)
from casework.dfr.model import DroneProfile
from casework.dfr.planning import PlanInputs


def inputs_from_files(
    *,
    incidents: Path,
    sites: Path,
    profile: Path | None = None,
    zones: Path | None = None,
    boundary: Path | None = None,
) -> PlanInputs:
    """Read incidents and sites (CSV or XLSX), a profile (JSON) and zones/boundary (GeoJSON)."""
    found, site_problems = load_sites(table_rows(sites), str(sites))
    return PlanInputs(
        incidents=load_incidents(table_rows(incidents), str(incidents)),
        sites=found,
        profile=profile_from(read_json(profile), str(profile)) if profile else DroneProfile(),
        zones=load_zones(read_json(zones), str(zones)) if zones else [],
        boundary=load_boundary(read_json(boundary), str(boundary)) if boundary else None,
        site_problems=site_problems,
    )


def inputs_from_text(
    *,
    incidents_csv: str,
    sites_csv: str,
    profile: dict[str, object] | None = None,
    zones: dict[str, object] | None = None,
    boundary: dict[str, object] | None = None,
) -> PlanInputs:
    """The same from CSV text and GeoJSON objects (an API request's body)."""
    found, site_problems = load_sites(text_rows(sites_csv, "sites_csv"), "sites_csv")
    return PlanInputs(
        incidents=load_incidents(text_rows(incidents_csv, "incidents_csv"), "incidents_csv"),
        sites=found,
        profile=profile_from(profile, "profile") if profile is not None else DroneProfile(),
        zones=load_zones(zones, "zones") if zones is not None else [],
        boundary=load_boundary(boundary, "boundary") if boundary is not None else None,
        site_problems=site_problems,
    )


Upload = tuple[str, bytes]
"""(file name as sent, content)."""


def inputs_from_uploads(
    *,
    incidents: Upload,
    sites: Upload,
    profile: Upload | None = None,
    zones: Upload | None = None,
    boundary: Upload | None = None,
) -> PlanInputs:
    """The same from uploaded files (the web page), named as the user named them."""
    found, site_problems = load_sites(bytes_rows(sites[1], sites[0]), sites[0])
    return PlanInputs(
        incidents=load_incidents(bytes_rows(incidents[1], incidents[0]), incidents[0]),
        sites=found,
        profile=profile_from(parse_json(profile[1], profile[0]), profile[0])
        if profile
        else DroneProfile(),
        zones=load_zones(parse_json(zones[1], zones[0]), zones[0]) if zones else [],
        boundary=load_boundary(parse_json(boundary[1], boundary[0]), boundary[0])
        if boundary
        else None,
        site_problems=site_problems,
    )
