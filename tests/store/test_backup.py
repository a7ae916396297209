"""Backup and restore round trips: every table row by row and every stored file, both databases.

Each test makes its own databases (a SQLite file, or a scratch PostgreSQL database created
and dropped here), because a backup reads committed data.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select, text

from casework.domain.victim import ContactMethod
from casework.journey import cases as case_service
from casework.journey import victim as victim_service
from casework.security.audit import AuditRecord, Outcome, append_audit, verify_chain
from casework.security.roles import UserRole
from casework.security.users import create_user
from casework.store import make_engine, session_factory, upgrade_database
from casework.store.backup import (
    MANIFEST,
    BackupFailed,
    BadArchive,
    StoreLocation,
    TargetNotEmpty,
    create_backup,
    database_is_empty,
    restore_backup,
    verify_archive,
)
from casework.store.journey_repositories import SqlJourneyStore
from casework.store.schema import metadata
from tests.db import (
    BACKENDS,
    NOW,
    drop_postgres_database,
    fresh_postgres_database,
    make_new_case,
)

MakeDb = Callable[[], str]


@pytest.fixture(params=BACKENDS)
def make_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeDb]:
    """Make empty migrated databases of one backend; PostgreSQL ones are dropped afterwards."""
    made: list[str] = []
    counter = iter(range(1000))

    def make() -> str:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'db{next(counter)}' / 'casework.sqlite3'}"
        else:
            admin: str = request.getfixturevalue("postgres_admin_url")
            name, url = fresh_postgres_database(admin)
            made.append(name)
        upgrade_database(url)
        return url

    yield make
    for name in made:
        drop_postgres_database(name)


def _seed(url: str, *, cases: int = 3, victim: str = "Jane SMITH") -> None:
    engine = make_engine(url)
    try:
        with SqlJourneyStore.open(engine) as store:
            create_user(
                session=store.session,
                username=f"amy{cases}",
                password="a-long-enough-password",
                role=UserRole.INVESTIGATOR,
                force="WY",
                full_name="Amy KHAN",
            )
            for _ in range(cases):
                case = case_service.open_case(
                    store=store, new=make_new_case(victim=victim), actor="seed", now=NOW
                )
                victim_service.log_contact(
                    store=store,
                    reference=case.reference,
                    at=NOW - timedelta(hours=1),
                    method=ContactMethod.PHONE,
                    by="Amy KHAN",
                    summary="Called about bail conditions",
                    now=NOW,
                )
                append_audit(
                    session=store.session,
                    record=AuditRecord(
                        actor="seed",
                        actor_role="operator",
                        force="-",
                        action="case.open",
                        outcome=Outcome.ALLOWED,
                        case_reference=str(case.reference),
                        detail={"note": "é ünïcode"},
                    ),
                    now=NOW,
                )
    finally:
        engine.dispose()


def _home(tmp_path: Path, name: str, files: dict[str, bytes]) -> Path:
    home = tmp_path / name
    for relative, content in files.items():
        path = home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    home.mkdir(parents=True, exist_ok=True)
    return home


def _location(url: str, home: Path) -> StoreLocation:
    return StoreLocation(url=url, home=home)


def _all_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database holds, in primary-key order (reflected)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = MetaData()
            tables.reflect(connection)
            assert set(metadata.tables) <= set(tables.tables)
            return {
                table.name: sorted(
                    (tuple(r) for r in connection.execute(select(table))),
                    key=lambda row: tuple(str(v) for v in row),
                )
                for table in tables.sorted_tables
            }
    finally:
        engine.dispose()


def _files(home: Path) -> dict[str, bytes]:
    return {
        p.relative_to(home).as_posix(): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and not p.name.startswith("casework.sqlite3")
    }


STORED = {
    "documents/ab/abcdef.pdf": b"%PDF-1.7 synthetic\x00\x01\x02" * 100,
    "documents/cd/cdef01.txt": "Statement of Jane SMITH — synthetic".encode(),
    "settings/local.toml": b"[casework]\n",
}


def _chain_intact(url: str) -> bool:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return verify_chain(session=session).intact
    finally:
        engine.dispose()


def test_round_trip_restores_every_row_and_every_file(make_db: MakeDb, tmp_path: Path) -> None:
    source_url = make_db()
    _seed(source_url)
    source = _location(source_url, _home(tmp_path, "source", STORED))
    report = create_backup(location=source, out=tmp_path / "out" / "casework.tgz")
    assert report.manifest.file_count == len(STORED)
    assert report.manifest.schema_revisions
    assert verify_archive(report.archive).entries == report.manifest.entries

    target_url = make_db()
    assert database_is_empty(target_url)
    target = _location(target_url, tmp_path / "target")
    restored = restore_backup(location=target, archive=report.archive, force=False)

    assert restored.files_restored == len(STORED)
    assert not restored.replaced_existing
    assert _all_rows(target_url) == _all_rows(source_url)
    assert _files(target.home) == STORED
    assert _chain_intact(target_url)


def test_restore_refuses_a_target_with_data_unless_forced(make_db: MakeDb, tmp_path: Path) -> None:
    source_url = make_db()
    _seed(source_url, cases=2)
    source = _location(source_url, _home(tmp_path, "source", STORED))
    archive = create_backup(location=source, out=tmp_path / "b.tgz").archive

    target_url = make_db()
    _seed(target_url, cases=1, victim="Kim JONES")
    target = _location(target_url, _home(tmp_path, "target", {"documents/zz/old.txt": b"old"}))
    before = _all_rows(target_url)
    with pytest.raises(TargetNotEmpty, match="--force"):
        restore_backup(location=target, archive=archive, force=False)
    assert _all_rows(target_url) == before
    assert _files(target.home) == {"documents/zz/old.txt": b"old"}

    report = restore_backup(location=target, archive=archive, force=True)
    assert report.replaced_existing and report.files_removed == 1
    assert _all_rows(target_url) == _all_rows(source_url)
    assert _files(target.home) == STORED
    assert _chain_intact(target_url)


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy the archive, passing each member's content through ``change``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as sink:
        for info in source:
            handle = source.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            info.size = len(data)
            sink.addfile(info, io.BytesIO(data))


@pytest.fixture
def sqlite_backup(tmp_path: Path) -> tuple[Path, StoreLocation]:
    url = f"sqlite:///{tmp_path / 'src' / 'casework.sqlite3'}"
    upgrade_database(url)
    _seed(url, cases=1)
    source = _location(url, _home(tmp_path, "src", STORED))
    return create_backup(location=source, out=tmp_path / "b.tgz").archive, source


def _broken_archives(archive: Path, tmp_path: Path) -> list[tuple[str, Path]]:
    raw = archive.read_bytes()
    truncated = tmp_path / "truncated.tgz"
    truncated.write_bytes(raw[: len(raw) // 2])
    flipped = tmp_path / "flipped.tgz"
    middle = len(raw) // 2
    flipped.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1 :])
    altered = tmp_path / "altered.tgz"
    _rewrite(
        archive,
        altered,
        lambda name, data: data.replace(b"synthetic", b"SYNTHETIC") if "abcdef" in name else data,
    )
    no_manifest = tmp_path / "no-manifest.tgz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(no_manifest, "w:gz") as sink:
        for info in source:
            if info.name != MANIFEST:
                handle = source.extractfile(info)
                assert handle is not None
                sink.addfile(info, handle)
    not_gzip = tmp_path / "not-gzip.tgz"
    not_gzip.write_bytes(b"hello, this is not an archive")
    empty_gzip = tmp_path / "empty.tgz"
    empty_gzip.write_bytes(gzip.compress(b""))
    return [
        ("truncated or corrupt", truncated),
        ("truncated or corrupt", flipped),
        ("checksum mismatch for files/documents/ab/abcdef.pdf", altered),
        ("no manifest", no_manifest),
        ("truncated or corrupt", not_gzip),
        ("truncated or corrupt", empty_gzip),
    ]


def test_a_damaged_archive_is_refused_and_nothing_changes(
    sqlite_backup: tuple[Path, StoreLocation], tmp_path: Path
) -> None:
    archive, _ = sqlite_backup
    target_url = f"sqlite:///{tmp_path / 'dst' / 'casework.sqlite3'}"
    upgrade_database(target_url)
    _seed(target_url, cases=1, victim="Kim JONES")
    target = _location(target_url, _home(tmp_path, "dst", {"keep.txt": b"keep"}))
    before = _all_rows(target_url)
    for problem, broken in _broken_archives(archive, tmp_path):
        with pytest.raises(BadArchive, match=problem):
            restore_backup(location=target, archive=broken, force=True)
        assert _all_rows(target_url) == before, problem
        assert _files(target.home) == {"keep.txt": b"keep"}, problem
    assert not [p for p in target.home.iterdir() if p.name.startswith(".casework-restore-")]


def test_an_archive_of_the_other_database_kind_is_refused(
    sqlite_backup: tuple[Path, StoreLocation],
    tmp_path: Path,
    postgres_url: str,
) -> None:
    archive, _ = sqlite_backup
    with pytest.raises(BadArchive, match="holds a sqlite database"):
        restore_backup(
            location=_location(postgres_url, tmp_path / "pg"), archive=archive, force=True
        )


def test_a_failed_database_step_puts_the_stored_files_back(
    sqlite_backup: tuple[Path, StoreLocation], tmp_path: Path
) -> None:
    archive, _ = sqlite_backup
    home = _home(tmp_path, "dst", {"documents/old.txt": b"old"})
    blocked = home / "casework.sqlite3"
    blocked.mkdir()  # the database path is a folder: SQLite cannot open it
    target = _location(f"sqlite:///{blocked}", home)
    with pytest.raises(BackupFailed, match="nothing was changed"):
        restore_backup(location=target, archive=archive, force=True)
    assert _files(home) == {"documents/old.txt": b"old"}


def test_backup_leaves_no_partial_archive_when_it_fails(tmp_path: Path) -> None:
    missing = _location(f"sqlite:///{tmp_path / 'nothing.sqlite3'}", tmp_path / "home")
    with pytest.raises(BackupFailed, match="no SQLite database"):
        create_backup(location=missing, out=tmp_path / "b.tgz")
    assert not list(tmp_path.glob("*b.tgz*"))


def test_backup_while_another_writer_holds_a_transaction_copies_committed_data(
    sqlite_backup: tuple[Path, StoreLocation], tmp_path: Path
) -> None:
    _, source = sqlite_backup
    engine: Engine = make_engine(source.url)
    try:
        with engine.connect() as connection:
            connection.execute(text("UPDATE cases SET restricted = NOT restricted"))
            archive = create_backup(location=source, out=tmp_path / "again.tgz").archive
            connection.rollback()
    finally:
        engine.dispose()
    target_url = f"sqlite:///{tmp_path / 'copy' / 'casework.sqlite3'}"
    restore_backup(location=_location(target_url, tmp_path / "copy"), archive=archive, force=False)
    assert _all_rows(target_url) == _all_rows(source.url)
    assert datetime.now(UTC) >= verify_archive(archive).created_at
