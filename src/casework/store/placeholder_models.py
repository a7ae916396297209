"""The placeholder register: the numbers a case's copies give, per audience, between uploads.

One row per case and audience holds every number given so far (``domain.placeholders``)
as JSON, with a version that each save raises by one: a save names the version it read
and succeeds only if that is still the stored one, so of two workers numbering uploads of
one case at once, one saves and the other numbers again from what it saved. The numbers
hold personal data (normalised names, phone digits), as the originals do; they go with
their case (ON DELETE CASCADE). The schema is made by ``0008_placeholder_registers``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.store.models import FORCE, Base


class PlaceholderRegisterRow(Base):
    """Every placeholder number given in one case for one audience."""

    __tablename__ = "placeholder_registers"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[str] = mapped_column(String(40), primary_key=True)
    force: Mapped[str] = mapped_column(FORCE)
    version: Mapped[int] = mapped_column(Integer)
    """1 when first saved, one more each save: what a save compares before it writes."""
    numbering: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Counters, values and people (see ``store.placeholders``): personal data, never logged."""
    updated_at: Mapped[datetime]
