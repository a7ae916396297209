"""A missing-person case for the API and page seeds (tests/api/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from casework.domain.missing import NewMissingCase
from casework.safeguarding import missing
from casework.store.missing_repository import SqlMissingRepository


def seed_missing_case(session: Session) -> str:
    """Open a graded WY case with one hypothesis; return its reference."""
    now = datetime.now(UTC)
    repo = SqlMissingRepository(session)
    case = missing.open_case(
        repo=repo,
        new=NewMissingCase(
            force="WY",
            name="Chloe PARKER",
            date_of_birth=date(2011, 5, 14),
            last_seen_at=now - timedelta(hours=6),
            last_seen_place="Leeds bus station",
            reported_at=now - timedelta(hours=1),
            home_address="4 Elm Road, Leeds LS6 2AB",
            phone="07700 900456",
        ),
        actor="seed",
        now=now,
        grade="medium",
        rationale="14; first time missing; phone off",
    )
    missing.raise_hypothesis(
        repo=repo, reference=case.reference, text="With friends in Bradford", actor="seed", now=now
    )
    return case.reference
