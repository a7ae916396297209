"""Industry referrals: reports, identifiers, held reports, outcomes, known-hash lists.

Revision ID: 0004_referrals
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_referrals"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("referrals",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=True),
        sa.Column("located_force", sa.String(length=4), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=False),
        sa.Column("platform_report_id", sa.String(length=100), nullable=False),
        sa.Column("incident_type", sa.String(length=100), nullable=False),
        sa.Column("incident_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=12), nullable=False),
        sa.Column("priority_reasons", sa.JSON(), nullable=False),
        sa.Column("location_reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("repeat_of", sa.String(length=24), nullable=True),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("matches", sa.JSON(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("arrests", sa.Integer(), nullable=False),
        sa.Column("children_safeguarded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("reference", name=op.f("uq_referrals_reference")),
    )
    op.create_index("ix_referrals_status_priority", "referrals", ["status", "priority"])
    op.create_index("ix_referrals_force_status", "referrals", ["force", "status"])
    op.create_index(
        "ix_referrals_reporter_platform_report_id", "referrals", ["reporter", "platform_report_id"]
    )
    op.create_index("ix_referrals_received_at", "referrals", ["received_at"])
    op.create_table(
        "referral_identifiers",
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_identifiers_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "referral_id", "kind", "value", name=op.f("pk_referral_identifiers")
        ),
    )
    op.create_index("ix_referral_identifiers_kind_value", "referral_identifiers", ["kind", "value"])
    op.create_table(
        "held_referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("corrected_by", sa.String(length=24), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_referrals")),
    )
    op.create_index("ix_held_referrals_received_at", "held_referrals", ["received_at"])
    op.create_table(
        "referral_outcomes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("arrests", sa.Integer(), nullable=False),
        sa.Column("children_safeguarded", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_outcomes_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_outcomes")),
    )
    op.create_index("ix_referral_outcomes_force_on", "referral_outcomes", ["force", "on"])
    op.create_table(
        "known_hashes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("list_name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_hashes")),
        sa.UniqueConstraint(
            "kind", "value", "list_name", name=op.f("uq_known_hashes_kind_value_list_name")
        ),
    )
    op.create_index("ix_known_hashes_kind_value", "known_hashes", ["kind", "value"])


def downgrade() -> None:
    op.drop_table("known_hashes")
    op.drop_table("referral_outcomes")
    op.drop_table("held_referrals")
    op.drop_table("referral_identifiers")
    op.drop_table("referrals")
