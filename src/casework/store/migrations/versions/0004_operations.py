"""Weeks of action: operations defined in the database, force returns (every version, with
its figures), and the county lines line register.

Revision ID: 0004_operations
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_operations"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("operations",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ops_operations",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("defined_by", sa.String(length=200), nullable=False),
        sa.Column("defined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_ops_operations")),
    )
    op.create_table(
        "ops_returns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=80), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ops_returns")),
        sa.UniqueConstraint(
            "operation", "force", "version", name=op.f("uq_ops_returns_operation_force_version")
        ),
    )
    op.create_index(
        "ix_ops_returns_operation_current", "ops_returns", ["operation", "current"], unique=False
    )
    op.create_table(
        "ops_lines",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_ops_lines")),
    )
    op.create_index("ix_ops_lines_force", "ops_lines", ["force"], unique=False)
    op.create_table(
        "ops_line_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["number"],
            ["ops_lines.number"],
            name=op.f("fk_ops_line_links_number_ops_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ops_line_links")),
    )
    op.create_index("ix_ops_line_links_number", "ops_line_links", ["number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ops_line_links_number", table_name="ops_line_links")
    op.drop_table("ops_line_links")
    op.drop_index("ix_ops_lines_force", table_name="ops_lines")
    op.drop_table("ops_lines")
    op.drop_index("ix_ops_returns_operation_current", table_name="ops_returns")
    op.drop_table("ops_returns")
    op.drop_table("ops_operations")
