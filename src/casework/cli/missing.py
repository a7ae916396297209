"""`casework missing ...`: missing-person cases: risk grading, reviews, logs, handover.

Parse, call ``safeguarding.missing`` inside one audited unit of work, render. Times
without a zone are London time. A bad value names its flag (exit 2); a closed case
refuses a new grading (exit 1). There is no command that edits a log entry: the decision
log is only ever added to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer

from casework.cli.acting import audited_unit
from casework.cli.cases import (
    ByOption,
    FormatOption,
    OutputFormat,
    _actor,
    _local,
    _parse_moment,
)
from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.domain.missing import (
    HypothesisStatus,
    MediaAppeal,
    MissingCase,
    MissingStatus,
    NewMissingCase,
)
from casework.errors import InvalidInput
from casework.journey.cases import validated
from casework.safeguarding import missing as missing_service
from casework.safeguarding.missing import MissingCaseFile, ReviewClock
from casework.store.missing_repository import SqlMissingRepository

missing_app = typer.Typer(
    name="missing",
    help="Missing persons: risk grading and reviews, decision log, searches, handover.",
    no_args_is_help=True,
)
app.add_typer(missing_app, name="missing")
Made = TypeVar("Made")

RefArgument = Annotated[str, typer.Argument(help="Missing-person reference: WY-MP-2026-000001.")]
RationaleOption = Annotated[str, typer.Option("--rationale", help="Why (goes in the log).")]


class StatusChoice(StrEnum):
    OPEN = "open"
    FOUND = "found"
    ALL = "all"


def _now() -> datetime:
    return datetime.now(UTC)


_FLAGS = {
    "decided_at": "--decided-at",
    "searched_at": "--at",
    "found_at": "--at",
    "reported_at": "--reported",
    "last_seen_at": "--last-seen",
    "risk": "--risk",
    "rationale": "--rationale",
    "to": "--to",
}


@contextmanager
def _repo() -> Iterator[SqlMissingRepository]:
    """One audited unit of work; a service's field name in an error becomes the flag."""
    try:
        with configured_engine() as engine, audited_unit(engine) as store:
            yield SqlMissingRepository(store.session)
    except InvalidInput as error:
        field, colon, rest = error.message.partition(": ")
        if colon and field in _FLAGS:
            raise InvalidInput(f"{_FLAGS[field]}: {rest}") from error
        raise


@dataclass(frozen=True, slots=True)
class _Acting:
    """A write on one case as whoever acts, at one moment, in the command's audited unit."""

    repo: SqlMissingRepository
    reference: str
    actor: str
    now: datetime

    def __call__(self, write: Callable[..., Made], **fields: Any) -> Made:
        """``write`` on the case at ``now``; ``fields`` are the service's own arguments."""
        return write(repo=self.repo, reference=self.reference, now=self.now, **fields)


@contextmanager
def _acting(reference: str, by: str | None) -> Iterator[_Acting]:
    """The command's unit of work (``_repo``) on one case, acting as ``--by`` or who acts."""
    with _repo() as repo:
        yield _Acting(repo, reference, _actor(by), _now())


def _dump(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def _case_line(case: MissingCase, now: datetime) -> str:
    clock = ReviewClock(case.review_due, now)
    grade = missing_service.risk_scheme().label(case.grade)
    return (
        f"{case.reference}  {case.status.value:<5}  {grade:<18}  {clock.words:<26}  "
        f"{case.name} (last seen {_local(case.last_seen_at)})"
    )


def _file_lines(file: MissingCaseFile) -> list[str]:
    case = file.case
    lines = [
        f"{case.reference}: {case.name} ({case.status.value})",
        f"  last seen   {_local(case.last_seen_at)} at {case.last_seen_place or '-'}",
        f"  reported    {_local(case.reported_at)}; opened by {case.opened_by}",
        f"  risk        {file.grade_label}; next review {file.clock.words}"
        + (f" ({_local(case.review_due)})" if case.review_due else ""),
        "decision log:",
    ]
    lines += [
        f"  {d.number:>3}. [{d.kind.value}] {d.decision}\n"
        f"       why: {d.rationale}\n"
        f"       decided {_local(d.decided_at)} by {d.decided_by}; "
        f"entered {_local(d.entered_at)} by {d.entered_by}"
        for d in file.decisions
    ] or ["  (none)"]
    lines.append("search log:")
    lines += [
        f"  {s.number:>3}. {_local(s.searched_at)} {s.place} ({s.method}, {s.searched_by}): "
        f"{s.result}"
        for s in file.searches
    ] or ["  (none)"]
    lines.append("hypotheses:")
    lines += [
        f"  {h.number:>3}. [{h.status.value}] {h.text}" + (f" ({h.note})" if h.note else "")
        for h in file.hypotheses
    ] or ["  (none)"]
    media = file.media_strategy
    lines.append(
        "media strategy: "
        + (f"appeal {media.appeal.value}; {', '.join(media.channels) or '-'}" if media else "none")
    )
    lines.append("handovers:")
    lines += [
        f"  {h.number:>3}. {_local(h.handed_over_at)} {h.from_officer} -> {h.to_officer}: "
        f"{h.summary}" + (f"; outstanding: {h.outstanding}" if h.outstanding else "")
        for h in file.handovers
    ] or ["  (none)"]
    return lines


def _file_json(file: MissingCaseFile) -> dict[str, Any]:
    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [i.model_dump(mode="json", exclude={"case_id"}) for i in items]

    return {
        **file.case.model_dump(mode="json", exclude={"id"}),
        "grade_label": file.grade_label,
        "review": {"overdue": file.clock.overdue, "words": file.clock.words},
        "decisions": rows(file.decisions),
        "gradings": rows(file.gradings),
        "searches": rows(file.searches),
        "hypotheses": rows(file.hypotheses),
        "media": rows(file.media),
        "handovers": rows(file.handovers),
    }


@missing_app.command("grades")
def grades(output: FormatOption = OutputFormat.TEXT) -> None:
    """Print the risk grades in use, with their meaning and review period."""
    scheme = missing_service.risk_scheme()
    if output is OutputFormat.JSON:
        _dump(scheme.model_dump(mode="json"))
        return
    typer.echo(f"{scheme.words}\nsource: {scheme.source}")
    for grade in scheme.grades:
        typer.echo(
            f"  {grade.id:<16} {grade.label:<26} review every {grade.review_hours:g} h: "
            f"{grade.meaning}"
        )


@missing_app.command("open")
def open_case(
    force: Annotated[str, typer.Option("--force", help="Force code, e.g. WY.")],
    name: Annotated[str, typer.Option("--name", help="The missing person's name.")],
    last_seen: Annotated[
        str, typer.Option("--last-seen", help="When last seen, e.g. 2026-03-01T18:00.")
    ],
    last_seen_place: Annotated[str, typer.Option("--last-seen-place")] = "",
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth, YYYY-MM-DD.")] = None,
    home_address: Annotated[str, typer.Option("--home-address")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    description: Annotated[str, typer.Option("--description")] = "",
    circumstances: Annotated[str, typer.Option("--circumstances")] = "",
    reported: Annotated[
        str | None, typer.Option("--reported", help="When reported (default: now).")
    ] = None,
    risk: Annotated[
        str | None, typer.Option("--risk", help="Grade now (see `missing grades`).")
    ] = None,
    rationale: Annotated[str, typer.Option("--rationale", help="Why that grade.")] = "",
    by: ByOption = None,
) -> None:
    """Report a person missing and print the new reference."""
    now = _now()
    new = validated(
        NewMissingCase,
        force=force.strip().upper(),
        name=name,
        date_of_birth=parse_date(dob, flag="--dob") if dob else None,
        description=description,
        home_address=home_address,
        phone=phone,
        last_seen_at=_parse_moment(last_seen, flag="--last-seen"),
        last_seen_place=last_seen_place,
        circumstances=circumstances,
        reported_at=_parse_moment(reported, flag="--reported") if reported else now,
    )
    if risk is not None and not rationale.strip():
        raise typer.BadParameter("--risk needs --rationale (why that grade)")
    with _repo() as repo:
        case = missing_service.open_case(
            repo=repo, new=new, actor=_actor(by), now=now, grade=risk, rationale=rationale
        )
    typer.echo(case.reference)


@missing_app.command("list")
def list_cases(
    force: Annotated[str, typer.Option("--force", help="Force code, e.g. WY.")],
    status: Annotated[StatusChoice, typer.Option("--status")] = StatusChoice.OPEN,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """List a force's missing-person cases, the most pressing review first."""
    wanted = None if status is StatusChoice.ALL else MissingStatus(status.value)
    now = _now()
    with _repo() as repo:
        cases = missing_service.list_cases(repo=repo, force=force.strip().upper(), status=wanted)
    if output is OutputFormat.JSON:
        _dump([c.model_dump(mode="json", exclude={"id"}) for c in cases])
        return
    for case in cases:
        typer.echo(_case_line(case, now))
    typer.echo(f"{len(cases)} case(s)")


@missing_app.command("show")
def show(reference: RefArgument, output: FormatOption = OutputFormat.TEXT) -> None:
    """Print a case: grading, review countdown, decision log, searches, hypotheses, handovers."""
    with _repo() as repo:
        file = missing_service.case_file(repo=repo, reference=reference, now=_now())
    if output is OutputFormat.JSON:
        _dump(_file_json(file))
        return
    for line in _file_lines(file):
        typer.echo(line)


@missing_app.command("grade")
def grade(
    reference: RefArgument,
    risk: Annotated[str, typer.Option("--risk", help="Grade (see `missing grades`).")],
    rationale: RationaleOption,
    by: ByOption = None,
) -> None:
    """Grade or review the risk; print the next review."""
    with _acting(reference, by) as act:
        grading = act(missing_service.grade_risk, grade=risk, rationale=rationale, actor=act.actor)
    typer.echo(f"{grading.label}; next review due {_local(grading.review_due)}")


@missing_app.command("decide")
def decide(
    reference: RefArgument,
    decision: Annotated[str, typer.Option("--decision", help="What was decided.")],
    rationale: RationaleOption,
    decided_at: Annotated[
        str | None, typer.Option("--decided-at", help="When decided (default: now).")
    ] = None,
    decided_by: Annotated[
        str | None, typer.Option("--decided-by", help="Who decided (default: who writes).")
    ] = None,
    by: ByOption = None,
) -> None:
    """Add the next numbered entry to the decision log (never edited, only added to)."""
    with _acting(reference, by) as act:
        entry = act(
            missing_service.record_decision,
            decision=decision,
            rationale=rationale,
            decided_by=decided_by or act.actor,
            decided_at=_parse_moment(decided_at, flag="--decided-at") if decided_at else act.now,
            entered_by=act.actor,
        )
    typer.echo(f"decision {entry.number} entered {_local(entry.entered_at)}")


@missing_app.command("search")
def search(
    reference: RefArgument,
    place: Annotated[str, typer.Option("--place", help="Where was searched.")],
    method: Annotated[str, typer.Option("--method", help="How: house search, CCTV, ...")],
    result: Annotated[str, typer.Option("--result", help="What was found.")],
    at: Annotated[str | None, typer.Option("--at", help="When (default: now).")] = None,
    searched_by: Annotated[str | None, typer.Option("--searched-by")] = None,
    by: ByOption = None,
) -> None:
    """Add a search to the search log."""
    with _acting(reference, by) as act:
        entry = act(
            missing_service.record_search,
            place=place,
            method=method,
            result=result,
            searched_at=_parse_moment(at, flag="--at") if at else act.now,
            searched_by=searched_by or act.actor,
            actor=act.actor,
        )
    typer.echo(f"search {entry.number} recorded")


@missing_app.command("hypothesis")
def hypothesis(
    reference: RefArgument,
    text: Annotated[str, typer.Option("--text", help="The hypothesis.")],
    by: ByOption = None,
) -> None:
    """Add a hypothesis (a line of enquiry)."""
    with _acting(reference, by) as act:
        made = act(missing_service.raise_hypothesis, text=text, actor=act.actor)
    typer.echo(f"hypothesis {made.number} open")


@missing_app.command("settle")
def settle(
    reference: RefArgument,
    number: Annotated[int, typer.Argument(help="Hypothesis number.", min=1)],
    status: Annotated[HypothesisStatus, typer.Option("--status")],
    rationale: RationaleOption,
    by: ByOption = None,
) -> None:
    """Mark a hypothesis supported, eliminated or open again (logged with the reason)."""
    with _acting(reference, by) as act:
        made = act(
            missing_service.settle_hypothesis,
            number=number,
            status=status,
            rationale=rationale,
            actor=act.actor,
        )
    typer.echo(f"hypothesis {made.number} {made.status.value}")


@missing_app.command("media")
def media(
    reference: RefArgument,
    appeal: Annotated[MediaAppeal, typer.Option("--appeal")],
    rationale: RationaleOption,
    channel: Annotated[
        list[str] | None, typer.Option("--channel", help="Where (repeatable).")
    ] = None,
    family_consent: Annotated[
        bool | None, typer.Option("--family-consent/--no-family-consent")
    ] = None,
    by: ByOption = None,
) -> None:
    """Set the media strategy (logged with the reason)."""
    with _acting(reference, by) as act:
        made = act(
            missing_service.set_media_strategy,
            appeal=appeal,
            channels=tuple(channel or ()),
            family_consent=family_consent,
            rationale=rationale,
            actor=act.actor,
        )
    typer.echo(f"media strategy {made.number}: appeal {made.appeal.value}")


@missing_app.command("handover")
def handover(
    reference: RefArgument,
    to: Annotated[str, typer.Option("--to", help="The officer taking over.")],
    summary: Annotated[str, typer.Option("--summary", help="Where the case stands.")],
    outstanding: Annotated[str, typer.Option("--outstanding", help="What is left to do.")] = "",
    by: ByOption = None,
) -> None:
    """Hand the case over to the next shift."""
    with _acting(reference, by) as act:
        made = act(
            missing_service.hand_over,
            to_officer=to,
            summary=summary,
            outstanding=outstanding,
            actor=act.actor,
        )
    typer.echo(f"handover {made.number}: {made.from_officer} -> {made.to_officer}")


@missing_app.command("found")
def found(
    reference: RefArgument,
    rationale: RationaleOption,
    at: Annotated[str | None, typer.Option("--at", help="When found (default: now).")] = None,
    by: ByOption = None,
) -> None:
    """Record the person found and their well-being confirmed; the case closes."""
    with _acting(reference, by) as act:
        case = act(
            missing_service.mark_found,
            found_at=_parse_moment(at, flag="--at") if at else act.now,
            rationale=rationale,
            actor=act.actor,
        )
    typer.echo(f"{case.reference} closed: found")
