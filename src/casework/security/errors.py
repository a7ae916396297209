"""Errors of the trust layer, beside the common ones in ``casework.errors``."""

from __future__ import annotations

from casework.errors import CaseworkError


class NotAuthenticated(CaseworkError):
    """No valid credentials (or wrong ones): sign in, or give a valid token."""

    exit_code = 1
    http_status = 401


class RateLimited(CaseworkError):
    """Too many attempts from one client; try again later."""

    exit_code = 1
    http_status = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
