"""Migrations build the schema from an empty database, agree with the models, and rerun safely."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from casework.store import (
    UnsupportedDatabase,
    current_revision,
    current_revisions,
    ensure_current,
    head_revisions,
    make_engine,
    upgrade_database,
)
from casework.store.migrate import alembic_config
from casework.store.schema import metadata as schema_metadata
from tests.db import BACKENDS, drop_postgres_database, fresh_postgres_database

TABLES = {
    "persons",
    "pole_objects",
    "object_identifiers",
    "locations",
    "case_counters",
    "cases",
    "case_offences",
    "case_parties",
    "stage_changes",
    "events",
    "event_persons",
    "event_objects",
    "case_deadlines",
    "alembic_version",
    # 0002_security
    "users",
    "api_tokens",
    "web_sessions",
    "sign_in_attempts",
    "case_team_members",
    "case_grants",
    "audit_log",
    "audit_head",
    # 0002_documents
    "case_documents",
    # 0003_processing
    "processing_claims",
    "copy_findings",
    "copy_redactions",
    # 0004_review
    "review_decisions",
    # 0006_remake_jobs
    "remake_jobs",
    # 0007_export_jobs
    "export_jobs",
    # 0008_placeholder_registers
    "placeholder_registers",
    # 0002_victim_cps
    "victim_contacts",
    "victim_wishes",
    "support_referrals",
    "victim_withdrawals",
    "risk_assessments",
    "evidence_items",
    "victim_availability",
    "charging_decisions",
    "cps_action_items",
    "court_hearings",
    "custody_records",
    "event_conduct",
    # 0004_operations
    "ops_operations",
    "ops_returns",
    "ops_lines",
    "ops_line_links",
    # 0004_missing
    "missing_cases",
    "missing_decisions",
    "missing_gradings",
    "missing_searches",
    "missing_hypotheses",
    "missing_media",
    "missing_handovers",
    # 0004_dogs
    "dogs",
    "dog_handlers",
    "dog_handler_history",
    "dog_licences",
    "dog_training",
    "dog_welfare_checks",
    "dog_visitor_reports",
    "dog_deployments",
    "dog_safety_incidents",
    # 0004_referrals
    "referrals",
    "referral_identifiers",
    "held_referrals",
    "referral_outcomes",
    "known_hashes",
}
NOT_CASE_DATA = {
    "alembic_version",
    "api_tokens",
    "web_sessions",
    "sign_in_attempts",
    "audit_head",
    "ops_operations",  # national definitions of weeks of action, no force's data
    "referral_identifiers",  # national intake of referrals (triage): deduplication keys,
    "held_referrals",  # reports held for correction before any force is known,
    "known_hashes",  # and national known-hash lists
}
"""Tables about accounts and the audit chain's head rather than a force's case data."""


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (migration tests change the schema, so no sharing)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sub' / 'empty.sqlite3'}"
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    name, url = fresh_postgres_database(admin)
    try:
        yield url
    finally:
        drop_postgres_database(name)


def test_upgrade_from_empty_creates_every_table(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(empty_url)
        assert current_revisions(engine) == head_revisions()
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_models_and_migrations_agree(empty_url: str) -> None:
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, schema_metadata) == []
    finally:
        engine.dispose()


def test_ensure_current_migrates_once(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        assert ensure_current(engine) is True
        assert ensure_current(engine) is False
        upgrade_database(empty_url)  # already at head: nothing to do, no error
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()


def test_every_case_data_table_carries_the_force(empty_url: str) -> None:
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    try:
        inspector = inspect(engine)
        for table in TABLES - NOT_CASE_DATA:
            columns = {c["name"] for c in inspector.get_columns(table)}
            assert "force" in columns, table
    finally:
        engine.dispose()


def test_downgrade_to_empty_and_back(empty_url: str) -> None:
    upgrade_database(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        upgrade_database(empty_url)
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["mysql://u@localhost/db", "oracle://u@localhost/db"])
def test_other_databases_are_refused_by_name(url: str) -> None:
    with pytest.raises(UnsupportedDatabase, match=r"SQLite .* or PostgreSQL"):
        make_engine(url)
