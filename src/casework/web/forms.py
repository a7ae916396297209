"""What a page's form write shares: the guarded caller, its unit of work, audit trail and token.

A page takes ``PageContextDep`` (the API's ``Authorized`` guard, unit of work and audit
trail, with the request and the session's CSRF token for the forms it shows) and runs a
form's write through ``PageContext.form_write``: on success a 303 to where the write says,
on a refusal the rollback and the page shown again with the message and what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import RedirectResponse, Response

from casework.api.deps import AuditDep, Authorized, SessionDep
from casework.api.routes.writing import Recorder
from casework.errors import CaseworkError, Conflict, InvalidInput, NotFound
from casework.web.deps import PageCsrf
from casework.web.language_notes import with_wording

REFUSALS: tuple[type[CaseworkError], ...] = (InvalidInput, Conflict, NotFound)
"""What a form write answers by showing the page again (anything else is an error page)."""


@dataclass(frozen=True, slots=True)
class PageContext(Recorder):
    """A page request's guarded caller, unit of work and audit trail, with its CSRF token."""

    request: Request
    csrf: str

    def form_write(
        self,
        act: Callable[[], str],
        refused: Callable[[CaseworkError], Response],
        *,
        typed: Mapping[str, str],
        refusals: tuple[type[CaseworkError], ...] = REFUSALS,
    ) -> Response:
        """Run ``act`` (which returns where to go next) and go there with a 303.

        On one of ``refusals`` the unit of work is rolled back and ``refused`` shows the page
        again; ``typed`` (the words written) adds the wording note to the redirect.
        """
        try:
            target = act()
        except refusals as problem:
            self.store.rollback()
            return refused(problem)
        return RedirectResponse(with_wording(target, typed), status_code=303)


async def page_context(
    request: Request, principal: Authorized, store: SessionDep, audit: AuditDep, csrf: PageCsrf
) -> PageContext:
    # async: it does no I/O, so it runs on the event loop instead of taking a thread
    return PageContext(principal, store, audit, request, csrf)


PageContextDep = Annotated[PageContext, Depends(page_context)]
