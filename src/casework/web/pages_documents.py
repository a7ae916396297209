"""A case's documents: upload a bundle, follow its processing, review findings, redacted copies.

Every route takes the API's guard and writes the audit entries the documents API writes.
Reading an upload (the review screen) needs ``document.read`` on the ``original`` version
as well as ``document.upload`` (reviewers are who may add documents: investigators and
supervisors); a copy is shown only in the audiences the policy lets the user read (a CPS
prosecutor: the CPS copy). The work is the services': ``jobs.review`` reads and detects an
upload and makes copies again with the decisions; ``store.review`` keeps the decisions.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import pypdfium2 as pdfium
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from casework.api.deps import (
    AuditDep,
    AuditTrail,
    Authorized,
    CaseInScope,
    SessionDep,
    SettingsDep,
    requires,
    without_database,
)
from casework.api.routes.documents import blob_store
from casework.config import Settings
from casework.documents import ReaderRegistry, ReadOptions, iter_documents
from casework.documents.base import HEAD_BYTES
from casework.documents.registry import media_type
from casework.domain.labels import Label
from casework.errors import (
    CaseworkError,
    InvalidInput,
    LeakDetected,
    NotFound,
    TooLarge,
    UnreadableDocument,
    UnsupportedFormat,
)
from casework.jobs.processing import REDACT_ACTION
from casework.jobs.queue import queue_now
from casework.jobs.remake import remake_now, waits_for_remake
from casework.jobs.review import ReviewRequest, audiences, read_upload, reviewed
from casework.jobs.review import decide as decide_on
from casework.jobs.worker import parse_audiences
from casework.plugins import reader_registry
from casework.redaction.review import Verdict
from casework.security.access import case_facts
from casework.security.audit import Outcome
from casework.security.policy import ORIGINAL_AUDIENCE, CaseFacts, DocumentResource, can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.store.documents import (
    NewDocument,
    add_document,
    clean_name,
    document_version,
    read_chunks,
)
from casework.store.processing import upload_of
from casework.store.remake import DONE, UNFINISHED, RemakeJob, remake_job, request_remake
from casework.store.review import (
    case_uploads,
    copy_log,
    decisions_of,
)
from casework.web.deps import FormDep, PageCsrf
from casework.web.documents_view import highlights_on, legend, page_png, segments
from casework.web.render import page

router = APIRouter(include_in_schema=False)

FILES_FIELD = "files"
MAX_FILES = 20
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
PartNumber = Annotated[int, Query(ge=0, le=10_000)]
AudienceName = Annotated[str, Query(max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")]


@cache
def _readers() -> ReaderRegistry:
    return reader_registry()


def _is_partial(request: Request) -> bool:
    return bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )


def _readable_audiences(principal: Principal, facts: CaseFacts) -> list[str]:
    """The copies' audiences this user may read, in the registry's order."""
    return [
        name
        for name in audiences().names()
        if can(principal, Action.DOCUMENT_READ, DocumentResource(facts, name))
    ]


def _list_context(
    *, principal: Principal, facts: CaseFacts, store: SqlCaseStore, settings: Settings
) -> dict[str, Any]:
    wanted = parse_audiences(settings.process_audiences)
    uploads = case_uploads(
        session=store.session, case_id=facts.case_id, audiences=wanted, now=datetime.now(UTC)
    )
    readable = _readable_audiences(principal, facts)
    return {
        "uploads": uploads,
        "busy": any(u.state in ("waiting", "working") for u in uploads),
        "readable": readable,
        "sees_originals": can(
            principal, Action.DOCUMENT_READ, DocumentResource(facts, ORIGINAL_AUDIENCE)
        ),
        "may_upload": Action.DOCUMENT_UPLOAD in principal.permissions,
        "processed_for": wanted,
    }


def _documents_page(
    request: Request,
    *,
    facts: CaseFacts,
    principal: Principal,
    store: SqlCaseStore,
    settings: Settings,
    audit: AuditTrail,
    csrf: str,
    error: str = "",
    status: int = 200,
) -> Response:
    context = _list_context(principal=principal, facts=facts, store=store, settings=settings)
    store.rollback()
    audit.separately(
        principal,
        action=Action.DOCUMENT_LIST.value,
        case_reference=facts.reference,
        target="documents",
    )
    return page(
        request,
        "documents/list.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"Documents of {facts.reference}",
        reference=facts.reference,
        error=error,
        uploaded=request.query_params.get("uploaded", ""),
        max_files=MAX_FILES,
        max_mb=settings.max_document_bytes // (1024 * 1024),
        **context,
    )


@router.get("/cases/{reference}/documents", **requires(Action.DOCUMENT_LIST))
def documents_page(
    request: Request,
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """The case's uploads and copies, the upload form, and where processing stands."""
    return _documents_page(
        request,
        facts=case,
        principal=principal,
        store=store,
        settings=settings,
        audit=audit,
        csrf=csrf,
    )


@router.get("/cases/{reference}/documents/progress", **requires(Action.DOCUMENT_LIST))
def documents_progress(
    request: Request,
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """The uploads table alone (HTMX polls it while anything is waiting or in progress).

    Audited like the page: each poll is a read of the case's uploads (the writer batches
    entries, and polling stops once nothing is waiting).
    """
    context = _list_context(principal=principal, facts=case, store=store, settings=settings)
    store.rollback()
    audit.separately(
        principal,
        action=Action.DOCUMENT_LIST.value,
        case_reference=case.reference,
        target="documents",
        detail={"poll": True},
    )
    return page(
        request,
        "documents/_uploads.html",
        principal=principal,
        csrf=csrf,
        reference=case.reference,
        **context,
    )


async def _files_of(request: Request, limit: int) -> list[UploadFile]:
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise InvalidInput(f"{FILES_FIELD}: send the upload with a Content-Length header")
    if int(declared) > limit * MAX_FILES + 64 * 1024:
        raise TooLarge(f"{FILES_FIELD}: {declared} bytes is more than this page takes at once")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput(f"{FILES_FIELD}: send the files as multipart/form-data")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=8)
    except (ValueError, KeyError, AssertionError) as error:
        raise InvalidInput(f"{FILES_FIELD}: the upload cannot be read ({error})") from error
    files = [f for f in form.getlist(FILES_FIELD) if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise InvalidInput(f"{FILES_FIELD}: choose one or more files to upload")
    return files


@router.post("/cases/{reference}/documents", **requires(Action.DOCUMENT_UPLOAD))
async def upload_documents(
    request: Request,
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Store a bundle (several files); each is checked by its content before any is kept.

    A file of a kind Casework cannot read, or over the size limit, refuses the whole
    bundle, naming the file: nothing is stored, so the user can send it again corrected.
    """
    limit = settings.max_document_bytes
    try:
        async with without_database(request, store):  # the body streams in; no lock, no slot
            files = await _files_of(request, limit)
            kinds = []
            for upload in files:
                name = clean_name(upload.filename or "upload")
                reader = _readers().identify(await upload.read(HEAD_BYTES))
                if reader is None:
                    raise UnsupportedFormat(
                        name,
                        "not a format Casework reads (PDF, Word, e-mail, Outlook, ZIP, HTML or "
                        "text), judged by its content, not its name; nothing was uploaded",
                    )
                if upload.size is not None and upload.size > limit:
                    raise TooLarge(
                        f"{name}: {upload.size} bytes is more than the limit of {limit} bytes "
                        "(CASEWORK_MAX_DOCUMENT_BYTES); nothing was uploaded"
                    )
                await upload.seek(0)
                kinds.append((upload, name, reader))
            blobs = [
                await run_in_threadpool(
                    blob_store(settings).put, read_chunks(upload.file), max_bytes=limit
                )
                for upload, _, _ in kinds
            ]
        now = datetime.now(UTC)
        stored_ids: list[UUID] = []
        for (_, name, reader), blob in zip(kinds, blobs, strict=True):
            stored = add_document(
                session=store.session,
                case_id=case.case_id,
                force=case.force,
                new=NewDocument(
                    name=name, blob=blob, content_type=media_type(reader), format=reader.NAME
                ),
                uploaded_by=principal.username,
                now=now,
            )
            audit.wrote(
                store,
                principal,
                action=Action.DOCUMENT_UPLOAD.value,
                case_reference=case.reference,
                target=str(stored.id),
                detail={"sha256": blob.sha256, "size": blob.size, "format": reader.NAME},
            )
            stored_ids.append(stored.id)
    except CaseworkError as problem:
        store.rollback()
        if problem.http_status >= 500:
            raise
        return _documents_page(
            request,
            facts=case,
            principal=principal,
            store=store,
            settings=settings,
            audit=audit,
            csrf=csrf,
            error=problem.message,
            status=problem.http_status,
        )
    store.commit()
    await run_in_threadpool(queue_now, settings, uploads=stored_ids)  # no wait for a poll
    if request.headers.get("x-casework-upload"):  # the drop zone's script: the table only
        context = _list_context(principal=principal, facts=case, store=store, settings=settings)
        return page(
            request,
            "documents/_uploads.html",
            principal=principal,
            csrf=csrf,
            status=201,
            reference=case.reference,
            **context,
        )
    return RedirectResponse(
        f"/cases/{case.reference}/documents?uploaded={len(kinds)}#uploads", status_code=303
    )


# --- the review screen -----------------------------------------------------------------


@dataclass
class Typed:
    """What the user typed into the add-a-redaction form, kept when it is refused."""

    form: str = ""
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""
    field: str = ""


def _may_read_original(principal: Principal, facts: CaseFacts) -> None:
    if not can(principal, Action.DOCUMENT_READ, DocumentResource(facts, ORIGINAL_AUDIENCE)):
        raise NotFound(f"no case {facts.reference}")


def _review_page(
    request: Request,
    *,
    document_id: UUID,
    part: int,
    number: int,
    facts: CaseFacts,
    principal: Principal,
    store: SqlCaseStore,
    settings: Settings,
    audit: AuditTrail,
    csrf: str,
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    _may_read_original(principal, facts)
    upload = upload_of(session=store.session, document_id=document_id)
    if upload.case_id != facts.case_id:
        raise NotFound(f"no document {document_id} in case {facts.reference}")
    reading = read_upload(
        blobs=blob_store(settings), upload=upload, options=ReadOptions.from_settings(settings)
    )
    reviews = reviewed(session=store.session, upload=upload, reading=reading)
    uploads = case_uploads(
        session=store.session,
        case_id=facts.case_id,
        audiences=parse_audiences(settings.process_audiences),
        now=datetime.now(UTC),
    )
    accepted = _accepted(store, document_id, part)
    store.rollback()  # reads done: let go of SQLite's write lock before the audit entry
    if part >= len(reading.documents):
        raise NotFound(f"document {document_id} has {len(reading.documents)} part(s)")
    document, review = reading.documents[part], reviews[part]
    if number > document.page_count:
        raise NotFound(f"part {part + 1} has {document.page_count} page(s)")
    on_page = document.pages[number - 1]
    status_of = {
        (f.start, f.end): verdict
        for f in review.findings
        if (verdict := review.status_of(f)) is not None
    }
    status_of.update(accepted)
    shown = highlights_on(document, on_page, review.findings, status_of)
    audit.separately(
        principal,
        action=Action.DOCUMENT_READ.value,
        case_reference=facts.reference,
        target=str(document_id),
        detail={"audience": ORIGINAL_AUDIENCE, "review": True, "part": part, "page": number},
    )
    image = page_png(document.data, number) if document.format == "pdf" and document.data else ""
    return page(
        request,
        "documents/review.html",
        principal=principal,
        csrf=csrf,
        status=status,
        title=f"Review {upload.name}",
        reference=facts.reference,
        upload=upload,
        progress=next((u for u in uploads if u.id == document_id), None),
        parts=[d.source.partition("!/")[2] or upload.name for d in reading.documents],
        part=part,
        document=document,
        number=number,
        on_page=on_page,
        image=image,
        highlights=shown,
        text_runs=segments(document.text, on_page.start, on_page.end, shown),
        legend=legend(shown),
        labels=[label.value for label in Label],
        readable=_readable_audiences(principal, facts),
        typed=typed or Typed(),
        decided=request.query_params.get("decided", ""),
    )


def _accepted(store: SqlCaseStore, document_id: UUID, part: int) -> dict[tuple[int, int], Verdict]:
    return {
        (d.start, d.end): Verdict.ACCEPT
        for d in decisions_of(session=store.session, document_id=document_id)
        if d.part == part and d.verdict == Verdict.ACCEPT.value
    }


@router.get("/cases/{reference}/documents/{document_id}/review", **requires(Action.DOCUMENT_UPLOAD))
def review_page(
    request: Request,
    reference: str,
    document_id: UUID,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
    part: PartNumber = 0,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """One page of an upload with every finding highlighted, to accept, reject or add to."""
    return _review_page(
        request,
        document_id=document_id,
        part=part,
        number=page_number,
        facts=case,
        principal=principal,
        store=store,
        settings=settings,
        audit=audit,
        csrf=csrf,
    )


def _int_field(form: dict[str, str], name: str) -> int:
    value = form.get(name, "")
    if not value.isdigit():
        raise InvalidInput(f"{name}: expected a whole number, got {value[:20]!r}")
    return int(value)


@router.post(
    "/cases/{reference}/documents/{document_id}/decisions", **requires(Action.DOCUMENT_UPLOAD)
)
def decide(
    request: Request,
    reference: str,
    document_id: UUID,
    form: FormDep,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Accept or reject a finding, undo a decision, or add a redaction (typed or selected).

    A typed redaction is found wherever it occurs in the part; one that cannot be placed
    shows the review page again with what was typed and why.
    """
    _may_read_original(principal, case)
    verdict = form.get("verdict", "")
    typed = Typed(
        form="add",
        values={
            "text": form.get("text", "")[:500],
            "label": form.get("label", ""),
            "note": form.get("note", "")[:2000],
        },
    )
    try:
        part = _int_field(form, "part")
        number = _int_field(form, "page") if form.get("page") else 1
        adding = verdict == Verdict.ADD.value
        spans = decide_on(
            session=store.session,
            blobs=blob_store(settings),
            options=ReadOptions.from_settings(settings),
            document_id=document_id,
            case_id=case.case_id,
            request=ReviewRequest(
                part=part,
                verdict=verdict,
                label=typed.values["label"] if adding else form.get("label", "")[:40],
                start=None if adding else _int_field(form, "start"),
                end=None if adding else _int_field(form, "end"),
                text=typed.values["text"],
                note=typed.values["note"],
            ),
            actor=principal.username,
            now=datetime.now(UTC),
        )
        audit.wrote(
            store,
            principal,
            action="document.review",
            case_reference=case.reference,
            target=str(document_id),
            detail={"verdict": verdict, "part": part, "spans": spans},
        )
    except InvalidInput as problem:
        store.rollback()
        typed.error = problem.message
        typed.form = "add" if verdict == Verdict.ADD.value else "decision"
        name, sep, _ = problem.message.partition(":")
        typed.field = name if sep and name in {"text", "label", "note"} else ""
        return _review_page(
            request,
            document_id=document_id,
            part=int(form.get("part", "0")) if form.get("part", "").isdigit() else 0,
            number=int(form.get("page", "1")) if form.get("page", "").isdigit() else 1,
            facts=case,
            principal=principal,
            store=store,
            settings=settings,
            audit=audit,
            csrf=csrf,
            typed=typed,
            status=problem.http_status,
        )
    anchor = "#add" if adding else f"#f-{form.get('start')}-{form.get('end')}"
    words = {"accept": "Accepted", "reject": "Rejected", "undo": "Undone", "add": f"Added {spans}"}
    return RedirectResponse(
        f"/cases/{case.reference}/documents/{document_id}/review?part={part}&page={number}"
        f"&decided={words[verdict].replace(' ', '+')}{anchor}",
        status_code=303,
    )


@router.post(
    "/cases/{reference}/documents/{document_id}/redact", **requires(Action.DOCUMENT_UPLOAD)
)
def redact_again(
    request: Request,
    reference: str,
    document_id: UUID,
    form: FormDep,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Make an audience's copy again with the decisions applied; it is verified before kept.

    A small upload's copy is made while the reviewer waits; a bigger one's is a job for
    the workers, and the copy page follows it (queued, running, done or failed).
    """
    _may_read_original(principal, case)
    name = form.get("audience", "")
    if name not in _readable_audiences(principal, case):
        raise InvalidInput(
            f"audience: choose one of {', '.join(_readable_audiences(principal, case))}"
        )
    upload = upload_of(session=store.session, document_id=document_id)
    if upload.case_id != case.case_id:
        raise NotFound(f"no document {document_id} in case {case.reference}")
    now = datetime.now(UTC)
    job = request_remake(
        session=store.session,
        upload=upload,
        audience=name,
        requested_by=principal.username,
        requested_role=principal.role.value,
        now=now,
    )
    if not waits_for_remake(
        session=store.session, document_id=document_id, inline_bytes=settings.remake_inline_bytes
    ):
        audit.wrote(
            store,
            principal,
            action=REDACT_ACTION,
            case_reference=case.reference,
            target=str(document_id),
            detail={"audience": name, "reviewed": True, "queued": True, "job": str(job.id)},
        )
        store.commit()
        queue_now(settings, remakes=[job.id])
        return RedirectResponse(
            f"/cases/{case.reference}/documents/{document_id}/copy?audience={name}&job={job.id}",
            status_code=303,
        )
    try:
        made = [
            remake_now(
                session=store.session,
                blobs=blob_store(settings),
                options=ReadOptions.from_settings(settings),
                job=job,
                owner=f"web:{principal.username}",
                now=now,
            )
        ]
    except (LeakDetected, UnreadableDocument) as problem:  # nothing replaced: say why, here
        store.rollback()
        audit.separately(
            principal,
            action=REDACT_ACTION,
            outcome=Outcome.FAILED,
            case_reference=case.reference,
            target=str(document_id),
            detail={"audience": name, "reviewed": True},
        )
        return _review_page(
            request,
            document_id=document_id,
            part=0,
            number=1,
            facts=case,
            principal=principal,
            store=store,
            settings=settings,
            audit=audit,
            csrf=csrf,
            typed=Typed(form="copy", error=f"{problem.message} (the copy you had is kept)"),
            status=problem.http_status,
        )
    audit.wrote(
        store,
        principal,
        action=REDACT_ACTION,
        case_reference=case.reference,
        target=str(made[0].copy_id),
        detail={
            "audience": name,
            "derived_from": str(document_id),
            "redactions": made[0].redactions,
            "reviewed": True,
        },
    )
    return RedirectResponse(
        f"/cases/{case.reference}/documents/{document_id}/copy?audience={name}&remade=1",
        status_code=303,
    )


# --- the redacted copy and its log -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class CopyPart:
    """One document inside a copy, as the preview shows it."""

    name: str
    image: str
    text: str


def _preview(data: bytes, fmt: str, number: int) -> tuple[list[str], CopyPart | None, int]:
    """The parts of a copy (a ZIP has several), the page shown and how many pages it has."""
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            first = archive.read(names[0]) if names else b""
        inner = "pdf" if first.startswith(b"%PDF") else "txt"
        _, shown, pages = _preview(first, inner, number) if names else ([], None, 0)
        return names, shown, pages
    if fmt == "pdf":
        pdf = pdfium.PdfDocument(data)
        try:
            pages = len(pdf)
            text = pdf[number - 1].get_textpage().get_text_range() if number <= pages else ""
        finally:
            pdf.close()
        if number > pages:
            return [], None, pages
        return [], CopyPart("", page_png(data, number), text), pages
    if fmt == "docx":
        return [], CopyPart("", "", _docx_text(data)), 1
    return [], CopyPart("", "", data.decode("utf-8", "replace")), 1


def _docx_text(data: bytes) -> str:
    """The text of a redacted DOCX, read by the same reader as uploads."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.docx"
        path.write_bytes(data)
        for item in iter_documents([path], options=ReadOptions(ocr=False), registry=_readers()):
            text = getattr(item, "text", None)
            if isinstance(text, str):
                return text
    return ""


@router.get("/cases/{reference}/documents/{document_id}/copy", **requires(Action.DOCUMENT_READ))
def copy_page(
    request: Request,
    reference: str,
    document_id: UUID,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
    audience: AudienceName = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """Preview an audience's redacted copy, download it, and read its redaction log."""
    key = reference.strip().upper()
    facts = case_facts(session=store.session, principal=principal, reference=key)
    readable = _readable_audiences(principal, facts) if facts is not None else []
    wanted = audience or (readable[0] if readable else "cps")
    if facts is None or wanted not in readable:
        store.rollback()
        audit.separately(
            principal,
            action=Action.DOCUMENT_READ.value,
            outcome=Outcome.DENIED,
            case_reference=key[:24],
            target=str(document_id),
            detail={"audience": wanted},
        )
        if facts is not None and readable:
            raise NotFound(f"no {wanted} copy you may read of document {document_id}")
        raise NotFound(f"no case {key}")
    found = document_version(
        session=store.session, case_id=facts.case_id, document_id=document_id, audience=wanted
    )
    upload_id = found.derived_from or found.id if found is not None else document_id
    log = copy_log(session=store.session, copy_id=found.id) if found is not None else []
    may_review = Action.DOCUMENT_UPLOAD in principal.permissions and can(
        principal, Action.DOCUMENT_READ, DocumentResource(facts, ORIGINAL_AUDIENCE)
    )
    remake = _remake_of(store, facts, upload_id, request.query_params.get("job", ""))
    store.rollback()
    if found is None and remake is None:  # no such copy (nor one being made): not a read
        audit.separately(
            principal,
            action=Action.DOCUMENT_READ.value,
            outcome=Outcome.FAILED,
            case_reference=key,
            target=str(document_id),
            detail={"audience": wanted, "preview": True},
        )
        raise NotFound(f"no {wanted} copy of document {document_id}")
    audit.separately(
        principal,
        action=Action.DOCUMENT_READ.value,
        case_reference=key,
        target=str(found.id if found is not None else document_id),
        detail={"audience": wanted, "preview": True},
    )
    parts: list[str] = []
    shown: CopyPart | None = None
    pages = 0
    if found is not None:
        with blob_store(settings).open(found.sha256) as stored:
            data = stored.read()
        parts, shown, pages = _preview(data, found.format, page_number)
    return page(
        request,
        "documents/copy.html",
        principal=principal,
        csrf=csrf,
        title=f"{wanted.upper()} copy",
        reference=key,
        document_id=document_id,
        upload_id=upload_id,
        copy=found,
        audience=wanted,
        readable=readable,
        parts=parts,
        shown=shown,
        number=page_number,
        pages=pages,
        log=log,
        may_review=may_review,
        remade=bool(request.query_params.get("remade")),
        remake=remake,
        unfinished=UNFINISHED,
    )


def _remake_of(
    store: SqlCaseStore, facts: CaseFacts, upload_id: UUID, job: str
) -> RemakeJob | None:
    """The remake job named in the address, if it is this upload's (else none is shown)."""
    try:
        found = remake_job(session=store.session, job_id=UUID(job))
    except (ValueError, NotFound):
        return None
    return found if found.document_id == upload_id and found.case_id == facts.case_id else None


@router.get(
    "/cases/{reference}/documents/{document_id}/remakes/{job_id}",
    **requires(Action.DOCUMENT_UPLOAD),
)
def remake_progress(
    request: Request,
    reference: str,
    document_id: UUID,
    job_id: UUID,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    csrf: PageCsrf,
) -> Response:
    """A remake job's state alone (HTMX polls it); once done, on to the new copy."""
    remake = _remake_of(store, case, document_id, str(job_id))
    if remake is None:
        raise NotFound(f"no remake job {job_id} for document {document_id}")
    if remake.status == DONE:
        return Response(
            status_code=200,
            headers={
                "HX-Redirect": f"/cases/{case.reference}/documents/{document_id}/copy"
                f"?audience={remake.audience}&remade=1"
            },
        )
    return page(
        request,
        "documents/_remake.html",
        principal=principal,
        csrf=csrf,
        reference=case.reference,
        upload_id=document_id,
        remake=remake,
        unfinished=UNFINISHED,
    )
