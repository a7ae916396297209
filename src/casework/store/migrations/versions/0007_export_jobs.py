"""Export jobs: an operation's summary or a case's disclosure bundle made by a worker.

Follows ``0001`` on a branch of its own (it needs only ``cases``).

Revision ID: 0007_export_jobs
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_export_jobs"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("export_jobs",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_role", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=120), nullable=False),
        sa.Column("result_sha256", sa.String(length=64), nullable=True),
        sa.Column("result_name", sa.String(length=255), nullable=True),
        sa.Column("result_type", sa.String(length=100), nullable=True),
        sa.Column("result_size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_export_jobs_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    op.create_index(
        "ix_export_jobs_status_lease_expires_at", "export_jobs", ["status", "lease_expires_at"]
    )
    op.create_index(
        "ix_export_jobs_requested_by_requested_at",
        "export_jobs",
        ["requested_by", "requested_at"],
    )
    op.create_index("ix_export_jobs_case_id", "export_jobs", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_export_jobs_case_id", table_name="export_jobs")
    op.drop_index("ix_export_jobs_requested_by_requested_at", table_name="export_jobs")
    op.drop_index("ix_export_jobs_status_lease_expires_at", table_name="export_jobs")
    op.drop_table("export_jobs")
