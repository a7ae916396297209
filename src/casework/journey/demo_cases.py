"""A synthetic set of domestic-abuse cases for ``casework demo``: planned here, pure and seeded.

``plan_demo_cases`` draws, from a fixed seed, what happens in each case: the report, the
people, the offences, and then a dated list of steps (stage changes, events, people
joining) along one of the roads a domestic-abuse case takes, cut off at the present. The
first cases are a showcase that puts a case at every stage and makes deadlines that are
overdue and due within a week; the rest are drawn at random over the last two years, so
that recent cases are still early in their journey. ``journey.demo_load`` replays the plan
through the case services, so that every rule runs on the demo data as on real data.

Case ``i`` depends only on the seed and on ``i`` (and on the people of earlier cases, so
that no two victims are the same person): a larger ``count`` adds cases without changing
the first ones, and a victim identifies the case she is in (see ``demo_load``).

Events then get the phones, vehicles and places officers record on them, and a few cases
get planted links (a group cluster in one force, a link to another), so that the link
chart has something to show: see ``demo_pole`` and ``_Furnisher``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.pole import EventKind, EventPhase, PersonDetails, name_key
from casework.domain.rules.victims_code import london_date
from casework.domain.stages import Agency, Stage
from casework.domain.victim import ReferralKind, WithdrawalReason
from casework.journey.demo_names import RANKS, actor_name, demo_person, staff_name
from casework.journey.demo_pole import (
    ELSEWHERE,
    ELSEWHERE_FORCE,
    GROUP,
    GROUP_FORCE,
    Address,
    DemoPlace,
    Planted,
    address,
    free_tails,
    phone,
    plate,
    registration,
)
from casework.journey.rules import find_offence

DEFAULT_SEED = 2026
DEFAULT_COUNT = 300
LONDON = ZoneInfo("Europe/London")
SPAN = timedelta(days=729)
"""Demo cases are reported over the two years before today."""


@dataclass(frozen=True, slots=True)
class DemoForce:
    """A force of England and Wales that demo cases belong to (real code and name)."""

    code: str
    name: str
    weight: float
    court: str


FORCES: tuple[DemoForce, ...] = (
    DemoForce("WY", "West Yorkshire Police", 0.24, "Leeds Magistrates' Court"),
    DemoForce("GMP", "Greater Manchester Police", 0.24, "Manchester Magistrates' Court"),
    DemoForce("MPS", "Metropolitan Police Service", 0.28, "Highbury Corner Magistrates' Court"),
    DemoForce("TVP", "Thames Valley Police", 0.12, "Reading Magistrates' Court"),
    DemoForce("SWP", "South Wales Police", 0.12, "Cardiff Magistrates' Court"),
)

# Main offence of a report and how often it is the main one; then offences that go with it.
_MAIN_OFFENCES: tuple[tuple[str, float], ...] = (
    ("common_assault", 0.26),
    ("battery", 0.07),
    ("abh", 0.14),
    ("coercive_control", 0.11),
    ("non_fatal_strangulation", 0.07),
    ("harassment", 0.04),
    ("stalking", 0.03),
    ("stalking_fear_of_violence", 0.02),
    ("criminal_damage", 0.07),
    ("threats_to_kill", 0.03),
    ("breach_non_molestation_order", 0.04),
    ("breach_dapo", 0.01),
    ("breach_restraining_order", 0.02),
    ("disclosing_private_sexual_images", 0.01),
    ("sharing_intimate_image", 0.01),
    ("gbh_s20", 0.02),
    ("gbh_s18", 0.01),
    ("sexual_assault", 0.02),
    ("rape", 0.02),
)
_ALSO: dict[str, tuple[str, ...]] = {
    "common_assault": ("criminal_damage", "coercive_control", "threats_to_kill"),
    "battery": ("criminal_damage",),
    "abh": ("coercive_control", "criminal_damage", "non_fatal_strangulation"),
    "coercive_control": ("common_assault", "abh", "harassment"),
    "non_fatal_strangulation": ("abh", "threats_to_kill"),
    "stalking": ("criminal_damage",),
    "breach_non_molestation_order": ("harassment", "common_assault"),
    "rape": ("coercive_control", "abh"),
}


class Destiny(StrEnum):
    """The road a case takes if nothing cuts it short."""

    NO_CRIME = "no_crime"
    POLICE_NFA = "police_nfa"
    POLICE_OOCR = "police_oocr"
    CPS_NFA = "cps_nfa"
    CPS_OOCR = "cps_oocr"
    DISCONTINUED_BEFORE_COURT = "discontinued_before_court"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISCONTINUED_AT_COURT = "discontinued_at_court"


_DESTINIES: tuple[tuple[Destiny, float, float], ...] = (
    # destiny, weight, chance that the victim withdraws support on the way
    (Destiny.NO_CRIME, 0.04, 0.0),
    (Destiny.POLICE_NFA, 0.17, 0.55),
    (Destiny.POLICE_OOCR, 0.03, 0.05),
    (Destiny.CPS_NFA, 0.12, 0.40),
    (Destiny.CPS_OOCR, 0.02, 0.05),
    (Destiny.DISCONTINUED_BEFORE_COURT, 0.03, 0.60),
    (Destiny.CONVICTED, 0.43, 0.04),
    (Destiny.ACQUITTED, 0.09, 0.15),
    (Destiny.DISCONTINUED_AT_COURT, 0.07, 0.65),
)


@dataclass(frozen=True, slots=True)
class Move:
    """Step: move the case to another stage."""

    to: Stage
    reason: str
    decided_by: Agency
    actor: str


@dataclass(frozen=True, slots=True)
class Happening:
    """Step: record an event on the case timeline, naming the people in it by role.

    ``phones``, ``vehicles`` and ``place`` are written as the officer wrote them; the loader
    records each as a POLE object or location of the event (what the link chart reads).
    """

    kind: EventKind
    description: str
    actor: str
    phase: EventPhase | None = None
    who: tuple[Role, ...] = ()
    phones: tuple[str, ...] = ()
    vehicles: tuple[str, ...] = ()
    place: DemoPlace | None = None


@dataclass(frozen=True, slots=True)
class Joins:
    """Step: a person joins the case in a role (a prosecutor, an IDVA)."""

    role: Role
    person: PersonDetails
    actor: str


@dataclass(frozen=True, slots=True)
class Withdraws:
    """Step: the victim withdraws support for the prosecution (at the case's stage then)."""

    reasons: tuple[WithdrawalReason, ...]
    details: str
    actor: str


@dataclass(frozen=True, slots=True)
class Refers:
    """Step: the victim is referred to a support service (meets the Victims' Code duty)."""

    kind: ReferralKind
    notes: str
    actor: str


Action = Move | Happening | Joins | Withdraws | Refers


@dataclass(frozen=True, slots=True)
class Step:
    """One dated thing that happens in a demo case."""

    at: datetime
    action: Action


@dataclass(frozen=True, slots=True)
class PlannedCase:
    """One demo case: what is reported, by whom, when, and the steps that follow."""

    number: int
    new: NewCase
    opened_at: datetime
    opened_by: str
    steps: tuple[Step, ...]

    @property
    def victim(self) -> PersonDetails:
        return next(p for r, p in self.new.parties if r is Role.VICTIM)

    @property
    def final_stage(self) -> Stage:
        """The stage the case reaches once every step is replayed."""
        moves = [s.action.to for s in self.steps if isinstance(s.action, Move)]
        return moves[-1] if moves else Stage.REPORTED


@dataclass(frozen=True, slots=True)
class _Staff:
    """The people of one force that demo cases share: officers, prosecutors, IDVAs, suspects."""

    officers: tuple[tuple[PersonDetails, str], ...]
    supervisors: tuple[tuple[PersonDetails, str], ...]
    prosecutors: tuple[PersonDetails, ...]
    idvas: tuple[PersonDetails, ...]
    repeat_suspects: tuple[PersonDetails, ...]


def _staff(seed: int, force: DemoForce) -> _Staff:
    rng = random.Random(f"casework-demo:{seed}:{force.code}:staff")
    officers = tuple((staff_name(rng), rng.choice(RANKS)) for _ in range(8))
    supervisors = tuple((staff_name(rng), rng.choice(("DS", "DI"))) for _ in range(2))
    return _Staff(
        officers=officers,
        supervisors=supervisors,
        prosecutors=tuple(staff_name(rng) for _ in range(3)),
        idvas=tuple(staff_name(rng) for _ in range(2)),
        repeat_suspects=tuple(demo_person(rng, female=rng.random() < 0.1) for _ in range(25)),
    )


@dataclass(frozen=True, slots=True)
class _Showcase:
    """A case made to show one thing: a stage, or a deadline due soon or overdue."""

    destiny: Destiny
    stop_at: Stage | None = None
    reported_days_ago: float | None = None
    main_offence: str | None = None
    inform_after_arrest: bool = True
    refer_to_support: bool = True
    custody: str | None = None
    investigation_days: int | None = None


_SHOWCASE: tuple[_Showcase, ...] = (
    _Showcase(Destiny.CONVICTED, stop_at=Stage.REPORTED),
    _Showcase(Destiny.CONVICTED, stop_at=Stage.INVESTIGATING),
    _Showcase(Destiny.CONVICTED, stop_at=Stage.WITH_CPS),
    _Showcase(Destiny.CONVICTED, stop_at=Stage.CHARGED),
    _Showcase(Destiny.CONVICTED, stop_at=Stage.AT_COURT),
    _Showcase(Destiny.CPS_NFA, reported_days_ago=690),
    _Showcase(Destiny.POLICE_OOCR, reported_days_ago=680),
    _Showcase(Destiny.CONVICTED, reported_days_ago=700),
    _Showcase(Destiny.ACQUITTED, reported_days_ago=710),
    _Showcase(Destiny.DISCONTINUED_AT_COURT, reported_days_ago=720),
    # Overdue: the victim was not told of the arrest a week ago (1 working day).
    _Showcase(
        Destiny.CONVICTED,
        stop_at=Stage.INVESTIGATING,
        reported_days_ago=8,
        inform_after_arrest=False,
        custody="rui",
    ),
    # Overdue: nobody referred the victim to support (2 working days).
    _Showcase(
        Destiny.CONVICTED, stop_at=Stage.INVESTIGATING, reported_days_ago=6, refer_to_support=False
    ),
    # Due soon: pre-charge bail of three months ends within days.
    _Showcase(
        Destiny.CONVICTED,
        stop_at=Stage.INVESTIGATING,
        reported_days_ago=86,
        custody="bailed",
        investigation_days=150,
    ),
    # Due soon: the domestic common-assault time limit, 6 months from the statement.
    _Showcase(
        Destiny.CONVICTED,
        stop_at=Stage.INVESTIGATING,
        reported_days_ago=178,
        main_offence="common_assault",
        custody="rui",
        investigation_days=300,
    ),
)


@dataclass(slots=True)
class _Journey:
    """Steps relative to the moment of the report, built up in order."""

    rng: random.Random
    steps: list[tuple[timedelta, Action]] = field(default_factory=list)

    def add(self, offset: timedelta, action: Action) -> timedelta:
        self.steps.append((offset, action))
        return offset

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))


def _pick_destiny(rng: random.Random) -> tuple[Destiny, float]:
    choice = rng.choices(_DESTINIES, weights=[w for _, w, _ in _DESTINIES])[0]
    return choice[0], choice[2]


def _offences(
    rng: random.Random, committed: datetime, main: str | None
) -> tuple[OffenceDetails, ...]:
    day = london_date(committed)
    codes = [main] if main else []
    while not codes:
        code = rng.choices(_MAIN_OFFENCES, weights=[w for _, w in _MAIN_OFFENCES])[0][0]
        if find_offence(code).in_force_on(day):
            codes.append(code)
    also = _ALSO.get(codes[0], ())
    if main is None and also and rng.random() < 0.35:
        extra = rng.choice(also)
        if find_offence(extra).in_force_on(day):
            codes.append(extra)
    return tuple(OffenceDetails(code=c, committed_on=day) for c in codes)


def _inform(j: _Journey, after: timedelta, what: str, actor: str, *, late: float = 0.08) -> None:
    """The victim is told of a development: usually within hours, sometimes days late."""
    delay = j.days(2.5, 6) if j.rng.random() < late else j.hours(1, 20)
    j.add(after + delay, Happening(EventKind.VICTIM_INFORMED, f"Victim told of {what}.", actor))


def _journey(
    rng: random.Random,
    *,
    destiny: Destiny,
    withdraw_chance: float,
    force: DemoForce,
    staff: _Staff,
    oic: str,
    supervisor: str,
    show: _Showcase | None,
) -> _Journey:
    j = _Journey(rng)
    police = Agency.POLICE
    refer = show.refer_to_support if show else True
    if refer:
        late = rng.random() < 0.06
        at = j.days(2.5, 6) if late else j.hours(0.5, 30)
        j.add(at, Refers(ReferralKind.IDVA, "Referred to the local IDVA service.", oic))
        if rng.random() < 0.3:
            j.add(at + j.hours(1, 48), Joins(Role.IDVA, rng.choice(staff.idvas), oic))
    if destiny == Destiny.NO_CRIME:
        j.add(
            j.days(1, 4),
            Move(
                Stage.NO_FURTHER_ACTION,
                "no crime disclosed: recorded as a domestic incident; safeguarding in place",
                police,
                supervisor,
            ),
        )
        return j
    t = j.add(
        j.hours(0.2, 3),
        Move(Stage.INVESTIGATING, "domestic-abuse report allocated for investigation", police, oic),
    )
    if show is not None or rng.random() < 0.88:
        j.add(
            t + (j.hours(4, 4) if show else j.hours(2, 90)),
            Happening(
                EventKind.VICTIM_STATEMENT,
                "Victim's witness statement (body-worn video interview) taken.",
                oic,
                who=(Role.VICTIM,),
            ),
        )
    arrest = t + (j.hours(2, 2) if show else j.hours(1, 60))
    j.add(
        arrest,
        Happening(
            EventKind.ARREST,
            "Suspect arrested at the home address.",
            oic,
            phase=EventPhase.AFTER,
            who=(Role.SUSPECT,),
        ),
    )
    interview = arrest + (j.hours(3, 3) if show else j.hours(2, 8))
    j.add(
        interview,
        Happening(
            EventKind.INTERVIEW_UNDER_CAUTION,
            "Suspect interviewed under caution; no comment.",
            oic,
            who=(Role.SUSPECT,),
        ),
    )
    custody = (show.custody if show else None) or rng.choices(
        ("bailed", "rui", "released"), weights=(0.5, 0.35, 0.15)
    )[0]
    released = interview + (j.hours(1, 1) if show else j.hours(1, 4))
    if custody == "bailed":
        j.add(
            released,
            Happening(
                EventKind.BAILED,
                "Pre-charge bail: not to contact the victim or go to her street.",
                supervisor,
                who=(Role.SUSPECT,),
            ),
        )
    elif custody == "rui":
        j.add(
            released,
            Happening(
                EventKind.RELEASED_UNDER_INVESTIGATION,
                "Released under investigation.",
                oic,
                who=(Role.SUSPECT,),
            ),
        )
    else:
        j.add(
            released,
            Happening(
                EventKind.RELEASED_WITHOUT_CHARGE,
                "Released without charge pending enquiries.",
                oic,
                who=(Role.SUSPECT,),
            ),
        )
    if show is None or show.inform_after_arrest:
        _inform(j, released, "the arrest, the interview and the release", oic)
    length = timedelta(days=show.investigation_days) if show and show.investigation_days else None
    length = length or j.days(8, 45) + j.days(0, 70) * rng.random()
    decided = released + length
    if custody == "bailed" and length > timedelta(days=85) and show is None:
        ended = released + j.days(80, 88)
        j.add(
            ended,
            Happening(
                EventKind.RELEASED_UNDER_INVESTIGATION,
                "Bail not extended; released under investigation.",
                supervisor,
                who=(Role.SUSPECT,),
            ),
        )
        _inform(j, ended, "the end of bail", oic)
    withdrawn_before = None
    if rng.random() < withdraw_chance:
        withdrawn_before = destiny
    stops: list[timedelta] = []

    def withdraw_between(low: timedelta, high: timedelta) -> None:
        at = low + (high - low) * rng.uniform(0.2, 0.9)
        reasons = tuple(
            rng.sample(
                (
                    WithdrawalReason.FEAR_OF_SUSPECT,
                    WithdrawalReason.RECONCILED,
                    WithdrawalReason.PRESSURE_FROM_OTHERS,
                    WithdrawalReason.NO_CONFIDENCE_IN_PROCESS,
                    WithdrawalReason.DELAY,
                    WithdrawalReason.CHILDREN,
                    WithdrawalReason.FINANCIAL_DEPENDENCE,
                    WithdrawalReason.WANTS_TO_MOVE_ON,
                ),
                k=rng.choice((1, 1, 2)),
            )
        )
        j.add(at, Withdraws(reasons, "Victim no longer supports a prosecution.", oic))
        stops.append(at)

    if destiny in (Destiny.POLICE_NFA, Destiny.POLICE_OOCR):
        if withdrawn_before:
            withdraw_between(released, decided)
        target = (
            Stage.NO_FURTHER_ACTION
            if destiny == Destiny.POLICE_NFA
            else (Stage.OUT_OF_COURT_RESOLUTION)
        )
        reason = (
            "evidential stage not met: no independent evidence without the victim"
            if target is Stage.NO_FURTHER_ACTION
            else "conditional caution with a domestic-abuse perpetrator programme"
        )
        j.add(decided, Move(target, reason, police, supervisor))
        _inform(j, decided, "the decision", oic)
        return j
    j.add(
        decided, Move(Stage.WITH_CPS, "file sent to the CPS for a charging decision", police, oic)
    )
    prosecutor = rng.choice(staff.prosecutors)
    lawyer = actor_name(prosecutor)
    t = j.add(decided + j.hours(2, 72), Joins(Role.CPS_PROSECUTOR, prosecutor, lawyer))
    if rng.random() < 0.25:
        t = j.add(
            t + j.days(3, 15),
            Move(
                Stage.INVESTIGATING,
                "action plan: obtain the 999 recording and medical evidence",
                Agency.CPS,
                lawyer,
            ),
        )
        t = j.add(
            t + j.days(10, 40),
            Move(Stage.WITH_CPS, "action plan completed; file resubmitted", police, oic),
        )
    decision = t + j.days(1, 21)
    if destiny in (Destiny.CPS_NFA, Destiny.CPS_OOCR):
        if withdrawn_before:
            withdraw_between(released, decision)
        if destiny == Destiny.CPS_NFA:
            j.add(
                decision,
                Move(
                    Stage.NO_FURTHER_ACTION,
                    "Full Code Test: evidential stage not met",
                    Agency.CPS,
                    lawyer,
                ),
            )
        else:
            j.add(
                decision,
                Move(
                    Stage.OUT_OF_COURT_RESOLUTION,
                    "conditional caution advised",
                    Agency.CPS,
                    lawyer,
                ),
            )
        _inform(j, decision, "the CPS decision", oic)
        return j
    j.add(
        decision,
        Move(Stage.CHARGED, "Full Code Test met: charge authorised (MG3)", Agency.CPS, lawyer),
    )
    _inform(j, decision, "the charge", oic)
    if destiny == Destiny.DISCONTINUED_BEFORE_COURT:
        end = decision + j.days(5, 25)
        if withdrawn_before:
            withdraw_between(decision, end)
        j.add(
            end,
            Move(
                Stage.DISCONTINUED,
                "victim's evidence unavailable; evidence-led prosecution not viable",
                Agency.CPS,
                lawyer,
            ),
        )
        return j
    hearing = decision + j.days(1, 21)
    j.add(
        hearing,
        Move(Stage.AT_COURT, f"first hearing listed at {force.court}", Agency.COURT, lawyer),
    )
    if destiny == Destiny.CONVICTED and rng.random() < 0.35:
        end = hearing + j.hours(1, 6)
        j.add(end, Move(Stage.CONVICTED, "guilty plea at the first hearing", Agency.COURT, lawyer))
        return j
    end = hearing + j.days(30, 110) + j.days(0, 150) * rng.random()
    if withdrawn_before:
        withdraw_between(hearing, end)
    if destiny == Destiny.CONVICTED:
        j.add(end, Move(Stage.CONVICTED, "found guilty after trial", Agency.COURT, lawyer))
    elif destiny == Destiny.ACQUITTED:
        j.add(end, Move(Stage.ACQUITTED, "found not guilty after trial", Agency.COURT, lawyer))
    else:
        j.add(
            end,
            Move(
                Stage.DISCONTINUED,
                "no evidence offered: victim will not attend and hearsay refused",
                Agency.CPS,
                lawyer,
            ),
        )
    return j


def _before_offence(rng: random.Random, oic: str) -> list[tuple[timedelta, Action]]:
    """Earlier behaviour of the suspect, entered on the timeline (course of conduct)."""
    if rng.random() > 0.45:
        return []
    out: list[tuple[timedelta, Action]] = []
    for _ in range(rng.randint(1, 3)):
        what = rng.choice(
            (
                "Suspect checked the victim's phone and took her bank card.",
                "Suspect sent repeated threatening messages.",
                "Suspect turned up at the victim's workplace uninvited.",
                "Suspect stopped the victim from seeing her family.",
                "Neighbour heard shouting and a door being smashed.",
            )
        )
        out.append(
            (
                -timedelta(days=rng.uniform(3, 200)),
                Happening(
                    EventKind.INCIDENT,
                    what,
                    oic,
                    phase=EventPhase.BEFORE,
                    who=(Role.SUSPECT, Role.VICTIM),
                ),
            )
        )
    return out


def _place(
    journey: _Journey, show: _Showcase | None, now: datetime, rng: random.Random
) -> datetime:
    """Choose the moment of the report so that the case stands where it should today."""
    if show is None:
        # Reports come in by day and evening, London time, never after ``now``.
        day = (now - SPAN * rng.random() + timedelta(days=1)).astimezone(LONDON)
        local = day.replace(hour=rng.randint(8, 21), minute=rng.randint(0, 59))
        return min(local.astimezone(UTC), now - timedelta(hours=1))
    if show.reported_days_ago is not None:
        return now - timedelta(days=show.reported_days_ago)
    # Stop at a stage: report so that the next move after it would come after today.
    reached = _reached(journey, show.stop_at)
    leaves = _leaves(journey, show.stop_at)
    if leaves is None:
        return now - reached - timedelta(days=3)
    waited = (leaves - reached) * rng.uniform(0.3, 0.8)
    return now - reached - min(waited, timedelta(days=60)) - timedelta(hours=1)


def _reached(journey: _Journey, stage: Stage | None) -> timedelta:
    for offset, action in journey.steps:
        if isinstance(action, Move) and action.to is stage:
            return offset
    return timedelta(0)


def _leaves(journey: _Journey, stage: Stage | None) -> timedelta | None:
    reached = _reached(journey, stage)
    later = [
        o for o, a in journey.steps if isinstance(a, Move) and o > reached and a.to is not stage
    ]
    return min(later) if later else None


def plan_demo_cases(
    *, now: datetime, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED
) -> list[PlannedCase]:
    """Plan ``count`` demo cases as of ``now`` (aware); same seed, same people and roads."""
    if count < 0:
        raise ValueError("count must not be negative")
    staff = {f.code: _staff(seed, f) for f in FORCES}
    used: set[tuple[str, str, object]] = {
        (f.code, name_key(p.full_name), p.date_of_birth)
        for f in FORCES
        for p in staff[f.code].repeat_suspects
    }
    used |= {(GROUP_FORCE, name_key(p.suspect.full_name), p.suspect.date_of_birth) for p in GROUP}
    used.add(
        (ELSEWHERE_FORCE, name_key(ELSEWHERE.suspect.full_name), ELSEWHERE.suspect.date_of_birth)
    )
    furnish = _Furnisher(seed)
    return [
        furnish(plan) for plan in _plans(now=now, count=count, seed=seed, staff=staff, used=used)
    ]


def _plans(
    *,
    now: datetime,
    count: int,
    seed: int,
    staff: dict[str, _Staff],
    used: set[tuple[str, str, object]],
) -> Iterator[PlannedCase]:
    for number in range(count):
        rng = random.Random(f"casework-demo:{seed}:case:{number}")
        show = _SHOWCASE[number] if number < len(_SHOWCASE) else None
        force = rng.choices(FORCES, weights=[f.weight for f in FORCES])[0]
        people = staff[force.code]
        victim = demo_person(rng, female=rng.random() < 0.85)
        while (force.code, name_key(victim.full_name), victim.date_of_birth) in used:
            victim = demo_person(rng, female=rng.random() < 0.85)
        used.add((force.code, name_key(victim.full_name), victim.date_of_birth))
        pool = people.repeat_suspects
        if show is not None:
            # 14 showcase cases in 5 forces: some force's first suspect has several cases.
            suspect = pool[0]
        elif rng.random() < 0.3:
            # A few suspects account for many cases: previous history.
            suspect = pool[min(int(rng.expovariate(0.5)), len(pool) - 1)]
        else:
            suspect = demo_person(rng, female=rng.random() < 0.12)
        officer, rank = rng.choice(people.officers)
        boss, boss_rank = rng.choice(people.supervisors)
        oic = actor_name(officer, rank)
        supervisor = actor_name(boss, boss_rank)
        if show is not None:
            destiny, withdraw_chance = show.destiny, 0.0
        else:
            destiny, withdraw_chance = _pick_destiny(rng)
        journey = _journey(
            rng,
            destiny=destiny,
            withdraw_chance=withdraw_chance,
            force=force,
            staff=people,
            oic=oic,
            supervisor=supervisor,
            show=show,
        )
        journey.steps.extend(_before_offence(rng, oic))
        reported = _place(journey, show, now, rng)
        committed = reported - timedelta(hours=rng.uniform(1, 70))
        cut = now - timedelta(minutes=1)
        if show is not None and show.stop_at is not None:
            leaves = _leaves(journey, show.stop_at)
            if leaves is not None:
                cut = min(cut, reported + leaves - timedelta(seconds=1))
        opened = [
            Step(
                committed,
                Happening(
                    EventKind.OFFENCE,
                    "The offence reported: see the victim's account.",
                    oic,
                    phase=EventPhase.DURING,
                    who=(Role.SUSPECT, Role.VICTIM),
                ),
            )
        ]
        later = sorted(
            (Step(reported + offset, action) for offset, action in journey.steps),
            key=lambda s: s.at,
        )
        steps = [s for s in (*opened, *later) if s.at <= cut]
        witnesses = tuple(
            (Role.WITNESS, demo_person(rng, female=rng.random() < 0.5))
            for _ in range(rng.choice((0, 0, 1, 1, 2)))
        )
        new = NewCase(
            force=force.code,
            reported_on=london_date(reported),
            offences=_offences(rng, committed, show.main_offence if show is not None else None),
            domestic_abuse=True,
            parties=(
                (Role.VICTIM, victim),
                (Role.SUSPECT, suspect),
                *witnesses,
                (Role.OFFICER_IN_CASE, officer),
                (Role.SUPERVISOR, boss),
            ),
        )
        yield PlannedCase(
            number=number, new=new, opened_at=reported, opened_by=oic, steps=tuple(steps)
        )


# ------------------------------------------------- phones, vehicles, addresses, links


@dataclass(frozen=True, slots=True)
class _Kit:
    """What a suspect carries from case to case: a phone (drama number), a car, a home."""

    phone: int | None
    car: str | None
    home: Address


class _Furnisher:
    """Gives the events of each planned case phones, vehicles and places, and plants links.

    Draws from a generator of its own per case (and per suspect), so the people and roads
    of the plan are those drawn before. A suspect keeps his phone, car and home across his
    cases; the first cases of ``GROUP_FORCE`` and ``ELSEWHERE_FORCE`` after the showcase
    get the planted cluster. Called on the cases in order, so a larger plan keeps the
    earlier cases as they were.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._tails = free_tails(seed)
        self._kits: dict[tuple[str, str, object], _Kit] = {}
        self._group = 0
        self._elsewhere = False

    def _kit(self, force: str, suspect: PersonDetails) -> _Kit:
        key = (force, name_key(suspect.full_name), suspect.date_of_birth)
        if key not in self._kits:
            born = suspect.date_of_birth.isoformat() if suspect.date_of_birth else ""
            rng = random.Random(f"casework-demo:{self._seed}:kit:{force}:{key[1]}:{born}")
            tail = self._tails.pop(0) if rng.random() < 0.7 and self._tails else None
            car = registration(rng) if rng.random() < 0.45 else None
            self._kits[key] = _Kit(phone=tail, car=car, home=address(rng, force))
        return self._kits[key]

    def _planted(self, plan: PlannedCase) -> Planted | None:
        if plan.number < len(_SHOWCASE):
            return None
        if plan.new.force == GROUP_FORCE and self._group < len(GROUP):
            self._group += 1
            return GROUP[self._group - 1]
        if plan.new.force == ELSEWHERE_FORCE and not self._elsewhere:
            self._elsewhere = True
            return ELSEWHERE
        return None

    def __call__(self, plan: PlannedCase) -> PlannedCase:
        rng = random.Random(f"casework-demo:{self._seed}:case:{plan.number}:pole")
        force = plan.new.force
        planted = self._planted(plan)
        new = plan.new
        if planted is not None:
            new = new.model_copy(
                update={
                    "parties": tuple(
                        (r, planted.suspect if r is Role.SUSPECT else p) for r, p in new.parties
                    )
                }
            )
        suspect = next(p for r, p in new.parties if r is Role.SUSPECT)
        kit = self._kit(force, suspect)
        home = address(rng, force)
        steps = [
            replace(s, action=self._furnished(s.action, rng, force, kit, home))
            if isinstance(s.action, Happening)
            else s
            for s in plan.steps
        ]
        if planted is not None and steps:
            extra = _planted_steps(planted, rng, opened_at=plan.opened_at, actor=plan.opened_by)
            steps[1:1] = extra
        return replace(plan, new=new, steps=tuple(steps))

    @staticmethod
    def _furnished(
        action: Happening, rng: random.Random, force: str, kit: _Kit, home: Address
    ) -> Happening:
        """One event as an officer records it: where, and the phone or car seen."""
        if action.kind is EventKind.OFFENCE:
            place = home.written(rng) if rng.random() < 0.8 else None
            cars = (plate(kit.car, rng),) if kit.car and rng.random() < 0.15 else ()
            return replace(action, place=place, vehicles=cars)
        if action.kind is EventKind.ARREST:
            place = kit.home.written(rng) if rng.random() < 0.6 else None
            if kit.phone is not None and rng.random() < 0.5:
                number = phone(kit.phone, rng)
                return replace(
                    action,
                    description=f"Suspect arrested at the home address; mobile {number} seized.",
                    phones=(number,),
                    place=place,
                )
            return replace(action, place=place)
        if action.kind is not EventKind.INCIDENT:
            return action
        text = action.description
        if "messages" in text and kit.phone is not None:
            number = phone(kit.phone, rng)
            return replace(action, description=f"{text[:-1]} from {number}.", phones=(number,))
        if "workplace" in text:
            work = address(rng, force, flat=False).written(rng)
            if kit.car:
                reg = plate(kit.car, rng)
                return replace(
                    action, description=f"{text[:-1]}, in {reg}.", vehicles=(reg,), place=work
                )
            return replace(action, place=work)
        if "Neighbour" in text:
            return replace(action, place=home.written(rng))
        return action


def _planted_steps(
    planted: Planted, rng: random.Random, *, opened_at: datetime, actor: str
) -> list[Step]:
    """The events that tie a case to its cluster: messages, lifts in a car, the flat."""
    both = (Role.SUSPECT, Role.VICTIM)
    out: list[Step] = []

    def before(days: float, happening: Happening) -> None:
        out.append(Step(opened_at - timedelta(days=days, hours=rng.uniform(0, 20)), happening))

    if planted.phone:
        before(
            rng.uniform(40, 70),
            Happening(
                EventKind.INCIDENT,
                f"Messages sent to the victim from {planted.phone} arranging a pick-up.",
                actor,
                phase=EventPhase.BEFORE,
                who=both,
                phones=(planted.phone,),
            ),
        )
    for reg in planted.vehicles:
        before(
            rng.uniform(20, 40),
            Happening(
                EventKind.INCIDENT,
                f"Victim collected near home and driven away in {reg}.",
                actor,
                phase=EventPhase.BEFORE,
                who=both,
                vehicles=(reg,),
            ),
        )
    if planted.place:
        before(
            rng.uniform(5, 20),
            Happening(
                EventKind.INCIDENT,
                f"Victim taken to {planted.place.description} and given alcohol.",
                actor,
                phase=EventPhase.BEFORE,
                who=both,
                place=planted.place,
            ),
        )
    return sorted(out, key=lambda s: s.at)
