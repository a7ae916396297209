"""The SQL implementation of ``domain.referrals.ReferralRepository`` (one session)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from casework.domain.referrals import (
    HashKind,
    HashMatch,
    HeldReport,
    Identifier,
    IdentifierKind,
    KnownHash,
    OutcomeRecord,
    Referral,
    ReferralQuery,
    ReferralStatus,
)
from casework.store.referral_models import (
    HeldReferralRow,
    KnownHashRow,
    ReferralIdentifierRow,
    ReferralOutcomeRow,
    ReferralRow,
)

PREFIX = "IR"
"""References read IR-2026-000123 (industry referral, year received, number)."""


def _match_json(match: HashMatch) -> dict[str, Any]:
    return {
        "file_name": match.file_name,
        "kind": match.kind.value,
        "list_name": match.list_name,
        "label": match.label,
        "distance": match.distance,
    }


def _match(raw: dict[str, Any]) -> HashMatch:
    return HashMatch(
        raw["file_name"], HashKind(raw["kind"]), raw["list_name"], raw["label"], raw["distance"]
    )


def _referral(row: ReferralRow, identifiers: Sequence[Identifier]) -> Referral:
    return Referral(
        id=row.id,
        reference=row.reference,
        received_at=row.received_at,
        source=row.source,
        reporter=row.reporter,
        platform_report_id=row.platform_report_id,
        incident_type=row.incident_type,
        incident_at=row.incident_at,
        report=row.report,
        identifiers=tuple(sorted(identifiers, key=lambda i: (i.kind.value, i.value))),
        priority=row.priority,
        priority_reasons=tuple(row.priority_reasons),
        band=row.band,
        located_force=row.located_force,
        location_reasons=tuple(row.location_reasons),
        status=ReferralStatus(row.status),
        repeat_of=row.repeat_of,
        matches=tuple(_match(m) for m in row.matches),
        force=row.force,
        assigned_at=row.assigned_at,
        assigned_by=row.assigned_by,
        arrests=row.arrests,
        children_safeguarded=row.children_safeguarded,
        repeats=row.repeats,
    )


def _fill(row: ReferralRow, referral: Referral) -> None:
    row.reference = referral.reference
    row.force = referral.force
    row.located_force = referral.located_force
    row.received_at = referral.received_at
    row.source = referral.source[:300]
    row.reporter = referral.reporter[:200]
    row.platform_report_id = referral.platform_report_id
    row.incident_type = referral.incident_type
    row.incident_at = referral.incident_at
    row.report = referral.report
    row.priority = referral.priority
    row.band = referral.band
    row.priority_reasons = list(referral.priority_reasons)
    row.location_reasons = list(referral.location_reasons)
    row.status = referral.status.value
    row.repeat_of = referral.repeat_of
    row.repeats = referral.repeats
    row.matches = [_match_json(m) for m in referral.matches]
    row.assigned_at = referral.assigned_at
    row.assigned_by = referral.assigned_by
    row.arrests = referral.arrests
    row.children_safeguarded = referral.children_safeguarded


class SqlReferralRepository:
    """Referrals in the session's database; the caller commits (one unit of work)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _identifiers(self, ids: Sequence[UUID]) -> dict[UUID, list[Identifier]]:
        found: dict[UUID, list[Identifier]] = {i: [] for i in ids}
        if ids:
            rows = self.session.execute(
                select(ReferralIdentifierRow).where(ReferralIdentifierRow.referral_id.in_(ids))
            ).scalars()
            for row in rows:
                found[row.referral_id].append(Identifier(IdentifierKind(row.kind), row.value))
        return found

    def _many(self, rows: Sequence[ReferralRow]) -> list[Referral]:
        identifiers = self._identifiers([r.id for r in rows])
        return [_referral(r, identifiers[r.id]) for r in rows]

    def next_reference(self, year: int) -> str:
        prefix = f"{PREFIX}-{year}-"
        last = self.session.execute(
            select(func.max(ReferralRow.reference)).where(ReferralRow.reference.like(prefix + "%"))
        ).scalar_one_or_none()
        number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{number:06d}"

    def add(self, referral: Referral) -> None:
        row = ReferralRow(id=referral.id)
        _fill(row, referral)
        self.session.add(row)
        self.session.flush()  # the row first: identifiers refer to it (no ORM relationship)
        self.session.add_all(
            ReferralIdentifierRow(referral_id=referral.id, kind=i.kind.value, value=i.value[:320])
            for i in referral.identifiers
        )
        self.session.flush()

    def save(self, referral: Referral) -> None:
        row = self.session.get(ReferralRow, referral.id)
        if row is None:
            raise LookupError(f"no referral {referral.reference}")
        _fill(row, referral)
        self.session.flush()

    def get(self, reference: str) -> Referral | None:
        row = self.session.execute(
            select(ReferralRow).where(ReferralRow.reference == reference)
        ).scalar_one_or_none()
        return self._many([row])[0] if row else None

    def by_platform_id(self, reporter: str, platform_report_id: str) -> Referral | None:
        row = self.session.execute(
            select(ReferralRow)
            .where(
                ReferralRow.reporter == reporter[:200],
                ReferralRow.platform_report_id == platform_report_id,
            )
            .limit(1)
        ).scalar_one_or_none()
        return self._many([row])[0] if row else None

    def sharing(self, identifiers: Sequence[Identifier]) -> list[Referral]:
        if not identifiers:
            return []
        keys = [(i.kind.value, i.value[:320]) for i in identifiers]
        ids = select(ReferralIdentifierRow.referral_id).where(
            tuple_(ReferralIdentifierRow.kind, ReferralIdentifierRow.value).in_(keys)
        )
        rows = self.session.execute(
            select(ReferralRow).where(
                ReferralRow.id.in_(ids), ReferralRow.status != ReferralStatus.REPEAT.value
            )
        ).scalars()
        return self._many(list(rows))

    def find(self, query: ReferralQuery) -> list[Referral]:
        statement = select(ReferralRow)
        if query.status is not None:
            statement = statement.where(ReferralRow.status == query.status.value)
        elif not query.include_repeats:
            statement = statement.where(ReferralRow.status != ReferralStatus.REPEAT.value)
        if query.force is not None:
            statement = statement.where(ReferralRow.force == query.force)
        statement = (
            statement.order_by(ReferralRow.priority.desc(), ReferralRow.received_at)
            .limit(query.limit)
            .offset(query.offset)
        )
        return self._many(list(self.session.execute(statement).scalars()))

    def hold(self, held: HeldReport) -> None:
        self.session.add(
            HeldReferralRow(
                id=held.id,
                source=held.source[:300],
                received_at=held.received_at,
                payload=held.payload,
                errors=list(held.errors),
                corrected_by=held.corrected_by,
            )
        )
        self.session.flush()

    def held(self, *, include_corrected: bool = False) -> list[HeldReport]:
        statement = select(HeldReferralRow).order_by(HeldReferralRow.received_at)
        if not include_corrected:
            statement = statement.where(HeldReferralRow.corrected_by.is_(None))
        return [
            HeldReport(r.source, r.received_at, r.payload, tuple(r.errors), r.corrected_by, r.id)
            for r in self.session.execute(statement).scalars()
        ]

    def get_held(self, held_id: UUID) -> HeldReport | None:
        r = self.session.get(HeldReferralRow, held_id)
        if r is None:
            return None
        return HeldReport(r.source, r.received_at, r.payload, tuple(r.errors), r.corrected_by, r.id)

    def mark_corrected(self, held_id: UUID, reference: str) -> None:
        row = self.session.get(HeldReferralRow, held_id)
        if row is not None:
            row.corrected_by = reference
            self.session.flush()

    def add_outcome(self, outcome: OutcomeRecord) -> None:
        referral_id = self.session.execute(
            select(ReferralRow.id).where(ReferralRow.reference == outcome.reference)
        ).scalar_one()
        self.session.add(
            ReferralOutcomeRow(
                referral_id=referral_id,
                force=outcome.force,
                on=outcome.on,
                arrests=outcome.arrests,
                children_safeguarded=outcome.children_safeguarded,
                final=outcome.final,
                notes=outcome.notes,
                recorded_by=outcome.recorded_by[:64],
                recorded_at=outcome.recorded_at,
            )
        )
        self.session.flush()

    def outcomes(self, *, force: str | None = None) -> list[OutcomeRecord]:
        statement = select(ReferralOutcomeRow, ReferralRow.reference).join(
            ReferralRow, ReferralRow.id == ReferralOutcomeRow.referral_id
        )
        if force is not None:
            statement = statement.where(ReferralOutcomeRow.force == force)
        return [
            OutcomeRecord(
                reference=reference,
                force=o.force,
                on=o.on,
                arrests=o.arrests,
                children_safeguarded=o.children_safeguarded,
                final=o.final,
                notes=o.notes,
                recorded_by=o.recorded_by,
                recorded_at=o.recorded_at,
            )
            for o, reference in self.session.execute(
                statement.order_by(ReferralOutcomeRow.on, ReferralOutcomeRow.recorded_at)
            )
        ]

    def add_known(self, hashes: Sequence[KnownHash]) -> int:
        if not hashes:
            return 0
        keys = {(h.kind.value, h.value, h.list_name) for h in hashes}
        kinds = {k for k, _, _ in keys}
        existing = set()
        values = [v for _, v, _ in keys]
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            rows = self.session.execute(
                select(KnownHashRow.kind, KnownHashRow.value, KnownHashRow.list_name).where(
                    KnownHashRow.kind.in_(kinds), KnownHashRow.value.in_(chunk)
                )
            )
            existing |= {(kind, value, name) for kind, value, name in rows}
        now = datetime.now(UTC)
        new = []
        for h in hashes:
            key = (h.kind.value, h.value, h.list_name)
            if key in existing:
                continue
            existing.add(key)
            new.append(
                KnownHashRow(
                    list_name=h.list_name,
                    kind=h.kind.value,
                    value=h.value,
                    label=h.label,
                    added_at=now,
                )
            )
        self.session.add_all(new)
        self.session.flush()
        return len(new)

    def known_exact(self, kind: HashKind, values: Sequence[str]) -> list[KnownHash]:
        if not values:
            return []
        rows = self.session.execute(
            select(KnownHashRow).where(
                KnownHashRow.kind == kind.value, KnownHashRow.value.in_(values)
            )
        ).scalars()
        return [KnownHash(r.list_name, HashKind(r.kind), r.value, r.label) for r in rows]

    def known_pdq(self) -> list[KnownHash]:
        rows = self.session.execute(
            select(KnownHashRow.list_name, KnownHashRow.value, KnownHashRow.label)
            .where(KnownHashRow.kind == HashKind.PDQ.value)
            .order_by(KnownHashRow.list_name, KnownHashRow.value)
        )
        return [KnownHash(name, HashKind.PDQ, value, label) for name, value, label in rows]

    def received_by_month(self, *, force: str | None = None) -> dict[str, tuple[int, int]]:
        statement = select(ReferralRow.received_at, ReferralRow.assigned_at)
        if force is not None:
            statement = statement.where(ReferralRow.force == force)
        received: dict[str, int] = {}
        assigned: dict[str, int] = {}
        for received_at, assigned_at in self.session.execute(statement):
            month = received_at.strftime("%Y-%m")
            received[month] = received.get(month, 0) + 1
            if assigned_at is not None:
                key = assigned_at.strftime("%Y-%m")
                assigned[key] = assigned.get(key, 0) + 1
        return {
            m: (received.get(m, 0), assigned.get(m, 0))
            for m in sorted(set(received) | set(assigned))
        }
