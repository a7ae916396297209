"""The audit log: append-only, each entry chained to the one before by its SHA-256 hash.

An entry's hash is SHA-256 over its canonical serialisation (JSON, keys sorted, no spaces,
UTF-8) of every field, the previous entry's hash included; the first entry's previous hash
is 64 zeros. ``audit_head`` holds the newest entry's number and hash: an append locks that
row first (an UPDATE takes PostgreSQL's row lock and SQLite's write lock), so concurrent
appends queue and the chain never forks. ``verify_chain`` recomputes every hash and the
links, and checks the head, so that a changed, deleted or reordered entry, or a cut-off
tail, is found and named.

Entries of a write go in the writer's own transaction (both land or neither);
reads and refused access are recorded in a transaction of their own
(``record_separately``), so that a refusal is kept although the request fails.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.security.principal import Principal
from casework.store.security_models import AuditEntryRow, AuditHeadRow

GENESIS = "0" * 64
HEAD_ID = 1
DetailValue = str | int | float | bool | None


class Outcome(StrEnum):
    """What became of the access."""

    ALLOWED = "allowed"
    DENIED = "denied"
    FAILED = "failed"


class AuditRecord(BaseModel):
    """What happened, before it is numbered and chained."""

    model_config = ConfigDict(frozen=True)

    actor: str = Field(max_length=64)
    actor_role: str = Field(max_length=20)
    force: str = Field(max_length=8)
    action: str = Field(max_length=60)
    outcome: Outcome
    case_reference: str | None = None
    target: str = ""
    detail: dict[str, DetailValue] = Field(default_factory=dict)

    @classmethod
    def of(
        cls,
        principal: Principal | None,
        *,
        action: str,
        outcome: Outcome = Outcome.ALLOWED,
        case_reference: str | None = None,
        target: str = "",
        detail: dict[str, DetailValue] | None = None,
        actor: str | None = None,
    ) -> AuditRecord:
        """A record for ``principal`` (None: an unauthenticated caller, named by ``actor``)."""
        return cls(
            actor=(principal.username if principal else (actor or "-"))[:64],
            actor_role=principal.role.value if principal else "-",
            force=principal.force if principal else "-",
            action=action,
            outcome=outcome,
            case_reference=case_reference,
            target=target,
            detail={**(detail or {}), **({"via": principal.via.value} if principal else {})},
        )


class AuditEntry(AuditRecord):
    """An entry as stored: numbered, timed and chained."""

    seq: int
    at: datetime
    prev_hash: str
    hash: str


def _detail_text(detail: dict[str, DetailValue]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    seq: int,
    at: datetime,
    actor: str,
    actor_role: str,
    force: str,
    action: str,
    outcome: str,
    case_reference: str | None,
    target: str,
    detail: str,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash is taken over (every field, the previous hash included)."""
    fields: dict[str, Any] = {
        "seq": seq,
        "at": _at_text(at),
        "actor": actor,
        "actor_role": actor_role,
        "force": force,
        "action": action,
        "outcome": outcome,
        "case_reference": case_reference,
        "target": target,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _row_hash(row: AuditEntryRow) -> str:
    return hashlib.sha256(
        canonical(
            seq=row.seq,
            at=row.at,
            actor=row.actor,
            actor_role=row.actor_role,
            force=row.force,
            action=row.action,
            outcome=row.outcome,
            case_reference=row.case_reference,
            target=row.target,
            detail=row.detail,
            prev_hash=row.prev_hash,
        )
    ).hexdigest()


def _entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        actor_role=row.actor_role,
        force=row.force,
        action=row.action,
        outcome=Outcome(row.outcome),
        case_reference=row.case_reference,
        target=row.target,
        detail=json.loads(row.detail),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class AuditChainMissing(RuntimeError):
    """The audit head row is missing: the database was not made by the migrations."""


def append_audit(
    *, session: Session, record: AuditRecord, now: datetime | None = None
) -> AuditEntry:
    """Append ``record`` to the chain inside the caller's transaction; return the entry."""
    return append_audit_many(session=session, records=[(record, now or datetime.now(UTC))])[0]


def append_audit_many(
    *, session: Session, records: Sequence[tuple[AuditRecord, datetime]]
) -> list[AuditEntry]:
    """Append ``(record, at)`` pairs, in order, inside the caller's transaction.

    The head row is locked once for them all, the entries are inserted in one statement
    and the head moves to the last; each entry is chained to the one before exactly as
    if they had been appended one by one.
    """
    if not records:
        return []
    head = session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.id == HEAD_ID)
        .values(seq=AuditHeadRow.seq + len(records))
        .returning(AuditHeadRow.seq, AuditHeadRow.hash)
    ).first()
    if head is None:
        raise AuditChainMissing("audit_head has no row; run the migrations (0002_security)")
    seq, prev_hash = int(head[0]) - len(records), str(head[1])
    entries: list[AuditEntry] = []
    for record, moment in records:
        seq += 1
        at = moment.astimezone(UTC)
        detail = _detail_text(record.detail)
        digest = hashlib.sha256(
            canonical(
                seq=seq,
                at=at,
                actor=record.actor,
                actor_role=record.actor_role,
                force=record.force,
                action=record.action,
                outcome=record.outcome.value,
                case_reference=record.case_reference,
                target=record.target,
                detail=detail,
                prev_hash=prev_hash,
            )
        ).hexdigest()
        entries.append(
            AuditEntry(**record.model_dump(), seq=seq, at=at, prev_hash=prev_hash, hash=digest)
        )
        prev_hash = digest
    session.execute(
        insert(AuditEntryRow),
        [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "actor_role": e.actor_role,
                "force": e.force,
                "action": e.action,
                "outcome": e.outcome.value,
                "case_reference": e.case_reference,
                "target": e.target,
                "detail": _detail_text(e.detail),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ],
    )
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(hash=prev_hash))
    return entries


def record_separately(
    *, factory: sessionmaker[Session], record: AuditRecord, now: datetime | None = None
) -> AuditEntry:
    """Append ``record`` in a transaction of its own, committed at once.

    For reads and refused access: the entry must stay although the request itself
    fails or is rolled back.
    """
    with factory() as session, session.begin():
        return append_audit(session=session, record=record, now=now)


@dataclass(slots=True)
class _Pending:
    record: AuditRecord
    at: datetime
    entry: AuditEntry | None = None
    error: BaseException | None = None
    done: bool = False


class AuditWriter:
    """Appends entries apart from the request, like ``record_separately``, a batch at a time.

    Group commit: a caller queues its record and takes the writer's lock; whoever holds it
    appends everything queued so far in one transaction (one lock of the head, one commit,
    one flush to disk) and hands each waiting caller its entry. Every caller returns only
    once its own entry is committed, or with the error that stopped it, so nothing is read
    without an entry; the chain is the same as if each had been appended alone. If a batch
    fails, its records are retried one by one, so one bad record fails only its caller.

    Within a process the lock also queues appenders in Python instead of in SQLite's busy
    handler, which sleeps in growing steps while it waits for the write lock.
    """

    MAX_BATCH = 256

    def __init__(self, factory: Callable[[], Session]) -> None:
        self._factory = factory
        self._queue_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._queue: list[_Pending] = []

    def record(self, record: AuditRecord, *, now: datetime | None = None) -> AuditEntry:
        """Append ``record``; return its entry once committed."""
        with self._queue_lock:  # timed in queue order, so times follow the sequence
            item = _Pending(record, now or datetime.now(UTC))
            self._queue.append(item)
        while not item.done:  # more than one batch may go before it
            with self._write_lock:
                if not item.done:
                    with self._queue_lock:
                        batch = self._queue[: self.MAX_BATCH]
                        del self._queue[: self.MAX_BATCH]
                    self._write(batch)
        if item.error is not None:
            raise item.error
        assert item.entry is not None
        return item.entry

    def _write(self, batch: list[_Pending]) -> None:
        try:
            with self._factory() as session, session.begin():
                entries = append_audit_many(
                    session=session, records=[(p.record, p.at) for p in batch]
                )
        except Exception as error:
            if len(batch) == 1:
                batch[0].error, batch[0].done = error, True
                return
            for item in batch:
                self._write([item])
            return
        for item, entry in zip(batch, entries, strict=True):
            item.entry, item.done = entry, True


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking the chain."""

    intact: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def _rows(session: Session, batch: int) -> Iterator[AuditEntryRow]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntryRow)
            .where(AuditEntryRow.seq > last)
            .order_by(AuditEntryRow.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain(*, session: Session, batch: int = 2000) -> ChainReport:
    """Recompute every entry's hash and link; name the first entry that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for row in _rows(session, batch):
        if row.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                expected_seq,
                f"entry {expected_seq} is missing (the next one stored is {row.seq}): "
                "deleted or renumbered",
            )
        if row.prev_hash != prev_hash:
            return ChainReport(
                False,
                checked,
                row.seq,
                f"entry {row.seq} does not follow entry {row.seq - 1} (its previous hash "
                "differs): an entry was removed, inserted or reordered",
            )
        if _row_hash(row) != row.hash:
            return ChainReport(
                False,
                checked,
                row.seq,
                f"entry {row.seq} was changed after it was written (its hash does not "
                "match its content)",
            )
        prev_hash = row.hash
        expected_seq += 1
        checked += 1
    head = session.get(AuditHeadRow, HEAD_ID)
    if head is None:
        return ChainReport(False, checked, None, "the audit head is missing")
    if head.seq != checked or head.hash != prev_hash:
        if head.seq > checked:
            return ChainReport(
                False,
                checked,
                checked + 1,
                f"entries {checked + 1} to {head.seq} are missing: the end of the log was cut off",
            )
        return ChainReport(
            False, checked, head.seq, "the audit head does not match the newest entry"
        )
    return ChainReport(True, checked)


class AuditQuery(BaseModel):
    """Filters for reading the log; every filter given must match."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    case_reference: str | None = None
    actor: str | None = None
    action: str | None = None
    outcome: Outcome | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(default=200, ge=1, le=10_000)
    after_seq: int = Field(default=0, ge=0)


def audit_entries(*, session: Session, query: AuditQuery | None = None) -> list[AuditEntry]:
    """Return entries matching ``query`` in the order they were written."""
    wanted = query or AuditQuery()
    statement = select(AuditEntryRow).where(AuditEntryRow.seq > wanted.after_seq)
    if wanted.case_reference:
        statement = statement.where(AuditEntryRow.case_reference == wanted.case_reference.upper())
    if wanted.actor:
        statement = statement.where(AuditEntryRow.actor == wanted.actor.lower())
    if wanted.action:
        statement = statement.where(AuditEntryRow.action == wanted.action)
    if wanted.outcome:
        statement = statement.where(AuditEntryRow.outcome == wanted.outcome.value)
    if wanted.since:
        statement = statement.where(AuditEntryRow.at >= wanted.since)
    if wanted.until:
        statement = statement.where(AuditEntryRow.at < wanted.until)
    statement = statement.order_by(AuditEntryRow.seq).limit(wanted.limit)
    return [_entry(r) for r in session.scalars(statement)]
