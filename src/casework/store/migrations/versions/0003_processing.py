"""Upload processing: workers' claims (leases), copies' findings summaries and logs.

Follows ``0002_documents`` on its branch (it needs ``case_documents``); ``migrate.py``
upgrades to every head. Adds the unique index that lets no upload have two copies for
one audience.

Revision ID: 0003_processing
Revises: 0002_documents
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_processing"
down_revision: str | None = "0002_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _document_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"],
        ["case_documents.id"],
        name=op.f(f"fk_{table}_document_id_case_documents"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_index(
        "uq_case_documents_derived_from_audience",
        "case_documents",
        ["derived_from", "audience"],
        unique=True,
    )
    op.create_table(
        "processing_claims",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_processing_claims_case_id_cases"),
            ondelete="CASCADE",
        ),
        _document_fk("processing_claims"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_processing_claims")),
    )
    op.create_index(
        "ix_processing_claims_status_lease_expires_at",
        "processing_claims",
        ["status", "lease_expires_at"],
    )
    op.create_index("ix_processing_claims_owner", "processing_claims", ["owner"])
    op.create_table(
        "copy_findings",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        _document_fk("copy_findings"),
        sa.PrimaryKeyConstraint("document_id", "label", name=op.f("pk_copy_findings")),
    )
    op.create_table(
        "copy_redactions",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("part", sa.String(length=255), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recognizer", sa.String(length=200), nullable=False),
        sa.Column("placeholder", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        _document_fk("copy_redactions"),
        sa.PrimaryKeyConstraint("document_id", "seq", name=op.f("pk_copy_redactions")),
    )


def downgrade() -> None:
    op.drop_table("copy_redactions")
    op.drop_table("copy_findings")
    op.drop_index("ix_processing_claims_owner", table_name="processing_claims")
    op.drop_index("ix_processing_claims_status_lease_expires_at", table_name="processing_claims")
    op.drop_table("processing_claims")
    op.drop_index("uq_case_documents_derived_from_audience", table_name="case_documents")
