"""Time the dog register's compliance check on a national-size synthetic register.

Usage: python bench/dogs.py [--forces 43] [--dogs 40] [--days 90] [--db PATH]

Builds ``forces`` x ``dogs`` synthetic dogs, each with ``days`` daily welfare checks, a
licence per role and a deployment every third day, then times ``check_register`` over all
of them. Baseline, measured in the same run: one plain pass that groups the same records by
dog (the least any check must do); the ratio says what the rules cost on top. With
``--db PATH`` (a new SQLite file) the register is also stored and read back through
``SqlDogStore`` and the service, as ``casework dogs compliance`` does.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from casework.registers.compliance import RegisterRecords, check_register
from casework.registers.dogs import (
    Deployment,
    DeploymentOutcome,
    Dog,
    DogRole,
    DogSex,
    DogSource,
    DogStatus,
    Licence,
    WelfareCheck,
    WelfareKind,
)
from casework.registers.rules import dog_rules

TODAY = date(2026, 3, 2)


def synthetic(forces: int, dogs: int, days: int) -> RegisterRecords:
    register: list[Dog] = []
    licences: list[Licence] = []
    checks: list[WelfareCheck] = []
    deployments: list[Deployment] = []
    for f in range(forces):
        force = f"F{f:02d}"
        for n in range(1, dogs + 1):
            dog = Dog(
                id=uuid4(), reference=f"{force}-DOG-{n:04d}", force=force, name=f"Dog{n}",
                breed="German Shepherd", sex=DogSex.MALE, born_on=date(2020, 1, 1),
                microchip=f"{f:03d}{n:012d}", source=DogSource.BREEDING,
                roles=(DogRole.GENERAL_PURPOSE,), status=DogStatus.LICENSED,
                acquired_on=date(2021, 1, 1), handler_number=f"{n}",
                retirement_review_due_on=date(2028, 1, 1) if n % 10 else TODAY,
                recorded_by="bench", recorded_at=datetime(2021, 1, 1, tzinfo=UTC),
            )  # fmt: skip
            register.append(dog)
            licences.append(
                Licence(
                    force=force,
                    dog_id=dog.id,
                    handler_number=f"{n}",
                    role=DogRole.GENERAL_PURPOSE,
                    assessed_on=TODAY - timedelta(days=200),
                    expires_on=TODAY + timedelta(days=165 if n % 7 else -3),
                    passed=True,
                    assessor="bench",
                )
            )
            for d in range(1, days + 1):
                if (n + d) % 97:
                    checks.append(
                        WelfareCheck(
                            force=force,
                            dog_id=dog.id,
                            on=TODAY - timedelta(days=d),
                            kind=WelfareKind.DAILY,
                            by="bench",
                        )
                    )
                if d % 3 == 0:
                    deployments.append(
                        Deployment(
                            force=force,
                            dog_id=dog.id,
                            handler_number=f"{n}",
                            at=datetime.combine(
                                TODAY - timedelta(days=d), datetime.min.time(), tzinfo=UTC
                            ),
                            incident="bench",
                            role=DogRole.GENERAL_PURPOSE,
                            outcome=DeploymentOutcome.ARREST,
                            arrests=1,
                            recorded_by="bench",
                        )
                    )
    return RegisterRecords(register, licences, checks, deployments)


def baseline(records: RegisterRecords) -> int:
    """Group every record by its dog: one pass, the least a check can do."""
    by_dog: dict[object, list[object]] = defaultdict(list)
    for group in (records.licences, records.welfare, records.deployments):
        for record in group:
            by_dog[record.dog_id].append(record)
    return len(by_dog)


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=43)
    parser.add_argument("--dogs", type=int, default=40)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--db", type=Path, help="A new SQLite file to store the register in.")
    args = parser.parse_args()
    records = synthetic(args.forces, args.dogs, args.days)
    rules = dog_rules()
    found = check_register(records, today=TODAY, rules=rules)
    base = best_of(3, lambda: baseline(records))
    check = best_of(3, lambda: check_register(records, today=TODAY, rules=rules))
    print(
        f"register: {len(records.dogs)} dogs, {len(records.welfare)} daily checks, "
        f"{len(records.licences)} licences, {len(records.deployments)} deployments"
    )
    print(f"findings: {len(found)}")
    print(f"baseline (group by dog): {base * 1000:.1f} ms")
    print(f"compliance check:        {check * 1000:.1f} ms (x{check / base:.1f} the baseline)")
    if args.db:
        store_round_trip(args.db, records)


def store_round_trip(path: Path, records: RegisterRecords) -> None:
    from casework.registers import service
    from casework.registers.ports import RecordKind
    from casework.store import make_engine, session_factory, upgrade_database
    from casework.store.dog_models import SqlDogStore

    if path.exists():
        raise SystemExit(f"{path}: exists; give a new file")
    url = f"sqlite:///{path}"
    upgrade_database(url)
    engine = make_engine(url)
    with session_factory(engine)() as session, session.begin():
        store = SqlDogStore(session)
        for kind, group in (
            (RecordKind.DOG, records.dogs),
            (RecordKind.LICENCE, records.licences),
            (RecordKind.WELFARE, records.welfare),
            (RecordKind.DEPLOYMENT, records.deployments),
        ):
            session.bulk_insert_mappings(  # type: ignore[arg-type]
                store._model(kind),
                [service._values(r) | ({"number": i + 1} if kind is RecordKind.DOG else {})
                 for i, r in enumerate(group)],
            )  # fmt: skip
    with session_factory(engine)() as session:
        start = time.perf_counter()
        found = service.compliance(SqlDogStore(session), force=None, today=TODAY)
        seconds = time.perf_counter() - start
    engine.dispose()
    print(f"from SQLite ({path}): {seconds * 1000:.0f} ms, {len(found)} findings")


if __name__ == "__main__":
    main()
