"""Placeholder registers: the numbers a case's copies give, per audience, between uploads.

Follows ``0001`` on a branch of its own (it needs only ``cases``).

Revision ID: 0008_placeholder_registers
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_placeholder_registers"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("placeholder_registers",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placeholder_registers",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("numbering", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_placeholder_registers_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "audience", name=op.f("pk_placeholder_registers")),
    )


def downgrade() -> None:
    op.drop_table("placeholder_registers")
