"""The embedded worker: find uploads to process, lease them, run them on a process pool.

No queue: each round asks the database which uploads lack a copy for an audience
(``store.processing.uploads_to_process``), takes a lease on as many as it has free
processes, and hands each to ``process_upload`` in the pool. A heartbeat thread renews the
leases while the work runs; a worker killed with kill -9 stops renewing, its leases run
out after ``CASEWORK_JOB_LEASE_SECONDS``, and any other worker takes the uploads over.
Several workers (on one machine or many) can share one database this way. Copies remade
after review and exports (jobs/export_run.py) are rows of their own, run on a thread each;
the exports' thread also removes, every ``EXPIRE_EVERY``, the files of exports kept their
time (CASEWORK_EXPORT_KEEP_DAYS, jobs/export_expiry.py).

Failures are counted on the upload: a file that cannot be read, or whose copy fails the
leak check, is given up at once with the reason; other errors are retried after a pause,
and an upload is given up after ``CASEWORK_JOB_MAX_ATTEMPTS`` attempts (a file that kills
its worker every time included), so nothing is retried for ever and nothing blocks the rest.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from casework.config import Settings
from casework.documents import ReadOptions
from casework.errors import NotFound
from casework.jobs.bundle import worker_count
from casework.jobs.export_expiry import BATCH as EXPIRE_BATCH
from casework.jobs.export_expiry import PurgeReport, purge_exports
from casework.jobs.export_run import ExportBusy, run_export
from casework.jobs.processing import UploadOutcome, UploadTask, process_upload
from casework.jobs.remake import RemakeBusy, run_remake
from casework.store import open_engine
from casework.store.documents import DocumentStore, open_document_store
from casework.store.engine import for_writing
from casework.store.exports import exports_due, unfinished_exports
from casework.store.processing import (
    Claim,
    LostClaim,
    fail_claim,
    finish_claim,
    give_up_claim,
    release_claims,
    renew_claims,
    take_claim,
    uploads_to_process,
    work_left,
)
from casework.store.remake import remakes_due, unfinished_remakes

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)
"""Pause before an upload whose attempt failed for a reason that may pass is tried again."""
EXPIRE_EVERY = timedelta(minutes=10)
"""How often a worker looks for exports kept their time (the first time: when it starts)."""


def parse_audiences(text: str) -> tuple[str, ...]:
    """``"cps, defence"`` -> ``("cps", "defence")``, in order, without repeats."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    return tuple(dict.fromkeys(names))


def worker_name() -> str:
    """A name for this worker that no other has: host, process id and a random part."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


def document_root(settings: Settings) -> Path:
    """The document store of these settings: ``CASEWORK_HOME/documents``."""
    return settings.home / "documents"


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """How a worker runs; ``from_settings`` reads the CASEWORK_* settings."""

    database_url: str
    store_root: Path
    audiences: tuple[str, ...]
    options: ReadOptions
    lease_seconds: int = 60
    max_attempts: int = 3
    processes: int = 1
    poll_seconds: float = 2.0
    retry_after: timedelta = RETRY_AFTER
    in_process: bool = False
    """Run the work on threads in this process instead of a process pool (tests)."""
    storage_url: str | None = None
    """CASEWORK_STORAGE_URL (None: documents in ``store_root``)."""
    s3_endpoint_url: str | None = None
    engine: str = "auto"
    """CASEWORK_JOB_ENGINE: ``local``, ``procrastinate`` or ``auto`` (by the database)."""
    export_keep_days: int = 7
    """CASEWORK_EXPORT_KEEP_DAYS: a finished export's file is removed after it (0: never)."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        processes: int = 0,
        poll_seconds: float = 2.0,
        in_process: bool = False,
    ) -> WorkerConfig:
        return cls(
            database_url=settings.resolved_database_url,
            store_root=document_root(settings),
            audiences=parse_audiences(settings.process_audiences),
            options=ReadOptions.from_settings(settings),
            lease_seconds=settings.job_lease_seconds,
            max_attempts=settings.job_max_attempts,
            processes=worker_count(processes or settings.workers),
            poll_seconds=poll_seconds,
            in_process=in_process,
            storage_url=settings.storage_url,
            s3_endpoint_url=settings.s3_endpoint_url,
            engine=settings.job_engine,
            export_keep_days=settings.export_keep_days,
        )

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)


@dataclass
class WorkerReport:
    """What a worker did while it ran."""

    processed: int = 0
    copies: int = 0
    pages: int = 0
    failed: list[tuple[UUID, str]] = field(default_factory=list)


def _child_init(worker_pid: int) -> None:
    """In each pool process: die with the worker, and leave Ctrl+C to the worker.

    On Linux the kernel kills the process when the worker dies (even by kill -9); a worker
    that died while this process was still starting is noticed here, by the parent's id.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != worker_pid:
        os._exit(1)


def _now() -> datetime:
    return datetime.now(UTC)


class Worker:
    """A loop over the uploads to process, with a pool for the CPU work."""

    def __init__(
        self,
        config: WorkerConfig,
        *,
        owner: str | None = None,
        on_outcome: Callable[[UploadOutcome], None] | None = None,
    ) -> None:
        if not config.audiences:
            raise ValueError("no audiences to process uploads for (CASEWORK_PROCESS_AUDIENCES)")
        self.config = config
        self.owner = owner or worker_name()
        self.on_outcome = on_outcome
        self.report = WorkerReport()
        self._expiry_due = _now()

    @contextmanager
    def _writing(self, engine: Engine) -> Iterator[Session]:
        with Session(for_writing(engine), expire_on_commit=False) as session, session.begin():
            yield session

    def _pool(self) -> Executor:
        if self.config.in_process:
            return ThreadPoolExecutor(self.config.processes, thread_name_prefix="casework-job")
        return ProcessPoolExecutor(
            self.config.processes,
            mp_context=get_context("spawn"),
            initializer=_child_init,
            initargs=(os.getpid(),),
        )

    def _task(self, document_id: UUID, audiences: tuple[str, ...]) -> UploadTask:
        return UploadTask(
            document_id=document_id,
            owner=self.owner,
            database_url=self.config.database_url,
            store_root=self.config.store_root,
            audiences=audiences,
            options=self.config.options,
            lease_seconds=self.config.lease_seconds,
            storage_url=self.config.storage_url,
            s3_endpoint_url=self.config.s3_endpoint_url,
        )

    def _claims(self, engine: Engine, wanted: int) -> list[Claim]:
        """Lease up to ``wanted`` uploads that need work (others' live leases are skipped)."""
        config = self.config
        with Session(engine) as session:
            candidates = uploads_to_process(
                session=session, audiences=config.audiences, now=_now(), limit=wanted * 4
            )
        taken: list[Claim] = []
        for document_id in candidates:
            if len(taken) == wanted:
                break
            try:
                claim = self._claim(engine, document_id)
            except NotFound:  # deleted since it was listed
                continue
            if claim is not None:
                taken.append(claim)
        return taken

    def _claim(self, engine: Engine, document_id: UUID) -> Claim | None:
        """Lease one upload; None when another worker has it or nothing is left to do."""
        config = self.config
        with self._writing(engine) as session:
            claim = take_claim(
                session=session,
                document_id=document_id,
                owner=self.owner,
                now=_now(),
                lease=config.lease,
                audiences=config.audiences,
            )
            if claim is None:
                return None
            if not claim.audiences:  # another worker finished it meanwhile
                finish_claim(session=session, document_id=document_id, owner=self.owner, now=_now())
                return None
            if claim.attempt > config.max_attempts:
                give_up_claim(
                    session=session,
                    document_id=document_id,
                    owner=self.owner,
                    now=_now(),
                    reason=f"given up after {config.max_attempts} attempts: the worker "
                    "processing it stopped each time without finishing (killed, or it "
                    "crashed on this file)",
                )
                self.report.failed.append((document_id, "stopped its worker every time"))
                return None
            return claim

    def _failed(self, engine: Engine, document_id: UUID, reason: str, *, permanent: bool) -> None:
        with self._writing(engine) as session:
            status = fail_claim(
                session=session,
                document_id=document_id,
                owner=self.owner,
                now=_now(),
                reason=reason,
                permanent=permanent,
                max_attempts=self.config.max_attempts,
                retry_after=self.config.retry_after,
            )
        if status is not None:
            logger.warning("upload %s: %s (%s)", document_id, reason, status)
            self.report.failed.append((document_id, reason))

    def _settle(self, engine: Engine, document_id: UUID, future: Future[UploadOutcome]) -> bool:
        """Record what became of one task; return False when the pool itself broke."""
        try:
            outcome = future.result()
        except BrokenProcessPool:
            self._failed(
                engine,
                document_id,
                "the process working on it stopped unexpectedly (out of memory, or killed)",
                permanent=False,
            )
            return False
        except LostClaim as error:
            logger.warning("%s", error)
            return True
        except Exception as error:  # a bug or a database outage: counted, tried again later
            logger.exception("processing upload %s failed", document_id)
            self._failed(
                engine,
                document_id,
                f"unexpected error ({type(error).__name__}: {error})",
                permanent=False,
            )
            return True
        if outcome.error is not None:
            self._failed(engine, document_id, outcome.error, permanent=outcome.permanent)
        else:
            self.report.processed += 1
            self.report.copies += len(outcome.copies)
            self.report.pages += outcome.pages
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return True

    def _work_left(self, engine: Engine) -> int:
        with Session(engine) as session:
            return (
                work_left(session=session, audiences=self.config.audiences)
                + unfinished_remakes(session=session)
                + unfinished_exports(session=session)
            )

    def _blobs(self) -> DocumentStore:
        config = self.config
        return open_document_store(
            config.storage_url, default_root=config.store_root, endpoint_url=config.s3_endpoint_url
        )

    def run_remake(self, engine: Engine, job_id: UUID) -> str:
        """Run one remake job (a copy made again after review) on this thread."""
        config = self.config
        return run_remake(
            engine=engine,
            blobs=self._blobs(),
            options=config.options,
            job_id=job_id,
            owner=self.owner,
            lease=config.lease,
            max_attempts=config.max_attempts,
        )

    def run_export(self, engine: Engine, job_id: UUID) -> str:
        """Make one export's file (a summary, a disclosure bundle) on this thread."""
        config = self.config
        return run_export(
            engine=engine,
            blobs=self._blobs(),
            job_id=job_id,
            owner=self.owner,
            lease=config.lease,
            max_attempts=config.max_attempts,
        )

    def expire_exports(self, engine: Engine) -> PurgeReport | None:
        """Expire one batch of exports kept their time, removing their files (None: kept
        for ever, CASEWORK_EXPORT_KEEP_DAYS=0). Audited as this worker's doing."""
        days = self.config.export_keep_days
        if days <= 0:
            return None
        return purge_exports(
            engine=engine,
            blobs=self._blobs(),
            keep=timedelta(days=days),
            now=_now(),
            by=self.owner,
            limit=EXPIRE_BATCH,
        )

    def expire_when_due(self, engine: Engine) -> None:
        """Expire exports if ``EXPIRE_EVERY`` has passed since the last time (both engines).

        Several workers may do it at once: each export is expired by exactly one of them
        (a conditional update, jobs/export_expiry.py). A full batch means more are due: the
        next round goes on at once.
        """
        if _now() < self._expiry_due:
            return
        self._expiry_due = _now() + EXPIRE_EVERY
        try:
            report = self.expire_exports(engine)
        except Exception:  # the database or the store is away: the next round tries again
            logger.exception("expiring exports failed")
            return
        if report is None:
            return
        if report.expired:
            logger.info(
                "%d export(s) expired: %d file(s) removed, %d kept for other uses",
                report.expired,
                report.removed,
                report.kept,
            )
        if report.expired + len(report.failed) >= EXPIRE_BATCH:
            self._expiry_due = _now()

    def _remakes(self, engine: Engine, stop: threading.Event) -> None:
        """Run the remake jobs that are due, oldest first, until told to stop.

        A thread of its own, so a long bundle's remake does not hold up uploads' copies.
        """
        self._run_due(engine, stop, "remake", remakes_due, self.run_remake, RemakeBusy)

    def _exports(self, engine: Engine, stop: threading.Event) -> None:
        """Run the exports that are due, oldest first, until told to stop (a thread too);
        between rounds, expire the exports kept their time."""
        self._run_due(
            engine,
            stop,
            "export",
            exports_due,
            self.run_export,
            ExportBusy,
            between=self.expire_when_due,
        )

    def _run_due(
        self,
        engine: Engine,
        stop: threading.Event,
        what: str,
        due_of: Callable[..., list[UUID]],
        run: Callable[[Engine, UUID], str],
        busy: type[Exception],
        between: Callable[[Engine], None] | None = None,
    ) -> None:
        """Run the jobs ``due_of`` finds, one at a time, until ``stop`` is set.

        ``between`` runs at the start of each round (housekeeping on the same thread).
        """
        while not stop.is_set():
            if between is not None:
                between(engine)
            due: list[UUID] = []
            try:
                with Session(engine) as session:
                    due = due_of(session=session, now=_now(), limit=8)
            except SQLAlchemyError:  # the database is away: try again next round
                logger.exception("looking for %s jobs failed", what)
            for job_id in due:
                if stop.is_set():
                    break
                try:
                    run(engine, job_id)
                except busy:
                    continue
                except Exception:  # put back (or failed) by the run; the loop goes on
                    logger.exception("%s job %s failed", what, job_id)
            if not due:
                stop.wait(self.config.poll_seconds)

    def _heartbeat(self, engine: Engine, stop: threading.Event) -> None:
        """Renew this worker's leases a few times per lease period until told to stop."""
        every = max(0.5, self.config.lease_seconds / 3)
        while not stop.wait(every):
            try:
                with self._writing(engine) as session:
                    renew_claims(
                        session=session, owner=self.owner, now=_now(), lease=self.config.lease
                    )
            except Exception:  # the next beat tries again; the lease has slack for it
                logger.exception("renewing the leases of %s failed", self.owner)

    def run(self, stop: threading.Event | None = None, *, until_idle: bool = False) -> WorkerReport:
        """Process uploads until ``stop`` is set (or, with ``until_idle``, none are left)."""
        stop = stop or threading.Event()
        engine = open_engine(self.config.database_url)
        beat_stop = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(engine, beat_stop), name="casework-lease", daemon=True
        )
        beat.start()
        rows_stop = threading.Event()
        remakes = threading.Thread(
            target=self._remakes,
            args=(engine, rows_stop),
            name="casework-remakes",
            daemon=True,
        )
        remakes.start()
        exports = threading.Thread(
            target=self._exports,
            args=(engine, rows_stop),
            name="casework-exports",
            daemon=True,
        )
        exports.start()
        pool = self._pool()
        inflight: dict[Future[UploadOutcome], UUID] = {}
        try:
            while not stop.is_set():
                free = self.config.processes - len(inflight)
                try:
                    claimed = self._claims(engine, free) if free > 0 else []
                except SQLAlchemyError:  # the database is away: keep the work, try again
                    logger.exception("looking for uploads to process failed")
                    claimed = []
                    if not inflight:
                        stop.wait(self.config.poll_seconds)
                        continue
                for claim in claimed:
                    task = self._task(claim.document_id, claim.audiences)
                    inflight[pool.submit(process_upload, task)] = claim.document_id
                if not inflight:
                    if until_idle and not claimed and not self._work_left(engine):
                        break
                    stop.wait(self.config.poll_seconds)
                    continue
                finished, _ = wait(
                    list(inflight), timeout=self.config.poll_seconds, return_when=FIRST_COMPLETED
                )
                healthy = True
                for future in finished:
                    healthy = self._settle(engine, inflight.pop(future), future) and healthy
                if not healthy:  # every task in a broken pool is lost: record, start afresh
                    for future, document_id in list(inflight.items()):
                        inflight.pop(future)
                        self._settle(engine, document_id, future)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
        finally:
            try:
                with self._writing(engine) as session:
                    release_claims(session=session, owner=self.owner, now=_now())
            except SQLAlchemyError:  # the leases then simply run out
                logger.exception("handing back the uploads of %s failed", self.owner)
            pool.shutdown(wait=True, cancel_futures=True)
            rows_stop.set()
            remakes.join()
            exports.join()
            beat_stop.set()
            beat.join()
            engine.dispose()
        return self.report


class EmbeddedWorker:
    """A worker on a background thread of another program (``casework serve``).

    It runs the configured engine (jobs/queue.py): the local loop on SQLite, a
    procrastinate worker on PostgreSQL, so a server is one more worker of the deployment.
    """

    def __init__(self, config: WorkerConfig) -> None:
        from casework.jobs.queue import queue_for  # queue builds on this module

        self.queue = queue_for(config)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="casework-worker", daemon=True)

    def _run(self) -> None:
        try:
            self.queue.work(self._stop)
        except Exception:  # the server goes on; uploads wait for a worker
            logger.exception("the embedded worker stopped")

    @property
    def owner(self) -> str:
        return self.queue.owner

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start_embedded_worker(settings: Settings) -> EmbeddedWorker:
    """Start processing uploads on a background thread (``casework serve``)."""
    embedded = EmbeddedWorker(WorkerConfig.from_settings(settings))
    embedded.start()
    logger.info("embedded worker %s started", embedded.owner)
    return embedded
