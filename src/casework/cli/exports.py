"""`casework exports ...`: ask a worker for a summary PDF or a disclosure bundle, follow it,
fetch its file.

``exports request ops-summary --operation NAME`` and ``exports request case-bundle --case
REF --audience NAME`` queue the work (jobs/exports.py decides who may have what) and
return at once; ``casework worker`` (or ``casework serve``) makes the file;
``exports status [ID]`` shows where it stands; ``exports fetch ID --out FILE`` writes it
(exit 1 once it expired); ``exports purge [--older-than DAYS]`` removes at once the files
the workers would remove (CASEWORK_EXPORT_KEEP_DAYS). Who acts is ``--as USER`` /
CASEWORK_USER (the policy then applies, and a user sees only their own exports) or the
operator at the shell. Every request, fetch and purge is audited, refusals included.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer
from sqlalchemy import Engine

from casework.cli.acting import acting_user, login_name
from casework.cli.cases import OutputFormat
from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.config import get_settings
from casework.errors import CaseworkError, InvalidInput, PermissionDenied
from casework.jobs.export_expiry import EXPIRE_ACTION, may_purge, purge_exports
from casework.jobs.exports import (
    ExportRequest,
    expired_message,
    export_to_fetch,
    exports_visible,
    fetch_record,
    own_export,
    refusal_record,
    request_export,
)
from casework.jobs.queue import queue_now
from casework.jobs.worker import document_root
from casework.security.audit import Outcome, record_separately
from casework.security.unit_audit import Actor, resolve_actor
from casework.store.documents import DocumentStore, open_document_store, read_chunks
from casework.store.engine import session_factory
from casework.store.exports import EXPIRED, ExportJob
from casework.store.journey_repositories import SqlJourneyStore

exports_app = typer.Typer(
    name="exports",
    help="Summaries and disclosure bundles made by a worker: request, status, fetch, purge.",
    no_args_is_help=True,
)
request_app = typer.Typer(help="Ask a worker for an export; prints its id at once.")
exports_app.add_typer(request_app, name="request")
app.add_typer(exports_app, name="exports")


class SummaryFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"


@contextmanager
def _unit(engine: Engine) -> Iterator[tuple[SqlJourneyStore, Actor]]:
    """One unit of work and who acts in it (``--as`` / CASEWORK_USER, or the operator)."""
    with SqlJourneyStore.open(engine) as store:
        actor = resolve_actor(session=store.session, username=acting_user(), fallback=login_name())
        yield store, actor


def _record_apart(engine: Engine, record: Any) -> None:
    record_separately(factory=session_factory(engine), record=record)


def _what(job: ExportJob) -> str:
    parameters = job.parameters
    if "operation" in parameters:
        return f"{parameters['operation']} ({parameters.get('format', 'pdf')})"
    return f"{parameters.get('case', '?')} for {parameters.get('audience', '?')}"


def _request(request: ExportRequest) -> None:
    actor: Actor | None = None
    with configured_engine() as engine:
        try:
            with _unit(engine) as (store, actor):
                job, new = request_export(
                    session=store.session, actor=actor, request=request, now=datetime.now(UTC)
                )
        except CaseworkError as error:
            if actor is not None:
                _record_apart(engine, refusal_record(actor, request, error))
            raise
        queue_now(get_settings(), exports=[job.id])  # on the local engine: the next poll
    said = "queued" if new else "already queued"
    typer.echo(f"export {job.id} {said}: {job.kind} of {_what(job)}")
    typer.echo(
        f"a worker makes it (casework worker, or casework serve); follow it with "
        f"`casework exports status {job.id}`, then `casework exports fetch {job.id} --out FILE`"
    )


@request_app.command("ops-summary")
def request_summary(
    operation: Annotated[
        str, typer.Option("--operation", help="Operation name, e.g. sceptre-2023-11.")
    ],
    fmt: Annotated[SummaryFormat, typer.Option("--format", help="pdf or html.")] = (
        SummaryFormat.PDF
    ),
) -> None:
    """An operation's national roll-up as its one-page summary (needs ops.read)."""
    _request(ExportRequest(kind="ops-summary", operation=operation, format=fmt.value))


@request_app.command("case-bundle")
def request_bundle(
    case: Annotated[str, typer.Option("--case", help="Case reference, e.g. WY-2026-000001.")],
    audience: Annotated[str, typer.Option("--audience", help="Whose copies: cps, defence, ...")],
) -> None:
    """A case's disclosure bundle for an audience: its redacted copies (ZIP) and their log."""
    _request(ExportRequest(kind="case-bundle", case=case, audience=audience))


def _shown(job: ExportJob) -> dict[str, object]:
    return {
        "id": str(job.id),
        "kind": job.kind,
        "parameters": dict(job.parameters),
        "status": job.status,
        "progress": {"done": job.progress_done, "total": job.progress_total, "stage": job.stage},
        "percent": job.percent,
        "attempts": job.attempts,
        "requested_by": job.requested_by,
        "requested_at": job.requested_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "expired_at": job.expired_at.isoformat() if job.expired_at else None,
        "file": (
            {
                "name": job.result.name,
                "media_type": job.result.media_type,
                "size": job.result.size,
                "sha256": job.result.sha256,
            }
            if job.result is not None
            else None
        ),
        "error": job.error or None,
    }


def _line(job: ExportJob) -> str:
    line = f"{job.id}  {job.kind:12} {_what(job)}  {job.status}"
    if job.status in ("queued", "running"):
        line += f"  {job.progress_done} of {job.progress_total}: {job.stage}"
    elif job.status == "done" and job.result is not None:
        line += f"  {job.result.name} ({job.result.size} bytes): {job.stage}"
    elif job.status == EXPIRED:
        line += f"  {expired_message(job)}"
    elif job.error:
        line += f"  {job.error}"
    return line


@exports_app.command("status")
def status(
    export_id: Annotated[UUID | None, typer.Argument(help="One export (default: all yours).")] = (
        None
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="List at most this many."),
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json.")] = (
        OutputFormat.TEXT
    ),
) -> None:
    """Where exports stand: queued, running (done of total, stage), done (file), failed or
    expired (the file removed)."""
    with configured_engine() as engine, _unit(engine) as (store, actor):
        if export_id is not None:
            found = [own_export(session=store.session, actor=actor, job_id=export_id)]
        else:
            found = exports_visible(session=store.session, actor=actor, limit=limit)
    if fmt is OutputFormat.JSON:
        shown: object = _shown(found[0]) if export_id is not None else [_shown(j) for j in found]
        typer.echo(json.dumps(shown, indent=2))
        return
    for job in found:
        typer.echo(_line(job))
    if export_id is None:
        typer.echo(f"{len(found)} export(s)")


def _blobs() -> DocumentStore:
    settings = get_settings()
    return open_document_store(
        settings.storage_url,
        default_root=document_root(settings),
        endpoint_url=settings.s3_endpoint_url,
    )


def _write(job: ExportJob, out: Path) -> int:
    """Copy the export's file to ``out`` (whole or not at all), checking its checksum."""
    assert job.result is not None
    blobs = _blobs()
    partial = out.with_name(out.name + ".partial")
    digest = hashlib.sha256()
    size = 0
    try:
        with closing(blobs.open(job.result.sha256)) as stream, partial.open("wb") as sink:
            for chunk in read_chunks(stream):
                digest.update(chunk)
                size += len(chunk)
                sink.write(chunk)
        if digest.hexdigest() != job.result.sha256:
            partial.unlink()
            raise CaseworkError(f"the stored file of export {job.id} is damaged (checksum)")
        partial.replace(out)
    except OSError as error:
        raise InvalidInput(f"--out {out}: cannot write ({error.strerror or error})") from error
    return size


@exports_app.command("fetch")
def fetch(
    export_id: Annotated[UUID, typer.Argument(help="The export's id.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
) -> None:
    """Write a finished export's file; refused until it is done, or if access has gone."""
    actor: Actor | None = None
    job: ExportJob | None = None
    with configured_engine() as engine:
        try:
            with _unit(engine) as (store, actor):
                job = export_to_fetch(session=store.session, actor=actor, job_id=export_id)
            size = _write(job, out)
        except CaseworkError as error:
            if actor is not None:
                _record_apart(engine, fetch_record(actor, export_id, job=job, error=error))
            raise
        assert actor is not None
        _record_apart(engine, fetch_record(actor, export_id, job=job))
    typer.echo(f"wrote {out} ({size} bytes, {job.kind} of {_what(job)})")


def _who(engine: Engine) -> Actor:
    """Who acts (``--as`` / CASEWORK_USER, or the operator), for a command that reads no case."""
    with _unit(engine) as (_store, actor):
        return actor


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


@exports_app.command("purge")
def purge(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            min=0,
            max=3650,
            help="Expire the exports made more than DAYS ago (default: "
            "CASEWORK_EXPORT_KEEP_DAYS; 0: every finished export).",
        ),
    ] = None,
) -> None:
    """Expire finished exports kept their time now, removing their files; print how many.

    The workers do the same every few minutes; each export expired is audited
    (export.expire). An administrator (--as) or the operator at the shell may purge.
    """
    settings = get_settings()
    days = settings.export_keep_days if older_than is None else older_than
    if older_than is None and days == 0:
        typer.echo(
            "exports are kept for ever (CASEWORK_EXPORT_KEEP_DAYS=0): nothing purged; give "
            "--older-than DAYS to purge at once"
        )
        return
    with configured_engine() as engine:
        actor = _who(engine)
        try:
            may_purge(actor)
        except PermissionDenied:
            _record_apart(
                engine,
                actor.record(
                    action=EXPIRE_ACTION,
                    outcome=Outcome.DENIED,
                    target="exports",
                    detail={"older_than_days": days},
                ),
            )
            raise
        report = purge_exports(
            engine=engine,
            blobs=_blobs(),
            keep=timedelta(days=days),
            now=datetime.now(UTC),
            by=actor,
        )
    kept = f"; {report.kept} file(s) kept: other exports or documents use them" * bool(report.kept)
    typer.echo(
        f"{report.removed} export file(s) removed: {report.expired} export(s) made more than "
        f"{_days(days)} ago expired{kept}"
    )
    for job_id, reason in report.failed:
        typer.echo(f"export {job_id} could not be expired: {reason}", err=True)
    if report.failed:
        raise typer.Exit(1)
