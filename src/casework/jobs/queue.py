"""One job interface, two engines: a local process pool (SQLite) or procrastinate (PostgreSQL).

The unit of work is ``process_upload`` (jobs/processing.py): idempotent and fenced by the
upload's lease, so it may run twice without harm (at-least-once). What differs is who
hands it out:

- ``LocalQueue``: the embedded default. The uploads stored are the queue: the worker
  reconciles (which uploads lack a copy?) and runs them on its own process pool.
- ``ProcrastinateQueue`` (jobs/distributed.py): a job per upload in procrastinate's tables in
  the same PostgreSQL database; ``casework worker`` on any number of machines takes them,
  and a job whose worker stopped sending heartbeats (killed, machine lost) is retried on
  another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from casework.config import Settings
from casework.jobs.processing import UploadOutcome
from casework.jobs.worker import Worker, WorkerConfig, WorkerReport

LOCAL = "local"
PROCRASTINATE = "procrastinate"
QUEUE_SCHEMA = "procrastinate"
"""The PostgreSQL schema of procrastinate's tables (migration 0004_queue)."""
UPLOAD_TASK = "casework.process_upload"
REMAKE_TASK = "casework.remake_copy"
EXPORT_TASK = "casework.run_export"


class JobQueue(Protocol):
    """What ``casework worker`` and ``casework serve`` need from a job engine."""

    engine: str
    owner: str

    def submit(self, document_ids: Sequence[UUID]) -> int:
        """Ask for these uploads to be processed; return how many jobs were added.

        Repeating it is harmless: an upload already waiting is not queued twice.
        """
        ...

    def work(self, stop: threading.Event, *, until_idle: bool = False) -> WorkerReport:
        """Run jobs on this machine until ``stop`` is set (or, ``until_idle``, none are left)."""
        ...


class LocalQueue:
    """The embedded engine: the worker's reconciliation loop and its process pool."""

    engine = LOCAL

    def __init__(
        self,
        config: WorkerConfig,
        *,
        owner: str | None = None,
        on_outcome: Callable[[UploadOutcome], None] | None = None,
    ) -> None:
        self.worker = Worker(config, owner=owner, on_outcome=on_outcome)
        self.owner = self.worker.owner

    def submit(self, document_ids: Sequence[UUID]) -> int:
        """Nothing to add: a stored upload without its copies is found by the next round."""
        return 0

    def work(self, stop: threading.Event, *, until_idle: bool = False) -> WorkerReport:
        return self.worker.run(stop, until_idle=until_idle)


def engine_for(config: WorkerConfig) -> str:
    """The engine ``config`` asks for; ``auto`` is procrastinate on PostgreSQL, else local."""
    if config.engine != "auto":
        return config.engine
    backend = make_url(config.database_url).get_backend_name()
    return PROCRASTINATE if backend == "postgresql" else LOCAL


def queue_for(
    config: WorkerConfig,
    *,
    owner: str | None = None,
    on_outcome: Callable[[UploadOutcome], None] | None = None,
) -> JobQueue:
    """The job queue of these settings (``ValueError`` for procrastinate without PostgreSQL)."""
    if engine_for(config) == LOCAL:
        return LocalQueue(config, owner=owner, on_outcome=on_outcome)
    from casework.jobs.distributed import ProcrastinateQueue

    return ProcrastinateQueue(config, owner=owner, on_outcome=on_outcome)


def queue_now(
    settings: Settings,
    *,
    uploads: Sequence[UUID] = (),
    remakes: Sequence[UUID] = (),
    exports: Sequence[UUID] = (),
) -> int:
    """Queue these uploads', remake jobs' and exports' work at once, where there is a queue.

    Call it after the transaction that stored them has committed. On the local engine it
    adds nothing: its worker finds them within a poll. Returns how many jobs were added.
    """
    url = settings.resolved_database_url
    wanted = settings.job_engine
    if wanted == LOCAL or (wanted == "auto" and make_url(url).get_backend_name() != "postgresql"):
        return 0
    from casework.jobs.distributed import defer_now

    return defer_now(
        url,
        uploads=uploads,
        remakes=remakes,
        exports=exports,
        lease_seconds=settings.job_lease_seconds,
    )


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """The procrastinate queue at a glance: jobs by state and the workers alive."""

    waiting: int
    running: int
    succeeded: int
    failed: int
    workers: int
    """Workers whose heartbeat is more recent than ``stalled_after_s``."""


def queue_summary(session: Session, *, stalled_after_s: float = 60) -> QueueSummary | None:
    """Counts from procrastinate's tables; None where there is no queue (SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    rows = session.execute(
        text(
            f"SELECT status::text, count(*) FROM {QUEUE_SCHEMA}.procrastinate_jobs "  # noqa: S608
            "WHERE task_name = :task GROUP BY status"
        ),
        {"task": UPLOAD_TASK},
    ).all()
    counts: dict[str, int] = {str(status): int(n) for status, n in rows}
    workers = session.scalar(
        text(
            f"SELECT count(*) FROM {QUEUE_SCHEMA}.procrastinate_workers "  # noqa: S608
            "WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
        ),
        {"seconds": stalled_after_s},
    )
    return QueueSummary(
        waiting=counts.get("todo", 0),
        running=counts.get("doing", 0),
        succeeded=counts.get("succeeded", 0),
        failed=counts.get("failed", 0) + counts.get("aborted", 0),
        workers=int(workers or 0),
    )
