"""``POST /api/cases/{reference}/timeline/proposals``: events proposed from a document's dates.

From a document uploaded to the case (its original, which the caller must be allowed to
read) or from text sent in the body: the document is read (``casework.documents``), the
document engine finds the people and places, and ``journey.proposals`` stores an event
for each date found, awaiting confirmation (``.../timeline/events/{id}/confirm``); the
same operation as ``casework timeline propose``.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from casework.api.deps import AuditDep, Authorized, CaseInScope, SettingsDep, requires
from casework.api.routes.documents import blob_store
from casework.api.routes.journey import JourneyDep
from casework.detection.engine import DetectionEngine
from casework.documents import ReadOptions, read_bytes
from casework.documents.registry import ReaderRegistry
from casework.errors import InvalidInput, NotFound
from casework.journey.proposals import propose_from_documents
from casework.plugins import reader_registry, recognizer_registry
from casework.security.policy import ORIGINAL_AUDIENCE, DocumentResource, can
from casework.security.roles import Action
from casework.store.documents import document_version

router = APIRouter(prefix="/api/cases", tags=["victim, CPS and suspect"])

MAX_TEXT = 500_000


class ProposalIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    document_id: UUID | None = Field(default=None, description="A document of the case.")
    text: str | None = Field(
        default=None, min_length=1, max_length=MAX_TEXT, description="Or the text itself."
    )
    name: str = Field(
        default="text", min_length=1, max_length=200, description="What the text is called."
    )


@cache
def _engine() -> DetectionEngine:
    return DetectionEngine(recognizer_registry())


@cache
def _readers() -> ReaderRegistry:
    return reader_registry()


@router.post("/{reference}/timeline/proposals", status_code=201, **requires(Action.CONDUCT_RECORD))
def propose(
    body: ProposalIn,
    case: CaseInScope,
    principal: Authorized,
    store: JourneyDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> dict[str, Any]:
    """Propose events from the dates in a document (or text): people and places near each."""
    if (body.document_id is None) == (body.text is None):
        raise InvalidInput("document_id: give a document_id or a text, one of them")
    if body.document_id is not None:
        resource = DocumentResource(case, ORIGINAL_AUDIENCE)
        found = (
            document_version(
                session=store.session,
                case_id=case.case_id,
                document_id=body.document_id,
                audience=ORIGINAL_AUDIENCE,
            )
            if can(principal, Action.DOCUMENT_READ, resource)
            else None
        )
        if found is None:
            raise NotFound(f"no document {body.document_id} in case {case.reference}")
        with blob_store(settings).open(found.sha256) as stream:
            data = stream.read(settings.max_document_bytes + 1)
        documents = read_bytes(
            data,
            f"{found.id}/{found.name}",
            options=ReadOptions.from_settings(settings),
            registry=_readers(),
        )
        texts = {d.source: d.text for d in documents}
        target = str(found.id)
    else:
        assert body.text is not None
        texts = {body.name: body.text}
        target = body.name
    audit.wrote(
        store,
        principal,
        action=Action.CONDUCT_RECORD.value,
        case_reference=case.reference,
        target=target[:200],
        detail={"proposals_from": "document" if body.document_id else "text"},
    )
    result = propose_from_documents(
        store=store,
        reference=case.reference,
        texts=texts,
        detect=_engine().detect,
        actor=principal.username,
    )
    return {
        "documents": sorted(texts),
        "dates_found": result.dates_found,
        "proposed": [e.model_dump(mode="json") for e in result.events],
        "unparsed": [
            {"document": u.document, "text": u.mention.text, "reason": u.reason}
            for u in result.unparsed
        ],
    }
