"""Roll-up and XLSX import speed of the weeks of action, against naive baselines.

    .venv/bin/python bench/rollup.py --work /tmp/rollup-bench \
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Loads 43 forces x 52 weeks x every entered measure of both shipped operations (52 weekly
copies of Op Sceptre and of County Lines, 4,472 returns), then times rolling all 104
weeks up (one query per week, ``operations.service.rollup``) against a naive baseline
that reads each force's return history one force at a time, on SQLite (a file under
--work) and, with --postgres, on a fresh PostgreSQL database (dropped after). Then writes
43 filled-in XLSX returns to --work and times validating and storing them all
(``read_return_file`` in read-only mode) against a naive openpyxl full load.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from openpyxl import load_workbook
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from casework.domain.operations_returns import Channel
from casework.operations import service
from casework.operations.definitions import Operation, shipped_operations
from casework.operations.forces import all_forces
from casework.operations.returns import RawReturn
from casework.operations.templates import read_return_file, xlsx_template
from casework.store import make_engine, session_factory, upgrade_database
from casework.store.operations_models import ForceReturnRow
from casework.store.operations_repository import SqlOperationsRepository

WEEKS = 52
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def weekly(op: Operation, week: int) -> str:
    data = op.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["name"] = f"{op.series}-w{week:02d}"
    data["starts"] = op.starts + timedelta(weeks=week)
    data["ends"] = op.ends + timedelta(weeks=week)
    if week:
        data["previous"] = f"{op.series}-w{week - 1:02d}"
    return str(yaml.safe_dump(data, sort_keys=False))


def load(engine: Engine) -> list[str]:
    rng = random.Random(6)
    names = []
    with session_factory(engine)() as session, session.begin():
        repo = SqlOperationsRepository(session)
        for op in shipped_operations():
            for week in range(WEEKS):
                made = service.define(
                    repo=repo, text=weekly(op, week), source="bench", by="bench", now=NOW
                )
                names.append(made.name)
                returns = []
                for force in all_forces():
                    figures = {
                        m.key: float(rng.randint(0, 400)) for m in made.entered if not m.part_of
                    }
                    returns.append(
                        {
                            "id": uuid.uuid4(),
                            "operation": made.name,
                            "force": force.code,
                            "version": 1,
                            "current": True,
                            "channel": "csv",
                            "period_from": made.starts,
                            "period_to": made.ends,
                            "submitted_by": "bench",
                            "submitted_at": NOW,
                            "source": "bench",
                            "figures": json.dumps(figures, sort_keys=True),
                        }
                    )
                session.execute(insert(ForceReturnRow), returns)
    return names


def time_rollups(engine: Engine, names: list[str]) -> tuple[float, float, int]:
    with session_factory(engine)() as session:
        repo = SqlOperationsRepository(session)
        service.operations(repo=repo)  # definitions parsed once, as a running server has them
        weeks = [service.operation_named(repo=repo, name=name) for name in names]
        start = time.perf_counter()
        result = service.rollup_series(repo=repo, operations=weeks)
        figures = sum(sum(len(v) for v in r.by_force.values()) for r in result.values())
        fast = time.perf_counter() - start
        start = time.perf_counter()
        for name in names:  # naive: every force's history, one force at a time, summed here
            op = service.operation_named(repo=repo, name=name)
            totals: dict[str, float] = {}
            for force in op.taking_part:
                for stored in repo.history(name, force.code):
                    if stored.current:
                        for key, value in stored.values.items():
                            totals[key] = totals.get(key, 0.0) + value
        naive = time.perf_counter() - start
    return fast, naive, figures


def xlsx_files(folder: Path) -> list[Path]:
    op = next(o for o in shipped_operations() if o.name == "sceptre-2023-11")
    rng = random.Random(43)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for force in all_forces():
        book = load_workbook(io.BytesIO(xlsx_template(op, force=force.area)))
        sheet = book["Return"]
        for row in range(9, sheet.max_row + 1):
            sheet.cell(row, 3, rng.randint(0, 50) if sheet.cell(row, 1).value else None)
        for row in range(9, sheet.max_row + 1):  # parts within their wholes
            key = sheet.cell(row, 1).value
            if key in {
                "knife_arrests",
                "test_purchase_failures",
                "knives_surrendered",
                "knives_recovered",
            }:
                sheet.cell(row, 3, 0)
        path = folder / f"{force.code}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


def time_import(engine: Engine, paths: list[Path]) -> tuple[float, float]:
    with session_factory(engine)() as session, session.begin():
        repo = SqlOperationsRepository(session)
        op = service.operation_named(repo=repo, name="sceptre-2023-11")
        start = time.perf_counter()
        for path in paths:
            service.submit(
                repo=repo,
                operation=op,
                raws=read_return_file(path),
                channel=Channel.XLSX,
                source=path.name,
                submitted_by="bench",
                now=NOW,
                may_submit=lambda _f: True,
            )
        fast = time.perf_counter() - start
        session.rollback()
    with session_factory(engine)() as session, session.begin():
        repo = SqlOperationsRepository(session)
        start = time.perf_counter()
        for path in paths:  # naive: full (not read-only) load, cell by cell; same checks, store
            book = load_workbook(path)
            sheet = book["Return"]
            raw = RawReturn(
                force=sheet["C4"].value,
                values={
                    str(sheet.cell(r, 1).value): sheet.cell(r, 3).value
                    for r in range(9, sheet.max_row + 1)
                },
                period_from=sheet["C5"].value,
                period_to=sheet["C6"].value,
            )
            service.submit(
                repo=repo,
                operation=op,
                raws=[raw],
                channel=Channel.XLSX,
                source=path.name,
                submitted_by="bench",
                now=NOW,
                may_submit=lambda _f: True,
            )
        naive = time.perf_counter() - start
        session.rollback()
    return fast, naive


def run(label: str, url: str, work: Path) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    try:
        start = time.perf_counter()
        names = load(engine)
        print(
            f"[{label}] loaded {len(names)} weeks x 43 forces "
            f"in {time.perf_counter() - start:.1f} s"
        )
        fast, naive, figures = time_rollups(engine, names)
        print(
            f"[{label}] roll-up of {len(names)} weeks ({figures:,} force figures): "
            f"{fast:.3f} s; naive per-force reads {naive:.3f} s; ratio {naive / fast:.1f}x"
        )
        fast_x, naive_x = time_import(engine, xlsx_files(work / "xlsx"))
        print(
            f"[{label}] import of 43 XLSX returns (read, validate, store): {fast_x:.2f} s; "
            f"naive full load {naive_x:.2f} s; ratio {naive_x / fast_x:.1f}x"
        )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work", type=Path, required=True, help="Folder for the SQLite file and XLSX."
    )
    parser.add_argument("--postgres", help="Admin URL of a PostgreSQL server (optional).")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    database = args.work / "rollup.sqlite3"
    database.unlink(missing_ok=True)
    run("SQLite", f"sqlite:///{database}", args.work)
    if args.postgres:
        name = f"casework_bench_{secrets.token_hex(4)}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            run("PostgreSQL", url, args.work)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
