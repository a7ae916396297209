"""Journey: POLE entities, cases, parties, offences, stage history, events, deadlines.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:10:40.991016
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("force", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("enhanced_rights", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("force", "year", "number", name=op.f("uq_cases_force_year_number")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    op.create_index("ix_cases_force_stage", "cases", ["force", "stage"], unique=False)
    op.create_index("ix_cases_opened_at", "cases", ["opened_at"], unique=False)
    op.create_index("ix_cases_stage", "cases", ["stage"], unique=False)

    op.create_table(
        "locations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    op.create_index(op.f("ix_locations_force"), "locations", ["force"], unique=False)
    op.create_index(op.f("ix_locations_postcode"), "locations", ["postcode"], unique=False)

    op.create_table(
        "persons",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=401), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    op.create_index("ix_persons_force_name_key", "persons", ["force", "name_key"], unique=False)

    op.create_table(
        "pole_objects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pole_objects")),
    )
    op.create_index(op.f("ix_pole_objects_force"), "pole_objects", ["force"], unique=False)

    op.create_table(
        "case_deadlines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("about", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("started_by", sa.Text(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("settled_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_deadlines_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_deadlines")),
    )
    op.create_index(op.f("ix_case_deadlines_case_id"), "case_deadlines", ["case_id"], unique=False)
    op.create_index(
        "ix_case_deadlines_open_due",
        "case_deadlines",
        ["due"],
        unique=False,
        postgresql_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
        sqlite_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
    )
    op.create_index(
        "ix_case_deadlines_open_force_due",
        "case_deadlines",
        ["force", "due"],
        unique=False,
        postgresql_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
        sqlite_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
    )

    op.create_table(
        "case_offences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("committed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_offences_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_offences")),
    )
    op.create_index(op.f("ix_case_offences_case_id"), "case_offences", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_offences_code"), "case_offences", ["code"], unique=False)

    op.create_table(
        "case_parties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_parties_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_case_parties_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_parties")),
        sa.UniqueConstraint(
            "case_id", "person_id", "role", name=op.f("uq_case_parties_case_id_person_id_role")
        ),
    )
    op.create_index(op.f("ix_case_parties_case_id"), "case_parties", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_parties_person_id"), "case_parties", ["person_id"], unique=False)
    op.create_index(
        "ix_case_parties_role_person_id", "case_parties", ["role", "person_id"], unique=False
    )

    op.create_table(
        "events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("phase", sa.String(length=10), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_events_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(
        "ix_events_case_id_occurred_at", "events", ["case_id", "occurred_at"], unique=False
    )

    op.create_table(
        "object_identifiers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("value_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["pole_objects.id"],
            name=op.f("fk_object_identifiers_object_id_pole_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_object_identifiers")),
    )
    op.create_index(
        op.f("ix_object_identifiers_object_id"), "object_identifiers", ["object_id"], unique=False
    )
    op.create_index(
        "ix_object_identifiers_scheme_value_key",
        "object_identifiers",
        ["scheme", "value_key"],
        unique=False,
    )

    op.create_table(
        "stage_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=True),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("decided_by", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_stage_changes_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_changes")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_stage_changes_case_id_seq")),
    )
    op.create_table(
        "event_objects",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_objects_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["object_id"], ["pole_objects.id"], name=op.f("fk_event_objects_object_id_pole_objects")
        ),
        sa.PrimaryKeyConstraint("event_id", "object_id", name=op.f("pk_event_objects")),
    )
    op.create_index(
        op.f("ix_event_objects_object_id"), "event_objects", ["object_id"], unique=False
    )

    op.create_table(
        "event_persons",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_persons_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_event_persons_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("event_id", "person_id", name=op.f("pk_event_persons")),
    )
    op.create_index(
        op.f("ix_event_persons_person_id"), "event_persons", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_persons_person_id"), table_name="event_persons")

    op.drop_table("event_persons")
    op.drop_index(op.f("ix_event_objects_object_id"), table_name="event_objects")

    op.drop_table("event_objects")
    op.drop_table("stage_changes")
    op.drop_index("ix_object_identifiers_scheme_value_key", table_name="object_identifiers")
    op.drop_index(op.f("ix_object_identifiers_object_id"), table_name="object_identifiers")

    op.drop_table("object_identifiers")
    op.drop_index("ix_events_case_id_occurred_at", table_name="events")

    op.drop_table("events")
    op.drop_index("ix_case_parties_role_person_id", table_name="case_parties")
    op.drop_index(op.f("ix_case_parties_person_id"), table_name="case_parties")
    op.drop_index(op.f("ix_case_parties_case_id"), table_name="case_parties")

    op.drop_table("case_parties")
    op.drop_index(op.f("ix_case_offences_code"), table_name="case_offences")
    op.drop_index(op.f("ix_case_offences_case_id"), table_name="case_offences")

    op.drop_table("case_offences")
    op.drop_index(
        "ix_case_deadlines_open_force_due",
        table_name="case_deadlines",
        postgresql_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
        sqlite_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
    )
    op.drop_index(
        "ix_case_deadlines_open_due",
        table_name="case_deadlines",
        postgresql_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
        sqlite_where=sa.text("settled_on IS NULL AND due IS NOT NULL"),
    )
    op.drop_index(op.f("ix_case_deadlines_case_id"), table_name="case_deadlines")

    op.drop_table("case_deadlines")
    op.drop_index(op.f("ix_pole_objects_force"), table_name="pole_objects")

    op.drop_table("pole_objects")
    op.drop_index("ix_persons_force_name_key", table_name="persons")

    op.drop_table("persons")
    op.drop_index(op.f("ix_locations_postcode"), table_name="locations")
    op.drop_index(op.f("ix_locations_force"), table_name="locations")

    op.drop_table("locations")
    op.drop_index("ix_cases_stage", table_name="cases")
    op.drop_index("ix_cases_opened_at", table_name="cases")
    op.drop_index("ix_cases_force_stage", table_name="cases")

    op.drop_table("cases")
    op.drop_table("case_counters")
