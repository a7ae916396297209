"""Tables of upload processing: workers' claims, and what each redacted copy removed.

Processing is reconciliation over durable state, not a queue: the work still to do is the
uploads that lack a copy for a configured audience. ``processing_claims`` only says who is
working on an upload now (a lease: owner and expiry), how far they got, and how often it
failed; ``copy_findings`` and ``copy_redactions`` hold a copy's findings summary and its
redaction log (offsets, labels and placeholders, never a removed value). The schema is
made by migration ``0003_processing``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.document_models import CaseDocumentRow
from casework.store.models import FORCE, Base

COPY_PER_AUDIENCE = Index(
    "uq_case_documents_derived_from_audience",
    CaseDocumentRow.derived_from,
    CaseDocumentRow.audience,
    unique=True,
)
"""At most one copy of an upload per audience, whoever writes it and however often.

Declared here (with the migration that makes it) rather than on ``CaseDocumentRow``:
processing is what relies on it. Uploads have ``derived_from`` NULL, which never clashes.
"""


class ProcessingClaimRow(Base):
    """One upload's processing state: the current lease, progress, attempts and failure."""

    __tablename__ = "processing_claims"
    __table_args__ = (
        Index("ix_processing_claims_status_lease_expires_at", "status", "lease_expires_at"),
        Index("ix_processing_claims_owner", "owner"),
    )

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    status: Mapped[str] = mapped_column(String(12))
    """``pending``, ``working``, ``done`` or ``failed`` (given up: not tried again)."""
    owner: Mapped[str | None] = mapped_column(String(120))
    """The worker holding the lease (``host:pid:nonce``); None when nobody does."""
    lease_expires_at: Mapped[datetime | None]
    retry_at: Mapped[datetime | None]
    """After a failure that may pass (not the file's fault): not before this time."""
    attempts: Mapped[int] = mapped_column(Integer)
    """Claims taken since the last success: a file that kills its worker each time is given
    up after ``CASEWORK_JOB_MAX_ATTEMPTS``."""
    failures: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(40))
    pages_done: Mapped[int] = mapped_column(Integer)
    pages_total: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class CopyFindingRow(Base):
    """How many spans of one label a redacted copy removed (its findings summary)."""

    __tablename__ = "copy_findings"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(40), primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    found: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)


class CopyRedactionRow(Base):
    """One row of a redacted copy's log: where, what kind, why, and what replaced it."""

    __tablename__ = "copy_redactions"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    part: Mapped[str] = mapped_column(String(255))
    """The (pseudonymised) name of the document inside the copy the row is about."""
    page: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    recognizer: Mapped[str] = mapped_column(String(200))
    placeholder: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
