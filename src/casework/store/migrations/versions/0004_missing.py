"""Missing-person cases and their append-only logs (issue 7, part 3).

A branch of its own from the first migration; ``migrate.py`` upgrades to every head. The
decision log, gradings, search log, media strategies and handovers get triggers that
refuse UPDATE and DELETE (SQLite and PostgreSQL): the policy file is never edited, only
added to.

Revision ID: 0004_missing
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_missing"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("missing",)
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = (
    "missing_decisions",
    "missing_gradings",
    "missing_searches",
    "missing_media",
    "missing_handovers",
)
_MESSAGE = "is append-only: entries are never changed or removed"


def _name() -> sa.String:
    return sa.String(length=200)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _log(table: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["case_id"], ["missing_cases.id"], name=op.f(f"fk_{table}_case_id_missing_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("case_id", "number", name=op.f(f"uq_{table}_case_id_number")),
    )


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION missing_log_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} {_MESSAGE}'); END"
        )


def upgrade() -> None:
    op.create_table(
        "missing_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("force", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", _name(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("home_address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        _when("last_seen_at"),
        sa.Column("last_seen_place", sa.Text(), nullable=False),
        sa.Column("circumstances", sa.Text(), nullable=False),
        _when("reported_at"),
        sa.Column("opened_by", _name(), nullable=False),
        _when("opened_at"),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=True),
        _when("graded_at", nullable=True),
        _when("review_due", nullable=True),
        _when("found_at", nullable=True),
        sa.Column("found_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missing_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_missing_cases_reference")),
        sa.UniqueConstraint(
            "force", "year", "number", name=op.f("uq_missing_cases_force_year_number")
        ),
    )
    op.create_index(
        "ix_missing_cases_force_status_review_due",
        "missing_cases",
        ["force", "status", "review_due"],
        unique=False,
    )
    _log(
        "missing_decisions",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        _when("decided_at"),
        sa.Column("decided_by", _name(), nullable=False),
        _when("entered_at"),
        sa.Column("entered_by", _name(), nullable=False),
    )
    _log(
        "missing_gradings",
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.Column("label", _name(), nullable=False),
        sa.Column("scheme", sa.String(length=80), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("graded_by", _name(), nullable=False),
        _when("graded_at"),
        _when("review_due"),
    )
    _log(
        "missing_searches",
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("method", _name(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        _when("searched_at"),
        sa.Column("searched_by", _name(), nullable=False),
        sa.Column("recorded_by", _name(), nullable=False),
        _when("recorded_at"),
    )
    _log(
        "missing_hypotheses",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("raised_by", _name(), nullable=False),
        _when("raised_at"),
        sa.Column("updated_by", _name(), nullable=False),
        _when("updated_at", nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    _log(
        "missing_media",
        sa.Column("appeal", sa.String(length=12), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("family_consent", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", _name(), nullable=False),
        _when("recorded_at"),
    )
    _log(
        "missing_handovers",
        sa.Column("from_officer", _name(), nullable=False),
        sa.Column("to_officer", _name(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outstanding", sa.Text(), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=True),
        _when("handed_over_at"),
        sa.Column("recorded_by", _name(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION missing_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '% {_MESSAGE}', TG_TABLE_NAME; END $$"
        )
    for table in APPEND_ONLY:
        _append_only(table)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS missing_log_append_only()")
    for table in (*APPEND_ONLY, "missing_hypotheses"):
        op.drop_table(table)
    op.drop_index("ix_missing_cases_force_status_review_due", table_name="missing_cases")
    op.drop_table("missing_cases")
