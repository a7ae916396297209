"""Export files expire: a finished export's file is kept for a while, then removed.

A disclosure bundle is a copy of a case's redacted documents outside the case; neither it
nor a summary should sit in storage once whoever asked for it has had time to fetch it.
``purge_exports`` finds the finished exports made longer ago than the time they are kept
(CASEWORK_EXPORT_KEEP_DAYS, or the operator's ``--older-than``) and, for each, in a
transaction of its own:

1. holds the file's checksum (``hold_blob``), so a worker recording the same bytes for
   another export waits for it, or, having recorded them first, is seen in step 3;
2. marks the export ``expired`` with a conditional UPDATE (still ``done``, still old
   enough): of several workers and an operator purging at once exactly one wins, the
   others skip it;
3. removes the file from the document store unless another finished export or a case
   document still names the same bytes (the store keeps equal bytes once: a bundle made
   twice of the same copies is the same ZIP);
4. appends one ``export.expire`` entry: who purged (a worker, the operator or an
   administrator), the checksum, and whether the file was removed or kept for another.

The file is removed before the transaction commits: should the commit fail, the export
stays ``done`` without its file (a fetch says the file is missing) and the next purge
expires it, whereas the other order could leave an expired export's file stored for ever.
Purging twice is harmless: an expired export is no longer ``done``, so nothing matches.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.errors import PermissionDenied
from casework.security.audit import AuditRecord, DetailValue, Outcome, append_audit
from casework.security.roles import UserRole
from casework.security.unit_audit import Actor
from casework.store.documents import DocumentStore, hold_blob
from casework.store.engine import for_writing
from casework.store.exports import (
    ExportJob,
    blob_in_use,
    expire_export,
    exports_to_expire,
)

logger = logging.getLogger(__name__)

EXPIRE_ACTION = "export.expire"
BATCH = 200
"""Exports looked at per query; a worker purges at most one batch per round."""
EXPIRED_STAGE = "expired: the file is no longer kept; ask for the export again"
WORKER_ACTOR = "casework-worker"
"""The audit entry's actor when a worker purges (its own name goes in the detail)."""


@dataclass
class PurgeReport:
    """What a purge did."""

    expired: int = 0
    """Exports marked expired."""
    removed: int = 0
    """Files removed from the document store."""
    kept: int = 0
    """Files left in place because another export or a case document still uses the bytes."""
    failed: list[tuple[UUID, str]] = field(default_factory=list)
    """Exports that could not be expired (left ``done``, tried again next time), and why."""


def may_purge(actor: Actor) -> None:
    """Refuse anyone but the operator at the shell or an administrator (``PermissionDenied``)."""
    principal = actor.principal
    if principal is not None and principal.role is not UserRole.ADMIN:
        raise PermissionDenied(
            f"your role ({principal.role.value}) may not purge export files: an administrator "
            "or the operator at the shell does"
        )


def _record(job: ExportJob, by: Actor | str, detail: dict[str, DetailValue]) -> AuditRecord:
    """The entry of one export expired, by an operator or administrator, or by a worker."""
    reference = str(job.parameters.get("case", ""))[:24] or None
    detail = {"kind": job.kind, **{str(k): str(v) for k, v in job.parameters.items()}, **detail}
    if isinstance(by, Actor):
        return by.record(
            action=EXPIRE_ACTION,
            case_reference=reference,
            target=f"export:{job.id}",
            detail=detail,
        )
    return AuditRecord(
        actor=WORKER_ACTOR,
        actor_role="system",
        force=job.force,
        action=EXPIRE_ACTION,
        outcome=Outcome.ALLOWED,
        case_reference=reference,
        target=f"export:{job.id}",
        detail={**detail, "worker": by[:120]},
    )


@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    with Session(for_writing(engine), expire_on_commit=False) as session, session.begin():
        yield session


def _expire_one(
    *,
    engine: Engine,
    blobs: DocumentStore,
    job: ExportJob,
    made_before: datetime,
    now: datetime,
    by: Actor | str,
    report: PurgeReport,
) -> None:
    """Expire one export and remove its file unless its bytes are still used (see above)."""
    result = job.result
    with _writing(engine) as session:
        if result is not None:
            hold_blob(session=session, sha256=result.sha256)
        if not expire_export(
            session=session, job_id=job.id, made_before=made_before, now=now, stage=EXPIRED_STAGE
        ):
            return  # another worker (or the operator) expired it meanwhile
        in_use = result is not None and blob_in_use(session=session, sha256=result.sha256)
        removed = result is not None and not in_use and blobs.delete(result.sha256)
        detail: dict[str, DetailValue] = {
            "made": job.finished_at.isoformat() if job.finished_at else "",
            "kept_until": made_before.isoformat(),
            "file": "kept: other exports or documents use the same bytes" if in_use else "removed",
        }
        if result is not None:
            detail |= {"sha256": result.sha256, "size": result.size, "name": result.name}
        append_audit(session=session, record=_record(job, by, detail), now=now)
    report.expired += 1
    report.removed += int(removed)
    report.kept += int(in_use)


def purge_exports(
    *,
    engine: Engine,
    blobs: DocumentStore,
    keep: timedelta,
    now: datetime,
    by: Actor | str,
    limit: int | None = None,
) -> PurgeReport:
    """Expire the finished exports made more than ``keep`` before ``now``; remove their files.

    ``by`` is who purges: an ``Actor`` (the operator, an administrator: ``may_purge``) or a
    worker's name. ``limit`` bounds how many exports are looked at (None: all due). An
    export whose file cannot be removed (the store unreachable) stays ``done``, is named
    in ``failed`` and is tried again by the next purge.
    """
    made_before = now - keep
    report = PurgeReport()
    failed: set[UUID] = set()
    tried = 0
    while limit is None or tried < limit:
        wanted = BATCH if limit is None else min(BATCH, limit - tried)
        with Session(engine) as session:
            due = exports_to_expire(
                session=session, made_before=made_before, limit=wanted + len(failed)
            )
        batch = [job for job in due if job.id not in failed][:wanted]
        if not batch:
            break
        for job in batch:
            tried += 1
            try:
                _expire_one(
                    engine=engine,
                    blobs=blobs,
                    job=job,
                    made_before=made_before,
                    now=now,
                    by=by,
                    report=report,
                )
            except Exception as error:  # rolled back: left done, tried again next time
                logger.exception("expiring export %s failed", job.id)
                failed.add(job.id)
                report.failed.append((job.id, f"{type(error).__name__}: {error}"))
    return report
