"""Export jobs: a summary PDF or a disclosure bundle made by a worker, and its state.

An export asked for (``casework exports request``, ``POST /api/exports``, a page's button)
is a row here: ``queued``, ``running`` while a worker holds its lease (with progress: done
of total and a stage), then ``done`` (the file kept in the document store by its SHA-256,
with a name and media type) or ``failed`` (with why); a ``done`` export whose file was kept
its time (CASEWORK_EXPORT_KEEP_DAYS) becomes ``expired``, its file removed and the row kept
(when: ``updated_at``). The row is the job's durable record on both engines: the local
worker takes queued rows; on PostgreSQL a procrastinate job names the row. The schema is
made by ``0007_export_jobs`` (``expired`` is a value of ``status``: no schema change).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base


class ExportJobRow(Base):
    """One request for an export file (``ops-summary`` or ``case-bundle``)."""

    __tablename__ = "export_jobs"
    __table_args__ = (
        Index("ix_export_jobs_status_lease_expires_at", "status", "lease_expires_at"),
        Index("ix_export_jobs_requested_by_requested_at", "requested_by", "requested_at"),
        Index("ix_export_jobs_case_id", "case_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    """``ops-summary`` or ``case-bundle``."""
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What to export: the operation and format, or the case reference and audience."""
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    """The case a bundle is made of (None for an operation's summary)."""
    force: Mapped[str] = mapped_column(FORCE)
    """The case's force (a bundle), or the requester's (a summary; ``-``: the operator)."""
    status: Mapped[str] = mapped_column(String(12))
    """``queued``, ``running``, ``done``, ``failed`` or ``expired`` (the file removed)."""
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_role: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(120), default="")
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    """The file in the document store (folder or S3), by its SHA-256."""
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_type: Mapped[str | None] = mapped_column(String(100))
    result_size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str] = mapped_column(Text, default="")
