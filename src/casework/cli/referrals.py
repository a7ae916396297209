"""`casework referrals ...`: industry referrals of online child sexual abuse, from the shell.

Intake of report files, the queue by priority, held reports and their correction,
known-hash lists and matching (images hashed with PDQ), assignment to a force, outcomes and
monthly figures. Each command is one unit of work, audited (``cli.acting``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from casework.cli.acting import acting_name, audited_unit
from casework.cli.cases import FormatOption, OutputFormat
from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.documents import collect_files
from casework.domain.referrals import HashKind, ReferralQuery, ReferralStatus
from casework.errors import InvalidInput
from casework.journey.deadlines import today_in_london
from casework.safeguarding import referrals as service
from casework.safeguarding.pdq import MIN_QUALITY, PdqIndex, hash_image, parse_pdq
from casework.safeguarding.referrals import Intake, IntakeResult
from casework.store.referral_repository import SqlReferralRepository

referrals_app = typer.Typer(
    help="Industry referrals of online child sexual abuse: intake, triage, outcomes.",
    no_args_is_help=True,
)
hashes_app = typer.Typer(help="Known-hash lists (MD5, SHA-1, PDQ).", no_args_is_help=True)
referrals_app.add_typer(hashes_app, name="hashes")
app.add_typer(referrals_app, name="referrals")


@contextmanager
def _repo() -> Iterator[SqlReferralRepository]:
    with configured_engine() as engine, audited_unit(engine) as store:
        yield SqlReferralRepository(store.session)


def _now() -> datetime:
    return datetime.now(UTC)


def _intake_line(result: Intake) -> str:
    referral = result.referral
    if result.result is IntakeResult.HELD and result.held is not None:
        errors = "; ".join(result.errors)
        return f"{result.source}: held {result.held.id} for correction: {errors}"
    assert referral is not None
    where = referral.located_force or "no force located"
    if result.result is IntakeResult.ALREADY_RECEIVED:
        return f"{result.source}: already received as {referral.reference}"
    if result.result is IntakeResult.REPEAT:
        return f"{result.source}: {referral.reference}, a repeat of {referral.repeat_of}"
    return (
        f"{result.source}: {referral.reference} priority {referral.priority} "
        f"({referral.band}), {where}, {len(referral.matches)} hash match(es)"
    )


@referrals_app.command("intake")
def intake(
    paths: Annotated[list[Path], typer.Argument(help="Report files (JSON) or folders.")],
) -> None:
    """Take in report files: malformed ones are held for correction (exit 2), never dropped."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(f"no such file or folder: {', '.join(missing)}")
    files = collect_files(paths)
    results: list[Intake] = []
    with _repo() as repo:
        matcher = service.HashMatcher(repo)
        for path in files:
            payload = path.read_bytes()
            results.append(
                service.intake(
                    repo=repo, payload=payload, source=str(path), now=_now(), matcher=matcher
                )
            )
    for result in results:
        typer.echo(_intake_line(result))
    held = [r for r in results if r.result is IntakeResult.HELD]
    typer.echo(
        f"{len(results)} report(s): "
        + ", ".join(
            f"{sum(1 for r in results if r.result is kind)} {kind.value}" for kind in IntakeResult
        )
    )
    if held:
        raise InvalidInput(
            f"{len(held)} report(s) held for correction (see `casework referrals held`; "
            "fix and send with `casework referrals correct ID FILE`)"
        )


@referrals_app.command("list")
def list_referrals(
    status: Annotated[
        ReferralStatus | None, typer.Option("--status", help="new, repeat, assigned or closed.")
    ] = None,
    force: Annotated[str | None, typer.Option("--force", help="Assigned to this force.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """The referral queue, most urgent first, each with why."""
    query = ReferralQuery(
        status=status, force=force.strip().upper() if force else None, limit=limit
    )
    with _repo() as repo:
        found = service.queue(repo=repo, query=query)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([service.as_json(r) for r in found], indent=2))
        return
    for referral in found:
        where = referral.force or referral.located_force or "-"
        typer.echo(
            f"{referral.reference}  {referral.priority:>4} {referral.band:<9} "
            f"{referral.status.value:<8} {where:<4} {referral.incident_type}"
        )
        typer.echo(f"    {referral.priority_reasons[0]}")
    typer.echo(f"{len(found)} referral(s)")


@referrals_app.command("show")
def show(
    reference: Annotated[str, typer.Argument(help="e.g. IR-2026-000123")],
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """One referral: priority and why, location and why, matches, assignment, outcomes."""
    with _repo() as repo:
        referral = service.get_referral(repo=repo, reference=reference, force=None)
    data = service.as_json(referral)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps({**data, "report": referral.report}, indent=2))
        return
    typer.echo(
        f"{referral.reference}  {referral.status.value}  priority {referral.priority} "
        f"({referral.band})"
    )
    typer.echo(
        f"  from {referral.reporter} ({referral.platform_report_id or 'no report id'}), "
        f"received {referral.received_at:%Y-%m-%d %H:%M} UTC"
    )
    typer.echo(f"  {referral.incident_type}, {referral.incident_at:%Y-%m-%d %H:%M} UTC")
    typer.echo("  priority:")
    for reason in referral.priority_reasons:
        typer.echo(f"    {reason}")
    typer.echo(f"  location: {referral.located_force or 'none'}")
    for reason in referral.location_reasons:
        typer.echo(f"    {reason}")
    for m in referral.matches:
        typer.echo(
            f"  match: {m.file_name} in {m.list_name} ({m.kind.value}, {m.distance} bits) {m.label}"
        )
    if referral.repeat_of:
        typer.echo(f"  repeat of {referral.repeat_of}")
    if referral.repeats:
        typer.echo(f"  {referral.repeats} repeat report(s)")
    if referral.force:
        typer.echo(
            f"  assigned to {referral.force} by {referral.assigned_by}; "
            f"arrests {referral.arrests}, children safeguarded "
            f"{referral.children_safeguarded}"
        )


@referrals_app.command("held")
def held() -> None:
    """Reports held for correction, with what is wrong in each."""
    with _repo() as repo:
        found = repo.held()
    for report in found:
        typer.echo(f"{report.id}  {report.source}  received {report.received_at:%Y-%m-%d %H:%M}")
        for error in report.errors:
            typer.echo(f"    {error}")
    typer.echo(f"{len(found)} held report(s)")


@referrals_app.command("correct")
def correct(
    held_id: Annotated[str, typer.Argument(help="The held report's id.")],
    path: Annotated[Path, typer.Argument(help="The corrected report file (JSON).")],
) -> None:
    """Send the corrected version of a held report."""
    try:
        key = UUID(held_id.strip())
    except ValueError as error:
        raise InvalidInput(f"held report id: {held_id!r} is not an id") from error
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    with _repo() as repo:
        result = service.correct(repo=repo, held_id=key, payload=path.read_bytes(), now=_now())
    typer.echo(_intake_line(result))
    if result.result is IntakeResult.HELD:
        raise InvalidInput("the corrected report is still malformed; held again")


@hashes_app.command("load")
def load_hashes(
    path: Annotated[Path, typer.Argument(help="CSV: kind,value[,label] (kind md5, sha1, pdq).")],
    list_name: Annotated[str, typer.Option("--list", help="The list's name.")],
) -> None:
    """Load a known-hash list; then match open referrals against it again."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    hashes = service.parse_known_hashes(
        path.read_text("utf-8"), list_name=list_name, source=str(path)
    )
    with _repo() as repo:
        added = service.load_known_hashes(repo=repo, hashes=hashes)
        changed = service.rematch(repo=repo)
    typer.echo(
        f"{added} new hash(es) of {len(hashes)} in {list_name}; {len(changed)} referral(s) rescored"
    )


@referrals_app.command("match")
def match(
    references: Annotated[
        list[str] | None, typer.Argument(help="Referrals to match again (default: all open).")
    ] = None,
    images: Annotated[
        list[Path] | None,
        typer.Option("--image", help="Hash a picture (MD5, SHA-1, PDQ) and look it up instead."),
    ] = None,
) -> None:
    """Match referrals against the known-hash lists, or look up pictures (--image)."""
    if images:
        _match_images(images)
        return
    with _repo() as repo:
        changed = service.rematch(repo=repo, references=references or ())
    for referral in changed:
        typer.echo(
            f"{referral.reference}: {len(referral.matches)} match(es), "
            f"priority {referral.priority} ({referral.band})"
        )
    typer.echo(f"{len(changed)} referral(s) changed")


def _match_images(images: list[Path]) -> None:
    hashed = [(path, hash_image(path)) for path in images]
    with _repo() as repo:
        pdq_known = repo.known_pdq()
        index = PdqIndex([parse_pdq(k.value) for k in pdq_known])
        for path, found in hashed:
            typer.echo(f"{path}: md5 {found.md5} sha1 {found.sha1}")
            typer.echo(f"    pdq {found.pdq} quality {found.quality}")
            exact = repo.known_exact(HashKind.MD5, [found.md5]) + repo.known_exact(
                HashKind.SHA1, [found.sha1]
            )
            for known in exact:
                typer.echo(
                    f"    match: {known.list_name} ({known.kind.value}, exact) {known.label}"
                )
            if found.quality < MIN_QUALITY:
                typer.echo(f"    PDQ not matched: quality {found.quality} < {MIN_QUALITY}")
                continue
            for hit in index.search(parse_pdq(found.pdq)):
                known = pdq_known[hit.index]
                typer.echo(f"    match: {known.list_name} (pdq, {hit.distance} bits) {known.label}")


@referrals_app.command("assign")
def assign(
    reference: Annotated[str, typer.Argument(help="e.g. IR-2026-000123")],
    force: Annotated[
        str | None, typer.Option("--force", help="Force code (default: the located force).")
    ] = None,
) -> None:
    """Send a referral to a force to investigate."""
    with _repo() as repo:
        referral = service.assign(
            repo=repo, reference=reference, force=force, actor=acting_name(), now=_now()
        )
    typer.echo(f"{referral.reference} assigned to {referral.force}")


@referrals_app.command("outcome")
def outcome(
    reference: Annotated[str, typer.Argument(help="e.g. IR-2026-000123")],
    arrests: Annotated[int, typer.Option("--arrests", help="Arrests made.")] = 0,
    safeguarded: Annotated[int, typer.Option("--safeguarded", help="Children safeguarded.")] = 0,
    final: Annotated[bool, typer.Option("--final", help="The last outcome: close it.")] = False,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default today).")] = None,
    note: Annotated[str, typer.Option("--note", help="What was done.")] = "",
) -> None:
    """Record a force's outcome: arrests and children safeguarded."""
    day = parse_date(on, flag="--on") if on else today_in_london()
    with _repo() as repo:
        referral = service.record_outcome(
            repo=repo,
            reference=reference,
            arrests=arrests,
            children_safeguarded=safeguarded,
            final=final,
            notes=note,
            on=day,
            actor=acting_name(),
            force=None,
            now=_now(),
        )
    typer.echo(
        f"{referral.reference}: {referral.arrests} arrest(s), "
        f"{referral.children_safeguarded} child(ren) safeguarded so far ({referral.status.value})"
    )


@referrals_app.command("figures")
def figures(
    force: Annotated[str | None, typer.Option("--force", help="One force only.")] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Monthly figures: referrals received and assigned, arrests, children safeguarded."""
    with _repo() as repo:
        rows = service.monthly_figures(repo=repo, force=force.strip().upper() if force else None)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    typer.echo("month     received  assigned  arrests  children safeguarded")
    for r in rows:
        typer.echo(
            f"{r.month}  {r.received:>8}  {r.assigned:>8}  {r.arrests:>7}  "
            f"{r.children_safeguarded:>20}"
        )
