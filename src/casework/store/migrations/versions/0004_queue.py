"""The job queue on PostgreSQL: procrastinate's schema, in a schema of its own.

Follows ``0003_processing``. On PostgreSQL it creates the ``procrastinate`` schema and runs
the schema SQL shipped with the installed procrastinate (its tables, types, functions and
triggers) there, so the queue's tables stay out of ``public``: they hold job ids, not case
data, and carry no force. Casework's job connector puts ``procrastinate`` first on its
search path (``jobs/distributed.py``). On SQLite it does nothing: the embedded default runs
jobs on a local process pool.

procrastinate is pinned below 4 in pyproject.toml; moving to a release that changes its
schema takes a new migration that runs procrastinate's own delta files
(``procrastinate/sql/migrations``) in the same schema.

Revision ID: 0004_queue
Revises: 0003_processing
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_queue"
down_revision: str | None = "0003_processing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE_SCHEMA = "procrastinate"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    before = bind.exec_driver_sql("SHOW search_path").scalar_one()
    bind.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {QUEUE_SCHEMA}")
    bind.exec_driver_sql(f"SET LOCAL search_path TO {QUEUE_SCHEMA}")
    cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(SchemaManager.get_schema())  # no parameters: the SQL runs as written
    finally:
        cursor.close()
    bind.exec_driver_sql("SELECT set_config('search_path', %s, true)", (before,))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
