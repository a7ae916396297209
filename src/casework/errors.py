"""Errors that services raise; each face maps them once (CLI: exit code, API: HTTP status)."""

from __future__ import annotations


class CaseworkError(Exception):
    """Base of every error Casework raises on purpose; the message is shown to the user."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(CaseworkError):
    """The user gave something we cannot use: a wrong date, an unknown field, a bad value."""

    exit_code = 2
    http_status = 422


class UnreadableDocument(InvalidInput):
    """A document that cannot be read: corrupt, encrypted, oversized or of an unknown format."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedFormat(UnreadableDocument):
    """A file whose content no reader recognises (an upload is checked by content, not name)."""

    http_status = 415


class TooLarge(InvalidInput):
    """A file larger than the limit it is sent under."""

    http_status = 413


class NotFound(CaseworkError):
    """The thing asked for does not exist (or the caller may not know that it does)."""

    exit_code = 2
    http_status = 404


class PermissionDenied(CaseworkError):
    """The caller is not allowed to do this."""

    exit_code = 1
    http_status = 403


class Conflict(CaseworkError):
    """The request clashes with the current state (a duplicate, a disallowed transition)."""

    exit_code = 1
    http_status = 409


class DatabaseUnavailable(CaseworkError):
    """The configured database cannot be reached or opened."""


class LeakDetected(CaseworkError):
    """A redacted output still contains text that should have been removed; it is not released."""

    exit_code = 1
    http_status = 500


class UnverifiableDocument(LeakDetected):
    """A document shows content that was not read (a picture no OCR ran on).

    No redacted copy of it can be checked, so none is released; the document itself is
    the problem (422), not the server.
    """

    http_status = 422
