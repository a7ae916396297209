"""Case documents: uploads and their redacted copies, by SHA-256 in the document store.

A branch of its own from the first migration, beside ``0002_security`` and
``0002_victim_cps``; ``migrate.py`` upgrades to every head.

Revision ID: 0002_documents
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_documents"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("derived_from", sa.Uuid(), nullable=True),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_documents_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["derived_from"],
            ["case_documents.id"],
            name=op.f("fk_case_documents_derived_from_case_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
    )
    op.create_index(
        "ix_case_documents_case_id_uploaded_at",
        "case_documents",
        ["case_id", "uploaded_at"],
        unique=False,
    )
    op.create_index(
        "ix_case_documents_derived_from", "case_documents", ["derived_from"], unique=False
    )
    op.create_index("ix_case_documents_sha256", "case_documents", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_documents_sha256", table_name="case_documents")
    op.drop_index("ix_case_documents_derived_from", table_name="case_documents")
    op.drop_index("ix_case_documents_case_id_uploaded_at", table_name="case_documents")
    op.drop_table("case_documents")
