"""`casework backup --out FILE` and `casework restore FILE [--force]`.

The database (SQLite online backup, or pg_dump for PostgreSQL) and every stored file under
CASEWORK_HOME go into one archive with a manifest of checksums; see ``store.backup``. Both
commands are written to the audit log under whoever acts (``--as``, else the login name):
a backup in the database it read, a restore in the database it put back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from casework.cli.acting import acting_user, login_name
from casework.cli.main import app
from casework.config import get_settings
from casework.errors import DatabaseUnavailable, InvalidInput
from casework.security.audit import DetailValue, append_audit
from casework.security.unit_audit import resolve_actor
from casework.store import UnsupportedDatabase, open_engine
from casework.store.backup import (
    StoreLocation,
    create_backup,
    restore_backup,
)
from casework.store.engine import session_factory


def _location() -> StoreLocation:
    settings = get_settings()
    url = settings.resolved_database_url
    try:
        make_url(url)
    except ArgumentError as error:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: {url!r} is not a database URL") from error
    return StoreLocation(url=url, home=settings.home)


def _audit(location: StoreLocation, *, action: str, detail: dict[str, DetailValue]) -> None:
    """Append one entry (as whoever acts) to the database at ``location``."""
    try:
        engine = open_engine(location.url)
    except UnsupportedDatabase as error:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: {error}") from error
    except OperationalError as error:
        shown = make_url(location.url).render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"cannot open the database {shown}: {error.orig}") from error
    try:
        with session_factory(engine)() as session, session.begin():
            actor = resolve_actor(session=session, username=acting_user(), fallback=login_name())
            append_audit(
                session=session, record=actor.record(action=action, target="store", detail=detail)
            )
    finally:
        engine.dispose()


@app.command("backup")
def backup(
    out: Annotated[Path, typer.Option("--out", help="The archive to write (e.g. casework.tgz).")],
) -> None:
    """Back up the database and every stored file into one archive with checksums."""
    location = _location()
    if out.exists() and out.is_dir():
        raise InvalidInput(f"--out: {out} is a folder; give a file name")
    _audit(location, action="store.backup", detail={"archive": str(out.resolve())})
    report = create_backup(location=location, out=out)
    manifest = report.manifest
    typer.echo(
        f"backup written to {report.archive}: {manifest.backend} database "
        f"(schema {', '.join(manifest.schema_revisions) or 'empty'}), "
        f"{manifest.file_count} stored file(s), {report.bytes_written} bytes"
    )


@app.command("restore")
def restore(
    archive: Annotated[Path, typer.Argument(help="An archive made by `casework backup`.")],
    force: bool = typer.Option(
        False, "--force", help="Replace a database that holds data, and the stored files."
    ),
) -> None:
    """Restore the database and stored files from an archive (checksums checked first)."""
    location = _location()
    report = restore_backup(location=location, archive=archive, force=force)
    manifest = report.manifest
    _audit(
        location,
        action="store.restore",
        detail={
            "archive": str(archive.resolve()),
            "made_at": manifest.created_at.isoformat(),
            "replaced": report.replaced_existing,
        },
    )
    typer.echo(
        f"restored {manifest.backend} database made {manifest.created_at.isoformat()} and "
        f"{report.files_restored} stored file(s) from {archive}"
    )
