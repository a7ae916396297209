"""The police dog register: dogs, handlers and their history, licences, training, welfare
checks, independent visitor reports, deployments and health and safety incidents (issue 8).

A branch of its own from the first migration; ``migrate.py`` upgrades to every head.

Revision ID: 0004_dogs
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_dogs"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("dogs",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dog_handlers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qualifications", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_handlers")),
        sa.UniqueConstraint("force", "number", name=op.f("uq_dog_handlers_force_number")),
    )
    op.create_table(
        "dog_visitor_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=200), nullable=False),
        sa.Column("kennels", sa.String(length=200), nullable=False),
        sa.Column("satisfactory", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_visitor_reports")),
    )
    op.create_index(
        "ix_dog_visitor_reports_force_visited_on",
        "dog_visitor_reports",
        ["force", "visited_on"],
        unique=False,
    )
    op.create_table(
        "dogs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("breed", sa.String(length=60), nullable=False),
        sa.Column("sex", sa.String(length=20), nullable=False),
        sa.Column("born_on", sa.Date(), nullable=False),
        sa.Column("microchip", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("acquired_on", sa.Date(), nullable=False),
        sa.Column("handler_number", sa.String(length=20), nullable=True),
        sa.Column("retirement_review_due_on", sa.Date(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retirement_reason", sa.Text(), nullable=False),
        sa.Column("rehomed_with", sa.String(length=200), nullable=False),
        sa.Column("rehomed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dogs")),
        sa.UniqueConstraint("force", "microchip", name=op.f("uq_dogs_force_microchip")),
        sa.UniqueConstraint("reference", name=op.f("uq_dogs_reference")),
    )
    op.create_index("ix_dogs_force_status", "dogs", ["force", "status"], unique=False)
    op.create_table(
        "dog_deployments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=False),
        sa.Column("handler_number", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("incident", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("finds", sa.Integer(), nullable=False),
        sa.Column("arrests", sa.Integer(), nullable=False),
        sa.Column("use_of_force", sa.Boolean(), nullable=False),
        sa.Column("bite", sa.Boolean(), nullable=False),
        sa.Column("injury", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["dog_id"], ["dogs.id"], name=op.f("fk_dog_deployments_dog_id_dogs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_deployments")),
    )
    op.create_index(
        "ix_dog_deployments_dog_id_at", "dog_deployments", ["dog_id", "at"], unique=False
    )
    op.create_index("ix_dog_deployments_force_at", "dog_deployments", ["force", "at"], unique=False)
    op.create_table(
        "dog_handler_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=False),
        sa.Column("handler_number", sa.String(length=20), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dog_id"],
            ["dogs.id"],
            name=op.f("fk_dog_handler_history_dog_id_dogs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_handler_history")),
    )
    op.create_index(
        "ix_dog_handler_history_dog_id_from_on",
        "dog_handler_history",
        ["dog_id", "from_on"],
        unique=False,
    )
    op.create_table(
        "dog_licences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=False),
        sa.Column("handler_number", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dog_id"], ["dogs.id"], name=op.f("fk_dog_licences_dog_id_dogs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_licences")),
    )
    op.create_index(
        "ix_dog_licences_dog_id_assessed_on",
        "dog_licences",
        ["dog_id", "assessed_on"],
        unique=False,
    )
    op.create_table(
        "dog_safety_incidents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("injured", sa.Boolean(), nullable=False),
        sa.Column("reported_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["dog_id"],
            ["dogs.id"],
            name=op.f("fk_dog_safety_incidents_dog_id_dogs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_safety_incidents")),
    )
    op.create_index(
        "ix_dog_safety_incidents_force_on", "dog_safety_incidents", ["force", "on"], unique=False
    )
    op.create_table(
        "dog_training",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=False),
        sa.Column("handler_number", sa.String(length=20), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("trainer", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dog_id"], ["dogs.id"], name=op.f("fk_dog_training_dog_id_dogs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_training")),
    )
    op.create_index("ix_dog_training_dog_id_on", "dog_training", ["dog_id", "on"], unique=False)
    op.create_table(
        "dog_welfare_checks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("dog_id", sa.Uuid(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("concern", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dog_id"],
            ["dogs.id"],
            name=op.f("fk_dog_welfare_checks_dog_id_dogs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dog_welfare_checks")),
    )
    op.create_index(
        "ix_dog_welfare_checks_dog_id_on", "dog_welfare_checks", ["dog_id", "on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_dog_welfare_checks_dog_id_on", table_name="dog_welfare_checks")
    op.drop_table("dog_welfare_checks")
    op.drop_index("ix_dog_training_dog_id_on", table_name="dog_training")
    op.drop_table("dog_training")
    op.drop_index("ix_dog_safety_incidents_force_on", table_name="dog_safety_incidents")
    op.drop_table("dog_safety_incidents")
    op.drop_index("ix_dog_licences_dog_id_assessed_on", table_name="dog_licences")
    op.drop_table("dog_licences")
    op.drop_index("ix_dog_handler_history_dog_id_from_on", table_name="dog_handler_history")
    op.drop_table("dog_handler_history")
    op.drop_index("ix_dog_deployments_force_at", table_name="dog_deployments")
    op.drop_index("ix_dog_deployments_dog_id_at", table_name="dog_deployments")
    op.drop_table("dog_deployments")
    op.drop_index("ix_dogs_force_status", table_name="dogs")
    op.drop_table("dogs")
    op.drop_index("ix_dog_visitor_reports_force_visited_on", table_name="dog_visitor_reports")
    op.drop_table("dog_visitor_reports")
    op.drop_table("dog_handlers")
