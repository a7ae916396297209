"""Back up and restore the whole store: the database and the stored files, in one archive.

The archive is a gzip-compressed tar holding ``database/...`` (a SQLite copy made with
SQLite's online backup API, or a ``pg_dump --format=custom`` file), ``files/...`` (every
stored file under CASEWORK_HOME) and, last, ``manifest.json``: format and version, the time
it was made, the database backend and schema revisions, and the SHA-256 and size of every
member. The manifest comes last so that each member is hashed as it is written.

A restore reads the whole archive into a staging folder and checks every checksum before it
changes anything. It refuses a target that holds data unless told to replace it. The
database is then replaced in one transaction (SQLite's backup API writes the target in one
transaction; PostgreSQL's dump is replayed by ``psql --single-transaction``), after the
stored files were swapped in a way that is undone if the database step fails.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from casework.errors import CaseworkError, InvalidInput
from casework.store.engine import make_engine
from casework.store.migrate import alembic_config

logger = logging.getLogger(__name__)

FORMAT = "casework-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/casework.sqlite3"
POSTGRES_MEMBER = "database/casework.pgdump"
FILES_PREFIX = "files/"
STAGING_PREFIX = ".casework-restore-"
SKIPPED_TABLES = frozenset({"alembic_version"})
_CHUNK = 1024 * 1024


class BadArchive(InvalidInput):
    """The archive is not a Casework backup, or it is corrupt, truncated or altered (exit 2)."""


class TargetNotEmpty(InvalidInput):
    """The restore target holds data and replacing it was not asked for (exit 2)."""


class BackupFailed(CaseworkError):
    """A backup or restore step failed (a tool, the disk, the database); nothing was changed."""


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """What is backed up: the database at ``url`` and the stored files under ``home``."""

    url: str
    home: Path

    @property
    def backend(self) -> str:
        return make_url(self.url).get_backend_name()

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            return None
        if parsed.database == ":memory:" or parsed.database.startswith("file:"):
            raise InvalidInput("CASEWORK_DATABASE_URL: back up a SQLite file, not memory or a URI")
        return Path(parsed.database).resolve()


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One member of the archive with its checksum."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an archive holds."""

    created_at: datetime
    backend: str
    schema_revisions: tuple[str, ...]
    entries: tuple[ManifestEntry, ...]
    casework_version: str = ""

    @property
    def database_member(self) -> str:
        return SQLITE_MEMBER if self.backend == "sqlite" else POSTGRES_MEMBER

    @property
    def file_count(self) -> int:
        return sum(1 for e in self.entries if e.path.startswith(FILES_PREFIX))

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "casework_version": self.casework_version,
            "database": {
                "backend": self.backend,
                "member": self.database_member,
                "schema_revisions": list(self.schema_revisions),
            },
            "files": [{"path": e.path, "sha256": e.sha256, "size": e.size} for e in self.entries],
        }
        return json.dumps(data, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes, *, archive: Path) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BadArchive(f"{archive}: not a Casework backup (manifest format)")
            if data.get("version") != FORMAT_VERSION:
                raise BadArchive(
                    f"{archive}: backup format version {data.get('version')!r}; this version "
                    f"of Casework reads version {FORMAT_VERSION}"
                )
            database = data["database"]
            backend = str(database["backend"])
            if backend not in {"sqlite", "postgresql"}:
                raise BadArchive(f"{archive}: unknown database backend {backend!r}")
            entries = tuple(
                ManifestEntry(str(f["path"]), str(f["sha256"]), int(f["size"]))
                for f in data["files"]
            )
            return cls(
                created_at=datetime.fromisoformat(data["created_at"]),
                backend=backend,
                schema_revisions=tuple(str(r) for r in database["schema_revisions"]),
                entries=entries,
                casework_version=str(data.get("casework_version", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            if isinstance(error, BadArchive):
                raise
            raise BadArchive(f"{archive}: the manifest is not valid ({error})") from error


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What a backup wrote."""

    archive: Path
    manifest: Manifest
    bytes_written: int


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What a restore put back."""

    manifest: Manifest
    replaced_existing: bool
    files_restored: int
    files_removed: int = 0
    notes: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------


def _casework_version() -> str:
    try:
        from importlib.metadata import version

        return version("casework")
    except Exception:  # not installed as a package: no version to record
        return ""


class _HashingReader:
    """A file wrapper that hashes and counts what ``tarfile`` reads through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _sqlite_files(location: StoreLocation) -> set[Path]:
    path = location.sqlite_path
    if path is None:
        return set()
    return {path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))}


def stored_files(location: StoreLocation, *, exclude: set[Path] | None = None) -> list[Path]:
    """Every regular file under CASEWORK_HOME that is part of the store, sorted.

    Left out: the SQLite database itself (backed up through SQLite), a restore's staging
    folders, symbolic links, and the paths in ``exclude`` (the archive being written or read).
    """
    home = location.home.resolve()
    if not home.is_dir():
        return []
    skip = _sqlite_files(location) | {p.resolve() for p in exclude or set()}
    found: list[Path] = []
    for root, dirs, files in os.walk(home):
        dirs[:] = sorted(d for d in dirs if not d.startswith(STAGING_PREFIX))
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            found.append(path)
    return found


def _member_name(location: StoreLocation, path: Path) -> str:
    relative = path.resolve().relative_to(location.home.resolve())
    return FILES_PREFIX + relative.as_posix()


def _safe_member(name: str, *, archive: Path) -> PurePosixPath:
    """A member name as a relative path that cannot leave the staging folder."""
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or not path.parts
        or path.parts[0] not in {"database", "files"}
        or len(path.parts) < 2
    ):
        raise BadArchive(f"{archive}: unexpected member {name!r} (not a Casework backup?)")
    return path


def _pg_environment(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries the password."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run_tool(arguments: list[str], *, env: dict[str, str], what: str) -> None:
    tool = arguments[0]
    if shutil.which(tool) is None:
        raise BackupFailed(
            f"{tool} is not installed; install the PostgreSQL client tools (e.g. "
            "apt install postgresql-client) of the server's major version"
        )
    completed = subprocess.run(  # noqa: S603 (fixed tool, arguments are ours)
        arguments, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        message = (completed.stderr or completed.stdout).strip().splitlines()
        raise BackupFailed(f"{what} failed: {' / '.join(message[-3:]) or 'no message'}")


def _schema_revisions(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return ()
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return tuple(sorted(str(r[0]) for r in rows))


def database_is_empty(url: str) -> bool:
    """True when the database holds no rows (a fresh or freshly migrated one counts as empty).

    Migrations seed the audit head at entry 0; that counts as empty too.
    """
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            for table in inspector.get_table_names():
                if table in SKIPPED_TABLES:
                    continue
                if table == "audit_head":
                    seq = connection.execute(text("SELECT max(seq) FROM audit_head")).scalar()
                    if seq:
                        return False
                    continue
                quoted = connection.dialect.identifier_preparer.quote(table)
                if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():  # noqa: S608
                    return False
        return True
    finally:
        engine.dispose()


# --- backup -----------------------------------------------------------------------------


def _backup_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupFailed(f"no SQLite database at {source}")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as live,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)  # a consistent snapshot while others keep writing


def _backup_postgres(url: str, target: Path) -> None:
    uri, env = _pg_environment(make_url(url))
    _run_tool(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target), uri],
        env=env,
        what="pg_dump",
    )


def create_backup(
    *, location: StoreLocation, out: Path, now: datetime | None = None
) -> BackupReport:
    """Write the database and every stored file to the archive ``out``.

    The archive is written beside ``out`` under a temporary name and renamed when complete,
    so that a failed backup leaves no partial archive behind.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    backend = location.backend
    if backend not in {"sqlite", "postgresql"}:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: cannot back up a {backend} database")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    entries: list[ManifestEntry] = []
    with tempfile.TemporaryDirectory(prefix="casework-backup-") as scratch:
        if backend == "sqlite":
            source = location.sqlite_path
            assert source is not None
            dump = Path(scratch) / "casework.sqlite3"
            _backup_sqlite(source, dump)
            snapshot = make_engine(f"sqlite:///{dump}")
            try:
                revisions = _schema_revisions(snapshot)
            finally:
                snapshot.dispose()
            member = SQLITE_MEMBER
        else:
            dump = Path(scratch) / "casework.pgdump"
            engine = make_engine(location.url)
            try:
                revisions = _schema_revisions(engine)
            finally:
                engine.dispose()
            _backup_postgres(location.url, dump)
            member = POSTGRES_MEMBER
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                entries.append(_add(tar, dump, member))
                for path in stored_files(location, exclude={out, partial}):
                    entries.append(_add(tar, path, _member_name(location, path)))
                manifest = Manifest(
                    created_at=moment,
                    backend=backend,
                    schema_revisions=revisions,
                    entries=tuple(entries),
                    casework_version=_casework_version(),
                )
                raw = manifest.to_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(raw)
                info.mtime = int(moment.timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(raw))
            partial.chmod(0o600)
            partial.replace(out)
        except OSError as error:
            raise BackupFailed(f"cannot write {out}: {error}") from error
        finally:
            partial.unlink(missing_ok=True)
    return BackupReport(archive=out, manifest=manifest, bytes_written=out.stat().st_size)


def _add(tar: tarfile.TarFile, path: Path, name: str) -> ManifestEntry:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    if reader.size != stat.st_size:
        raise BackupFailed(f"{path} changed while it was being backed up; run the backup again")
    return ManifestEntry(name, reader.digest.hexdigest(), reader.size)


# --- reading and checking an archive ------------------------------------------------------


@contextlib.contextmanager
def _reading(archive: Path) -> Iterator[tarfile.TarFile]:
    if not archive.is_file():
        raise BadArchive(f"{archive}: no such file")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BadArchive(
            f"{archive}: the archive is truncated or corrupt ({error or type(error).__name__}); "
            "nothing was changed"
        ) from error


def _extract(archive: Path, staging: Path) -> Manifest:
    """Copy every member into ``staging`` while hashing; check them against the manifest."""
    seen: dict[str, ManifestEntry] = {}
    manifest_raw: bytes | None = None
    with _reading(archive) as tar:
        for info in tar:
            if info.name == MANIFEST:
                source = tar.extractfile(info)
                assert source is not None
                manifest_raw = source.read()
                continue
            if not info.isfile():
                raise BadArchive(f"{archive}: unexpected member {info.name!r} (not a file)")
            relative = _safe_member(info.name, archive=archive)
            if info.name in seen:
                raise BadArchive(f"{archive}: member {info.name!r} appears twice")
            target = staging / Path(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            size = 0
            source = tar.extractfile(info)
            assert source is not None
            with target.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    sink.write(chunk)
            seen[info.name] = ManifestEntry(info.name, digest.hexdigest(), size)
        # tarfile stops quietly at a damaged header; reading the compressed stream to its
        # end makes gzip check its CRC and length, so damage anywhere is found.
        if tar.fileobj is not None:
            while tar.fileobj.read(_CHUNK):
                pass
    if manifest_raw is None:
        raise BadArchive(f"{archive}: no manifest (truncated, or not a Casework backup)")
    manifest = Manifest.from_json(manifest_raw, archive=archive)
    listed = {e.path: e for e in manifest.entries}
    for name in sorted(set(listed) - set(seen)):
        raise BadArchive(f"{archive}: {name} is in the manifest but not in the archive")
    for name in sorted(set(seen) - set(listed)):
        raise BadArchive(f"{archive}: {name} is in the archive but not in the manifest")
    for name, entry in sorted(listed.items()):
        found = seen[name]
        if found.size != entry.size or found.sha256 != entry.sha256:
            raise BadArchive(
                f"{archive}: checksum mismatch for {name} (the archive was altered or "
                "damaged); nothing was changed"
            )
    if manifest.database_member not in listed:
        raise BadArchive(f"{archive}: no database in the archive")
    _check_revisions(manifest, archive=archive)
    return manifest


def _check_revisions(manifest: Manifest, *, archive: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for revision in manifest.schema_revisions:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise BadArchive(
                f"{archive}: schema revision {revision} is unknown to this version of "
                "Casework (made by a newer one?); upgrade Casework first"
            )


def verify_archive(archive: Path) -> Manifest:
    """Read the whole archive and check every member's checksum; return its manifest."""
    with tempfile.TemporaryDirectory(prefix="casework-verify-") as scratch:
        manifest = _extract(archive, Path(scratch))
        if manifest.backend == "sqlite":
            _check_sqlite(Path(scratch) / SQLITE_MEMBER, archive=archive)
    return manifest


def _check_sqlite(path: Path, *, archive: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BadArchive(
            f"{archive}: the SQLite database in it is not readable ({error})"
        ) from error
    if result is None or result[0] != "ok":
        raise BadArchive(f"{archive}: the SQLite database in it fails its integrity check")


# --- restore ----------------------------------------------------------------------------


def _restore_sqlite(staged: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(staged)) as source,
        contextlib.closing(sqlite3.connect(target, timeout=30)) as live,
    ):
        # One write transaction on the target: complete, or rolled back on failure.
        source.backup(live)


_DROP_EVERYTHING = """
DO $casework$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') LOOP
        EXECUTE format('DROP VIEW IF EXISTS %I CASCADE', item.relname);
    END LOOP;
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
    END LOOP;
    FOR item IN SELECT sequence_name FROM information_schema.sequences
                WHERE sequence_schema = current_schema() LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', item.sequence_name);
    END LOOP;
    FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = current_schema() AND t.typtype = 'e' LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.prokind = 'f' LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
    END LOOP;
    -- The job queue keeps its tables in a schema of its own (migration 0004_queue).
    DROP SCHEMA IF EXISTS procrastinate CASCADE;
END
$casework$;
"""


def _restore_postgres(dump: Path, url: str, scratch: Path) -> None:
    uri, env = _pg_environment(make_url(url))
    script = scratch / "restore.sql"
    _run_tool(
        ["pg_restore", "--no-owner", "--no-privileges", "-f", str(script), str(dump)],
        env=env,
        what="pg_restore (reading the dump)",
    )
    prelude = scratch / "prelude.sql"
    prelude.write_text(_DROP_EVERYTHING, encoding="utf-8")
    # One transaction: the old tables dropped and the dump replayed, or nothing at all.
    _run_tool(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-d",
            uri,
            "-f",
            str(prelude),
            "-f",
            str(script),
        ],
        env=env,
        what="psql (restoring the dump)",
    )


def _check_target_backend(location: StoreLocation, manifest: Manifest, archive: Path) -> None:
    backend = location.backend
    if backend != manifest.backend:
        raise BadArchive(
            f"{archive}: holds a {manifest.backend} database, but CASEWORK_DATABASE_URL is "
            f"{backend}; restore into the same kind of database"
        )


def _move_tree(files: list[Path], source_root: Path, target_root: Path) -> list[Path]:
    moved: list[Path] = []
    for path in files:
        relative = path.relative_to(source_root)
        target = target_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        path.replace(target)
        moved.append(target)
    return moved


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def restore_backup(*, location: StoreLocation, archive: Path, force: bool) -> RestoreReport:
    """Put the archive's database and stored files back in place of the current ones.

    Every checksum is checked first; a target that holds data is refused unless ``force``.
    On any failure nothing is left half-restored: the database is replaced in a single
    transaction, and the stored files swapped beforehand are swapped back.
    """
    archive = archive.resolve()
    home = location.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=home))
    try:
        manifest = _extract(archive, staging / "new")
        _check_target_backend(location, manifest, archive)
        database = staging / "new" / Path(*PurePosixPath(manifest.database_member).parts)
        if manifest.backend == "sqlite":
            _check_sqlite(database, archive=archive)
        current = stored_files(location, exclude={archive})
        target_empty = database_is_empty(location.url) if _database_exists(location) else True
        if not force and (current or not target_empty):
            what = []
            if not target_empty:
                what.append("the database holds data")
            if current:
                what.append(f"{len(current)} stored file(s) exist under {home}")
            raise TargetNotEmpty(
                f"refusing to restore: {' and '.join(what)}; give --force to replace them "
                "(make a backup of them first)"
            )
        new_root = staging / "new" / "files"
        new_files = _files_under(new_root)
        old_root = staging / "old"
        moved_old = _move_tree(current, home, old_root)
        moved_new: list[Path] = []
        try:
            moved_new = _move_tree(new_files, new_root, home)
            if manifest.backend == "sqlite":
                target = location.sqlite_path
                assert target is not None
                _restore_sqlite(database, target)
            else:
                _restore_postgres(database, location.url, staging)
        except BaseException:
            for path in moved_new:
                path.unlink(missing_ok=True)
            _move_tree(_files_under(old_root), old_root, home)
            raise
        return RestoreReport(
            manifest=manifest,
            replaced_existing=bool(current) or not target_empty,
            files_restored=len(moved_new),
            files_removed=len(moved_old),
        )
    except (sqlite3.Error, OSError, SQLAlchemyError) as error:
        raise BackupFailed(f"restore failed, nothing was changed: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _database_exists(location: StoreLocation) -> bool:
    path = location.sqlite_path
    return path.is_file() if path is not None else True


def describe(manifest: Manifest) -> dict[str, Any]:
    """A short, printable summary of an archive."""
    return {
        "created_at": manifest.created_at.isoformat(),
        "backend": manifest.backend,
        "schema_revisions": list(manifest.schema_revisions),
        "files": manifest.file_count,
        "bytes": sum(e.size for e in manifest.entries),
    }
