"""Indexes for queries at national scale, on tables declared elsewhere (migration 0005_indexes).

Each serves a query that otherwise read a whole table once many forces share a database:
the workers' search for uploads to process (oldest first) and the processing status by
force, the claims listed by age and by force, and two foreign keys that a delete of the
parent row would scan for (a claim's case, an event's location).
"""

from __future__ import annotations

from sqlalchemy import Index

from casework.store.document_models import CaseDocumentRow
from casework.store.models import EventRow
from casework.store.processing_models import ProcessingClaimRow

UPLOADS_BY_AGE = Index(
    "ix_case_documents_uploads_uploaded_at",
    CaseDocumentRow.uploaded_at,
    CaseDocumentRow.id,
    postgresql_where=CaseDocumentRow.derived_from.is_(None),
    sqlite_where=CaseDocumentRow.derived_from.is_(None),
)
"""``uploads_to_process``: uploads only (copies have ``derived_from``), oldest first."""

UPLOADS_BY_FORCE = Index(
    "ix_case_documents_uploads_force",
    CaseDocumentRow.force,
    CaseDocumentRow.uploaded_at,
    postgresql_where=CaseDocumentRow.derived_from.is_(None),
    sqlite_where=CaseDocumentRow.derived_from.is_(None),
)
"""``processing_status(force=...)``: one force's uploads among 43 forces'."""

CLAIMS_BY_CASE = Index("ix_processing_claims_case_id", ProcessingClaimRow.case_id)
CLAIMS_BY_FORCE = Index(
    "ix_processing_claims_force_status", ProcessingClaimRow.force, ProcessingClaimRow.status
)
CLAIMS_BY_AGE = Index("ix_processing_claims_updated_at", ProcessingClaimRow.updated_at)
"""The status lists unfinished claims oldest first, a page at a time."""
EVENTS_BY_LOCATION = Index("ix_events_location_id", EventRow.location_id)
