"""Triage rules of a referral: which force it belongs to, and how urgent it is, with reasons.

Location is data-driven (``data/referrals_locations.json``: IP ranges, phone area codes,
postcode areas and cities per force, and a weight per kind of signal); each signal votes
for a force and the reasons say which did. The platform gives no numeric priority (the
CyberTipline has none): triage assigns it here, a child at immediate risk first.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from ipaddress import IPv4Address, IPv6Address, ip_network

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casework.domain.referrals import HashMatch
from casework.safeguarding.referrals_report import (
    CONTACT_ABUSE,
    Annotation,
    Report,
    normalise_phone,
)

LOCATIONS_FILE = "referrals_locations.json"


class IpRange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    cidr: str
    force: str = ""
    country: str = ""


class PhonePrefix(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    prefix: str = Field(pattern=r"^\d{3,8}$")
    force: str
    place: str


class LocationTable(BaseModel):
    """The mapping file, validated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    source: str
    forces: dict[str, str]
    weights: dict[str, int]
    ip_ranges: tuple[IpRange, ...]
    foreign_ip_ranges: tuple[IpRange, ...] = ()
    phone_prefixes: tuple[PhonePrefix, ...]
    postcode_areas: dict[str, str]
    cities: dict[str, str]


class LocationDataError(ValueError):
    """The location mapping names an unknown force or a bad range."""


@cache
def location_table() -> LocationTable:
    """The packaged mapping, validated once (every force it names is listed)."""
    text = resources.files("casework.safeguarding.data").joinpath(LOCATIONS_FILE).read_text("utf-8")
    try:
        table = LocationTable.model_validate(json.loads(text))
        for entry in (*table.ip_ranges, *table.foreign_ip_ranges):
            ip_network(entry.cidr)
    except (ValidationError, ValueError) as error:
        raise LocationDataError(f"{LOCATIONS_FILE}: {error}") from error
    named = (
        {r.force for r in table.ip_ranges}
        | {p.force for p in table.phone_prefixes}
        | set(table.postcode_areas.values())
        | set(table.cities.values())
    )
    unknown = sorted(named - set(table.forces))
    if unknown:
        raise LocationDataError(f"{LOCATIONS_FILE}: unknown force(s) {', '.join(unknown)}")
    return table


@dataclass(frozen=True, slots=True)
class Location:
    force: str | None
    reasons: tuple[str, ...]


_POSTCODE_AREA = re.compile(r"^([A-Z]{1,2})\d")


def _ip_force(address: IPv4Address | IPv6Address, table: LocationTable) -> tuple[str, str]:
    for entry in table.ip_ranges:
        if address in ip_network(entry.cidr):
            return entry.force, ""
    for entry in table.foreign_ip_ranges:
        if address in ip_network(entry.cidr):
            return "", entry.country
    return "", ""


def locate(report: Report, table: LocationTable | None = None) -> Location:
    """The force a report belongs to, by weighted votes of its location signals."""
    table = table or location_table()
    weights = table.weights
    votes: Counter[str] = Counter()
    reasons: list[str] = []
    abroad: set[str] = set()
    places = [p.declaredLocation for p in report.reportedPeople if p.declaredLocation]
    places += [v.declaredLocation for v in report.victims if v.declaredLocation]
    for place in places:
        if place.country.upper() != "GB":
            abroad.add(place.country.upper())
            continue
        area = _POSTCODE_AREA.match((place.postcode or "").upper().replace(" ", ""))
        force = table.postcode_areas.get(area.group(1)) if area else None
        if force:
            votes[force] += weights["declared_postcode"]
            reasons.append(
                f"declared postcode {place.postcode} (area {area.group(1) if area else ''}) "
                f"is in {force} (+{weights['declared_postcode']})"
            )
        city = table.cities.get((place.city or "").strip().lower())
        if city:
            votes[city] += weights["declared_city"]
            reasons.append(f"declared city {place.city} is in {city} (+{weights['declared_city']})")
    events = [e for p in report.reportedPeople for e in p.ipCaptureEvents]
    if events:
        latest = max(events, key=lambda e: e.dateTime)
        force, country = _ip_force(latest.ipAddress, table)
        when = latest.dateTime.isoformat(timespec="minutes")
        if force:
            votes[force] += weights["ip"]
            reasons.append(
                f"latest IP {latest.ipAddress} ({when}) is in {force} (+{weights['ip']})"
            )
        elif country:
            abroad.add(country)
            reasons.append(f"latest IP {latest.ipAddress} ({when}) is outside the UK ({country})")
    for person in report.reportedPeople:
        for phone in person.phones:
            digits = normalise_phone(phone)
            prefix = max(
                (p for p in table.phone_prefixes if digits.startswith(p.prefix)),
                key=lambda p: len(p.prefix),
                default=None,
            )
            if prefix:
                votes[prefix.force] += weights["phone"]
                reasons.append(
                    f"phone {phone} has the {prefix.place} area code, in {prefix.force} "
                    f"(+{weights['phone']})"
                )
    if not votes:
        if abroad:
            countries = ", ".join(sorted(abroad))
            return Location(
                None,
                (
                    *reasons,
                    f"outside the UK ({countries}): for the NCA to route",
                ),
            )
        return Location(None, ("no UK location in the report: triage to decide",))
    ranked = votes.most_common()
    best, score = ranked[0]
    tied = sorted(f for f, s in ranked if s == score)
    if len(tied) > 1:
        return Location(None, (*reasons, f"signals disagree ({', '.join(tied)} equally): decide"))
    return Location(best, (*reasons, f"{best}: {score} point(s) of location evidence"))


@dataclass(frozen=True, slots=True)
class Priority:
    score: int
    band: str
    reasons: tuple[str, ...]
    """Most urgent first; each says how many points it added."""


IMMEDIATE = 100
HIGH = 50
MEDIUM = 20
RECENT = timedelta(days=7)
ANNOTATION_POINTS = {
    Annotation.SADISTIC_ONLINE_EXPLOITATION: (40, "sadistic online exploitation"),
    Annotation.SEXTORTION: (30, "sextortion: risk of suicide and self-harm"),
    Annotation.CSAM_SOLICITATION: (15, "solicitation of abuse material from a child"),
}


def band_of(score: int) -> str:
    if score >= IMMEDIATE:
        return "immediate"
    if score >= HIGH:
        return "high"
    if score >= MEDIUM:
        return "medium"
    return "routine"


def prioritise(
    report: Report, *, matches: tuple[HashMatch, ...], repeats: int, received_at: datetime
) -> Priority:
    """Score a referral and say why; a child at immediate risk outranks everything else."""
    scored: list[tuple[int, str]] = []
    summary = report.incidentSummary
    if summary.escalateToHighPriority:
        scored.append(
            (
                IMMEDIATE,
                f"child at immediate risk: the platform escalated it "
                f"({summary.escalateToHighPriority!r})",
            )
        )
    for annotation in summary.reportAnnotations:
        if annotation in ANNOTATION_POINTS:
            points, words = ANNOTATION_POINTS[annotation]
            scored.append((points, words))
    if summary.incidentType in CONTACT_ABUSE:
        scored.append((30, f"possible contact abuse: {summary.incidentType.value}"))
    ages = [v.age for v in report.victims if v.age is not None]
    if ages and min(ages) < 13:
        scored.append((20, f"a victim aged {min(ages)} (under 13)"))
    matched = {m.file_name for m in matches}
    unmatched_viewed = [
        f.fileName
        for f in report.files
        if f.viewedByCompany and not f.publiclyAvailable and f.fileName not in matched
    ]
    if unmatched_viewed:
        scored.append(
            (
                25,
                f"{len(unmatched_viewed)} file(s) seen by the platform and in no known list: "
                "possibly new material, a child may still be being abused",
            )
        )
    if matched:
        scored.append((10, f"{len(matched)} file(s) match known-hash lists"))
    if received_at - summary.incidentDateTime <= RECENT:
        scored.append((10, "the incident is less than 7 days old"))
    if repeats:
        scored.append(
            (min(20, 5 * repeats), f"{repeats} repeat report(s) about the same user or file")
        )
    if Annotation.MINOR_TO_MINOR_INTERACTION in summary.reportAnnotations:
        scored.append((0, "minor-to-minor interaction: consider a safeguarding response"))
    scored.sort(key=lambda item: -item[0])
    score = sum(points for points, _ in scored)
    reasons = tuple(f"+{points} {words}" for points, words in scored) or ("no risk factor found",)
    return Priority(score, band_of(score), reasons)
