"""Process one upload: read it, detect, write each audience's verified copy into the store.

``process_upload(task)`` is the unit of work, and it is the job interface: idempotent,
at-least-once safe, given only an upload's id and the lease it runs under, so any engine
can run it (the embedded worker's process pool today; a distributed engine later, issue 9).
It runs in a worker process with its own database connection; every write is fenced by
the lease (``store.processing.hold_claim``) in the same transaction, so a worker that lost
its lease can write nothing, and a repeat after a crash finds the copies already made.

Each audience's copy is committed on its own as soon as it is made, so a crash between
audiences redoes only the missing ones. An upload that yields several documents (a ZIP,
an e-mail with attachments) gets one copy per audience: a ZIP of the verified copies.

Placeholders are numbered per case and audience, not per upload: each copy is planned from
the case's register and what it adds is saved (fenced by the lease, in a short transaction
of its own) before it is rendered, outside any transaction (``jobs.numbering``).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.detection.engine import DetectionEngine
from casework.documents import ReaderRegistry, ReadFailure, ReadOptions, iter_documents
from casework.domain.document import Document
from casework.domain.labels import Label
from casework.errors import CaseworkError, UnreadableDocument
from casework.jobs.bundle import DocumentFindings, findings_of, release_names
from casework.jobs.numbering import CopyOf, RegisterAccess, numbered
from casework.plugins import audience_registry, reader_registry, recognizer_registry
from casework.redaction import (
    Audience,
    AudienceRegistry,
    PlaceholderBook,
    RedactionPlan,
    log_rows,
    output_name,
    plan_redactions,
    render,
)
from casework.redaction.review import Reviewed, SpanDecision, Verdict, review_parts
from casework.redaction.service import output_format
from casework.security.audit import AuditRecord, Outcome, append_audit
from casework.store.documents import DocumentStore, StoredBlob, open_document_store
from casework.store.engine import PoolConfig, for_writing, make_engine
from casework.store.processing import (
    FindingCount,
    LogEntry,
    NewCopy,
    Upload,
    add_copy,
    finish_claim,
    hold_claim,
    missing_audiences,
    upload_of,
)
from casework.store.review import decisions_of, decisions_sha256

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}
MAX_COPY_BYTES = 1 << 40
"""Copies are made by us, not uploaded: the store's size limit is not theirs."""
REDACT_ACTION = "document.redact"
WORKER_POOL = PoolConfig(size=1, max_overflow=1)
"""A pool process does one upload at a time: one PostgreSQL connection (and a spare) each,
so a hundred worker processes across machines hold ~100 connections, not 1,500."""


@dataclass(frozen=True, slots=True)
class UploadTask:
    """Everything a worker process needs to process one upload (picklable)."""

    document_id: UUID
    owner: str
    database_url: str
    store_root: Path
    audiences: tuple[str, ...]
    options: ReadOptions
    lease_seconds: int
    storage_url: str | None = None
    """CASEWORK_STORAGE_URL: None keeps documents in ``store_root``; ``s3://...`` a bucket."""
    s3_endpoint_url: str | None = None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)

    def document_store(self) -> DocumentStore:
        return open_document_store(
            self.storage_url, default_root=self.store_root, endpoint_url=self.s3_endpoint_url
        )


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What became of a task: the copies made now, or why it failed."""

    document_id: UUID
    copies: tuple[str, ...] = ()
    pages: int = 0
    error: str | None = None
    permanent: bool = False
    """The file itself is the cause (unreadable, a refused leak check): retrying is futile."""


@dataclass(frozen=True, slots=True)
class _Made:
    """An audience's copy made and verified, before its bytes are stored."""

    name: str
    format: str
    data: bytes
    findings: tuple[FindingCount, ...]
    log: tuple[LogEntry, ...]

    def stored_as(
        self, audience: str, blob: StoredBlob, decisions_sha256: str | None = None
    ) -> NewCopy:
        return NewCopy(
            audience=audience,
            blob=blob,
            name=self.name,
            content_type=CONTENT_TYPES[self.format],
            format=self.format,
            findings=self.findings,
            log=self.log,
            decisions_sha256=decisions_sha256,
        )


@dataclass(frozen=True, slots=True)
class _Rendered:
    part: str
    format: str
    data: bytes
    entries: tuple[LogEntry, ...]


class _Tools:
    """What a worker process builds once: readers, detection, audiences, database."""

    def __init__(self, database_url: str) -> None:
        self.readers: ReaderRegistry = reader_registry()
        self.engine: DetectionEngine = DetectionEngine(recognizer_registry())
        self.audiences: AudienceRegistry = audience_registry()
        self.database: Engine = make_engine(database_url, pool=WORKER_POOL)
        self.database_url = database_url


_tools: _Tools | None = None


def _tools_for(database_url: str) -> _Tools:
    global _tools
    if _tools is None or _tools.database_url != database_url:
        if _tools is not None:
            _tools.database.dispose()
        _tools = _Tools(database_url)
    return _tools


def reset_tools() -> None:
    """Drop this process's cached tools (a plugin registered since is then taken up)."""
    global _tools
    if _tools is not None:
        _tools.database.dispose()
    _tools = None


@contextmanager
def _writing(database: Engine) -> Iterator[Session]:
    with Session(for_writing(database), expire_on_commit=False) as session, session.begin():
        yield session


def _now() -> datetime:
    return datetime.now(UTC)


def process_upload(task: UploadTask) -> UploadOutcome:
    """Make every missing copy of one upload; never raises for a bad file (see the outcome).

    ``LostClaim`` (another worker took over) and database errors propagate: the caller
    counts them as a failed attempt that may pass.
    """
    tools = _tools_for(task.database_url)
    try:
        return _process(task, tools)
    except CaseworkError as error:
        return UploadOutcome(task.document_id, error=str(error), permanent=True)


def _progress(
    task: UploadTask, tools: _Tools, stage: str, done: int | None = None, total: int | None = None
) -> None:
    with _writing(tools.database) as session:
        hold_claim(
            session=session,
            document_id=task.document_id,
            owner=task.owner,
            now=_now(),
            lease=task.lease,
            stage=stage,
            pages_done=done,
            pages_total=total,
        )


def _register_access(task: UploadTask, tools: _Tools, stage: str) -> RegisterAccess:
    """The case's placeholder register, written only while this worker holds the lease."""

    def fence(session: Session) -> None:
        hold_claim(
            session=session,
            document_id=task.document_id,
            owner=task.owner,
            now=_now(),
            lease=task.lease,
            stage=stage,
        )

    return RegisterAccess.on_engine(tools.database, fence=fence)


def _process(task: UploadTask, tools: _Tools) -> UploadOutcome:
    with Session(tools.database) as session:
        upload = upload_of(session=session, document_id=task.document_id)
        wanted = missing_audiences(
            session=session, document_id=task.document_id, audiences=task.audiences
        )
    audiences = [tools.audiences.get(name) for name in wanted]
    made: list[str] = []
    pages = 0
    if audiences:
        _progress(task, tools, "reading")
        store = task.document_store()
        documents = _read(upload, store, task.options, tools.readers)
        pages = sum(d.page_count for d in documents)
        _progress(task, tools, "detecting", 0, pages * len(audiences))
        found = [findings_of(d, tools.engine) for d in documents]
        with Session(tools.database) as session:
            reviews, decided = planned_reviews(session, upload.id, documents, found)
        for number, audience in enumerate(audiences):

            def advance(done: int, number: int = number, name: str = audience.name) -> None:
                _progress(task, tools, f"redacting for {name}", number * pages + done)

            def plan(book: PlaceholderBook, audience: Audience = audience) -> CopyPlan:
                return plan_copy(
                    upload=upload,
                    documents=documents,
                    found=found,
                    reviews=reviews,
                    audience=audience,
                    engine=tools.engine,
                    book=book,
                )

            planned = numbered(
                access=_register_access(task, tools, f"numbering for {audience.name}"),
                copy=CopyOf(upload.case_id, upload.force, audience.name),
                plan=plan,
            )
            made_copy = render_planned(planned, advance=advance)
            blob = store.put_bytes(made_copy.data, max_bytes=MAX_COPY_BYTES)
            copy = made_copy.stored_as(audience.name, blob, decided)
            with _writing(tools.database) as session:
                now = _now()
                hold_claim(
                    session=session,
                    document_id=upload.id,
                    owner=task.owner,
                    now=now,
                    lease=task.lease,
                    stage=f"stored the {audience.name} copy",
                    pages_done=(number + 1) * pages,
                )
                copy_id = add_copy(
                    session=session,
                    upload=upload,
                    copy=copy,
                    made_by=f"worker {task.owner}",
                    now=now,
                )
                if copy_id is not None:
                    _audit(session, upload, copy_id, copy, blob.sha256, task.owner, now)
                    made.append(audience.name)
    with _writing(tools.database) as session:
        finish_claim(session=session, document_id=upload.id, owner=task.owner, now=_now())
    return UploadOutcome(task.document_id, copies=tuple(made), pages=pages)


def _read(
    upload: Upload, store: DocumentStore, options: ReadOptions, readers: ReaderRegistry
) -> list[Document]:
    """Every document in the upload; ``UnreadableDocument`` if any part cannot be read.

    A copy missing an attachment that could not be read would look complete to whoever
    reads it; the upload fails instead, naming the part.
    """
    if not store.has(upload.sha256):
        raise UnreadableDocument(f"upload {upload.id}", "its stored file is missing")
    documents: list[Document] = []
    with store.local_file(upload.sha256) as path:
        for item in iter_documents([path], options=options, registry=readers):
            if isinstance(item, ReadFailure):
                part = item.source.partition("!/")[2]
                where = f"upload {upload.id}" + (f" (part {part})" if part else "")
                raise UnreadableDocument(where, item.reason)
            documents.append(item)
    if not documents:
        raise UnreadableDocument(f"upload {upload.id}", "no document could be read from it")
    return documents


def reviews_of(
    session: Session, upload_id: UUID, documents: list[Document], found: list[DocumentFindings]
) -> list[Reviewed]:
    """Each document's findings with the reviewers' decisions on the upload applied."""
    return planned_reviews(session, upload_id, documents, found)[0]


def planned_reviews(
    session: Session, upload_id: UUID, documents: list[Document], found: list[DocumentFindings]
) -> tuple[list[Reviewed], str]:
    """``reviews_of``, and the fingerprint of the decisions read, for the copy to keep.

    The copy is recorded later than this read; the fingerprint says which decisions it
    follows (a bundle leaves it out once the upload's decisions differ).
    """
    stored = decisions_of(session=session, document_id=upload_id)
    decisions = [
        SpanDecision(
            part=d.part,
            start=d.start,
            end=d.end,
            label=Label(d.label),
            verdict=Verdict(d.verdict),
            decided_by=d.decided_by,
            note=d.note,
        )
        for d in stored
        if d.label in Label.__members__.values() and d.verdict in Verdict.__members__.values()
    ]
    reviews = review_parts(
        texts=[d.text for d in documents],
        findings=[f.findings for f in found],
        decisions=decisions,
    )
    return reviews, decisions_sha256(stored)


@dataclass(frozen=True, slots=True)
class CopyPlan:
    """An audience's copy of an upload planned, every placeholder numbered; not yet rendered."""

    plans: tuple[RedactionPlan, ...]
    found: tuple[DocumentFindings, ...]


def plan_copy(
    *,
    upload: Upload,
    documents: list[Document],
    found: list[DocumentFindings],
    reviews: list[Reviewed],
    audience: Audience,
    engine: DetectionEngine,
    book: PlaceholderBook,
) -> CopyPlan:
    """Choose what ``audience``'s copy of every document of the upload removes, and how.

    Numbers with ``book`` (which may go on from the case's register: ``jobs.numbering``)
    every value the copy will show as a placeholder, in reading order over the whole
    upload, its parts' names included: rendering the plan numbers nothing more. Names are
    pseudonymised like the text. The reviewers' decisions (``reviews``) say which findings
    go, over the policy.
    """
    book.add_findings(
        ([f for f in r.findings if r.removes(audience)(f)] for r in reviews), audience
    )
    top = documents[0].source.partition("!/")[0]
    names = release_names(
        found,
        relative={top: upload.name},
        engine=engine,
        book=book,
        audience=audience,
        as_text=False,
    )
    plans = tuple(
        plan_redactions(
            document=replace(document, source=names[document.source]),
            findings=review.findings,
            audience=audience,
            book=book,
            removes=review.removes(audience),
        )
        for document, review in zip(documents, reviews, strict=True)
    )
    return CopyPlan(plans, tuple(found))


def render_planned(plan: CopyPlan, *, advance: Callable[[int], None]) -> _Made:
    """Render and verify every document of a planned copy (one ZIP if there are several).

    ``render`` re-reads every output and raises ``LeakDetected`` rather than return a copy
    that still shows a removed value. ``advance`` is told the pages done after each one.
    """
    rendered: list[_Rendered] = []
    labels_found: Counter[str] = Counter()
    labels_removed: Counter[str] = Counter()
    done = 0
    for document_plan, findings in zip(plan.plans, plan.found, strict=True):
        data = render(document_plan)
        document = document_plan.document
        fmt = output_format(document)
        labels_found.update(str(f.label) for f in findings.findings)
        labels_removed.update(str(r.label) for r in document_plan.redactions)
        entries = tuple(
            LogEntry(
                part=row.document,
                page=row.page,
                label=row.label,
                reason=row.reason,
                recognizer=row.recognizer,
                placeholder=row.placeholder,
                start=row.start,
                end=row.end,
            )
            for row in log_rows(document_plan)
        )
        rendered.append(_Rendered(str(output_name(document.source, fmt)), fmt, data, entries))
        done += document.page_count
        advance(done)
    summary = tuple(
        FindingCount(label, labels_found[label], labels_removed[label])
        for label in sorted(labels_found | labels_removed)
    )
    log = tuple(e for r in rendered for e in r.entries)
    if len(rendered) == 1:
        only = rendered[0]
        return _Made(PurePosixPath(only.part).name, only.format, only.data, summary, log)
    stem = PurePosixPath(rendered[0].part).parts[0]
    return _Made(f"{stem}.zip", "zip", _zip(rendered), summary, log)


def make_copy(
    *,
    upload: Upload,
    documents: list[Document],
    found: list[DocumentFindings],
    reviews: list[Reviewed],
    audience: Audience,
    engine: DetectionEngine,
    advance: Callable[[int], None],
    book: PlaceholderBook | None = None,
) -> _Made:
    """Plan and render the audience's copy of the upload (``plan_copy``, ``render_planned``).

    ``book`` defaults to a new one: numbers of this upload alone. Copies of a case's
    uploads are numbered from the case's register instead (``jobs.numbering``).
    """
    plan = plan_copy(
        upload=upload,
        documents=documents,
        found=found,
        reviews=reviews,
        audience=audience,
        engine=engine,
        book=book if book is not None else PlaceholderBook(),
    )
    return render_planned(plan, advance=advance)


def _zip(rendered: list[_Rendered]) -> bytes:
    """One archive of several verified copies, with a fixed date so it is the same each time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in rendered:
            info = zipfile.ZipInfo(item.part, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, item.data)
    return buffer.getvalue()


def _audit(
    session: Session,
    upload: Upload,
    copy_id: UUID,
    copy: NewCopy,
    sha256: str,
    owner: str,
    now: datetime,
) -> None:
    """The copy goes into the audit log with the transaction that records it (once)."""
    append_audit(
        session=session,
        record=AuditRecord(
            actor="casework-worker",
            actor_role="system",
            force=upload.force,
            action=REDACT_ACTION,
            outcome=Outcome.ALLOWED,
            case_reference=upload.case_reference,
            target=str(copy_id),
            detail={
                "audience": copy.audience,
                "derived_from": str(upload.id),
                "sha256": sha256,
                "redactions": len(copy.log),
                "worker": owner[:120],
            },
        ),
        now=now,
    )
