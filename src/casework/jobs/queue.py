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
from typing import Protocol
from uuid import UUID

from sqlalchemy.engine import make_url

from casework.jobs.processing import UploadOutcome
from casework.jobs.worker import Worker, WorkerConfig, WorkerReport

LOCAL = "local"
PROCRASTINATE = "procrastinate"


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
