"""Industry referrals: intake, deduplication, hash matching, assignment and outcomes.

Each service takes the repository of the unit of work (``domain.referrals``) and plain
values. A malformed report is held with its errors for correction, never dropped; a repeat
report about the same user or file is kept and linked to the earlier referral, which
is worked instead. Matching uses exact MD5/SHA-1 lookups and the PDQ index.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from casework.domain.referrals import (
    HashKind,
    HashMatch,
    HeldReport,
    KnownHash,
    OutcomeRecord,
    Referral,
    ReferralQuery,
    ReferralRepository,
    ReferralStatus,
)
from casework.errors import Conflict, InvalidInput, NotFound
from casework.safeguarding.pdq import MIN_QUALITY, PdqIndex, parse_pdq
from casework.safeguarding.referrals_report import (
    Report,
    ReportInvalid,
    identifiers_of,
    parse_report,
)
from casework.safeguarding.referrals_triage import band_of, locate, location_table, prioritise

MAX_OUTCOME = 10_000


class IntakeResult(StrEnum):
    ACCEPTED = "accepted"
    REPEAT = "repeat"
    ALREADY_RECEIVED = "already received"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class Intake:
    """What became of one report file."""

    result: IntakeResult
    source: str
    referral: Referral | None = None
    held: HeldReport | None = None

    @property
    def errors(self) -> tuple[str, ...]:
        return self.held.errors if self.held else ()


class HashMatcher:
    """Known hashes of the unit of work, loaded once: exact sets and the PDQ index."""

    def __init__(self, repo: ReferralRepository) -> None:
        self._repo = repo
        self._pdq: tuple[PdqIndex, list[KnownHash]] | None = None

    def _pdq_index(self) -> tuple[PdqIndex, list[KnownHash]]:
        if self._pdq is None:
            known = self._repo.known_pdq()
            self._pdq = (PdqIndex([parse_pdq(k.value) for k in known]), known)
        return self._pdq

    def matches(self, report: Report) -> tuple[HashMatch, ...]:
        """Every reported file found in a known list (low-quality PDQ hashes skipped)."""
        found: list[HashMatch] = []
        for kind in (HashKind.MD5, HashKind.SHA1):
            by_value: dict[str, list[str]] = {}
            for file in report.files:
                value = getattr(file, kind.value)
                if value:
                    by_value.setdefault(value, []).append(file.fileName)
            if by_value:
                for known in self._repo.known_exact(kind, sorted(by_value)):
                    found.extend(
                        HashMatch(name, kind, known.list_name, known.label)
                        for name in by_value[known.value]
                    )
        usable = [
            f
            for f in report.files
            if f.pdq and (f.pdqQuality is None or f.pdqQuality >= MIN_QUALITY)
        ]
        if usable:
            index, known_list = self._pdq_index()
            hits = index.search_many([parse_pdq(f.pdq or "") for f in usable])
            for file, file_hits in zip(usable, hits, strict=True):
                for hit in sorted(file_hits, key=lambda h: h.distance):
                    known = known_list[hit.index]
                    found.append(
                        HashMatch(
                            file.fileName, HashKind.PDQ, known.list_name, known.label, hit.distance
                        )
                    )
        return tuple(found)


def _scored(referral: Referral, report: Report) -> Referral:
    priority = prioritise(
        report,
        matches=referral.matches,
        repeats=referral.repeats,
        received_at=referral.received_at,
    )
    return replace(
        referral, priority=priority.score, band=priority.band, priority_reasons=priority.reasons
    )


def report_of(referral: Referral) -> Report:
    """The validated report a referral was made from."""
    return Report.model_validate(referral.report)


def intake(
    *,
    repo: ReferralRepository,
    payload: bytes | str,
    source: str,
    now: datetime,
    matcher: HashMatcher | None = None,
) -> Intake:
    """Take in one report: hold it if malformed, else dedupe, match, locate and score it."""
    try:
        report = parse_report(payload, source)
    except ReportInvalid as invalid:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        held = HeldReport(
            source=source, received_at=now, payload=text, errors=tuple(invalid.errors)
        )
        repo.hold(held)
        return Intake(IntakeResult.HELD, source, held=held)
    platform_id = report.reportId or ""
    if platform_id:
        earlier = repo.by_platform_id(report.reporter_name, platform_id)
        if earlier is not None:
            return Intake(IntakeResult.ALREADY_RECEIVED, source, referral=earlier)
    identifiers = identifiers_of(report)
    sharing = repo.sharing(identifiers)
    primary = min(sharing, key=lambda r: r.received_at) if sharing else None
    location = locate(report)
    referral = Referral(
        reference=repo.next_reference(now.year),
        received_at=now,
        source=source,
        reporter=report.reporter_name,
        platform_report_id=platform_id,
        incident_type=report.incidentSummary.incidentType.value,
        incident_at=report.incidentSummary.incidentDateTime,
        report=report.model_dump(mode="json", exclude_none=True),
        identifiers=identifiers,
        priority=0,
        priority_reasons=(),
        band="routine",
        located_force=location.force,
        location_reasons=location.reasons,
        status=ReferralStatus.REPEAT if primary else ReferralStatus.NEW,
        repeat_of=primary.reference if primary else None,
        matches=(matcher or HashMatcher(repo)).matches(report),
    )
    referral = _scored(referral, report)
    repo.add(referral)
    if primary is None:
        return Intake(IntakeResult.ACCEPTED, source, referral=referral)
    grown = _scored(replace(primary, repeats=primary.repeats + 1), report_of(primary))
    repo.save(_with_repeat(grown, referral))
    return Intake(IntakeResult.REPEAT, source, referral=referral)


REPEAT_MARK = "from repeat report"


def _with_repeat(primary: Referral, repeat: Referral) -> Referral:
    """The primary, raised to a repeat's priority when the repeat is more urgent.

    A later report about the same user may be the one that says a child is at risk now;
    the referral being worked must rise with it.
    """
    if repeat.priority <= primary.priority:
        return primary
    reasons = (
        f"+{repeat.priority - primary.priority} {REPEAT_MARK} {repeat.reference}: "
        f"{repeat.priority_reasons[0]}",
        *primary.priority_reasons,
    )
    return replace(
        primary,
        priority=repeat.priority,
        band=band_of(repeat.priority),
        priority_reasons=reasons,
    )


def correct(
    *, repo: ReferralRepository, held_id: UUID, payload: bytes | str, now: datetime
) -> Intake:
    """Take in the corrected version of a held report (held again if still malformed)."""
    held = repo.get_held(held_id)
    if held is None:
        raise NotFound(f"no held report {held_id}")
    if held.corrected_by:
        raise Conflict(f"held report {held_id} was already corrected as {held.corrected_by}")
    result = intake(repo=repo, payload=payload, source=held.source, now=now)
    if result.referral is not None:
        repo.mark_corrected(held_id, result.referral.reference)
    return result


def get_referral(*, repo: ReferralRepository, reference: str, force: str | None) -> Referral:
    """One referral; a force-scoped caller sees only those assigned to its force (else 404)."""
    found = repo.get(reference.strip().upper())
    if found is None or (force is not None and found.force != force):
        raise NotFound(f"no referral {reference.strip().upper()[:24]}")
    return found


def queue(*, repo: ReferralRepository, query: ReferralQuery) -> list[Referral]:
    """Referrals to work, most urgent first (then oldest first)."""
    found = repo.find(query)
    return sorted(found, key=lambda r: (-r.priority, r.received_at, r.reference))


def rematch(*, repo: ReferralRepository, references: Sequence[str] = ()) -> list[Referral]:
    """Match open referrals again (after a known-hash list changed) and rescore them."""
    matcher = HashMatcher(repo)
    targets = (
        [get_referral(repo=repo, reference=r, force=None) for r in references]
        if references
        else [
            r
            for r in repo.find(ReferralQuery(include_repeats=True, limit=100_000))
            if r.status is not ReferralStatus.CLOSED
        ]
    )
    changed = []
    for referral in targets:
        report = report_of(referral)
        again = _scored(replace(referral, matches=matcher.matches(report)), report)
        if referral.priority > again.priority and any(
            REPEAT_MARK in r for r in referral.priority_reasons
        ):  # raised by a more urgent repeat: keep that
            again = replace(
                again,
                priority=referral.priority,
                band=referral.band,
                priority_reasons=referral.priority_reasons,
            )
        if again != referral:
            repo.save(again)
            changed.append(again)
    return changed


def assign(
    *,
    repo: ReferralRepository,
    reference: str,
    force: str | None,
    actor: str,
    now: datetime,
) -> Referral:
    """Send a referral to a force (by default the force it was located to)."""
    referral = get_referral(repo=repo, reference=reference, force=None)
    if referral.status is ReferralStatus.REPEAT:
        raise Conflict(
            f"{referral.reference} repeats {referral.repeat_of}: assign {referral.repeat_of}"
        )
    if referral.status is ReferralStatus.CLOSED:
        raise Conflict(f"{referral.reference} is closed")
    target = (force or referral.located_force or "").strip().upper()
    forces = location_table().forces
    if not target:
        raise InvalidInput(f"force: {referral.reference} has no located force; name one")
    if target not in forces:
        raise InvalidInput(f"force: {target!r} is not a known force ({', '.join(sorted(forces))})")
    assigned = replace(
        referral,
        status=ReferralStatus.ASSIGNED,
        force=target,
        assigned_at=now,
        assigned_by=actor,
    )
    repo.save(assigned)
    return assigned


def record_outcome(
    *,
    repo: ReferralRepository,
    reference: str,
    arrests: int,
    children_safeguarded: int,
    final: bool,
    notes: str,
    on: date,
    actor: str,
    force: str | None,
    now: datetime,
) -> Referral:
    """Record what a force did: arrests and children safeguarded (added to earlier figures)."""
    referral = get_referral(repo=repo, reference=reference, force=force)
    if referral.status is not ReferralStatus.ASSIGNED or referral.force is None:
        raise Conflict(
            f"{referral.reference} is {referral.status.value}: outcomes are recorded for "
            "referrals assigned to a force"
        )
    for name, value in (("arrests", arrests), ("children_safeguarded", children_safeguarded)):
        if not 0 <= value <= MAX_OUTCOME:
            raise InvalidInput(f"{name}: {value} is not between 0 and {MAX_OUTCOME}")
    if on > now.date():
        raise InvalidInput(f"on: {on.isoformat()} is in the future")
    repo.add_outcome(
        OutcomeRecord(
            reference=referral.reference,
            force=referral.force,
            on=on,
            arrests=arrests,
            children_safeguarded=children_safeguarded,
            final=final,
            notes=notes,
            recorded_by=actor,
            recorded_at=now,
        )
    )
    updated = replace(
        referral,
        arrests=referral.arrests + arrests,
        children_safeguarded=referral.children_safeguarded + children_safeguarded,
        status=ReferralStatus.CLOSED if final else referral.status,
    )
    repo.save(updated)
    return updated


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: str
    received: int
    assigned: int
    arrests: int
    children_safeguarded: int


def monthly_figures(*, repo: ReferralRepository, force: str | None = None) -> list[MonthFigures]:
    """Referrals received and assigned, arrests and children safeguarded, by month."""
    counts = repo.received_by_month(force=force)
    outcomes: dict[str, list[int]] = {}
    for outcome in repo.outcomes(force=force):
        month = outcome.on.strftime("%Y-%m")
        row = outcomes.setdefault(month, [0, 0])
        row[0] += outcome.arrests
        row[1] += outcome.children_safeguarded
    months = sorted(set(counts) | set(outcomes))
    return [
        MonthFigures(
            m,
            counts.get(m, (0, 0))[0],
            counts.get(m, (0, 0))[1],
            outcomes.get(m, [0, 0])[0],
            outcomes.get(m, [0, 0])[1],
        )
        for m in months
    ]


_HASH_LENGTHS = {HashKind.MD5: 32, HashKind.SHA1: 40, HashKind.PDQ: 64}


def known_hash(*, kind: str, value: str, label: str, list_name: str, where: str) -> KnownHash:
    """One validated entry of a known-hash list; errors start with ``where``."""
    name = list_name.strip()
    if not name:
        raise InvalidInput("list: name the known-hash list")
    try:
        hash_kind = HashKind(kind.strip().lower())
    except ValueError as error:
        raise InvalidInput(f"{where}: kind {kind!r} is not md5, sha1 or pdq") from error
    text = value.strip().lower()
    length = _HASH_LENGTHS[hash_kind]
    if len(text) != length or any(c not in "0123456789abcdef" for c in text):
        raise InvalidInput(f"{where}: {hash_kind.value} is {length} hex characters")
    return KnownHash(name[:60], hash_kind, text, label.strip()[:200])


def parse_known_hashes(text: str, *, list_name: str, source: str) -> list[KnownHash]:
    """Read a known-hash list: CSV rows ``kind,value[,label]`` (a header row is allowed)."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise InvalidInput(f"{source}: not readable as CSV ({error})") from error
    hashes: list[KnownHash] = []
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or row[0].strip().lower() == "kind":
            continue
        hashes.append(
            known_hash(
                kind=row[0],
                value=row[1] if len(row) > 1 else "",
                label=row[2] if len(row) > 2 else "",
                list_name=list_name,
                where=f"{source}, row {number}",
            )
        )
    if not list_name.strip():
        raise InvalidInput("list: name the known-hash list")
    return hashes


def load_known_hashes(*, repo: ReferralRepository, hashes: Iterable[KnownHash]) -> int:
    """Add a known-hash list's entries (those already listed are skipped)."""
    return repo.add_known(list(hashes))


def as_json(referral: Referral) -> dict[str, Any]:
    """A referral as the CLI and the API give it (the report itself apart)."""
    return {
        "reference": referral.reference,
        "status": referral.status.value,
        "priority": referral.priority,
        "band": referral.band,
        "priority_reasons": list(referral.priority_reasons),
        "received_at": referral.received_at.isoformat(),
        "reporter": referral.reporter,
        "platform_report_id": referral.platform_report_id,
        "incident_type": referral.incident_type,
        "incident_at": referral.incident_at.isoformat(),
        "located_force": referral.located_force,
        "location_reasons": list(referral.location_reasons),
        "force": referral.force,
        "assigned_at": referral.assigned_at.isoformat() if referral.assigned_at else None,
        "repeat_of": referral.repeat_of,
        "repeats": referral.repeats,
        "matches": [
            {
                "file_name": m.file_name,
                "kind": m.kind.value,
                "list": m.list_name,
                "label": m.label,
                "distance": m.distance,
            }
            for m in referral.matches
        ],
        "arrests": referral.arrests,
        "children_safeguarded": referral.children_safeguarded,
        "source": referral.source,
    }
