"""`casework victim|evidence|cps|custody|timeline|suspect`: the victim, the CPS, the suspect.

Parse, call a ``journey`` service inside one unit of work, render. A value that cannot be
read is an error naming its flag (exit 2); an action the rules refuse exits 1.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from pydantic import TypeAdapter

from casework.cli.cases import ByOption, FormatOption, OutputFormat, _actor, _parse_moment, _store
from casework.cli.journey_panel import (
    cps_json,
    cps_lines,
    custody_lines,
    victim_json,
    victim_lines,
)
from casework.cli.main import app
from casework.cli.rules import parse_date
from casework.domain.cps import (
    ChargingDecisionDetails,
    ChargingOutcome,
    ChargingTest,
    HearingStatus,
)
from casework.domain.evidence import EvidenceReview
from casework.domain.pole import EventPhase
from casework.domain.risk import RiskLevel
from casework.domain.timeline import ConductKind
from casework.domain.victim import (
    ContactMethod,
    OutcomeWanted,
    ReferralKind,
    TimeWindow,
    WithdrawalReason,
    parse_time_window,
)
from casework.errors import InvalidInput
from casework.journey import cps as cps_service
from casework.journey import timeline as timeline_service
from casework.journey import victim as victim_service
from casework.journey.cases import validated
from casework.journey.deadlines import today_in_london

RefArgument = Annotated[str, typer.Argument(help="Case reference, e.g. WY-2026-000123.")]

victim_app = typer.Typer(
    name="victim",
    help="The victim: contact log, wishes, referrals, risk, withdrawal.",
    no_args_is_help=True,
)
cps_app = typer.Typer(
    name="cps",
    help="The CPS: charging decision, action plan and responses, court dates.",
    no_args_is_help=True,
)
suspect_app = typer.Typer(
    name="suspect",
    help="The suspect's conduct: record it, confirm or reject proposals (see `timeline`).",
    no_args_is_help=True,
)
app.add_typer(victim_app, name="victim")
app.add_typer(cps_app, name="cps")
app.add_typer(suspect_app, name="suspect")


def _now() -> datetime:
    return datetime.now(UTC)


def _dump(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


# Victim -----------------------------------------------------------------------------------


@victim_app.command("contact")
def contact(
    reference: RefArgument,
    how: Annotated[ContactMethod, typer.Option("--how", help="How the victim was contacted.")],
    note: str = typer.Option(..., "--note", help="What was said."),
    agreed: str = typer.Option("", "--agreed", help="What was agreed."),
    at: str | None = typer.Option(None, "--at", help="When (default: now), e.g. 2026-03-01T14:30."),
    attempt: bool = typer.Option(False, "--attempt", help="An attempt that did not reach them."),
    by: ByOption = None,
) -> None:
    """Log a contact with the victim: when, how, by whom, what was said or agreed."""
    moment = _parse_moment(at, flag="--at") if at else _now()
    with _store() as store:
        logged = victim_service.log_contact(
            store=store,
            reference=reference,
            at=moment,
            method=how,
            by=_actor(by),
            summary=note,
            agreed=agreed,
            made=not attempt,
        )
    typer.echo(f"{reference.upper()}: contact by {how.value} logged")
    if logged.check is not None and not logged.check.safe:
        for reason in logged.check.reasons:
            typer.echo(f"warning: {reason}", err=True)


def parse_window(value: str, *, flag: str) -> TimeWindow:
    """Read ``mon-fri 09:00-12:00`` (Europe/London); a problem names ``flag``."""
    try:
        return parse_time_window(value)
    except InvalidInput as error:
        raise InvalidInput(f"{flag}: {error}") from error


@victim_app.command("wishes")
def wishes(
    reference: RefArgument,
    outcome: Annotated[
        OutcomeWanted, typer.Option("--outcome", help="The outcome the victim wants.")
    ] = OutcomeWanted.UNDECIDED,
    notes: str = typer.Option("", "--notes", help="In the victim's words."),
    safe_method: Annotated[
        list[ContactMethod] | None,
        typer.Option("--safe-method", help="A safe way to contact them (repeatable)."),
    ] = None,
    safe_time: Annotated[
        list[str] | None,
        typer.Option("--safe-time", help="A safe time, e.g. 'mon-fri 09:00-12:00' (repeatable)."),
    ] = None,
    caution: str = typer.Option("", "--caution", help="What to take care about."),
    opted_out: bool = typer.Option(False, "--opted-out", help="They want no updates."),
    by: ByOption = None,
) -> None:
    """Record the victim's wishes: the outcome they want, safe ways and times to contact."""
    windows = [parse_window(w, flag="--safe-time") for w in safe_time or ()]
    with _store() as store:
        victim_service.record_wishes(
            store=store,
            reference=reference,
            outcome_wanted=outcome,
            outcome_notes=notes,
            safe_methods=safe_method or (),
            safe_times=windows,
            cautions=caution,
            opted_out_of_updates=opted_out,
            actor=_actor(by),
        )
    typer.echo(f"{reference.upper()}: wishes recorded ({outcome.value})")


@victim_app.command("refer")
def refer(
    reference: RefArgument,
    to: Annotated[ReferralKind, typer.Option("--to", help="The service: idva, marac, ...")],
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default: today)."),
    note: str = typer.Option("", "--note", help="Notes."),
    by: ByOption = None,
) -> None:
    """Record a referral of the victim to a support service (meets the Victims' Code duty)."""
    day = parse_date(on, flag="--on") if on else None
    with _store() as store:
        victim_service.refer(
            store=store, reference=reference, kind=to, made_on=day, notes=note, actor=_actor(by)
        )
    typer.echo(f"{reference.upper()}: referred to {to.value}")


def _answers(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"--answers: cannot read {path}: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"--answers: {path} is not JSON ({error})") from error
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InvalidInput(
            f'--answers: {path} must be an object of question id to answer, e.g. {{"q01_injury": '
            '"yes"}'
        )
    return {str(k): v for k, v in data.items()}


@victim_app.command("risk")
def risk(
    reference: RefArgument,
    answers: Annotated[
        Path, typer.Option("--answers", help="JSON file: question id -> yes/no/not_known.")
    ],
    tool: str = typer.Option("dash", "--tool", help="dash or dara."),
    judgement: Annotated[
        RiskLevel | None,
        typer.Option("--judgement", help="Professional judgement: standard, medium or high."),
    ] = None,
    reason: str = typer.Option("", "--reason", help="Why (required with --judgement)."),
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD assessed (default: today)."),
    by: ByOption = None,
) -> None:
    """Assess the victim's risk with DASH or DARA; print the level, why, and if MARAC is due."""
    given = _answers(answers)
    day = parse_date(on, flag="--on") if on else None
    if judgement is not None and not reason.strip():
        raise InvalidInput("--reason: give the reason for the professional judgement")
    try:
        with _store() as store:
            recorded = victim_service.assess_risk(
                store=store,
                reference=reference,
                tool=tool,
                answers=given,
                judgement=judgement,
                reason=reason,
                assessed_on=day,
                actor=_actor(by),
            )
    except InvalidInput as error:
        if "risk tool" in str(error):
            raise InvalidInput(f"--tool: {error}") from error
        raise InvalidInput(f"--answers {answers}: {error}") from error
    a = recorded.assessment
    typer.echo(f"{reference.upper()}: {a.level.value.upper()} risk ({a.tool} {a.version})")
    for line in a.reasons:
        typer.echo(f"  {line}")
    if a.marac_referral_due:
        typer.echo("  MARAC referral due: `casework victim refer REF --to marac`")


@victim_app.command("withdraw")
def withdraw(
    reference: RefArgument,
    reason: Annotated[list[WithdrawalReason], typer.Option("--reason", help="Why (repeatable).")],
    details: str = typer.Option("", "--details", help="In the victim's words."),
    on: str | None = typer.Option(None, "--on", help="YYYY-MM-DD (default: today)."),
    by: ByOption = None,
) -> None:
    """Record that the victim withdrew support, with the reasons; the stage is the case's."""
    day = parse_date(on, flag="--on") if on else None
    with _store() as store:
        withdrawal = victim_service.withdraw_support(
            store=store,
            reference=reference,
            reasons=reason,
            details=details,
            on=day,
            actor=_actor(by),
        )
    typer.echo(
        f"{reference.upper()}: withdrawal recorded at {withdrawal.stage}; consider an "
        "evidence-led prosecution (`casework evidence REF`)"
    )


@victim_app.command("show")
def show_victim(reference: RefArgument, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """Print the victim panel: contact log, wishes, referrals, risk history, flags."""
    with _store() as store:
        panel = victim_service.victim_panel(store=store, reference=reference)
    if fmt is OutputFormat.JSON:
        _dump(victim_json(panel))
        return
    typer.echo(f"{panel.reference}  victim")
    for line in victim_lines(panel):
        typer.echo(line)


# Evidence ---------------------------------------------------------------------------------


def _pairs(values: list[str] | None, *, flag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values or ():
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"{flag}: {value!r} is not ITEM=VALUE, e.g. cctv=obtained")
        found[key.strip()] = rest.strip()
    return found


def _evidence_lines(review: EvidenceReview) -> list[str]:
    lines = [
        f"  {line.item.id:<24} {line.status.value:<15} {line.notes}".rstrip()
        for line in review.lines
    ]
    missing = review.missing
    lines.append(
        "Still missing: " + (", ".join(f"{m.item.id}" for m in missing) if missing else "nothing")
    )
    could = "yes" if review.could_proceed_without_victim else "no"
    lines.append(f"Could proceed without the victim: {could}")
    lines.extend(f"  {reason}" for reason in review.reasons)
    return lines


@app.command("evidence")
def evidence(
    reference: RefArgument,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="ITEM=STATUS (missing, requested, obtained, ...); repeatable."),
    ] = None,
    note: Annotated[
        list[str] | None, typer.Option("--note", help="ITEM=TEXT, e.g. why not available.")
    ] = None,
    victim_unavailable: str | None = typer.Option(
        None, "--victim-unavailable", help="The s.116(2) ground, e.g. 'in fear: s.116(2)(e)'."
    ),
    victim_available: bool = typer.Option(
        False, "--victim-available", help="No longer unavailable."
    ),
    fmt: FormatOption = OutputFormat.TEXT,
    by: ByOption = None,
) -> None:
    """Show (and update) the evidence-led prosecution checklist: what is still missing."""
    statuses = _pairs(set_, flag="--set")
    notes = _pairs(note, flag="--note")
    changing = bool(statuses or notes or victim_unavailable is not None or victim_available)
    try:
        with _store() as store:
            if changing:
                review = victim_service.update_evidence(
                    store=store,
                    reference=reference,
                    statuses=statuses,
                    notes=notes,
                    victim_unavailable=victim_unavailable,
                    victim_available=victim_available,
                    actor=_actor(by),
                )
            else:
                review = victim_service.evidence_review(store=store, reference=reference)
    except InvalidInput as error:
        if "evidence" in str(error) and changing:
            raise InvalidInput(f"--set/--note: {error}") from error
        raise
    if fmt is OutputFormat.JSON:
        data = TypeAdapter(EvidenceReview).dump_python(review, mode="json")
        data["missing"] = [line.item.id for line in review.missing]
        _dump(data)
        return
    typer.echo(f"{reference.upper()}  evidence checklist {review.checklist_version}")
    for line in _evidence_lines(review):
        typer.echo(line)


# CPS --------------------------------------------------------------------------------------


class TestChoice(StrEnum):
    FULL_CODE = "full-code"
    THRESHOLD = "threshold"


class OutcomeChoice(StrEnum):
    CHARGE = "charge"
    NFA = "nfa"
    OUT_OF_COURT = "out-of-court"
    FURTHER_INVESTIGATION = "further-investigation"


_OUTCOMES = {
    OutcomeChoice.CHARGE: ChargingOutcome.CHARGE,
    OutcomeChoice.NFA: ChargingOutcome.NO_FURTHER_ACTION,
    OutcomeChoice.OUT_OF_COURT: ChargingOutcome.OUT_OF_COURT_RESOLUTION,
    OutcomeChoice.FURTHER_INVESTIGATION: ChargingOutcome.FURTHER_INVESTIGATION,
}
ProsecutorOption = Annotated[
    str, typer.Option("--by", help="The prosecutor who decides (recorded on the case).")
]


@cps_app.command("decide")
def decide(
    reference: RefArgument,
    by: ProsecutorOption,
    reason: str = typer.Option(..., "--reason", help="The reasons (MG3)."),
    test: Annotated[
        TestChoice | None, typer.Option("--test", help="full-code or threshold.")
    ] = None,
    charge: Annotated[
        list[str] | None, typer.Option("--charge", help="Offence code charged (repeatable).")
    ] = None,
    outcome: Annotated[
        OutcomeChoice, typer.Option("--outcome", help="charge, nfa, out-of-court, ...")
    ] = OutcomeChoice.CHARGE,
) -> None:
    """Record the CPS charging decision; the case moves on as it decides."""
    details = validated(
        ChargingDecisionDetails,
        outcome=_OUTCOMES[outcome],
        test=ChargingTest(test.value.replace("-", "_")) if test else None,
        charges=tuple(c.strip() for c in charge or ()),
        reasons=reason,
    )
    try:
        with _store() as store:
            result = cps_service.record_charging_decision(
                store=store, reference=reference, details=details, prosecutor=by
            )
    except InvalidInput as error:
        if "offence" in str(error):
            raise InvalidInput(f"--charge: {error}") from error
        raise
    typer.echo(
        f"{result.case.reference}: {outcome.value} recorded; "
        f"{result.case.history[-1].source} -> {result.case.stage.value}"
    )


@cps_app.command("action")
def action(
    reference: RefArgument,
    by: ProsecutorOption,
    item: str = typer.Option(..., "--item", help="What the investigator is to do."),
    due: str = typer.Option(..., "--due", help="YYYY-MM-DD."),
) -> None:
    """Add an item to the action plan; its due date joins the case's deadlines."""
    due_on = parse_date(due, flag="--due")
    with _store() as store:
        added = cps_service.set_action(
            store=store, reference=reference, action=item, due_on=due_on, prosecutor=by
        )
    typer.echo(f"{reference.upper()}: action {added.number} due {added.due_on.isoformat()}")


@cps_app.command("respond")
def respond(
    reference: RefArgument,
    item: Annotated[int, typer.Argument(help="The action plan item number.", min=1)],
    response: str = typer.Option(..., "--response", help="What was done."),
    by: ByOption = None,
) -> None:
    """Respond to one action-plan item (the investigator); it meets its deadline."""
    with _store() as store:
        answered = cps_service.respond_to_action(
            store=store, reference=reference, number=item, response=response, actor=_actor(by)
        )
    typer.echo(f"{reference.upper()}: action {answered.number} answered")


@cps_app.command("court")
def court(
    reference: RefArgument,
    hearing: str = typer.Option(..., "--hearing", help="e.g. first hearing, trial."),
    on: str = typer.Option(..., "--on", help="YYYY-MM-DD."),
    court_name: str = typer.Option("", "--court", help="Which court."),
    by: ByOption = None,
) -> None:
    """Record a court date; it shows with the case's deadlines until held or vacated."""
    day = parse_date(on, flag="--on")
    with _store() as store:
        listed = cps_service.list_hearing(
            store=store,
            reference=reference,
            hearing=hearing,
            on=day,
            court=court_name,
            actor=_actor(by),
        )
    typer.echo(f"{reference.upper()}: hearing {listed.number} on {listed.on.isoformat()}")


@cps_app.command("hearing-closed")
def hearing_closed(
    reference: RefArgument,
    number: Annotated[int, typer.Argument(help="The hearing number.", min=1)],
    vacated: bool = typer.Option(False, "--vacated", help="Vacated rather than held."),
) -> None:
    """Mark a hearing held (or vacated), which takes it off the due list."""
    status = HearingStatus.VACATED if vacated else HearingStatus.HELD
    with _store() as store:
        cps_service.close_hearing(store=store, reference=reference, number=number, status=status)
    typer.echo(f"{reference.upper()}: hearing {number} {status.value}")


@cps_app.command("show")
def show_cps(reference: RefArgument, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """Print the CPS side: decision, action plan and responses, court dates, custody."""
    with _store() as store:
        file = cps_service.cps_file(store=store, reference=reference)
    if fmt is OutputFormat.JSON:
        _dump(cps_json(file))
        return
    typer.echo(f"{file.reference}  CPS")
    for line in cps_lines(file, today_in_london()):
        typer.echo(line)


# Custody ----------------------------------------------------------------------------------


@app.command("custody")
def custody(
    reference: RefArgument,
    detained_at: str | None = typer.Option(
        None, "--detained-at", help="The PACE relevant time, e.g. 2026-03-01T22:00."
    ),
    offence: str | None = typer.Option(
        None, "--offence", help="Offence detained for (default: the case's most serious)."
    ),
    authorised_at: str | None = typer.Option(
        None, "--authorised-at", help="When detention was first authorised (reviews run from it)."
    ),
    released_at: str | None = typer.Option(None, "--released-at", help="Record the release."),
    note: str = typer.Option("", "--note", help="With --released-at: charged, bailed, ..."),
    by: ByOption = None,
) -> None:
    """Start (or stop) the PACE custody clock of the case's suspect; print its limits."""
    if (detained_at is None) == (released_at is None):
        raise InvalidInput("--detained-at or --released-at: give one of them")
    with _store() as store:
        if detained_at is not None:
            relevant = _parse_moment(detained_at, flag="--detained-at")
            authorised = (
                _parse_moment(authorised_at, flag="--authorised-at") if authorised_at else None
            )
            try:
                cps_service.record_custody(
                    store=store,
                    reference=reference,
                    relevant_time=relevant,
                    offence_code=offence,
                    authorised_at=authorised,
                    actor=_actor(by),
                )
            except InvalidInput as error:
                if offence and "offence" in str(error):
                    raise InvalidInput(f"--offence: {error}") from error
                raise
        else:
            assert released_at is not None
            cps_service.release_from_custody(
                store=store,
                reference=reference,
                at=_parse_moment(released_at, flag="--released-at"),
                note=note,
            )
        file = cps_service.cps_file(store=store, reference=reference)
    typer.echo(f"{file.reference}  PACE custody clock")
    for clock in file.custody:
        for line in custody_lines(clock):
            typer.echo(line)


# Suspect timeline -------------------------------------------------------------------------


def _when(value: str, *, flag: str) -> date | datetime:
    if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        return parse_date(value, flag=flag)
    return _parse_moment(value, flag=flag)


@suspect_app.command("conduct")
def conduct(
    reference: RefArgument,
    kind: Annotated[ConductKind, typer.Option("--kind", help="What the suspect did.")],
    at: str = typer.Option(..., "--at", help="A date, or a date and time (London)."),
    description: str = typer.Option(..., "--description", help="What happened."),
    phase: Annotated[
        EventPhase | None, typer.Option("--phase", help="before, during or after the offence.")
    ] = None,
    fear: bool = typer.Option(False, "--fear", help="The victim feared violence."),
    by: ByOption = None,
) -> None:
    """Record something the suspect did, for the suspect timeline."""
    when = _when(at, flag="--at")
    with _store() as store:
        event = timeline_service.add_conduct(
            store=store,
            reference=reference,
            kind=kind,
            when=when,
            description=description,
            phase=phase,
            fear_of_violence=fear,
            actor=_actor(by),
        )
    typer.echo(f"{reference.upper()}: {kind.value} recorded ({event.id})")


def _event_id(value: str) -> UUID:
    try:
        return UUID(value.strip())
    except ValueError as error:
        raise InvalidInput(f"EVENT: {value!r} is not an event id (a UUID)") from error


@suspect_app.command("confirm")
def confirm(
    reference: RefArgument,
    event: Annotated[str, typer.Argument(help="The proposed event's id.")],
    kind: Annotated[ConductKind, typer.Option("--kind", help="What the suspect did.")],
    phase: Annotated[
        EventPhase | None, typer.Option("--phase", help="before, during or after.")
    ] = None,
    description: str | None = typer.Option(None, "--description", help="Say it better."),
    fear: bool = typer.Option(False, "--fear", help="The victim feared violence."),
) -> None:
    """Confirm an event proposed from a document; it then counts towards patterns."""
    with _store() as store:
        timeline_service.confirm_conduct(
            store=store,
            reference=reference,
            event_id=_event_id(event),
            kind=kind,
            phase=phase,
            description=description,
            fear_of_violence=fear,
        )
    typer.echo(f"{reference.upper()}: event {event} confirmed as {kind.value}")


@suspect_app.command("reject")
def reject(
    reference: RefArgument,
    event: Annotated[str, typer.Argument(help="The proposed event's id.")],
) -> None:
    """Reject an event proposed from a document: kept on record, off the timeline."""
    with _store() as store:
        timeline_service.reject_conduct(store=store, reference=reference, event_id=_event_id(event))
    typer.echo(f"{reference.upper()}: event {event} rejected")


@app.command("timeline")
def timeline(
    reference: RefArgument,
    this_case_only: bool = typer.Option(
        False, "--this-case-only", help="Leave out the suspect's other cases."
    ),
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print the suspect timeline: before, during and after the offence, patterns, other cases."""
    with _store() as store:
        result = timeline_service.suspect_timeline(
            store=store, reference=reference, include_other_cases=not this_case_only
        )
    if fmt is OutputFormat.JSON:
        _dump(TypeAdapter(timeline_service.SuspectTimeline).dump_python(result, mode="json"))
        return
    t = result.timeline
    typer.echo(
        f"{t.case_reference}  suspect timeline: {', '.join(result.suspects) or 'no suspect'}"
    )
    if result.other_cases:
        typer.echo(f"  other cases of the suspect: {', '.join(result.other_cases)}")
    for entry in t.entries:
        when = (
            entry.when.astimezone(timeline_service.LONDON).strftime("%Y-%m-%d %H:%M")
            if isinstance(entry.when, datetime)
            else f"{entry.when.isoformat()}      "
        )
        if entry.is_offence:
            typer.echo(f"  {when}  ===== {entry.label} =====")
            continue
        e = entry.event
        marks = "".join(
            (
                " [OTHER CASE]" if entry.other_case else "",
                " [AWAITING CONFIRMATION]" if entry.awaiting_confirmation else "",
                " [fear of violence]" if e is not None and e.fear_of_violence else "",
            )
        )
        kind = e.kind.value if e is not None else ""
        typer.echo(f"  {when}  {entry.phase.value:<6} {kind:<16} {entry.label}{marks}")
        if entry.awaiting_confirmation and e is not None:
            hint = f"casework suspect confirm {t.case_reference} {e.id} --kind ..."
            typer.echo(f"      to confirm: `{hint}`")
    for warning in t.warnings:
        typer.echo(f"  warning: {warning}")
    typer.echo("Patterns:")
    for pattern in result.patterns:
        other = " (includes other cases)" if pattern.includes_other_cases else ""
        typer.echo(f"  {pattern.name}{other}: {pattern.reason}")
        typer.echo(f"    source: {pattern.source}")
    if not result.patterns:
        typer.echo("  (none)")
    fear = result.fear_of_violence
    days = ", ".join(d.isoformat() for d in fear.occasions) or "none"
    typer.echo(f"Fear of violence on two occasions: {'met' if fear.met else 'not met'} ({days})")
