"""Number a copy's placeholders from its case's register, and save what it added.

"[PERSON 1]" must be one person in every copy of a case for one audience (a disclosure
bundle reads them together), so a copy is planned with a book that goes on from the case's
register, and the numbers it adds are saved before the copy is rendered: a copy never
shows a number the register does not hold. ``numbered`` does it in three steps, the write
short:

1. read the register (no lock) and plan the copy with it (numbering, not rendering);
2. nothing new: done, nothing written (a job run again, a remake of known values);
   otherwise save by compare-and-set in a short write transaction, fenced by the caller's
   lease (``fence``);
3. if another worker saved in between, plan again inside a write transaction that holds
   the register (PostgreSQL: the row locked; SQLite: the write lock), and save: a second
   try always ends, whatever the contention.

Numbers only grow, and a value the register holds keeps its number, so a job delivered
twice, or a worker that took an upload over, gives each value the number it had.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.redaction import PlaceholderBook
from casework.store.engine import for_writing
from casework.store.placeholders import StoredRegister, load_register, save_register

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


def _no_fence(_session: Session) -> None:
    """No lease to check: the caller's own transaction is the unit of work."""


@dataclass(frozen=True, slots=True)
class RegisterAccess:
    """How a copy reaches its register: units of work to read and to write in, and a fence.

    ``fence`` runs first in every write and raises when the caller may no longer write
    (its lease on the upload or the job was taken over).
    """

    reading: Callable[[], AbstractContextManager[Session]]
    writing: Callable[[], AbstractContextManager[Session]]
    fence: Callable[[Session], None] = _no_fence

    @classmethod
    def in_transaction(cls, session: Session) -> RegisterAccess:
        """Read and write in the caller's transaction (a copy made while a reviewer waits)."""
        return cls(reading=lambda: nullcontext(session), writing=lambda: nullcontext(session))

    @classmethod
    def on_engine(
        cls, engine: Engine, *, fence: Callable[[Session], None] = _no_fence
    ) -> RegisterAccess:
        """Read and write in short transactions of their own (a worker)."""

        @contextmanager
        def reading() -> Iterator[Session]:
            with Session(engine) as session:
                yield session

        @contextmanager
        def writing() -> Iterator[Session]:
            with Session(for_writing(engine)) as session, session.begin():
                yield session

        return cls(reading=reading, writing=writing, fence=fence)


@dataclass(frozen=True, slots=True)
class CopyOf:
    """Which register a copy is numbered from: its case and audience (and the case's force)."""

    case_id: UUID
    force: str
    audience: str


def numbered(
    *,
    access: RegisterAccess,
    copy: CopyOf,
    plan: Callable[[PlaceholderBook], _T],
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> _T:
    """Return ``plan(book)`` with ``book`` going on from the case's register, saved first.

    ``plan`` numbers every value the copy will show (``jobs.processing.plan_copy``); it
    may run twice (the second time holding the register) and must not write.
    """
    with access.reading() as session:
        read = load_register(session=session, case_id=copy.case_id, audience=copy.audience)
    result, book = _plan(read, plan)
    if book.numbering() == read.numbering:
        return result
    with access.writing() as session:
        access.fence(session)
        if _save(session, copy, read, book, now()):
            return result
    logger.info(
        "placeholder register of case %s for %s changed meanwhile: numbering again, holding it",
        copy.case_id,
        copy.audience,
    )
    with access.writing() as session:
        access.fence(session)
        read = load_register(
            session=session, case_id=copy.case_id, audience=copy.audience, lock=True
        )
        result, book = _plan(read, plan)
        if book.numbering() != read.numbering and not _save(session, copy, read, book, now()):
            raise RuntimeError(
                f"placeholder register of case {copy.case_id} for {copy.audience} changed "
                "while held"
            )
    return result


def _plan(
    read: StoredRegister, plan: Callable[[PlaceholderBook], _T]
) -> tuple[_T, PlaceholderBook]:
    book = PlaceholderBook.from_numbering(read.numbering)
    return plan(book), book


def _save(
    session: Session, copy: CopyOf, read: StoredRegister, book: PlaceholderBook, now: datetime
) -> bool:
    return save_register(
        session=session,
        case_id=copy.case_id,
        force=copy.force,
        audience=copy.audience,
        read=read,
        numbering=book.numbering(),
        now=now,
    )
