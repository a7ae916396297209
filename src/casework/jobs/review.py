"""Review an upload: what detection found in it, and its copies made again with the decisions.

The review screen needs each document of an upload with its findings; they are not stored
(detection is deterministic and fast), so they are read again here, kept in a small cache
by the upload's SHA-256. ``remake_copies`` renders each audience's copy with the reviewers'
decisions applied (the same ``plan_copy`` the worker uses, so the worker honours them too),
re-verifies it, and replaces the copy, its findings summary and its log in one transaction.
Its placeholders go on from the case's register, as the worker's do: a remade copy keeps
the numbers its values had, and a value added in review gets the case's next number.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from uuid import UUID

from sqlalchemy.orm import Session

from casework.detection.engine import DetectionEngine
from casework.documents import ReaderRegistry, ReadOptions
from casework.domain.document import Document
from casework.domain.labels import Label
from casework.errors import InvalidInput, NotFound
from casework.jobs.bundle import DocumentFindings, findings_of
from casework.jobs.numbering import CopyOf, RegisterAccess, numbered
from casework.jobs.processing import (
    MAX_COPY_BYTES,
    CopyPlan,
    _read,
    plan_copy,
    planned_reviews,
    render_planned,
    reviews_of,
)
from casework.plugins import audience_registry, reader_registry, recognizer_registry
from casework.redaction import Audience, AudienceRegistry, PlaceholderBook
from casework.redaction.review import Reviewed, Verdict, occurrences
from casework.store.documents import DocumentStore
from casework.store.processing import NewCopy, Upload, upload_of
from casework.store.review import StoredDecision, forget_decision, record_decision, replace_copy

logger = logging.getLogger(__name__)

CACHED_UPLOADS = 8


@dataclass(frozen=True, slots=True)
class UploadReading:
    """The documents of one upload (with page geometry) and what detection found in each."""

    documents: tuple[Document, ...]
    found: tuple[DocumentFindings, ...]


@dataclass(frozen=True, slots=True)
class CopyRemade:
    """An audience's copy made again after a review: its id and how many spans it removes."""

    audience: str
    copy_id: UUID
    redactions: int


@cache
def _readers() -> ReaderRegistry:
    return reader_registry()


@cache
def _engine() -> DetectionEngine:
    return DetectionEngine(recognizer_registry())


@cache
def audiences() -> AudienceRegistry:
    """The audiences copies can be made for (built-in and plugins')."""
    return audience_registry()


_cache: OrderedDict[tuple[str, str, ReadOptions], UploadReading] = OrderedDict()
_cache_lock = threading.Lock()


def read_upload(*, blobs: DocumentStore, upload: Upload, options: ReadOptions) -> UploadReading:
    """Read and detect an upload with page geometry (``UnreadableDocument`` if it cannot be).

    Geometry places each finding on the page image; the text, and so every offset, is the
    same as the worker's reading without it. The last few uploads read are kept (by store,
    SHA-256 and options): paging through a review reads the upload once.
    """
    with_geometry = replace(options, geometry=True)
    key = (blobs.location, upload.sha256, with_geometry)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    documents = _read(upload, blobs, with_geometry, _readers())
    reading = UploadReading(tuple(documents), tuple(findings_of(d, _engine()) for d in documents))
    with _cache_lock:
        _cache[key] = reading
        while len(_cache) > CACHED_UPLOADS:
            _cache.popitem(last=False)
    return reading


def reviewed(*, session: Session, upload: Upload, reading: UploadReading) -> list[Reviewed]:
    """Each document's findings with the upload's decisions applied."""
    return reviews_of(session, upload.id, list(reading.documents), list(reading.found))


def remake_copies(
    *,
    session: Session,
    blobs: DocumentStore,
    document_id: UUID,
    audiences_wanted: Sequence[Audience],
    options: ReadOptions,
    made_by: str,
    now: datetime,
) -> list[CopyRemade]:
    """Make each audience's copy again with the decisions applied, verified, and record it.

    Raises ``LeakDetected`` (nothing replaced) if a copy still shows a removed value, as
    the verifier decides; the caller's transaction then rolls back every copy of this call.
    The caller writes the audit entry, in the same transaction.
    """
    upload = upload_of(session=session, document_id=document_id)
    made: list[CopyRemade] = []
    for audience in audiences_wanted:
        stored = render_copy(
            session=session, blobs=blobs, upload=upload, audience=audience, options=options
        )
        copy_id = replace_copy(
            session=session, upload=upload, copy=stored, made_by=made_by, now=now
        )
        made.append(CopyRemade(audience.name, copy_id, len(stored.log)))
        logger.info("remade the %s copy of upload %s after review", audience.name, upload.id)
    return made


def render_copy(
    *,
    session: Session,
    blobs: DocumentStore,
    upload: Upload,
    audience: Audience,
    options: ReadOptions,
    register: RegisterAccess | None = None,
) -> NewCopy:
    """Make and verify ``audience``'s copy with the decisions, and store its bytes.

    Placeholders go on from the case's register (values already numbered keep their
    numbers); what the copy adds is saved through ``register``, by default in
    ``session``'s transaction. A job passes its own (short write transactions fenced by
    its lease), and ``session`` is then only read: it renders outside any write
    transaction. The copy carries the fingerprint of the decisions it was planned from
    (a decision taken before it is recorded is not in it). Raises ``LeakDetected`` if the
    copy still shows a removed value.
    """
    reading = read_upload(blobs=blobs, upload=upload, options=options)
    reviews, decided = planned_reviews(
        session, upload.id, list(reading.documents), list(reading.found)
    )

    def plan(book: PlaceholderBook) -> CopyPlan:
        return plan_copy(
            upload=upload,
            documents=list(reading.documents),
            found=list(reading.found),
            reviews=reviews,
            audience=audience,
            engine=_engine(),
            book=book,
        )

    planned = numbered(
        access=register or RegisterAccess.in_transaction(session),
        copy=CopyOf(upload.case_id, upload.force, audience.name),
        plan=plan,
    )
    copy = render_planned(planned, advance=lambda _done: None)
    blob = blobs.put_bytes(copy.data, max_bytes=MAX_COPY_BYTES)
    return copy.stored_as(audience.name, blob, decided)


UNDO = "undo"
VERDICTS = (Verdict.ACCEPT.value, Verdict.REJECT.value, UNDO, Verdict.ADD.value)


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """One reviewer's act on an upload: a verdict on a span, or text to add as a redaction."""

    part: int
    verdict: str
    """``accept``, ``reject``, ``undo`` (back to detection's proposal) or ``add``."""
    label: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    """For ``add``: the text to redact, wherever it occurs in the part."""
    note: str = ""


def decide(
    *,
    session: Session,
    blobs: DocumentStore,
    options: ReadOptions,
    document_id: UUID,
    case_id: UUID,
    request: ReviewRequest,
    actor: str,
    now: datetime,
) -> int:
    """Record a reviewer's decision on an upload of ``case_id``; return the spans it covers.

    Raises ``InvalidInput`` naming the field (verdict, label, part, start, end, text) and
    stores nothing when the request does not fit the upload; ``NotFound`` when the upload
    is not the case's.
    """
    if request.verdict not in VERDICTS:
        raise InvalidInput("verdict: choose accept, reject, undo or add")
    if request.label not in {label.value for label in Label}:
        raise InvalidInput("label: choose what kind of information the text is")
    upload = upload_of(session=session, document_id=document_id)
    if upload.case_id != case_id:
        raise NotFound(f"no upload {document_id} in this case")
    reading = read_upload(blobs=blobs, upload=upload, options=options)
    if not 0 <= request.part < len(reading.documents):
        raise InvalidInput(f"part: the upload has {len(reading.documents)} part(s), from 0")
    text = reading.documents[request.part].text
    if request.verdict == Verdict.ADD.value:
        spans = occurrences(text, request.text)
    else:
        start, end = request.start, request.end
        if start is None or end is None or not 0 <= start < end <= len(text):
            raise InvalidInput(f"start: give a span within the part's {len(text)} characters")
        spans = [(start, end)]
    for start, end in spans:
        if request.verdict == UNDO:
            forget_decision(
                session=session, document_id=upload.id, part=request.part, start=start, end=end
            )
            continue
        record_decision(
            session=session,
            upload=upload,
            decision=StoredDecision(
                part=request.part,
                start=start,
                end=end,
                label=request.label,
                verdict=request.verdict,
                note=request.note[:2000],
                decided_by=actor,
                decided_at=now,
            ),
        )
    return len(spans)
