"""The county lines line register: deal-line numbers, their status, people and places.

Closures recorded here during an operation are counted into the returns' "lines closed"
(the web form and the templates offer the count; the quality report flags a mismatch).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

from casework.domain.operations_returns import DealLine, LineStatus, OperationsRepository
from casework.errors import InvalidInput
from casework.operations.definitions import Operation
from casework.operations.forces import find_force

_PHONE = re.compile(r"^(?:\+44|0)7\d{9}$")


def normalise_number(text: str) -> str:
    """A UK mobile number as ``07...`` (deal lines are mobiles); else InvalidInput."""
    compact = re.sub(r"[\s()-]", "", text or "")
    if not _PHONE.fullmatch(compact):
        raise InvalidInput(
            f"number: {text!r} is not a UK mobile number (07... or +447..., 11 digits)"
        )
    return "0" + compact[3:] if compact.startswith("+44") else compact


def record_line(
    *,
    repo: OperationsRepository,
    number: str,
    force: str,
    status: str,
    name: str = "",
    opened_on: date | None = None,
    closed_on: date | None = None,
    people: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    by: str,
    now: datetime,
) -> DealLine:
    """Add a line or update it; people and places are added to those already linked."""
    key = normalise_number(number)
    code = find_force(force).code
    try:
        state = LineStatus(status.strip().lower())
    except ValueError:
        raise InvalidInput(f"status: {status!r} is not open or closed") from None
    if state is LineStatus.CLOSED and closed_on is None:
        closed_on = now.date()
    if state is LineStatus.OPEN:
        closed_on = None
    if opened_on and closed_on and closed_on < opened_on:
        raise InvalidInput("closed_on: the line closes before it opened")
    before = repo.line(key)
    if before is not None and before.force != code:
        # which force holds it is not said: a force sees its own lines only (policy)
        raise InvalidInput(
            f"number: {key} cannot be recorded for {code}; ask the national centre "
            "(the coordinator sees every force's lines)"
        )
    line = DealLine(
        number=key,
        force=code,
        status=state,
        name=(name or (before.name if before else "")).strip()[:120],
        opened_on=opened_on or (before.opened_on if before else None),
        closed_on=closed_on,
        people=_merge(before.people if before else (), people),
        places=_merge(before.places if before else (), places),
        updated_by=by,
        updated_at=now,
    )
    repo.save_line(line)
    return line


def _merge(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    seen = dict.fromkeys(old)
    for item in new:
        if item.strip():
            seen.setdefault(item.strip()[:200], None)
    return tuple(seen)


def closures_during(lines: list[DealLine], operation: Operation) -> Counter[str]:
    """Force -> lines closed between the operation's first and last day."""
    return Counter(
        line.force
        for line in lines
        if line.status is LineStatus.CLOSED
        and line.closed_on is not None
        and operation.starts <= line.closed_on <= operation.ends
    )
