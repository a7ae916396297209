"""Bring a database schema up to date with the migrations shipped in this package.

Migrations are the only way the schema is made: from an empty database, ``upgrade_database``
runs every one of them; on an up-to-date database it does nothing. No ``create_all``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

from casework.store.engine import make_engine

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration for the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revisions() -> frozenset[str]:
    """The newest migration of each branch shipped with this version of Casework.

    Capabilities add their tables on branches of their own from the first migration, so
    that they can be built side by side; a merge migration may join them later.
    """
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if not heads:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return frozenset(heads)


def head_revision() -> str:
    """The newest migration, when the history has a single head (it names them otherwise)."""
    heads = head_revisions()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have several heads: {', '.join(sorted(heads))}")
    return next(iter(heads))


def current_revisions(engine: Engine) -> frozenset[str]:
    """The migrations the database is at (empty for an empty database)."""
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_engine(engine: Engine, *, revision: str = "heads") -> None:
    """Run the migrations that ``engine``'s database lacks, in one transaction per step."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def upgrade_database(url: str | URL, *, revision: str = "heads") -> None:
    """Run the migrations that the database at ``url`` lacks (all of them when it is empty)."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision=revision)
    finally:
        engine.dispose()


def ensure_current(engine: Engine) -> bool:
    """Upgrade the database when it is behind; return True when migrations ran.

    Faces call this on first use, so that a fresh machine needs no separate setup step.
    """
    heads = head_revisions()
    if current_revisions(engine) == heads:
        return False
    logger.info("upgrading the database schema to %s", ", ".join(sorted(heads)))
    upgrade_engine(engine)
    return True
