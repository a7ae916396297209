"""Industry referrals of online child sexual abuse as kept, and what their services need.

A referral is a platform's report (modelled on NCMEC's CyberTipline structure) after
intake: validated, its identifiers extracted for deduplication, its files matched against
known-hash lists, located to a force, scored, assigned and followed to its outcome.
``store`` implements ``ReferralRepository`` in SQL; ``safeguarding.referrals`` holds the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4


class ReferralStatus(StrEnum):
    NEW = "new"
    """Received and scored; not yet sent to a force."""
    REPEAT = "repeat"
    """About the same user or file as an earlier referral: worked with that one."""
    ASSIGNED = "assigned"
    """Sent to a force to investigate."""
    CLOSED = "closed"
    """The force has recorded its final outcome."""


class IdentifierKind(StrEnum):
    """What ties two reports to the same user or file (IP addresses are shared: not used)."""

    ACCOUNT = "account"
    EMAIL = "email"
    PHONE = "phone"
    MD5 = "md5"
    SHA1 = "sha1"


class HashKind(StrEnum):
    MD5 = "md5"
    SHA1 = "sha1"
    PDQ = "pdq"


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentifierKind
    value: str
    """Normalised: lower-case e-mail, digits-only phone, ``service:user`` account, hex hash."""


@dataclass(frozen=True, slots=True)
class HashMatch:
    """A reported file found in a known-hash list."""

    file_name: str
    kind: HashKind
    list_name: str
    label: str
    distance: int = 0
    """Bits apart (PDQ); 0 for an exact hash."""


@dataclass(frozen=True, slots=True)
class Referral:
    """One report after intake."""

    reference: str
    received_at: datetime
    source: str
    reporter: str
    platform_report_id: str
    incident_type: str
    incident_at: datetime
    report: dict[str, Any]
    """The validated report, as JSON (camelCase fields of the intake schema)."""
    identifiers: tuple[Identifier, ...]
    priority: int
    priority_reasons: tuple[str, ...]
    band: str
    located_force: str | None
    location_reasons: tuple[str, ...]
    status: ReferralStatus = ReferralStatus.NEW
    repeat_of: str | None = None
    """The reference of the earlier referral about the same user or file."""
    matches: tuple[HashMatch, ...] = ()
    force: str | None = None
    """The force it is assigned to."""
    assigned_at: datetime | None = None
    assigned_by: str = ""
    arrests: int = 0
    children_safeguarded: int = 0
    repeats: int = 0
    """How many later reports were found to be repeats of this one."""
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class HeldReport:
    """A report that failed validation: kept with its errors until it is corrected."""

    source: str
    received_at: datetime
    payload: str
    errors: tuple[str, ...]
    corrected_by: str | None = None
    """The reference of the referral its corrected version became."""
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """What a force reports back about a referral: arrests made, children safeguarded."""

    reference: str
    force: str
    on: date
    arrests: int
    children_safeguarded: int
    final: bool
    notes: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class KnownHash:
    """One entry of a known-hash list (e.g. a national list of indecent images)."""

    list_name: str
    kind: HashKind
    value: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class ReferralQuery:
    status: ReferralStatus | None = None
    force: str | None = None
    """Only referrals assigned to this force (a force user's view)."""
    include_repeats: bool = False
    limit: int = 200
    offset: int = 0


class ReferralRepository(Protocol):
    """What the referral services need from storage (one unit of work)."""

    def next_reference(self, year: int) -> str: ...

    def add(self, referral: Referral) -> None: ...

    def save(self, referral: Referral) -> None:
        """Write back a changed referral (status, priority, matches, assignment, outcome)."""
        ...

    def get(self, reference: str) -> Referral | None: ...

    def by_platform_id(self, reporter: str, platform_report_id: str) -> Referral | None: ...

    def sharing(self, identifiers: Sequence[Identifier]) -> list[Referral]:
        """Earlier referrals (not repeats themselves) with any of these identifiers."""
        ...

    def find(self, query: ReferralQuery) -> list[Referral]: ...

    def hold(self, held: HeldReport) -> None: ...

    def held(self, *, include_corrected: bool = False) -> list[HeldReport]: ...

    def get_held(self, held_id: UUID) -> HeldReport | None: ...

    def mark_corrected(self, held_id: UUID, reference: str) -> None: ...

    def add_outcome(self, outcome: OutcomeRecord) -> None: ...

    def outcomes(self, *, force: str | None = None) -> list[OutcomeRecord]: ...

    def add_known(self, hashes: Sequence[KnownHash]) -> int:
        """Add hashes not already listed; return how many were new."""
        ...

    def known_exact(self, kind: HashKind, values: Sequence[str]) -> list[KnownHash]: ...

    def known_pdq(self) -> list[KnownHash]: ...

    def received_by_month(self, *, force: str | None = None) -> dict[str, tuple[int, int]]:
        """``YYYY-MM`` -> (referrals received, referrals assigned) in that month."""
        ...
