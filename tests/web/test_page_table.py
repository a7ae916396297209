"""Generated from the page routers: every page declares its action, and every role gets
the answer the policy gives (200, 403, or 404 for a case outside its need to know)."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from casework.api.deps import ACTION_KEY
from casework.domain.risk import load_question_set
from casework.security.roles import Action, UserRole, permissions_of
from casework.web.mount import PAGES
from tests.api.test_route_table import SEES_TEAM_CASE
from tests.web.conftest import Pages, Seed

PUBLIC = {("GET", "/sign-in"), ("POST", "/sign-in")}
ANY_USER = {("GET", "/"), ("POST", "/sign-out"), ("GET", "/exports"), ("GET", "/exports/progress")}
"""``/exports`` lists the user's own exports: what may be exported is the service's to say."""


def _pages() -> list[tuple[str, str, Action | None]]:
    found = []
    for router in PAGES:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            action = (route.openapi_extra or {}).get(ACTION_KEY)
            for method in sorted(route.methods):
                found.append((method, route.path, Action(action) if action else None))
    return found


ROUTES = _pages()


def test_every_page_declares_an_action_or_is_public_by_name() -> None:
    assert {(m, p) for m, p, a in ROUTES if a is None} == PUBLIC | ANY_USER


ABSENT = {"{dog}": "WY-DOG-9999", "{referral_ref}": "IR-2026-999999"}
"""Path parameters of things outside a case, filled with one that does not exist: 404."""

MISSING_IN_CASE = {"{job_id}": "00000000-0000-4000-8000-000000000000"}
"""Path parameters of things inside a case, filled with one that does not exist: 404."""

READS = [
    (path, action, which)
    for method, path, action in ROUTES
    if method == "GET" and action is not None
    for which in (
        ["team", "restricted"]
        if "{reference}" in path
        else ["absent"]
        if any(name in path for name in ABSENT)
        else ["none"]
    )
]


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("path", "action", "which"), READS, ids=lambda x: str(x))
def test_role_against_page(
    pages: Pages, seed: Seed, role: UserRole, path: str, action: Action, which: str
) -> None:
    reference = seed.team_case if which == "team" else seed.restricted_case
    assert pages.sign_in_page(role.value).status_code == 303
    response = pages.get(
        path.replace("{reference}", reference)
        .replace("{document_id}", seed.document_id)
        .replace("{dog}", ABSENT["{dog}"])
        .replace("{referral_ref}", ABSENT["{referral_ref}"])
        .replace("{missing_reference}", seed.missing_case)
        .replace("{operation}", "sceptre-2023-11")
        .replace("{job_id}", MISSING_IN_CASE["{job_id}"])
    )
    if action not in permissions_of(role):
        expected = 403
    elif any(name in path for name in MISSING_IN_CASE):
        expected = 404  # the case may be seen, the thing named in it does not exist
    elif which == "none" or (which == "team" and role in SEES_TEAM_CASE):
        expected = 200
    else:
        expected = 404
    assert response.status_code == expected, response.text[:300]
    download = path.endswith(".csv") and expected == 200  # the numbers behind a page
    kind = "text/csv" if download else "text/html"
    assert response.headers["content-type"].startswith(kind)


FORM_POSTS: dict[str, dict[str, str]] = {
    "/cases/{reference}/victim/wishes": {"outcome_wanted": "prosecution"},
    "/cases/{reference}/victim/risk-assessments": {
        "tool": "dash",
        **{f"answers.{q.id}": "no" for q in load_question_set("dash").questions},
    },
    "/cases/{reference}/victim/withdrawals": {"reasons.delay": "on"},
    "/cases/{reference}/evidence": {"statuses.cctv": "obtained"},
}
"""Case-page form POSTs with fields they accept: 303 allowed, 403 without the permission,
404 for a case outside the role's need to know."""

WRITES = [
    (path, action, which)
    for method, path, action in ROUTES
    if method == "POST" and path in FORM_POSTS
    for which in ("team", "restricted")
]


def test_every_form_post_listed_is_a_page_route() -> None:
    assert len({path for path, _, _ in WRITES}) == len(FORM_POSTS)


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
@pytest.mark.parametrize(("path", "action", "which"), WRITES, ids=lambda x: str(x))
def test_role_against_form_post(
    pages: Pages, seed: Seed, role: UserRole, path: str, action: Action, which: str
) -> None:
    reference = seed.team_case if which == "team" else seed.restricted_case
    assert pages.sign_in_page(role.value).status_code == 303
    response = pages.post_form(
        path.replace("{reference}", reference),
        {"csrf_token": pages.csrf or "", **FORM_POSTS[path]},
    )
    if action not in permissions_of(role):
        expected = 403
    elif which == "team" and role in SEES_TEAM_CASE:
        expected = 303
    else:
        expected = 404
    assert response.status_code == expected, response.text[:300]
