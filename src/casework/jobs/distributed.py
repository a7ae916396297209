"""Jobs on procrastinate (PostgreSQL): workers on many machines share one database.

Why procrastinate: its queue is a few tables and functions in the PostgreSQL database a
national deployment already runs, taken with ``SELECT ... FOR UPDATE SKIP LOCKED`` and
woken by LISTEN/NOTIFY, so adding machines needs no broker (no Redis, no RabbitMQ) and
jobs are as durable and backed up as the cases. It is MIT-licensed and maintained, uses
psycopg 3 (our driver), and since version 3 records a heartbeat per worker, which is how a
job whose worker was killed or whose machine was lost is found and run again elsewhere.

One job per upload (``casework.process_upload``), queued with a queueing lock so an upload
waits in the queue at most once; likewise one per copy remade after review
(``casework.remake_copy``) and one per export (``casework.run_export``: a summary PDF, a
disclosure bundle), each naming its row. Each ``casework worker``:

- runs procrastinate's worker with as many jobs at once as it has pool processes; a job
  leases its upload (``processing_claims``), hands ``process_upload`` to the pool and
  records the outcome exactly as the local worker does (same leases, same progress, same
  failure counting), so the copies, logs and audit entries are written once however often
  a job runs;
- feeds the queue: uploads that lack a copy and have no job waiting or running get one
  (uploads stored by the API or a restore are thus never missed, even with no one to
  defer them);
- retries stalled jobs: a job still ``doing`` whose worker's heartbeat is older than the
  lease is put back to ``todo``; until the dead worker's lease has run out the retried job
  finds the upload busy and is retried a little later (``ClaimBusy``);
- expires exports kept their time (CASEWORK_EXPORT_KEEP_DAYS), every few minutes, as the
  local worker does (``Worker.expire_when_due``): of several workers doing it at once, each
  export is expired, its file removed and audited by exactly one (a conditional update).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from procrastinate.jobs import Status
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.jobs.export_run import ExportBusy
from casework.jobs.processing import UploadOutcome, process_upload
from casework.jobs.queue import EXPORT_TASK, QUEUE_SCHEMA, REMAKE_TASK, UPLOAD_TASK
from casework.jobs.remake import RemakeBusy
from casework.jobs.worker import Worker, WorkerConfig, WorkerReport
from casework.store import open_engine
from casework.store.exports import exports_due, unfinished_exports
from casework.store.processing import (
    WORKING,
    recent_uploads_to_process,
    release_claims,
    uploads_to_process,
    work_left,
)
from casework.store.processing_models import ProcessingClaimRow
from casework.store.remake import remakes_due, unfinished_remakes

logger = logging.getLogger(__name__)

TASK_NAME = UPLOAD_TASK
FEED_LIMIT = 256
"""Uploads queued per round at most: enough for many machines' workers between rounds."""
FULL_PASS_EVERY = timedelta(minutes=5)
"""How often the feeder looks at every upload (new audiences, uploads committed late);
between passes it looks only at recent uploads and unfinished claims (index scans)."""
RECENT = timedelta(minutes=15)
KEEP_FINISHED_HOURS = 7 * 24
"""Finished jobs are kept a week (for `casework jobs status` and inquiries), then deleted:
the upload's own record (claims, copies, audit) is what lasts."""
PRUNE_EVERY = timedelta(hours=1)
RUNNER = "casework_runner"


class ClaimBusy(RuntimeError):
    """Another worker holds a live lease on the upload: run this job again a little later."""


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL (psycopg's own)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(
            "CASEWORK_JOB_ENGINE=procrastinate needs PostgreSQL (CASEWORK_DATABASE_URL="
            "postgresql+psycopg://...); SQLite runs jobs on the local process pool"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def queue_lock(document_id: UUID) -> str:
    return f"upload:{document_id}"


def remake_lock(job_id: UUID) -> str:
    return f"remake:{job_id}"


def export_lock(job_id: UUID) -> str:
    return f"export:{job_id}"


def make_app(database_url: str, *, lease_seconds: int, max_connections: int = 4) -> App:
    """A procrastinate app on Casework's database, its queue in the ``procrastinate`` schema."""
    connector = PsycopgConnector(
        conninfo=conninfo(database_url),
        kwargs={"options": f"-c search_path={QUEUE_SCHEMA}"},
        min_size=1,
        max_size=max(2, max_connections),
    )
    app = App(connector=connector)
    app.task(
        name=TASK_NAME,
        pass_context=True,
        retry=RetryStrategy(
            max_attempts=1000,
            wait=max(1, lease_seconds // 2),
            retry_exceptions={ClaimBusy},
        ),
    )(_process_upload_job)
    app.task(
        name=REMAKE_TASK,
        pass_context=True,
        retry=RetryStrategy(
            max_attempts=1000,
            wait=max(1, lease_seconds // 2),
            retry_exceptions={RemakeBusy},
        ),
    )(_remake_copy_job)
    app.task(
        name=EXPORT_TASK,
        pass_context=True,
        retry=RetryStrategy(
            max_attempts=1000,
            wait=max(1, lease_seconds // 2),
            retry_exceptions={ExportBusy},
        ),
    )(_run_export_job)
    return app


def _process_upload_job(context: JobContext, document_id: str) -> str:
    """The job: process one upload on this worker's pool (see ``_Runner.run_one``)."""
    runner: _Runner = context.additional_context[RUNNER]
    return runner.run_one(UUID(document_id))


def _remake_copy_job(context: JobContext, job_id: str) -> str:
    """The job: make a copy again after review (jobs/remake.py), on this worker's thread."""
    runner: _Runner = context.additional_context[RUNNER]
    return runner.worker.run_remake(runner.engine, UUID(job_id))


def _run_export_job(context: JobContext, job_id: str) -> str:
    """The job: make an export's file (jobs/export_run.py), on this worker's thread."""
    runner: _Runner = context.additional_context[RUNNER]
    return runner.worker.run_export(runner.engine, UUID(job_id))


def _now() -> datetime:
    return datetime.now(UTC)


class _Runner:
    """What a worker's jobs share: the lease worker, its database engine and process pool."""

    def __init__(self, worker: Worker, engine: Engine) -> None:
        self.worker = worker
        self.engine = engine
        self._lock = threading.Lock()
        self._pool: Executor = worker._pool()

    def _submit(
        self, document_id: UUID, audiences: tuple[str, ...]
    ) -> tuple[Executor, Future[Any]]:
        with self._lock:
            pool = self._pool
            return pool, pool.submit(process_upload, self.worker._task(document_id, audiences))

    def _renew_pool(self, broken: Executor) -> None:
        with self._lock:
            if self._pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self.worker._pool()

    def _busy(self, document_id: UUID) -> bool:
        with Session(self.engine) as session:
            row = session.get(ProcessingClaimRow, document_id)
            return bool(
                row is not None
                and row.status == WORKING
                and row.lease_expires_at is not None
                and _as_utc(row.lease_expires_at) >= _now()
            )

    def run_one(self, document_id: UUID) -> str:
        """Lease the upload, process it on the pool, record the outcome; say what happened."""
        try:
            claim = self.worker._claim(self.engine, document_id)
        except NotFound:
            return "the upload was deleted"
        if claim is None:
            if self._busy(document_id):
                raise ClaimBusy(f"upload {document_id} is leased by another worker")
            return "nothing left to do"
        pool, future = self._submit(claim.document_id, claim.audiences)
        with contextlib.suppress(Exception):  # _settle reads the outcome or the error
            future.result()
        if not self.worker._settle(self.engine, document_id, future):
            self._renew_pool(pool)
        return "processed"

    def shutdown(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ProcrastinateQueue:
    """Upload processing as procrastinate jobs; ``work`` is one ``casework worker``."""

    engine = "procrastinate"

    def __init__(
        self,
        config: WorkerConfig,
        *,
        owner: str | None = None,
        on_outcome: Callable[[UploadOutcome], None] | None = None,
    ) -> None:
        conninfo(config.database_url)  # refuse anything but PostgreSQL now, not later
        self.config = config
        self.worker = Worker(config, owner=owner, on_outcome=on_outcome)
        self.owner = self.worker.owner
        self._full_pass_due: datetime | None = None
        self._prune_due = _now()

    @property
    def stalled_after(self) -> float:
        """Seconds without a heartbeat after which a worker counts as gone (its lease)."""
        return float(self.config.lease_seconds)

    @property
    def heartbeat_every(self) -> float:
        return max(1.0, self.config.lease_seconds / 6)

    def _app(self) -> App:
        return make_app(
            self.config.database_url,
            lease_seconds=self.config.lease_seconds,
            max_connections=self.config.processes + 3,
        )

    def submit(self, document_ids: Sequence[UUID]) -> int:
        async def defer_all() -> int:
            app = self._app()
            async with app.open_async():
                return await _defer(app, document_ids)

        return asyncio.run(defer_all())

    def work(self, stop: threading.Event, *, until_idle: bool = False) -> WorkerReport:
        engine = open_engine(self.config.database_url)
        beat_stop = threading.Event()
        beat = threading.Thread(
            target=self.worker._heartbeat,
            args=(engine, beat_stop),
            name="casework-lease",
            daemon=True,
        )
        beat.start()
        runner = _Runner(self.worker, engine)
        try:
            asyncio.run(self._work(runner, stop, until_idle=until_idle))
        finally:
            try:
                with self.worker._writing(engine) as session:
                    release_claims(session=session, owner=self.owner, now=_now())
            except SQLAlchemyError:
                logger.exception("handing back the uploads of %s failed", self.owner)
            runner.shutdown()
            beat_stop.set()
            beat.join()
            engine.dispose()
        return self.worker.report

    async def _work(self, runner: _Runner, stop: threading.Event, *, until_idle: bool) -> None:
        app = self._app()
        async with app.open_async():
            jobs = asyncio.create_task(
                app.run_worker_async(
                    name=self.owner[:100],
                    concurrency=self.config.processes,
                    wait=True,
                    install_signal_handlers=False,
                    fetch_job_polling_interval=self.config.poll_seconds,
                    update_heartbeat_interval=self.heartbeat_every,
                    stalled_worker_timeout=self.stalled_after,
                    additional_context={RUNNER: runner},
                ),
                name="procrastinate worker",
            )
            try:
                while not stop.is_set() and not jobs.done():
                    try:
                        await self._feed(app, runner.engine)
                        await self._retry_stalled(app)
                        await self._prune(app)
                        await asyncio.to_thread(self.worker.expire_when_due, runner.engine)
                        if until_idle and not await asyncio.to_thread(self._left, runner.engine):
                            break
                    except (SQLAlchemyError, ConnectorException):  # the database is away
                        logger.exception("feeding the job queue failed; trying again")
                    await asyncio.sleep(self.config.poll_seconds)
            finally:
                await asyncio.to_thread(self._hand_back, runner.engine)
                jobs.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await jobs

    def _hand_back(self, engine: Engine) -> None:
        """Release this worker's leases first, so jobs still running stop at their next step."""
        try:
            with self.worker._writing(engine) as session:
                release_claims(session=session, owner=self.owner, now=_now())
        except SQLAlchemyError:
            logger.exception("handing back the uploads of %s failed", self.owner)

    def _left(self, engine: Engine) -> int:
        with Session(engine) as session:
            return (
                work_left(session=session, audiences=self.config.audiences)
                + unfinished_remakes(session=session)
                + unfinished_exports(session=session)
            )

    def _remakes_to_queue(self, engine: Engine) -> list[UUID]:
        """Remake jobs due that have no procrastinate job waiting or running."""
        with Session(engine) as session:
            due = remakes_due(session=session, now=_now(), limit=FEED_LIMIT)
            if not due:
                return []
            queued = _queued_locks(session, REMAKE_TASK)
        return [job_id for job_id in due if remake_lock(job_id) not in queued]

    def _exports_to_queue(self, engine: Engine) -> list[UUID]:
        """Exports due (waiting, or their worker's lease ran out) with no job waiting or running."""
        with Session(engine) as session:
            due = exports_due(session=session, now=_now(), limit=FEED_LIMIT)
            if not due:
                return []
            queued = _queued_locks(session, EXPORT_TASK)
        return [job_id for job_id in due if export_lock(job_id) not in queued]

    def _to_queue(self, engine: Engine) -> list[UUID]:
        """Uploads needing work that nobody leases and that have no job waiting or running."""
        now = _now()
        full = self._full_pass_due is None or now >= self._full_pass_due
        with Session(engine) as session:
            if full:
                candidates = uploads_to_process(
                    session=session, audiences=self.config.audiences, now=now, limit=FEED_LIMIT
                )
                if len(candidates) < FEED_LIMIT:  # caught up; a backlog keeps full passes
                    self._full_pass_due = now + FULL_PASS_EVERY
            else:
                candidates = recent_uploads_to_process(
                    session=session,
                    audiences=self.config.audiences,
                    now=now,
                    since=now - RECENT,
                    limit=FEED_LIMIT,
                )
            if not candidates:
                return []
            queued = set(
                session.scalars(
                    text(
                        f"SELECT queueing_lock FROM {QUEUE_SCHEMA}.procrastinate_jobs "  # noqa: S608
                        "WHERE task_name = :task AND status IN ('todo', 'doing') "
                        "AND queueing_lock IS NOT NULL"
                    ),
                    {"task": TASK_NAME},
                )
            )
        return [c for c in candidates if queue_lock(c) not in queued]

    async def _feed(self, app: App, engine: Engine) -> int:
        wanted = await asyncio.to_thread(self._to_queue, engine)
        remakes = await asyncio.to_thread(self._remakes_to_queue, engine)
        exports = await asyncio.to_thread(self._exports_to_queue, engine)
        return (
            await _defer(app, wanted)
            + await _defer_remakes(app, remakes)
            + await _defer_exports(app, exports)
        )

    async def _prune(self, app: App) -> None:
        """Delete jobs finished more than a week ago (hourly, by whichever worker is due)."""
        if _now() < self._prune_due:
            return
        self._prune_due = _now() + PRUNE_EVERY
        await app.job_manager.delete_old_jobs(
            nb_hours=KEEP_FINISHED_HOURS,
            include_failed=True,
            include_cancelled=True,
            include_aborted=True,
        )

    async def _retry_stalled(self, app: App) -> int:
        """Put back the jobs of workers that stopped sending heartbeats (killed, lost)."""
        retried = 0
        stalled = [
            job
            for task in (TASK_NAME, REMAKE_TASK, EXPORT_TASK)
            for job in await app.job_manager.get_stalled_jobs(
                task_name=task, seconds_since_heartbeat=self.stalled_after
            )
        ]
        for job in stalled:
            assert job.id is not None
            try:
                await app.job_manager.retry_job(job)
                retried += 1
                logger.warning("job %s (%s) of a stalled worker retried", job.id, job.task_kwargs)
            except ConnectorException:  # another worker retried it, or a twin waits already
                with contextlib.suppress(ConnectorException):
                    await app.job_manager.finish_job_by_id_async(
                        job.id, status=Status.FAILED, delete_job=False
                    )
        return retried


async def _defer(app: App, document_ids: Sequence[UUID]) -> int:
    """Queue one job per upload; one already waiting is left as it is."""
    task = app.tasks[TASK_NAME]
    added = 0
    for document_id in document_ids:
        try:
            await task.configure(queueing_lock=queue_lock(document_id)).defer_async(
                document_id=str(document_id)
            )
            added += 1
        except AlreadyEnqueued:
            continue
    return added


async def _defer_remakes(app: App, job_ids: Sequence[UUID]) -> int:
    """Queue one procrastinate job per remake job; one already waiting is left as it is."""
    task = app.tasks[REMAKE_TASK]
    added = 0
    for job_id in job_ids:
        try:
            await task.configure(queueing_lock=remake_lock(job_id)).defer_async(job_id=str(job_id))
            added += 1
        except AlreadyEnqueued:
            continue
    return added


async def _defer_exports(app: App, job_ids: Sequence[UUID]) -> int:
    """Queue one procrastinate job per export; one already waiting is left as it is."""
    task = app.tasks[EXPORT_TASK]
    added = 0
    for job_id in job_ids:
        try:
            await task.configure(queueing_lock=export_lock(job_id)).defer_async(job_id=str(job_id))
            added += 1
        except AlreadyEnqueued:
            continue
    return added


def _queued_locks(session: Session, task: str) -> set[str]:
    """The queueing locks of ``task``'s jobs waiting or running."""
    return set(
        session.scalars(
            text(
                f"SELECT queueing_lock FROM {QUEUE_SCHEMA}.procrastinate_jobs "  # noqa: S608
                "WHERE task_name = :task AND status IN ('todo', 'doing') "
                "AND queueing_lock IS NOT NULL"
            ),
            {"task": task},
        )
    )


def defer_now(
    database_url: str,
    *,
    uploads: Sequence[UUID] = (),
    remakes: Sequence[UUID] = (),
    exports: Sequence[UUID] = (),
    lease_seconds: int = 60,
) -> int:
    """Queue jobs now, from a web or API request (after its transaction has committed).

    Saves the workers' poll; if the queue cannot be reached the feeder queues them later.
    """

    async def defer_all() -> int:
        app = make_app(database_url, lease_seconds=lease_seconds, max_connections=2)
        async with app.open_async():
            return (
                await _defer(app, uploads)
                + await _defer_remakes(app, remakes)
                + await _defer_exports(app, exports)
            )

    try:
        return asyncio.run(defer_all())
    except (ConnectorException, OSError):
        logger.exception("queueing jobs failed; the workers' feeder will queue them")
        return 0
