"""The audit chain: appends link by hash; change, deletion, reordering and a cut tail are found.

On SQLite and PostgreSQL, each test rolled back. Tampering is done with plain SQL, as
someone with database access would.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from casework.security.audit import (
    GENESIS,
    AuditEntry,
    AuditQuery,
    AuditRecord,
    AuditWriter,
    Outcome,
    append_audit,
    audit_entries,
    canonical,
    record_separately,
    verify_chain,
)
from casework.store import SqlCaseStore, session_factory
from casework.store.security_models import AuditEntryRow
from tests.db import NOW


def _record(n: int, *, actor: str = "amy", case: str | None = "WY-2026-000001") -> AuditRecord:
    return AuditRecord(
        actor=actor,
        actor_role="investigator",
        force="WY",
        action="case.read",
        outcome=Outcome.ALLOWED,
        case_reference=case,
        detail={"n": n},
    )


def _append(store: SqlCaseStore, count: int) -> list[int]:
    return [
        append_audit(session=store.session, record=_record(i), now=NOW + timedelta(seconds=i)).seq
        for i in range(count)
    ]


def _sql(store: SqlCaseStore, statement: str, **params: object) -> None:
    store.session.execute(text(statement), params)
    store.session.expire_all()


def test_entries_chain_by_hash_of_the_canonical_form(store: SqlCaseStore) -> None:
    first = append_audit(session=store.session, record=_record(1), now=NOW)
    second = append_audit(session=store.session, record=_record(2), now=NOW)
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    expected = hashlib.sha256(
        canonical(
            seq=second.seq,
            at=NOW,
            actor="amy",
            actor_role="investigator",
            force="WY",
            action="case.read",
            outcome="allowed",
            case_reference="WY-2026-000001",
            target="",
            detail=json.dumps({"n": 2}, separators=(",", ":")),
            prev_hash=first.hash,
        )
    ).hexdigest()
    assert second.hash == expected
    assert verify_chain(session=store.session).intact


def test_the_first_entry_follows_the_genesis_hash(store: SqlCaseStore) -> None:
    entries = audit_entries(session=store.session, query=AuditQuery(limit=1))
    if not entries:  # empty log in this database
        entries = [append_audit(session=store.session, record=_record(0))]
    if entries[0].seq == 1:
        assert entries[0].prev_hash == GENESIS


def test_a_changed_entry_is_named(store: SqlCaseStore) -> None:
    seqs = _append(store, 5)
    _sql(store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = :seq", seq=seqs[2])
    report = verify_chain(session=store.session)
    assert not report.intact
    assert report.broken_seq == seqs[2]
    assert "changed" in report.problem


def test_a_changed_time_is_found(store: SqlCaseStore) -> None:
    seqs = _append(store, 3)
    store.session.query(AuditEntryRow).filter(AuditEntryRow.seq == seqs[1]).update(
        {AuditEntryRow.at: NOW - timedelta(days=30)}
    )
    store.session.expire_all()
    assert verify_chain(session=store.session).broken_seq == seqs[1]


def test_a_deleted_entry_is_named(store: SqlCaseStore) -> None:
    seqs = _append(store, 5)
    _sql(store, "DELETE FROM audit_log WHERE seq = :seq", seq=seqs[2])
    report = verify_chain(session=store.session)
    assert not report.intact
    assert report.broken_seq == seqs[2]
    assert "missing" in report.problem


def test_a_deleted_and_renumbered_entry_is_found(store: SqlCaseStore) -> None:
    seqs = _append(store, 4)
    _sql(store, "DELETE FROM audit_log WHERE seq = :seq", seq=seqs[1])
    for seq in seqs[2:]:
        _sql(store, "UPDATE audit_log SET seq = :new WHERE seq = :old", new=seq - 1, old=seq)
    report = verify_chain(session=store.session)
    assert not report.intact
    assert report.broken_seq == seqs[1]


def test_reordered_entries_are_found(store: SqlCaseStore) -> None:
    seqs = _append(store, 5)
    a, b = seqs[1], seqs[2]
    _sql(store, "UPDATE audit_log SET seq = -1 WHERE seq = :a", a=a)
    _sql(store, "UPDATE audit_log SET seq = :a WHERE seq = :b", a=a, b=b)
    _sql(store, "UPDATE audit_log SET seq = :b WHERE seq = -1", b=b)
    report = verify_chain(session=store.session)
    assert not report.intact
    assert report.broken_seq == a
    assert "reordered" in report.problem


def test_a_cut_off_tail_is_found(store: SqlCaseStore) -> None:
    seqs = _append(store, 4)
    _sql(store, "DELETE FROM audit_log WHERE seq >= :seq", seq=seqs[2])
    report = verify_chain(session=store.session)
    assert not report.intact
    assert report.broken_seq == seqs[2]
    assert "cut off" in report.problem


def test_entries_are_queried_by_case_user_and_time(store: SqlCaseStore) -> None:
    base = NOW + timedelta(days=400)
    append_audit(session=store.session, record=_record(1, actor="amy"), now=base)
    append_audit(
        session=store.session,
        record=_record(2, actor="sam", case="WY-2026-000002"),
        now=base + timedelta(hours=1),
    )
    append_audit(
        session=store.session, record=_record(3, actor="amy"), now=base + timedelta(hours=2)
    )
    by_case = audit_entries(
        session=store.session, query=AuditQuery(case_reference="wy-2026-000002", since=base)
    )
    assert [e.actor for e in by_case] == ["sam"]
    by_user = audit_entries(session=store.session, query=AuditQuery(actor="AMY", since=base))
    assert [e.detail["n"] for e in by_user] == [1, 3]
    window = audit_entries(
        session=store.session,
        query=AuditQuery(since=base + timedelta(minutes=30), until=base + timedelta(hours=2)),
    )
    assert [e.detail["n"] for e in window] == [2]


def test_concurrent_appends_never_fork_the_chain(db_engine: Engine) -> None:
    factory = session_factory(db_engine)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for i in range(10):
                record_separately(factory=factory, record=_record(i, actor=name, case=None))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"user{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(db_engine) as session:
        report = verify_chain(session=session)
        assert report.intact, report.problem
        since = datetime.now(UTC) - timedelta(minutes=5)
        mine = [
            e
            for e in audit_entries(session=session, query=AuditQuery(since=since, limit=10_000))
            if e.actor.startswith("user")
        ]
        assert len(mine) >= 40


def test_a_record_refuses_an_overlong_actor() -> None:
    with pytest.raises(ValueError, match="actor"):
        _record(1, actor="x" * 65)


def test_the_writer_commits_queued_entries_together_and_each_caller_gets_its_own(
    db_engine: Engine,
) -> None:
    sessions = session_factory(db_engine)
    opened: list[int] = []

    def factory() -> Session:
        opened.append(1)
        if len(opened) == 1:  # the first transaction is slow: the others queue meanwhile
            time.sleep(0.3)
        return sessions()

    writer = AuditWriter(factory)
    got: dict[str, AuditEntry] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            got[name] = writer.record(_record(0, actor=name, case=None))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"batch{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(opened) <= 3  # 8 entries, at most 3 transactions (1 alone, then the rest)
    assert len({e.seq for e in got.values()}) == 8
    with Session(db_engine) as session:
        assert verify_chain(session=session).intact
        for name, entry in got.items():
            stored = session.get(AuditEntryRow, entry.seq)
            assert stored is not None
            assert (stored.actor, stored.hash) == (name, entry.hash)


def test_a_record_the_database_refuses_fails_only_its_own_caller(db_engine: Engine) -> None:
    with db_engine.begin() as connection:
        if db_engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_mallory BEFORE INSERT ON audit_log "
                    "WHEN NEW.actor = 'mallory' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse_mallory() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN IF NEW.actor = 'mallory' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_mallory BEFORE INSERT ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_mallory()"
                )
            )
    try:
        sessions = session_factory(db_engine)
        first = threading.Event()

        def factory() -> Session:
            if not first.is_set():
                first.set()
                time.sleep(0.3)
            return sessions()

        writer = AuditWriter(factory)
        outcome: dict[str, str] = {}

        def worker(name: str) -> None:
            try:
                writer.record(_record(0, actor=name, case=None))
                outcome[name] = "ok"
            except Exception:
                outcome[name] = "failed"

        names = ["opener", "alice", "mallory", "bob"]
        threads = [threading.Thread(target=worker, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
            time.sleep(0.01)
        for thread in threads:
            thread.join()
        assert outcome == {"opener": "ok", "alice": "ok", "mallory": "failed", "bob": "ok"}
        with Session(db_engine) as session:
            assert verify_chain(session=session).intact
    finally:
        with db_engine.begin() as connection:
            if db_engine.dialect.name == "sqlite":
                connection.execute(text("DROP TRIGGER refuse_mallory"))
            else:
                connection.execute(text("DROP TRIGGER refuse_mallory ON audit_log"))
                connection.execute(text("DROP FUNCTION refuse_mallory()"))
