"""Synthetic missing-person cases for ``casework demo``, through the missing-person services.

Four episodes in one force, timed from the moment of loading so that the review
countdowns mean something: a high-risk child with a full decision log, a review that is
overdue, a child found, and a child missing again from the same children's home (so the
network links the episodes by person and address). All names end ``-Demo``; phones are
Ofcom drama numbers. A case whose person (name and date of birth) is already recorded in
the force is skipped, so loading twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from casework.domain.missing import (
    HypothesisStatus,
    MediaAppeal,
    MissingRepository,
    MissingStatus,
    NewMissingCase,
)
from casework.safeguarding import missing

HOME = "Oak House, 12 Station Rd, Leeds LS11 5QT"


@dataclass(slots=True)
class MissingDemoReport:
    added: list[str] = field(default_factory=list)
    skipped: int = 0


def _chloe_log(repo: MissingRepository, ref: str, start: datetime, now: datetime) -> None:
    """The high-risk episode's full log: search, hypotheses, gradings, decision, media, handover."""
    missing.record_search(
        repo=repo,
        reference=ref,
        place="Oak House, her room and grounds",
        method="premises search",
        result="Not found; school bag left, phone charger gone.",
        searched_at=start + timedelta(minutes=30),
        searched_by="PC Lee HARRIS-Demo",
        actor="PC Lee HARRIS-Demo",
        now=start + timedelta(minutes=40),
    )
    hypothesis = missing.raise_hypothesis(
        repo=repo,
        reference=ref,
        text="With older men met online; possible child sexual exploitation.",
        actor="DS Amira SALEH-Demo",
        now=start + timedelta(hours=1),
    )
    missing.raise_hypothesis(
        repo=repo,
        reference=ref,
        text="Staying with a school friend.",
        actor="DS Amira SALEH-Demo",
        now=start + timedelta(hours=1),
    )
    missing.grade_risk(
        repo=repo,
        reference=ref,
        grade="high",
        rationale="Seen on CCTV getting into a car with two adult men at 18:05.",
        actor="Insp Dan REID-Demo",
        now=start + timedelta(hours=2),
    )
    missing.settle_hypothesis(
        repo=repo,
        reference=ref,
        number=hypothesis.number,
        status=HypothesisStatus.SUPPORTED,
        rationale="CCTV at the bus station: car AB12 CDE, two adult men.",
        actor="DS Amira SALEH-Demo",
        now=start + timedelta(hours=2, minutes=10),
    )
    missing.record_decision(
        repo=repo,
        reference=ref,
        decision="Request cell-site data for 07700 900456 and an ANPR search for AB12 CDE.",
        rationale="Last contact by phone; the car is the best line to her location.",
        decided_by="Insp Dan REID-Demo",
        decided_at=start + timedelta(hours=2),
        entered_by="PC Logist-Demo",
        now=start + timedelta(hours=2, minutes=25),
    )
    missing.set_media_strategy(
        repo=repo,
        reference=ref,
        appeal=MediaAppeal.APPROVED,
        channels=("force website", "social media"),
        family_consent=True,
        rationale="High risk; a public appeal may find the car; carers agree.",
        actor="Insp Dan REID-Demo",
        now=start + timedelta(hours=3),
    )
    missing.hand_over(
        repo=repo,
        reference=ref,
        to_officer="Sgt Kim LOWE-Demo (nights)",
        summary="High risk; CCTV and ANPR requested; appeal published.",
        outstanding="Chase cell-site results; visit the friend's address.",
        actor="Sgt Ola BELL-Demo (lates)",
        now=start + timedelta(hours=8),
    )
    missing.grade_risk(
        repo=repo,
        reference=ref,
        grade="high",
        rationale="No sighting since 18:05; risk unchanged.",
        actor="Insp Dan REID-Demo",
        now=now - timedelta(minutes=40),
    )


@dataclass(frozen=True, slots=True)
class _Found:
    """How an episode ended: found so many hours after the report, recorded an hour later."""

    hours: float
    rationale: str
    by: str


@dataclass(frozen=True, slots=True)
class _Episode:
    """One demo episode as data: who, last seen where and when, the first grading, the end.

    ``opened`` is how long before loading the case was opened; the person was last seen
    ``seen_hours`` before that and reported an hour after last seen.
    """

    name: str
    born: date
    opened: timedelta
    seen_hours: float
    place: str
    home: str
    phone: str
    circumstances: str
    opened_by: str
    grade: str
    rationale: str
    found: _Found | None = None
    log: Callable[[MissingRepository, str, datetime, datetime], None] | None = None

    def new_case(self, force: str, opened_at: datetime) -> NewMissingCase:
        last_seen = opened_at - timedelta(hours=self.seen_hours)
        return NewMissingCase(
            force=force,
            name=self.name,
            date_of_birth=self.born,
            last_seen_at=last_seen,
            last_seen_place=self.place,
            home_address=self.home,
            phone=self.phone,
            circumstances=self.circumstances,
            reported_at=last_seen + timedelta(hours=1),
            description="",
        )


_EPISODES = (
    _Episode(
        "Chloe PARKER-Demo",
        date(2011, 5, 14),
        opened=timedelta(hours=9),
        seen_hours=1,
        place="Leeds bus station",
        home=HOME,
        phone="07700 900456",
        circumstances="Left Oak House after school; phone off since 17:40.",
        opened_by="PC Lee HARRIS-Demo",
        grade="medium",
        rationale="14; missing twice before; said to be meeting 'a friend from town'.",
        log=_chloe_log,
    ),
    _Episode(
        "Mia NOWAK-Demo",
        date(2013, 9, 2),
        opened=timedelta(hours=8),
        seen_hours=2,
        place="Roundhay Park",
        home=HOME.replace("Station Rd", "Station Road").replace("LS11 5QT", "LS115QT"),
        phone="07700 900812",
        circumstances="Did not return from the park; with Chloe PARKER-Demo last week.",
        opened_by="PC Lee HARRIS-Demo",
        grade="medium",
        rationale="12; first time missing; in the same home as a child at high risk.",
    ),
    _Episode(
        "Daniel OKAFOR-Demo",
        date(2009, 1, 23),
        opened=timedelta(days=2),
        seen_hours=3,
        place="Home",
        home="7 Elm Grove, Bradford BD7 1AX",
        phone="07700 900233",
        circumstances="Left after an argument at home.",
        opened_by="PC Sara KHAN-Demo",
        grade="low",
        rationale="16; has gone to his aunt's before after arguments.",
        found=_Found(
            5, "Found at his aunt's; safe and well check by PC Sara KHAN-Demo.", "Sgt Ola BELL-Demo"
        ),
    ),
    _Episode(  # the same child as the first, written another way: the network links them
        "Chloe Parker-Demo",
        date(2011, 5, 14),
        opened=timedelta(days=20),
        seen_hours=6,
        place="Leeds city centre",
        home=HOME,
        phone="+44 7700 900456",
        circumstances="Earlier episode: returned by a man who drove off.",
        opened_by="PC Lee HARRIS-Demo",
        grade="medium",
        rationale="13; returned late before; unknown adult involved.",
        found=_Found(
            7,
            "Dropped at Oak House by an adult man; return interview offered.",
            "Sgt Ola BELL-Demo",
        ),
    ),
)


def load_missing_demo(*, repo: MissingRepository, force: str, now: datetime) -> MissingDemoReport:
    """Add the demo episodes not yet in ``force``; return what was added."""
    report = MissingDemoReport()
    known = {(c.name, c.date_of_birth) for c in repo.list_cases(force=force, limit=500)}
    known |= {
        (c.name, c.date_of_birth)
        for c in repo.list_cases(force=force, status=MissingStatus.FOUND, limit=500)
    }
    for episode in _EPISODES:
        if (episode.name, episode.born) in known:
            report.skipped += 1
            continue
        opened_at = now - episode.opened
        case = missing.open_case(
            repo=repo,
            new=episode.new_case(force, opened_at),
            actor=episode.opened_by,
            now=opened_at,
            grade=episode.grade,
            rationale=episode.rationale,
        )
        if episode.log is not None:
            episode.log(repo, case.reference, opened_at, now)
        if episode.found is not None:
            missing.mark_found(
                repo=repo,
                reference=case.reference,
                found_at=opened_at + timedelta(hours=episode.found.hours),
                rationale=episode.found.rationale,
                actor=episode.found.by,
                now=opened_at + timedelta(hours=episode.found.hours + 1),
            )
        report.added.append(case.reference)
    return report
