"""Remake jobs: a reviewer's request to make an upload's copy again, and its state.

Follows ``0003_processing`` on a branch of its own (it needs ``case_documents``).

Revision ID: 0006_remake_jobs
Revises: 0003_processing
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_remake_jobs"
down_revision: str | None = "0003_processing"
branch_labels: str | Sequence[str] | None = ("remake_jobs",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "remake_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_role", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.Uuid(), nullable=True),
        sa.Column("redactions", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["case_documents.id"],
            name=op.f("fk_remake_jobs_document_id_case_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_remake_jobs_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remake_jobs")),
    )
    op.create_index(
        "ix_remake_jobs_status_lease_expires_at", "remake_jobs", ["status", "lease_expires_at"]
    )
    op.create_index("ix_remake_jobs_document_id", "remake_jobs", ["document_id"])
    op.create_index("ix_remake_jobs_case_id", "remake_jobs", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_remake_jobs_case_id", table_name="remake_jobs")
    op.drop_index("ix_remake_jobs_document_id", table_name="remake_jobs")
    op.drop_index("ix_remake_jobs_status_lease_expires_at", table_name="remake_jobs")
    op.drop_table("remake_jobs")
