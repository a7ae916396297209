"""The table of review decisions: a reviewer's accept, reject or add on one span of an upload.

Findings themselves are not stored (detection is re-run from the upload, which is
deterministic), so a decision names its span by the part of the upload (the document's
index in reading order), character offsets and label. The redacted copies honour them:
a rejected finding stays in the copy, an added span goes. No removed value is stored
here either: offsets only. The schema is made by migration ``0004_review``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base


class ReviewDecisionRow(Base):
    __tablename__ = "review_decisions"
    __table_args__ = (
        Index(
            "uq_review_decisions_span",
            "document_id",
            "part",
            "start",
            "end",
            unique=True,
        ),
        Index("ix_review_decisions_case_id", "case_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_documents.id", ondelete="CASCADE")
    )
    """The upload (never a copy) the span is in."""
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    force: Mapped[str] = mapped_column(FORCE)
    part: Mapped[int] = mapped_column(Integer)
    """Which document of the upload (0: the first in reading order; a ZIP has several)."""
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(8))
    """``accept``, ``reject`` (the text stays in every copy) or ``add`` (it goes from all)."""
    note: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime]
