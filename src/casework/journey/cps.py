"""CPS services: the charging decision, the action plan and responses, court dates, custody.

A charging decision moves the case through ``journey.cases.advance`` (decided by the
CPS), in the same unit of work: the stage machine's rules (a domestic-abuse case is
charged only on a CPS decision, only from ``with_cps``) are applied there, once. Action
plan items, court dates and the PACE custody clock are stored as recorded deadlines, so
they show in ``casework deadlines`` with every other deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from casework.domain.case_deadlines import DeadlineKind
from casework.domain.cases import Case, CaseReference, Role
from casework.domain.cps import (
    ActionItem,
    ChargingDecision,
    ChargingDecisionDetails,
    CourtHearing,
    CustodyRecord,
    HearingStatus,
    action_plan_deadlines,
    court_deadlines,
    custody_deadlines,
)
from casework.domain.journey_repositories import JourneyStore
from casework.domain.pole import PersonDetails, name_key
from casework.domain.repositories import ConcurrentChange
from casework.domain.rules import DetentionClock
from casework.domain.rules.offences import ModeOfTrial
from casework.domain.rules.victims_code import london_date
from casework.domain.stages import Agency, Stage
from casework.errors import Conflict, InvalidInput, NotFound
from casework.journey.cases import add_party, advance
from casework.journey.deadlines import replace_recorded_deadlines
from casework.journey.rules import custody_clock, find_offence
from casework.journey.victim import load_case

FUTURE_SLACK = timedelta(minutes=5)
_SERIOUSNESS = {
    ModeOfTrial.INDICTABLE_ONLY: 0,
    ModeOfTrial.EITHER_WAY: 1,
    ModeOfTrial.SUMMARY_ONLY: 2,
}


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"time {moment.isoformat()} has no time zone")
    return moment


def _who(name: str, what: str) -> str:
    if not name.strip():
        raise InvalidInput(f"{what}: say who (it must not be blank)")
    return name.strip()


def _prosecutor_on_case(store: JourneyStore, case: Case, prosecutor: str, now: datetime) -> Case:
    """Link the prosecutor to the case as its CPS prosecutor, unless they already are."""
    key = name_key(prosecutor)
    if any(name_key(p.full_name) == key for p in case.people(Role.CPS_PROSECUTOR)):
        return case
    try:
        details = PersonDetails.from_full_name(prosecutor)
    except ValueError as error:
        raise InvalidInput(f"prosecutor: {error}") from error
    return add_party(
        store=store,
        reference=case.reference,
        role=Role.CPS_PROSECUTOR,
        person=details,
        actor=prosecutor,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class DecisionRecorded:
    """A charging decision and the case as it stands after the move it caused."""

    decision: ChargingDecision
    case: Case


def record_charging_decision(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    details: ChargingDecisionDetails,
    prosecutor: str,
    now: datetime | None = None,
) -> DecisionRecorded:
    """Record a prosecutor's charging decision (MG3) and move the case as it decides.

    The case must be with the CPS. Charges must be offences in the catalogue. The move
    (to charged, no further action, out-of-court resolution, or back to investigating for
    more work) goes through ``advance`` decided by the CPS, so a refusal there leaves
    nothing recorded: the move is made first, the decision stored after it.
    """
    moment = _now(now)
    who = _who(prosecutor, "prosecutor")
    case = load_case(store, reference)
    if case.stage is not Stage.WITH_CPS:
        raise Conflict(
            f"case {case.reference} is at {case.stage.value}: a charging decision is made on "
            f"a file sent to the CPS (move it to {Stage.WITH_CPS.value} first)"
        )
    for code in details.charges:
        find_offence(code)
    case = _prosecutor_on_case(store, case, who, moment)
    decision = ChargingDecision(
        **details.model_dump(), case_id=case.id, force=case.force, prosecutor=who, decided_at=moment
    )
    basis = f" on the {details.test.words}" if details.test is not None else ""
    charges = f" ({', '.join(details.charges)})" if details.charges else ""
    moved = advance(
        store=store,
        reference=case.reference,
        to=details.outcome.target,
        reason=f"CPS charging decision: {details.outcome.words}{basis}{charges}: {details.reasons}",
        actor=who,
        decided_by=Agency.CPS,
        now=moment,
    )
    store.cps.add_decision(decision=decision)
    return DecisionRecorded(decision=decision, case=moved)


def _refresh_actions(store: JourneyStore, case: Case) -> list[ActionItem]:
    items = store.cps.actions(case_id=case.id)
    replace_recorded_deadlines(
        store=store,
        case=case,
        kind=DeadlineKind.CPS_ACTION,
        deadlines=action_plan_deadlines(items),
    )
    return items


def set_action(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    action: str,
    due_on: date,
    prosecutor: str,
    now: datetime | None = None,
) -> ActionItem:
    """Add an item to the prosecutor's action plan; its due date becomes a case deadline."""
    moment = _now(now)
    who = _who(prosecutor, "prosecutor")
    case = load_case(store, reference)
    if not action.strip():
        raise InvalidInput("action: say what is to be done")
    if case.stage.is_outcome:
        raise Conflict(f"case {case.reference} has an outcome ({case.stage.words})")
    if due_on < london_date(moment):
        raise InvalidInput(f"due date {due_on.isoformat()} is in the past")
    case = _prosecutor_on_case(store, case, who, moment)
    existing = store.cps.actions(case_id=case.id)
    item = ActionItem(
        case_id=case.id,
        force=case.force,
        number=len(existing) + 1,
        action=action.strip(),
        due_on=due_on,
        set_by=who,
        set_at=moment,
    )
    try:
        store.cps.add_action(item=item)
    except ConcurrentChange as error:
        raise Conflict(str(error)) from error
    _refresh_actions(store, case)
    return item


def respond_to_action(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    number: int,
    response: str,
    actor: str,
    now: datetime | None = None,
) -> ActionItem:
    """Record the investigator's response to one action-plan item; it meets its deadline."""
    moment = _now(now)
    who = _who(actor, "actor")
    case = load_case(store, reference)
    if not response.strip():
        raise InvalidInput("response: say what was done")
    items = {i.number: i for i in store.cps.actions(case_id=case.id)}
    item = items.get(number)
    if item is None:
        known = ", ".join(str(n) for n in sorted(items)) or "none yet"
        raise NotFound(f"case {case.reference} has no action plan item {number} (items: {known})")
    if item.responded:
        raise Conflict(
            f"item {number} was answered by {item.responded_by} on "
            f"{london_date(item.responded_at or moment).isoformat()}"
        )
    store.cps.respond(item_id=item.id, response=response.strip(), by=who, at=moment)
    _refresh_actions(store, case)
    return item.model_copy(
        update={"response": response.strip(), "responded_by": who, "responded_at": moment}
    )


def _refresh_hearings(store: JourneyStore, case: Case) -> None:
    replace_recorded_deadlines(
        store=store,
        case=case,
        kind=DeadlineKind.COURT,
        deadlines=court_deadlines(store.cps.hearings(case_id=case.id)),
    )


def list_hearing(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    hearing: str,
    on: date,
    actor: str,
    court: str = "",
    now: datetime | None = None,
) -> CourtHearing:
    """Record a court date of the case; it shows with the case's deadlines."""
    moment = _now(now)
    who = _who(actor, "actor")
    case = load_case(store, reference)
    if not hearing.strip():
        raise InvalidInput("hearing: say which hearing (e.g. first hearing, trial)")
    if on < case.reported_on:
        raise InvalidInput(f"hearing date {on.isoformat()} is before the report")
    existing = store.cps.hearings(case_id=case.id)
    item = CourtHearing(
        case_id=case.id,
        force=case.force,
        number=len(existing) + 1,
        hearing=hearing.strip(),
        on=on,
        court=court.strip(),
        listed_by=who,
        listed_at=moment,
    )
    try:
        store.cps.add_hearing(hearing=item)
    except ConcurrentChange as error:
        raise Conflict(str(error)) from error
    _refresh_hearings(store, case)
    return item


def close_hearing(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    number: int,
    status: HearingStatus,
    now: datetime | None = None,
) -> CourtHearing:
    """Mark a hearing held or vacated, which takes it off the due list."""
    moment = _now(now)
    if status is HearingStatus.LISTED:
        raise InvalidInput("a hearing is closed as held or vacated")
    case = load_case(store, reference)
    found = next((h for h in store.cps.hearings(case_id=case.id) if h.number == number), None)
    if found is None:
        raise NotFound(f"case {case.reference} has no hearing {number}")
    if found.status is not HearingStatus.LISTED:
        raise Conflict(f"hearing {number} is already {found.status.value}")
    day = london_date(moment)
    store.cps.close_hearing(hearing_id=found.id, status=status, on=day)
    _refresh_hearings(store, case)
    return found.model_copy(update={"status": status, "closed_on": day})


@dataclass(frozen=True, slots=True)
class CustodyClock:
    """A detention with its PACE clock (limits and review times)."""

    record: CustodyRecord
    clock: DetentionClock


def _clock(record: CustodyRecord) -> DetentionClock:
    return custody_clock(
        offence_code=record.offence_code,
        relevant_time=record.relevant_time,
        detention_authorised=record.authorised_at,
    )


def _refresh_custody(store: JourneyStore, case: Case) -> list[CustodyClock]:
    clocks = [CustodyClock(r, _clock(r)) for r in store.custody.for_case(case_id=case.id)]
    replace_recorded_deadlines(
        store=store,
        case=case,
        kind=DeadlineKind.CUSTODY,
        deadlines=[d for c in clocks for d in custody_deadlines(c.record, c.clock)],
    )
    return clocks


def _most_serious(case: Case) -> str:
    if not case.offences:
        raise InvalidInput(
            f"case {case.reference} has no offence recorded: say which offence the suspect "
            "is detained for"
        )
    return min(
        (o.code for o in case.offences),
        key=lambda code: _SERIOUSNESS[find_offence(code).mode_of_trial],
    )


def record_custody(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    relevant_time: datetime,
    actor: str,
    offence_code: str | None = None,
    authorised_at: datetime | None = None,
    now: datetime | None = None,
) -> CustodyClock:
    """Start the PACE clock for the case's suspect in custody; its limits become deadlines.

    The offence defaults to the most serious one on the case (indictable first), which
    decides whether detention may be extended beyond 24 hours.
    """
    moment = _now(now)
    who = _who(actor, "actor")
    case = load_case(store, reference)
    if relevant_time > moment + FUTURE_SLACK:
        raise InvalidInput(f"detained at {relevant_time.isoformat()} is in the future")
    if authorised_at is not None and authorised_at > moment + FUTURE_SLACK:
        raise InvalidInput(f"authorised at {authorised_at.isoformat()} is in the future")
    if any(r.in_custody for r in store.custody.for_case(case_id=case.id)):
        raise Conflict(
            f"case {case.reference} already has a suspect in custody; record the release first"
        )
    code = offence_code.strip() if offence_code else _most_serious(case)
    find_offence(code)
    suspects = case.people(Role.SUSPECT)
    record = CustodyRecord(
        case_id=case.id,
        force=case.force,
        suspect_id=suspects[0].id if len(suspects) == 1 else None,
        offence_code=code,
        relevant_time=relevant_time,
        authorised_at=authorised_at,
        recorded_by=who,
        recorded_at=moment,
    )
    clock = _clock(record)
    store.custody.add(record=record)
    _refresh_custody(store, case)
    return CustodyClock(record, clock)


def release_from_custody(
    *,
    store: JourneyStore,
    reference: str | CaseReference,
    at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> CustodyClock:
    """Record the suspect's release (charged, bailed, released); the clock's deadlines close."""
    moment = _now(now)
    case = load_case(store, reference)
    current = next((r for r in store.custody.for_case(case_id=case.id) if r.in_custody), None)
    if current is None:
        raise Conflict(f"case {case.reference} has no suspect in custody")
    if at > moment + FUTURE_SLACK:
        raise InvalidInput(f"released at {at.isoformat()} is in the future")
    if at < current.relevant_time:
        raise InvalidInput("release is before the relevant time")
    store.custody.release(record_id=current.id, at=at, note=note.strip())
    clocks = _refresh_custody(store, case)
    return next(c for c in clocks if c.record.id == current.id)


@dataclass(frozen=True, slots=True)
class CpsFile:
    """The CPS side of a case: decisions, action plan, court dates and custody clocks."""

    reference: CaseReference
    decisions: tuple[ChargingDecision, ...]
    actions: tuple[ActionItem, ...]
    hearings: tuple[CourtHearing, ...]
    custody: tuple[CustodyClock, ...]

    @property
    def decision(self) -> ChargingDecision | None:
        """The decision in force: the latest."""
        return self.decisions[-1] if self.decisions else None


def cps_file(*, store: JourneyStore, reference: str | CaseReference) -> CpsFile:
    """Return the CPS side of the case."""
    case = load_case(store, reference)
    return CpsFile(
        reference=case.reference,
        decisions=tuple(store.cps.decisions(case_id=case.id)),
        actions=tuple(store.cps.actions(case_id=case.id)),
        hearings=tuple(store.cps.hearings(case_id=case.id)),
        custody=tuple(CustodyClock(r, _clock(r)) for r in store.custody.for_case(case_id=case.id)),
    )
