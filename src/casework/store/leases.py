"""What remake jobs and export jobs share: a row is due when queued, or running under a
lease that ran out (its worker stopped). One definition, so both kinds are taken over alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

QUEUED = "queued"
RUNNING = "running"


def due(row: Any, now: datetime) -> ColumnElement[bool]:
    """The rows of the job table ``row`` that a worker may take at ``now``."""
    return or_(row.status == QUEUED, (row.status == RUNNING) & (row.lease_expires_at < now))


def due_ids(*, session: Session, row: Any, now: datetime, limit: int) -> list[uuid.UUID]:
    """The ids of the due rows of ``row``'s table, oldest request first."""
    return list(
        session.scalars(select(row.id).where(due(row, now)).order_by(row.requested_at).limit(limit))
    )
