"""Storage: SQLAlchemy models, repositories and Alembic migrations. Stands on ``domain``.

``open_engine(url)`` gives an engine whose schema is up to date (migrating on first use);
``SqlCaseStore.open(engine)`` is a unit of work over every repository.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from casework.store.engine import PoolConfig, UnsupportedDatabase, make_engine, session_factory
from casework.store.migrate import (
    current_revision,
    current_revisions,
    ensure_current,
    head_revision,
    head_revisions,
    upgrade_database,
    upgrade_engine,
)
from casework.store.repositories import (
    SqlCaseRepository,
    SqlCaseStore,
    SqlDeadlineRepository,
    SqlEventRepository,
    SqlLocationRepository,
    SqlObjectRepository,
    SqlPersonRepository,
)


def open_engine(url: str | URL, *, pool: PoolConfig | None = None) -> Engine:
    """Return an engine for ``url`` with its schema brought up to date."""
    engine = make_engine(url, pool=pool)
    ensure_current(engine)
    return engine


__all__ = [
    "PoolConfig",
    "SqlCaseRepository",
    "SqlCaseStore",
    "SqlDeadlineRepository",
    "SqlEventRepository",
    "SqlLocationRepository",
    "SqlObjectRepository",
    "SqlPersonRepository",
    "UnsupportedDatabase",
    "current_revision",
    "current_revisions",
    "ensure_current",
    "head_revision",
    "head_revisions",
    "make_engine",
    "open_engine",
    "session_factory",
    "upgrade_database",
    "upgrade_engine",
]
