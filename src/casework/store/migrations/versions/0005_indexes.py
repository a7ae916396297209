"""Indexes for national scale: uploads to process, processing status by force, two FKs.

Follows ``0004_queue``; the indexes are declared in ``store/index_models.py``. On
PostgreSQL each is made with ``IF NOT EXISTS``, so an operator upgrading a large live
database can build them first without blocking writes (``CREATE INDEX CONCURRENTLY IF
NOT EXISTS ...``, as the README's "National scale" section lists) and this step then
finds them made.

Revision ID: 0005_indexes
Revises: 0004_queue
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_indexes"
down_revision: str | None = "0004_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPLOADS_ONLY = sa.text("derived_from IS NULL")
INDEXES: tuple[tuple[str, str, list[str], sa.TextClause | None], ...] = (
    (
        "ix_case_documents_uploads_uploaded_at",
        "case_documents",
        ["uploaded_at", "id"],
        UPLOADS_ONLY,
    ),
    ("ix_case_documents_uploads_force", "case_documents", ["force", "uploaded_at"], UPLOADS_ONLY),
    ("ix_processing_claims_case_id", "processing_claims", ["case_id"], None),
    ("ix_processing_claims_force_status", "processing_claims", ["force", "status"], None),
    ("ix_processing_claims_updated_at", "processing_claims", ["updated_at"], None),
    ("ix_events_location_id", "events", ["location_id"], None),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            if_not_exists=True,
            postgresql_where=where,
            sqlite_where=where,
        )


def downgrade() -> None:
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table, if_exists=True)
