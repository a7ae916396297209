"""The language check page: paste a note or upload a document, see the flagged phrases.

The highlighted text comes from the reusable ``highlight`` macro
(``language/_highlight.html``), which note and document views can import too. Nothing
typed or uploaded here is stored; the audit entry records only sizes and counts.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from casework.api.deps import (
    AuditDep,
    Authorized,
    SessionDep,
    SettingsDep,
    requires,
    without_database,
)
from casework.api.routes.documents import _the_file
from casework.documents import ReadOptions, read_bytes
from casework.errors import InvalidInput
from casework.safeguarding.language import check_text
from casework.safeguarding.language_rules import default_pack
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.web.deps import FormDep, PageCsrf
from casework.web.render import page

router = APIRouter(include_in_schema=False)

MAX_CHARS = 200_000


def _render(
    request: Request,
    *,
    principal: Principal,
    csrf: str,
    text: str = "",
    source: str = "",
    error: str = "",
    checked: bool = False,
) -> Response:
    findings = check_text(text) if checked else []
    partial = bool(request.headers.get("hx-request")) and checked
    return page(
        request,
        "language/_result.html" if partial else "language/check.html",
        principal=principal,
        csrf=csrf,
        status=422 if error else 200,
        title="Check language",
        text=text,
        source=source,
        findings=findings,
        officer=sum(1 for f in findings if not f.quoted),
        quoted=sum(1 for f in findings if f.quoted),
        checked=checked and not error,
        error=error,
        pack=default_pack(),
        max_chars=MAX_CHARS,
    )


@router.get("/language", **requires(Action.LANGUAGE_CHECK))
def language_page(request: Request, principal: Authorized, csrf: PageCsrf) -> Response:
    """The form: a text box, a document upload, and the rules with what to write instead."""
    return _render(request, principal=principal, csrf=csrf)


@router.post("/language", **requires(Action.LANGUAGE_CHECK))
def check_typed_text(
    request: Request,
    form: FormDep,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Check the pasted text and show it with each flagged phrase highlighted."""
    text = form.get("text", "")
    if len(text) > MAX_CHARS:
        return _render(
            request,
            principal=principal,
            csrf=csrf,
            text=text[:MAX_CHARS],
            error=f"text: longer than {MAX_CHARS} characters; check a document instead",
        )
    found = check_text(text)
    audit.wrote(
        store,
        principal,
        action=Action.LANGUAGE_CHECK.value,
        target="text",
        detail={"chars": len(text), "flagged": len(found)},
    )
    return _render(request, principal=principal, csrf=csrf, text=text, checked=True)


@router.post("/language/document", **requires(Action.LANGUAGE_CHECK))
async def check_document(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    settings: SettingsDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Read an uploaded document (PDF, Word, e-mail, text...) and check its text."""
    async with without_database(request, store):  # upload and reading: no lock, no slot
        upload = await _the_file(request, settings.max_document_bytes)
        name = upload.filename or "upload"
        data = await upload.read()
        options = ReadOptions.from_settings(settings, ocr=False)
        try:
            documents = await run_in_threadpool(read_bytes, data, name, options=options)
        except InvalidInput as problem:
            documents = None
            error = problem.message
    if documents is None:
        return _render(request, principal=principal, csrf=csrf, error=error)
    text = "\n\n".join(d.text for d in documents)
    audit.wrote(
        store,
        principal,
        action=Action.LANGUAGE_CHECK.value,
        target="document",
        detail={"bytes": len(data), "chars": len(text)},
    )
    return _render(request, principal=principal, csrf=csrf, text=text, source=name, checked=True)
