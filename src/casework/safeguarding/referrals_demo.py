"""Synthetic industry referrals for ``casework demo`` and the tests.

Everything here is made up: companies, accounts and e-mails at example.com, phone numbers
from Ofcom's ranges reserved for drama, IP addresses from the RFC 5737 documentation
blocks, and file hashes that are random bytes (never the hash of any real picture).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from casework.domain.referrals import HashKind, KnownHash, ReferralQuery, ReferralRepository
from casework.safeguarding.referrals import (
    IntakeResult,
    assign,
    intake,
    load_known_hashes,
    record_outcome,
)
from casework.safeguarding.referrals_report import Annotation, IncidentType

COMPANIES = ("Examplechat Ltd", "Picshare Example Inc", "Gamelobby Example plc")
DEMO_LIST = "demo-known-list"
PLACES = (
    # (force, city, postcode, landline in a drama range, IP prefix of the force's block)
    ("WY", "Leeds", "LS6 2AB", "+44 113 496 0{n:03d}", "192.0.2.{h}"),
    ("GMP", "Manchester", "M14 5RT", "+44 161 496 0{n:03d}", "192.0.2.{h32}"),
    ("MPS", "London", "SE15 4QT", "+44 20 7946 0{n:03d}", "192.0.2.{h64}"),
    ("TVP", "Reading", "RG1 8DN", "+44 118 496 0{n:03d}", "192.0.2.{h128}"),
    ("SWP", "Cardiff", "CF24 3AA", "+44 29 2018 0{n:03d}", "192.0.2.{h160}"),
)
DEFAULT_COUNT = 120
DEFAULT_SEED = 11


def _hex(rng: random.Random, chars: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(chars))


def _near(value: str, rng: random.Random, bits: int) -> str:
    number = int(value, 16)
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return f"{number:064x}"


def known_list(seed: int = DEFAULT_SEED, size: int = 200) -> list[KnownHash]:
    """A synthetic known-hash list: MD5, SHA-1 and PDQ entries of random bytes."""
    rng = random.Random(seed * 7 + 1)
    hashes = []
    for number in range(size):
        label = f"demo series {number % 12 + 1}"
        hashes.append(KnownHash(DEMO_LIST, HashKind.MD5, _hex(rng, 32), label))
        hashes.append(KnownHash(DEMO_LIST, HashKind.SHA1, _hex(rng, 40), label))
        hashes.append(KnownHash(DEMO_LIST, HashKind.PDQ, _hex(rng, 64), label))
    return hashes


def synthetic_report(
    rng: random.Random, *, number: int, received: datetime, known: list[KnownHash]
) -> dict[str, Any]:
    """One CyberTipline-style report as JSON (a dict), varied by ``rng``."""
    _force, city, postcode, phone, ip = rng.choice(PLACES)
    user = f"user{rng.randint(1000, 9999)}"
    incident_type = rng.choices(list(IncidentType)[:7], weights=[50, 3, 1, 5, 2, 2, 25], k=1)[0]
    annotations = [a.value for a in Annotation if rng.random() < 0.08]
    people: dict[str, Any] = {
        "accounts": [{"service": "examplechat", "userId": user, "username": user.upper()}],
        "emails": [f"{user}@example.com"],
        "phones": [phone.format(n=rng.randint(0, 999))] if rng.random() < 0.6 else [],
        "ipCaptureEvents": [
            {
                "ipAddress": ip.format(
                    h=rng.randint(1, 30),
                    h32=rng.randint(33, 62),
                    h64=rng.randint(65, 126),
                    h128=rng.randint(129, 158),
                    h160=rng.randint(161, 190),
                ),
                "eventName": "Login",
                "dateTime": (received - timedelta(days=rng.randint(1, 20))).isoformat(),
            }
        ],
    }
    if rng.random() < 0.5:
        people["declaredLocation"] = {"country": "GB", "city": city, "postcode": postcode}
    files = []
    for index in range(rng.randint(0, 3)):
        entry: dict[str, Any] = {
            "fileName": f"upload_{number}_{index}.jpg",
            "viewedByCompany": rng.random() < 0.7,
            "publiclyAvailable": rng.random() < 0.2,
        }
        roll = rng.random()
        pdq_known = [k for k in known if k.kind is HashKind.PDQ]
        md5_known = [k for k in known if k.kind is HashKind.MD5]
        if roll < 0.25 and md5_known:
            entry["md5"] = rng.choice(md5_known).value
        else:
            entry["md5"] = _hex(rng, 32)
        if roll > 0.75 and pdq_known:
            entry["pdq"] = _near(rng.choice(pdq_known).value, rng, rng.randint(2, 24))
        else:
            entry["pdq"] = _hex(rng, 64)
        entry["pdqQuality"] = rng.choice([100, 90, 80, 30])
        files.append(entry)
    report: dict[str, Any] = {
        "reportId": f"DEMO-{number:05d}",
        "reporter": {"company": rng.choice(COMPANIES)},
        "incidentSummary": {
            "incidentType": incident_type.value,
            "incidentDateTime": (received - timedelta(days=rng.randint(0, 30))).isoformat(),
            "platform": "Examplechat",
            "reportAnnotations": annotations,
        },
        "reportedPeople": [people],
        "files": files,
    }
    if rng.random() < 0.05:
        report["incidentSummary"]["escalateToHighPriority"] = (
            "User says they are meeting a 13-year-old tonight"
        )
    if rng.random() < 0.4:
        report["victims"] = [{"age": rng.randint(9, 16)}]
    return report


@dataclass
class DemoReferralReport:
    added: int = 0
    repeats: int = 0
    held: int = 0
    assigned: int = 0
    outcomes: int = 0
    skipped: bool = False
    by_band: dict[str, int] = field(default_factory=dict)


def load_demo_referrals(
    *,
    repo: ReferralRepository,
    now: datetime | None = None,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
) -> DemoReferralReport:
    """Load synthetic referrals over the last six months (once: skipped if already there)."""
    report = DemoReferralReport()
    if repo.by_platform_id(COMPANIES[0], "DEMO-00000") or repo.find(ReferralQuery(limit=1)):
        report.skipped = True
        return report
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    known = known_list(seed)
    load_known_hashes(repo=repo, hashes=known)
    made: list[tuple[str, datetime]] = []
    users: list[dict[str, Any]] = []
    for number in range(count):
        received = now - timedelta(
            days=int(180 * (count - number) / count), hours=rng.randint(0, 9)
        )
        body = synthetic_report(rng, number=number, received=received, known=known)
        if users and rng.random() < 0.1:  # a repeat report about a user seen before
            body["reportedPeople"][0] = rng.choice(users)
        users.append(body["reportedPeople"][0])
        payload = json.dumps(body)
        if number % 40 == 39:  # a malformed report: kept for correction
            payload = payload.replace('"incidentDateTime"', '"incidentTime"')
        source = f"demo/report-{number:05d}.json"
        result = intake(repo=repo, payload=payload, source=source, now=received)
        if result.result is IntakeResult.HELD:
            report.held += 1
            continue
        referral = result.referral
        assert referral is not None
        if result.result is IntakeResult.REPEAT:
            report.repeats += 1
            continue
        report.added += 1
        made.append((referral.reference, received))
    for reference, received in made:
        age = (now - received).days
        if age < 5 or rng.random() < 0.2:
            continue
        if not _located(repo, reference):
            continue
        assign(
            repo=repo,
            reference=reference,
            force=None,
            actor="demo triage",
            now=received + timedelta(days=2),
        )
        report.assigned += 1
        if age > 20:
            record_outcome(
                repo=repo,
                reference=reference,
                arrests=rng.choice([0, 0, 1, 1, 2]),
                children_safeguarded=rng.choice([0, 1, 1, 2, 3]),
                final=rng.random() < 0.6,
                notes="synthetic demo outcome",
                on=min((received + timedelta(days=rng.randint(7, 20))).date(), now.date()),
                actor="demo force",
                force=None,
                now=now,
            )
            report.outcomes += 1
    for referral in repo.find(ReferralQuery(limit=10_000)):
        report.by_band[referral.band] = report.by_band.get(referral.band, 0) + 1
    return report


def _located(repo: ReferralRepository, reference: str) -> bool:
    found = repo.get(reference)
    return found is not None and found.located_force is not None
