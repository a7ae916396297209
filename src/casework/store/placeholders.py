"""Load and save a case's placeholder register for an audience, by compare-and-set.

``load_register`` reads the numbering and its version (0 when none is stored yet);
``save_register`` writes a numbering that only adds to the one read, and only if the
stored version is still the one read: an INSERT ... ON CONFLICT DO NOTHING for the first,
an UPDATE ... WHERE version = read for the others. Of two writers that read the same
version, exactly one saves, on SQLite and on PostgreSQL alike; the other reads again.
``load_register(lock=True)`` also locks the row until the transaction ends (PostgreSQL's
SELECT ... FOR UPDATE; on SQLite a writing unit of work holds the database's write lock).
The numbering is personal data: nothing here logs it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casework.domain.labels import Label
from casework.domain.placeholders import NumberedPerson, PlaceholderNumbering
from casework.store.placeholder_models import PlaceholderRegisterRow

FORMAT = 1
"""Version of the JSON layout in ``placeholder_registers.numbering``."""


@dataclass(frozen=True, slots=True)
class StoredRegister:
    """A register as read: its numbering and the version a save must still find."""

    version: int
    """0: nothing stored yet for this case and audience."""
    numbering: PlaceholderNumbering


def numbering_json(numbering: PlaceholderNumbering) -> dict[str, Any]:
    """The numbering as JSON (sorted, so equal numberings are equal documents)."""
    return {
        "format": FORMAT,
        "counters": {str(label): n for label, n in sorted(numbering.counters.items())},
        "aliases": [
            [str(label), key, number] for (label, key), number in sorted(numbering.aliases.items())
        ],
        "people": [
            {
                "number": p.number,
                "tokens": list(p.tokens),
                "surnames": sorted(p.surnames),
                "forenames": sorted(p.forenames),
            }
            for p in numbering.people
        ],
    }


def numbering_from_json(data: dict[str, Any]) -> PlaceholderNumbering:
    """The numbering a register holds (``ValueError`` if its layout is not one we wrote)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"placeholder register in an unknown layout ({data.get('format')!r})")
    return PlaceholderNumbering(
        counters={Label(label): int(n) for label, n in data["counters"].items()},
        aliases={(Label(label), str(key)): int(n) for label, key, n in data["aliases"]},
        people=tuple(
            NumberedPerson(
                number=int(p["number"]),
                tokens=tuple(p["tokens"]),
                surnames=frozenset(p["surnames"]),
                forenames=frozenset(p["forenames"]),
            )
            for p in data["people"]
        ),
    )


def load_register(
    *, session: Session, case_id: uuid.UUID, audience: str, lock: bool = False
) -> StoredRegister:
    """The numbering given so far in ``case_id`` for ``audience`` (empty, version 0, if none)."""
    query = select(PlaceholderRegisterRow.version, PlaceholderRegisterRow.numbering).where(
        PlaceholderRegisterRow.case_id == case_id, PlaceholderRegisterRow.audience == audience
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None:
        return StoredRegister(0, PlaceholderNumbering())
    return StoredRegister(int(row.version), numbering_from_json(row.numbering))


def save_register(
    *,
    session: Session,
    case_id: uuid.UUID,
    force: str,
    audience: str,
    read: StoredRegister,
    numbering: PlaceholderNumbering,
    now: datetime,
) -> bool:
    """Replace the register read as ``read`` with ``numbering``; False if it changed since.

    Raises ``ValueError`` when ``numbering`` would change a number ``read`` had given: a
    number once given is never taken back or moved (copies made with it stay right).
    """
    if not numbering.keeps(read.numbering):
        raise ValueError("a placeholder register only grows: a number given may not change")
    stored = numbering_json(numbering)
    if read.version == 0:
        insert = (
            postgresql.insert(PlaceholderRegisterRow)
            if session.get_bind().dialect.name == "postgresql"
            else sqlite.insert(PlaceholderRegisterRow)
        )
        inserted = session.execute(
            insert.values(
                case_id=case_id,
                audience=audience,
                force=force,
                version=1,
                numbering=stored,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["case_id", "audience"])
            .returning(PlaceholderRegisterRow.version)
        ).first()
        return inserted is not None
    updated = session.execute(
        update(PlaceholderRegisterRow)
        .where(
            PlaceholderRegisterRow.case_id == case_id,
            PlaceholderRegisterRow.audience == audience,
            PlaceholderRegisterRow.version == read.version,
        )
        .values(version=read.version + 1, numbering=stored, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(updated.rowcount)  # type: ignore[attr-defined]
