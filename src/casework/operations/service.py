"""Services of the weeks of action: define, submit (all or nothing), status, roll up.

Keyword-only, storage passed in (``OperationsRepository``); who may submit for which
force is asked of ``may_submit`` (the faces pass the access policy's answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from casework.domain.operations_returns import (
    Channel,
    NewReturn,
    OperationsRepository,
    StoredReturn,
)
from casework.errors import Conflict, InvalidInput, PermissionDenied
from casework.operations.definitions import (
    Operation,
    catalogue,
    find_operation,
    parse_operation,
    shipped_operations,
)
from casework.operations.forces import Force
from casework.operations.returns import Problem, RawReturn, ReturnRejected, validate_return
from casework.operations.rollup import Rollup, roll_up


def operation_named(*, repo: OperationsRepository, name: str) -> Operation:
    return find_operation(name, repo.defined_operations())


def operations(*, repo: OperationsRepository) -> list[Operation]:
    return sorted(catalogue(repo.defined_operations()).values(), key=lambda o: o.starts)


def define(
    *, repo: OperationsRepository, text: str, source: str, by: str, now: datetime
) -> Operation:
    """Add an operation from YAML; a shipped name cannot be redefined."""
    operation = parse_operation(text, source=source)
    if operation.name in {o.name for o in shipped_operations()}:
        raise Conflict(f"{source}: {operation.name} is a shipped example; choose another name")
    if operation.previous is not None:
        find_operation(operation.previous, repo.defined_operations())
    repo.define_operation(name=operation.name, text=text, by=by, at=now)
    return find_operation(operation.name, [(operation.name, text)])


@dataclass(frozen=True, slots=True)
class Submitted:
    stored: StoredReturn
    replaced: StoredReturn | None
    """The version this one replaces (kept, no longer current), if any."""
    changed: dict[str, tuple[float | None, float | None]]
    """Measure -> (before, after) where the new version differs from the one it replaces."""

    @property
    def summary(self) -> str:
        text = f"{self.stored.force} version {self.stored.version}"
        if self.replaced is None:
            return text + " (first return)"
        return (
            text + f" replaces version {self.replaced.version} of "
            f"{self.replaced.submitted_at:%Y-%m-%d %H:%M} by {self.replaced.submitted_by}; "
            f"{len(self.changed)} figure(s) changed"
        )


def submit(
    *,
    repo: OperationsRepository,
    operation: Operation,
    raws: Iterable[RawReturn],
    channel: Channel,
    source: str,
    submitted_by: str,
    now: datetime,
    may_submit: Callable[[Force], bool],
) -> list[Submitted]:
    """Validate every return first; store them all, or none (raising every problem)."""
    problems: list[Problem] = []
    valid = []
    seen: dict[str, str] = {}
    raws = list(raws)
    if not raws:
        raise InvalidInput(f"{source}: no return in it (every row was empty)")
    for raw in raws:
        result = validate_return(operation, raw)
        if isinstance(result, list):
            problems.extend(result)
            continue
        if not may_submit(result.force):
            raise PermissionDenied(
                f"{raw.at('force')}: you may submit only your own force's return, "
                f"not {result.force.name}'s"
            )
        if result.force.code in seen:
            problems.append(
                Problem(
                    raw.at("force"),
                    f"{result.force.name} appears twice (also at {seen[result.force.code]})",
                )
            )
            continue
        seen[result.force.code] = raw.at("force")
        valid.append(result)
    if problems:
        raise ReturnRejected(source, problems)
    done = []
    for item in valid:
        history = repo.history(operation.name, item.force.code)
        before = history[-1] if history else None
        stored = repo.add_return(
            NewReturn(
                operation=operation.name,
                force=item.force.code,
                channel=channel,
                period_from=item.period_from,
                period_to=item.period_to,
                submitted_by=submitted_by,
                submitted_at=now,
                values=item.values,
                source=source[:200],
            )
        )
        changed: dict[str, tuple[float | None, float | None]] = {}
        if before is not None:
            for key in sorted(set(before.values) | set(stored.values)):
                old, new = before.values.get(key), stored.values.get(key)
                if old != new:
                    changed[key] = (old, new)
        done.append(Submitted(stored, before, changed))
    return done


@dataclass(frozen=True, slots=True)
class ReturnStatus:
    force: Force
    current: StoredReturn | None
    versions: int


def status(*, repo: OperationsRepository, operation: Operation) -> list[ReturnStatus]:
    """Every force taking part, with its current return (None: not yet submitted)."""
    current = {r.force: r for r in repo.current_returns(operation.name)}
    result = []
    for force in operation.taking_part:
        found = current.get(force.code)
        result.append(ReturnStatus(force, found, found.version if found else 0))
    return result


def rollup(
    *, repo: OperationsRepository, operation: Operation, with_previous: bool = True
) -> Rollup:
    """National, regional and per-force totals, rates and changes since the previous week."""
    previous = None
    if with_previous and operation.previous:
        before = find_operation(operation.previous, repo.defined_operations())
        previous = rollup(repo=repo, operation=before, with_previous=False)
    return roll_up(
        operation,
        values=repo.current_values(operation.name),
        returns=repo.current_returns(operation.name, values=False),
        previous=previous,
    )


def rollup_series(*, repo: OperationsRepository, operations: list[Operation]) -> dict[str, Rollup]:
    """Roll many weeks up at once (two queries in all), each with its previous week's change.

    For a year of weekly returns: the figures of every week are read together, and each
    week is rolled up once and reused as the next week's "previous".
    """
    names = [op.name for op in operations]
    values: dict[str, list[tuple[str, str, float]]] = {name: [] for name in names}
    for operation, force, measure, value in repo.current_values_of(names):
        values[operation].append((force, measure, value))
    returns: dict[str, list[StoredReturn]] = {name: [] for name in names}
    for stored in repo.current_returns_of(names):
        returns[stored.operation].append(stored)
    done: dict[str, Rollup] = {}
    for op in sorted(operations, key=lambda o: o.starts):
        previous = None
        if op.previous is not None:
            previous = done.get(op.previous)
            if previous is None:
                before = find_operation(op.previous, repo.defined_operations())
                previous = rollup(repo=repo, operation=before, with_previous=False)
        done[op.name] = roll_up(
            op, values=values[op.name], returns=returns[op.name], previous=previous
        )
    return done
