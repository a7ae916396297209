"""``/api/cases/{reference}/documents``: upload a case's documents, list them, download one.

An upload is type-checked by its content (the readers' bids on its first bytes; the name
and the client's Content-Type are ignored), limited to ``CASEWORK_MAX_DOCUMENT_BYTES``, and
stored content-addressed with its SHA-256 before anything reads it. A download is audited;
which version a user may have (the upload, or an audience's redacted copy) is the policy's
to say: a CPS user only ever gets the CPS copy, and a 404 until there is one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.datastructures import UploadFile

from casework.api.deps import (
    ACTION_KEY,
    AuditDep,
    Authorized,
    CaseInScope,
    SessionDep,
    SettingsDep,
    requires,
    without_database,
)
from casework.config import Settings
from casework.documents.base import HEAD_BYTES
from casework.documents.registry import ReaderRegistry, media_type
from casework.errors import InvalidInput, NotFound, TooLarge, UnsupportedFormat
from casework.jobs.queue import queue_now
from casework.plugins import reader_registry
from casework.security.access import case_facts
from casework.security.audit import Outcome
from casework.security.policy import DocumentResource, can, default_audience
from casework.security.roles import Action
from casework.store.documents import (
    BlobStore,
    DocumentStore,
    NewDocument,
    StoredDocument,
    add_document,
    case_documents,
    clean_name,
    document_version,
    open_document_store,
    read_chunks,
)

router = APIRouter(prefix="/api/cases/{reference}/documents", tags=["documents"])

FILE_FIELD = "file"
MULTIPART_OVERHEAD = 64 * 1024
"""Room for the multipart framing around the file when checking Content-Length."""

_UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [FILE_FIELD],
                "properties": {FILE_FIELD: {"type": "string", "format": "binary"}},
            }
        }
    },
}


@cache
def _readers() -> ReaderRegistry:
    return reader_registry()


def blob_store(settings: Settings) -> DocumentStore:
    """The document store of these settings: ``CASEWORK_HOME/documents`` or CASEWORK_STORAGE_URL."""
    return open_document_store(
        settings.storage_url,
        default_root=settings.home / "documents",
        endpoint_url=settings.s3_endpoint_url,
    )


async def _the_file(
    request: Request, limit: int, setting: str = "CASEWORK_MAX_DOCUMENT_BYTES"
) -> UploadFile:
    """Parse the multipart body after checking its declared size (nothing past it is read)."""
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise InvalidInput(f"{FILE_FIELD}: send the upload with a Content-Length header")
    if int(declared) > limit + MULTIPART_OVERHEAD:
        raise TooLarge(
            f"{FILE_FIELD}: {declared} bytes is more than the limit of {limit} bytes ({setting})"
        )
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput(f"{FILE_FIELD}: send the document as multipart/form-data")
    try:
        form = await request.form(max_files=1, max_fields=4)
    except (ValueError, KeyError, AssertionError) as error:
        raise InvalidInput(f"{FILE_FIELD}: the multipart body cannot be read ({error})") from error
    upload = form.get(FILE_FIELD)
    if not isinstance(upload, UploadFile):
        raise InvalidInput(
            f"{FILE_FIELD}: send the document as a multipart file field named {FILE_FIELD!r}"
        )
    return upload


@router.post(
    "",
    status_code=201,
    openapi_extra={
        ACTION_KEY: requires(Action.DOCUMENT_UPLOAD)["openapi_extra"][ACTION_KEY],
        "requestBody": _UPLOAD_BODY,
    },
    responses={413: {"description": "Too large"}, 415: {"description": "Unknown format"}},
)
async def upload_document(
    request: Request,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> StoredDocument:
    """Upload a document to the case (multipart field ``file``); its type is read from its bytes."""
    limit = settings.max_document_bytes
    async with without_database(request, store):  # the body streams in; no lock, no slot
        upload = await _the_file(request, limit)
        name = clean_name(upload.filename or "upload")
        head = await upload.read(HEAD_BYTES)
        reader = _readers().identify(head)
        if reader is None:
            raise UnsupportedFormat(
                name,
                "not a format Casework reads (PDF, Word, e-mail, Outlook, ZIP, HTML or "
                "text), judged by its content, not its name",
            )
        await upload.seek(0)
        blob = await run_in_threadpool(
            blob_store(settings).put, read_chunks(upload.file), max_bytes=limit
        )
    stored = add_document(
        session=store.session,
        case_id=case.case_id,
        force=case.force,
        new=NewDocument(name=name, blob=blob, content_type=media_type(reader), format=reader.NAME),
        uploaded_by=principal.username,
        now=datetime.now(UTC),
    )
    audit.wrote(
        store,
        principal,
        action=Action.DOCUMENT_UPLOAD.value,
        case_reference=case.reference,
        target=str(stored.id),
        detail={"sha256": blob.sha256, "size": blob.size, "format": reader.NAME},
    )
    store.commit()  # a worker may take the job at once: the upload must be there
    await run_in_threadpool(queue_now, settings, uploads=[stored.id])
    return stored


@router.get("", **requires(Action.DOCUMENT_LIST))
def list_documents(
    case: CaseInScope, principal: Authorized, store: SessionDep
) -> list[StoredDocument]:
    """The case's documents in the versions you may read (a CPS user: the CPS copies)."""
    return [
        d
        for d in case_documents(session=store.session, case_id=case.case_id)
        if can(principal, Action.DOCUMENT_READ, DocumentResource(case, d.audience))
    ]


@router.get(
    "/{document_id}",
    **requires(Action.DOCUMENT_READ),
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_document(
    reference: str,
    document_id: UUID,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    audience: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^[a-z][a-z0-9_-]*$",
            description="Which version: original, cps, ...; default: original (a CPS user: cps).",
        ),
    ] = None,
) -> Response:
    """Download a document in one audience's version; every download is in the audit log."""
    key = reference.strip().upper()
    wanted = audience or default_audience(principal)
    facts = case_facts(session=store.session, principal=principal, reference=key)
    allowed = facts is not None and can(
        principal, Action.DOCUMENT_READ, DocumentResource(facts, wanted)
    )
    found = (
        document_version(
            session=store.session,
            case_id=facts.case_id,
            document_id=document_id,
            audience=wanted,
        )
        if facts is not None and allowed
        else None
    )
    if facts is None or found is None:
        store.rollback()
        audit.separately(
            principal,
            action=Action.DOCUMENT_READ.value,
            outcome=Outcome.DENIED if not allowed else Outcome.FAILED,
            case_reference=key[:24],
            target=str(document_id),
            detail={"audience": wanted},
        )
        fallback = facts is not None and can(
            principal, Action.DOCUMENT_READ, DocumentResource(facts, default_audience(principal))
        )
        if allowed or fallback:
            raise NotFound(f"no document {document_id} for the {wanted} audience")
        raise NotFound(f"no case {key}")
    stored = blob_store(settings)
    if not stored.has(found.sha256):
        raise NotFound(f"the stored file of document {document_id} is missing")
    audit.separately(
        principal,
        action=Action.DOCUMENT_READ.value,
        case_reference=key,
        target=str(found.id),
        detail={"audience": found.audience, "sha256": found.sha256},
    )
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}",
        "ETag": f'"{found.sha256}"',
        "Cache-Control": "no-store",
    }
    if isinstance(stored, BlobStore):
        path = stored.path_of(found.sha256)
        return FileResponse(path, media_type=found.content_type, headers=headers)
    stream = read_chunks(stored.open(found.sha256))
    return StreamingResponse(stream, media_type=found.content_type, headers=headers)
