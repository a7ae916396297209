"""Victim, risk, evidence, CPS, custody and suspect-timeline records (issue 3).

A branch of its own from the first migration, beside ``0002_security``; ``migrate.py``
upgrades to every head, so both apply in either order.

Revision ID: 0002_victim_cps
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_victim_cps"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "charging_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("test", sa.String(length=20), nullable=True),
        sa.Column("charges", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("prosecutor", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_charging_decisions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charging_decisions")),
    )
    op.create_index(
        "ix_charging_decisions_case_id_decided_at",
        "charging_decisions",
        ["case_id", "decided_at"],
        unique=False,
    )
    op.create_table(
        "court_hearings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("hearing", sa.String(length=200), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=False),
        sa.Column("court", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("listed_by", sa.String(length=200), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_court_hearings_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_hearings")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_court_hearings_case_id_number")),
    )
    op.create_table(
        "cps_action_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("responded_by", sa.String(length=200), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_cps_action_items_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cps_action_items")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_cps_action_items_case_id_number")),
    )
    op.create_table(
        "custody_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("suspect_id", sa.Uuid(), nullable=True),
        sa.Column("offence_code", sa.String(length=60), nullable=False),
        sa.Column("relevant_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("authorised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_custody_records_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["suspect_id"], ["persons.id"], name=op.f("fk_custody_records_suspect_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_records")),
    )
    op.create_index(
        "ix_custody_records_case_id_relevant_time",
        "custody_records",
        ["case_id", "relevant_time"],
        unique=False,
    )
    op.create_index(
        op.f("ix_custody_records_suspect_id"), "custody_records", ["suspect_id"], unique=False
    )
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("item_id", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_evidence_items_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
        sa.UniqueConstraint("case_id", "item_id", name=op.f("uq_evidence_items_case_id_item_id")),
    )
    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("tool", sa.String(length=10), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("judgement_level", sa.String(length=10), nullable=True),
        sa.Column("judgement_reason", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("count_level", sa.String(length=10), nullable=True),
        sa.Column("yes_count", sa.Integer(), nullable=False),
        sa.Column("not_known_count", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("marac_referral_due", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_risk_assessments_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
    )
    op.create_index(
        "ix_risk_assessments_case_id_assessed_on",
        "risk_assessments",
        ["case_id", "assessed_on"],
        unique=False,
    )
    op.create_table(
        "support_referrals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_support_referrals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_referrals")),
    )
    op.create_index(
        "ix_support_referrals_case_id_made_on",
        "support_referrals",
        ["case_id", "made_on"],
        unique=False,
    )
    op.create_index(
        "ix_support_referrals_kind_case_id", "support_referrals", ["kind", "case_id"], unique=False
    )
    op.create_table(
        "victim_availability",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("ground", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_victim_availability_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_availability")),
    )
    op.create_index(
        "ix_victim_availability_case_id_recorded_at",
        "victim_availability",
        ["case_id", "recorded_at"],
        unique=False,
    )
    op.create_table(
        "victim_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column("made", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_victim_contacts_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_contacts")),
    )
    op.create_index(
        "ix_victim_contacts_case_id_at", "victim_contacts", ["case_id", "at"], unique=False
    )
    op.create_table(
        "victim_wishes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("outcome_wanted", sa.String(length=30), nullable=False),
        sa.Column("outcome_notes", sa.Text(), nullable=False),
        sa.Column("safe_methods", sa.JSON(), nullable=False),
        sa.Column("safe_times", sa.JSON(), nullable=False),
        sa.Column("cautions", sa.Text(), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_victim_wishes_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_wishes")),
    )
    op.create_index(
        "ix_victim_wishes_case_id_recorded_at",
        "victim_wishes",
        ["case_id", "recorded_at"],
        unique=False,
    )
    op.create_table(
        "victim_withdrawals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_victim_withdrawals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_withdrawals")),
    )
    op.create_index(
        "ix_victim_withdrawals_case_id_recorded_at",
        "victim_withdrawals",
        ["case_id", "recorded_at"],
        unique=False,
    )
    op.create_table(
        "event_conduct",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("fear_of_violence", sa.Boolean(), nullable=False),
        sa.Column("date_only", sa.Boolean(), nullable=False),
        sa.Column("doc_start", sa.Integer(), nullable=True),
        sa.Column("doc_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_conduct_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_conduct")),
    )


def downgrade() -> None:
    op.drop_table("event_conduct")
    op.drop_index("ix_victim_withdrawals_case_id_recorded_at", table_name="victim_withdrawals")
    op.drop_table("victim_withdrawals")
    op.drop_index("ix_victim_wishes_case_id_recorded_at", table_name="victim_wishes")
    op.drop_table("victim_wishes")
    op.drop_index("ix_victim_contacts_case_id_at", table_name="victim_contacts")
    op.drop_table("victim_contacts")
    op.drop_index("ix_victim_availability_case_id_recorded_at", table_name="victim_availability")
    op.drop_table("victim_availability")
    op.drop_index("ix_support_referrals_kind_case_id", table_name="support_referrals")
    op.drop_index("ix_support_referrals_case_id_made_on", table_name="support_referrals")
    op.drop_table("support_referrals")
    op.drop_index("ix_risk_assessments_case_id_assessed_on", table_name="risk_assessments")
    op.drop_table("risk_assessments")
    op.drop_table("evidence_items")
    op.drop_index(op.f("ix_custody_records_suspect_id"), table_name="custody_records")
    op.drop_index("ix_custody_records_case_id_relevant_time", table_name="custody_records")
    op.drop_table("custody_records")
    op.drop_table("cps_action_items")
    op.drop_table("court_hearings")
    op.drop_index("ix_charging_decisions_case_id_decided_at", table_name="charging_decisions")
    op.drop_table("charging_decisions")
