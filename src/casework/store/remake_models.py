"""Remaking an upload's redacted copy after review, as a job whose state people can follow.

A reviewer's "make the copy again" is a row here: ``queued`` when asked for, ``running``
while a worker holds its lease, then ``done`` (with the copy) or ``failed`` (with why). The
row is the job's durable record on both engines: the local worker takes queued rows; on
PostgreSQL a procrastinate job names the row. The schema is made by ``0006_remake_jobs``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base


class RemakeJobRow(Base):
    """One request to make an audience's copy of an upload again with the decisions."""

    __tablename__ = "remake_jobs"
    __table_args__ = (
        Index("ix_remake_jobs_status_lease_expires_at", "status", "lease_expires_at"),
        Index("ix_remake_jobs_document_id", "document_id"),
        Index("ix_remake_jobs_case_id", "case_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE")
    )
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    audience: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    """``queued``, ``running``, ``done`` or ``failed``."""
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_role: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    copy_id: Mapped[uuid.UUID | None]
    redactions: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
