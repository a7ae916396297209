"""The table of a case's documents: each upload, and later each audience's redacted copy.

The bytes live in the content-addressed store (``store.documents``), named by SHA-256;
a row says whose case a file belongs to, what it was called, what it is (by content) and
who put it there. A redacted copy is a row with ``derived_from`` pointing at the upload
and ``audience`` naming who it is for. The schema is made by migration ``0002_documents``
(a copy's ``decisions_sha256`` by ``0009_copy_decisions``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base

SHA256 = String(64)


class CaseDocumentRow(Base):
    __tablename__ = "case_documents"
    __table_args__ = (
        Index("ix_case_documents_case_id_uploaded_at", "case_id", "uploaded_at"),
        Index("ix_case_documents_derived_from", "derived_from"),
        Index("ix_case_documents_sha256", "sha256"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    derived_from: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE")
    )
    audience: Mapped[str] = mapped_column(String(40))
    """``original`` for an upload; the audience (``cps``, ``defence``...) of a copy."""
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(SHA256)
    content_type: Mapped[str] = mapped_column(String(100))
    """Detected from the bytes (the readers' bids), never taken from the name or the client."""
    format: Mapped[str] = mapped_column(String(20))
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime]
    decisions_sha256: Mapped[str | None] = mapped_column(SHA256)
    """A copy's: the fingerprint of the review decisions it was planned from (store.review's
    ``decisions_sha256``); None for an upload, and for a copy made before ``0009``."""
