"""Engines and sessions from the settings: SQLite by default, PostgreSQL for many users."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """Connection pool of a PostgreSQL engine (SQLite files need none).

    The defaults suit one web process with a few workers; ``pre_ping`` drops connections
    that a restart or a firewall closed, and ``recycle_s`` retires them before common
    idle timeouts do.
    """

    size: int = 5
    max_overflow: int = 10
    timeout_s: float = 30.0
    recycle_s: int = 1800
    pre_ping: bool = True


class UnsupportedDatabase(ValueError):
    """A database URL that Casework does not run on (only SQLite and PostgreSQL)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling breaks SAVEPOINT and starts transactions late;
    # SQLAlchemy's documented fix is to turn it off and emit BEGIN ourselves (see _begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


WRITE_INTENT = "casework_write_intent"
"""Execution option: this unit of work will write (SQLite then begins IMMEDIATE)."""


def _sqlite_begin(connection: Any) -> None:
    # A SQLite transaction that read before another writer committed cannot write later
    # (SQLITE_BUSY_SNAPSHOT, at once, whatever the busy timeout). A unit of work that means
    # to write therefore takes the write lock when it begins, and waits its turn for it.
    immediate = connection.get_execution_options().get(WRITE_INTENT, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | URL, *, pool: PoolConfig | None = None, echo: bool = False) -> Engine:
    """Return an engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        config = pool or PoolConfig()
        try:
            return create_engine(
                parsed,
                echo=echo,
                pool_size=config.size,
                max_overflow=config.max_overflow,
                pool_timeout=config.timeout_s,
                pool_recycle=config.recycle_s,
                pool_pre_ping=config.pre_ping,
            )
        except ModuleNotFoundError as error:
            raise UnsupportedDatabase(
                f"the PostgreSQL driver is not installed ({error.name}); install "
                "casework[postgres] (psycopg) and use postgresql+psycopg://..."
            ) from error
    raise UnsupportedDatabase(
        f"database URL {parsed.render_as_string(hide_password=True)!r}: Casework runs on "
        "SQLite (sqlite:///...) or PostgreSQL (postgresql+psycopg://...)"
    )


def for_writing(engine: Engine) -> Engine:
    """The engine to bind a unit of work that will write (SQLite: BEGIN IMMEDIATE)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{WRITE_INTENT: True})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory for ``engine`` (objects stay readable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)
