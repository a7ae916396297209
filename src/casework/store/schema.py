"""The full metadata of every table the migrations make.

Each capability keeps its rows in a module of its own on the shared ``Base``; import this
module (migrations, schema tests) to see all of them. Add one import line per module.
"""

from __future__ import annotations

from casework.store import (
    document_models,  # noqa: F401 (case documents: uploads and redacted copies)
    dog_models,  # noqa: F401 (the police dog register)
    export_models,  # noqa: F401 (exports made by workers: summaries, disclosure bundles)
    index_models,  # noqa: F401 (indexes for national scale, migration 0005_indexes)
    journey_models,  # noqa: F401 (victim, risk, evidence, CPS, custody, suspect timeline)
    missing_models,  # noqa: F401 (missing-person cases and their append-only logs)
    models,
    operations_models,  # noqa: F401 (weeks of action: returns, line register)
    placeholder_models,  # noqa: F401 (placeholder numbers per case and audience)
    processing_models,  # noqa: F401 (upload processing: claims, copies' findings and logs)
    referral_models,  # noqa: F401 (industry referrals, outcomes, known-hash lists)
    remake_models,  # noqa: F401 (remaking a copy after review, as a job)
    review_models,  # noqa: F401 (review decisions on an upload's findings)
    security_models,  # noqa: F401 (users, tokens, audit log)
)
from casework.store.models import Base

metadata = Base.metadata

__all__ = ["Base", "metadata", "models"]
