"""Redacted copies for an audience: policies, placeholders, writers, a verifier and a log.

Flow for a bundle: ``AudienceRegistry.with_builtins().get(name)``; build one
``PlaceholderBook`` over every document in reading order (``book.add_bundle``); then for
each document ``redact_document(...)`` (safe to run in a process pool); finally
``write_redaction_log(rows, out_dir)``.
"""

from casework.redaction.audiences import Audience, AudienceRegistry, load_audience_file
from casework.redaction.log import LogRow, log_rows, write_redaction_log
from casework.redaction.placeholders import PlaceholderBook, value_key
from casework.redaction.plan import PlannedRedaction, RedactionPlan, plan_redactions
from casework.redaction.service import (
    RedactionResult,
    Writer,
    default_writers,
    output_name,
    redact_document,
    render,
)

__all__ = [
    "Audience",
    "AudienceRegistry",
    "LogRow",
    "PlaceholderBook",
    "PlannedRedaction",
    "RedactionPlan",
    "RedactionResult",
    "Writer",
    "default_writers",
    "load_audience_file",
    "log_rows",
    "output_name",
    "plan_redactions",
    "redact_document",
    "render",
    "value_key",
    "write_redaction_log",
]
