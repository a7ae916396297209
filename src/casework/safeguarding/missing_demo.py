"""Synthetic missing-person cases for ``casework demo``, through the missing-person services.

Four episodes in one force, timed from the moment of loading so that the review
countdowns mean something: a high-risk child with a full decision log, a review that is
overdue, a child found, and a child missing again from the same children's home (so the
network links the episodes by person and address). All names end ``-Demo``; phones are
Ofcom drama numbers. A case whose person (name and date of birth) is already recorded in
the force is skipped, so loading twice adds nothing.
"""

from __future__ import annotations

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


def _new(
    force: str,
    name: str,
    born: date,
    *,
    now: datetime,
    hours_ago: float,
    place: str,
    home: str,
    phone: str,
    circumstances: str,
) -> NewMissingCase:
    return NewMissingCase(
        force=force,
        name=name,
        date_of_birth=born,
        last_seen_at=now - timedelta(hours=hours_ago),
        last_seen_place=place,
        home_address=home,
        phone=phone,
        circumstances=circumstances,
        reported_at=now - timedelta(hours=hours_ago - 1),
        description="",
    )


def load_missing_demo(*, repo: MissingRepository, force: str, now: datetime) -> MissingDemoReport:
    """Add the demo episodes not yet in ``force``; return what was added."""
    report = MissingDemoReport()
    known = {(c.name, c.date_of_birth) for c in repo.list_cases(force=force, limit=500)}
    known |= {
        (c.name, c.date_of_birth)
        for c in repo.list_cases(force=force, status=MissingStatus.FOUND, limit=500)
    }

    def fresh(name: str, born: date) -> bool:
        if (name, born) in known:
            report.skipped += 1
            return False
        return True

    chloe = ("Chloe PARKER-Demo", date(2011, 5, 14))
    if fresh(*chloe):
        start = now - timedelta(hours=9)
        case = missing.open_case(
            repo=repo,
            new=_new(
                force,
                *chloe,
                now=now,
                hours_ago=10,
                place="Leeds bus station",
                home=HOME,
                phone="07700 900456",
                circumstances="Left Oak House after school; phone off since 17:40.",
            ),
            actor="PC Lee HARRIS-Demo",
            now=start,
            grade="medium",
            rationale="14; missing twice before; said to be meeting 'a friend from town'.",
        )
        ref = case.reference
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
        report.added.append(ref)

    mia = ("Mia NOWAK-Demo", date(2013, 9, 2))
    if fresh(*mia):
        graded = now - timedelta(hours=8)
        case = missing.open_case(
            repo=repo,
            new=_new(
                force,
                *mia,
                now=graded,
                hours_ago=2,
                place="Roundhay Park",
                home=HOME.replace("Station Rd", "Station Road").replace("LS11 5QT", "LS115QT"),
                phone="07700 900812",
                circumstances="Did not return from the park; with Chloe PARKER-Demo last week.",
            ),
            actor="PC Lee HARRIS-Demo",
            now=graded,
            grade="medium",
            rationale="12; first time missing; in the same home as a child at high risk.",
        )
        report.added.append(case.reference)

    daniel = ("Daniel OKAFOR-Demo", date(2009, 1, 23))
    if fresh(*daniel):
        opened = now - timedelta(days=2)
        case = missing.open_case(
            repo=repo,
            new=_new(
                force,
                *daniel,
                now=opened,
                hours_ago=3,
                place="Home",
                home="7 Elm Grove, Bradford BD7 1AX",
                phone="07700 900233",
                circumstances="Left after an argument at home.",
            ),
            actor="PC Sara KHAN-Demo",
            now=opened,
            grade="low",
            rationale="16; has gone to his aunt's before after arguments.",
        )
        missing.mark_found(
            repo=repo,
            reference=case.reference,
            found_at=opened + timedelta(hours=5),
            rationale="Found at his aunt's; safe and well check by PC Sara KHAN-Demo.",
            actor="Sgt Ola BELL-Demo",
            now=opened + timedelta(hours=6),
        )
        report.added.append(case.reference)

    again = ("Chloe Parker-Demo", date(2011, 5, 14))
    earlier = now - timedelta(days=20)
    if fresh(*again):
        case = missing.open_case(
            repo=repo,
            new=_new(
                force,
                *again,
                now=earlier,
                hours_ago=6,
                place="Leeds city centre",
                home=HOME,
                phone="+44 7700 900456",
                circumstances="Earlier episode: returned by a man who drove off.",
            ),
            actor="PC Lee HARRIS-Demo",
            now=earlier,
            grade="medium",
            rationale="13; returned late before; unknown adult involved.",
        )
        missing.mark_found(
            repo=repo,
            reference=case.reference,
            found_at=earlier + timedelta(hours=7),
            rationale="Dropped at Oak House by an adult man; return interview offered.",
            actor="Sgt Ola BELL-Demo",
            now=earlier + timedelta(hours=8),
        )
        report.added.append(case.reference)
    return report
