"""`casework demo [--cases N] [--seed S]`: load the synthetic case set and the demo users.

The command line is a public contract (CONTRACTS.md, Cases and rules). The cases are made
by ``journey.demo_load`` through the case services; the users by ``security.users``, one
per role, each with the password in CASEWORK_DEMO_PASSWORD, on the teams of some demo
cases so that each sees something. Running it again adds only what is missing.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from casework.cli.database import configured_engine
from casework.cli.main import app
from casework.config import get_settings
from casework.demo.dogs import load_demo_dog_unit
from casework.demo.missing import load_demo_missing
from casework.demo.operations import load_demo_operations
from casework.demo.referrals import load_demo_referral_set
from casework.domain.cases import CaseReference
from casework.domain.stages import Stage
from casework.errors import Conflict, InvalidInput
from casework.journey.deadlines import deadlines_due, today_in_london
from casework.journey.demo_cases import DEFAULT_COUNT, DEFAULT_SEED, FORCES
from casework.journey.demo_load import DemoLoadReport, load_demo_cases
from casework.security.passwords import check_password_rules
from casework.security.roles import UserRole
from casework.security.users import add_to_team, create_user
from casework.store.engine import session_factory
from casework.store.journey_repositories import SqlJourneyStore

MAX_CASES = 5000
TEAM_SIZE = 25
"""How many demo cases of the home force each case-working demo user is on the team of."""
HOME_FORCE = FORCES[0].code
TEAM_ROLES = (
    UserRole.INVESTIGATOR,
    UserRole.SUPERVISOR,
    UserRole.PROSECUTOR,
    UserRole.VICTIMCARE,
)
DEMO_ACTOR = "casework demo"

stderr = Console(stderr=True)


def _demo_users(
    engine: Engine, *, password: str, teams: list[CaseReference]
) -> tuple[list[str], list[str]]:
    """Create one user per role (those missing); put the case workers on ``teams``.

    Returns the usernames created and those that were there already.
    """
    created: list[str] = []
    existing: list[str] = []
    with session_factory(engine)() as session, session.begin():
        for role in UserRole:
            try:
                create_user(
                    session=session,
                    username=role.value,
                    password=password,
                    role=role,
                    force=HOME_FORCE,
                    full_name=f"Demo {role.value.capitalize()}",
                )
            except Conflict:
                existing.append(role.value)
            else:
                created.append(role.value)
        for role in TEAM_ROLES:
            for reference in teams:
                add_to_team(
                    session=session, reference=reference, username=role.value, added_by=DEMO_ACTOR
                )
    return created, existing


def _summary(report: DemoLoadReport, *, seed: int, overdue: int, due_soon: int) -> list[str]:
    rate = report.added / report.seconds if report.seconds else 0.0
    lines = [
        f"demo: {report.planned} case(s) planned (seed {seed}): {report.added} added, "
        f"{report.skipped} already loaded, in {report.seconds:.1f} s"
        + (f" ({rate:.0f} cases/s)" if report.added else "")
    ]
    if report.added:
        forces = ", ".join(f"{k} {v}" for k, v in sorted(report.by_force.items()))
        order = {s.value: i for i, s in enumerate(Stage)}
        stages = ", ".join(
            f"{k} {v}" for k, v in sorted(report.by_stage.items(), key=lambda kv: order[kv[0]])
        )
        lines.append(f"  forces:      {forces}")
        lines.append(f"  stages:      {stages}")
        lines.append(
            f"  events:      {report.events}; victims who withdrew support: {report.withdrawals}"
        )
    lines.append(
        f"  deadlines:   {overdue} overdue, {due_soon} due within 7 days (see `casework deadlines`)"
    )
    return lines


@app.command("demo")
def demo(
    cases: Annotated[
        int,
        typer.Option("--cases", min=1, max=MAX_CASES, help="How many demo cases to plan."),
    ] = DEFAULT_COUNT,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same cases.")] = DEFAULT_SEED,
) -> None:
    """Load synthetic domestic-abuse cases and one demo user per role (idempotent)."""
    password = get_settings().demo_password
    try:
        check_password_rules(password)
    except InvalidInput as error:
        raise InvalidInput(f"CASEWORK_DEMO_PASSWORD: {error}") from error
    with configured_engine() as engine:
        bar = Progress(
            TextColumn("demo cases"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        )
        with bar:
            task = bar.add_task("demo", total=cases)
            report = load_demo_cases(
                open_store=lambda: SqlJourneyStore.open(engine),
                count=cases,
                seed=seed,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        home = [r for r in report.all_references if r.force == HOME_FORCE]
        created, existing = _demo_users(engine, password=password, teams=home[-TEAM_SIZE:])
        dogs = load_demo_dog_unit(engine)
        ops = load_demo_operations(engine)
        missing_persons = load_demo_missing(engine, force=HOME_FORCE)
        referrals = load_demo_referral_set(engine)
        today = today_in_london()
        with SqlJourneyStore.open(engine) as store:
            due = deadlines_due(store=store, within=timedelta(days=7), today=today)
    overdue = sum(1 for d in due if d.deadline.is_overdue(today))
    for line in _summary(report, seed=seed, overdue=overdue, due_soon=len(due) - overdue):
        typer.echo(line)
    typer.echo(
        f"  dog units:   {len(dogs.added)} dog(s) added, {dogs.skipped} already there "
        "(see `casework dogs compliance`)"
    )
    typer.echo(
        f"  operations:  {ops.returns_added} Op Sceptre return(s) and {ops.lines_added} deal "
        "line(s) added (see `casework ops rollup --operation sceptre-2023-11`)"
    )
    typer.echo(
        f"  missing:     {len(missing_persons.added)} missing-person case(s) added, "
        f"{missing_persons.skipped} already there (see `casework missing list --force "
        f"{HOME_FORCE}`)"
    )
    typer.echo(
        "  referrals:   "
        + (
            "already there"
            if referrals.skipped
            else f"{referrals.added} added ({referrals.repeats} repeats linked, "
            f"{referrals.held} held for correction), {referrals.assigned} assigned, "
            f"{referrals.outcomes} outcome(s)"
        )
        + " (see `casework referrals list`)"
    )
    roles = Counter({"created": len(created), "already there": len(existing)})
    typer.echo(
        f"  users:       {', '.join(r.value for r in UserRole)} "
        f"({roles['created']} created, {roles['already there']} already there); password from "
        "CASEWORK_DEMO_PASSWORD (default casework-demo)"
    )
