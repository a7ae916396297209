"""Web fixtures: the API's seeded database (see tests/api/conftest.py), pages in-process.

Like the API tests, every page test runs on SQLite and on PostgreSQL (ids ``[sqlite]`` and
``[postgresql]``); the browser journeys (test_browser.py) use their own live SQLite site.

``Pages`` is a browser without JavaScript: it keeps cookies, reads the CSRF token from the
forms it is shown and sends forms urlencoded, as a browser does.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.conftest import (
    PASSWORD,
    Api,
    Seed,
    app,
    db_path,
    postgres_admin_url,
    pytest_generate_tests,
    seed,
)

__all__ = [
    "PASSWORD",
    "Pages",
    "Seed",
    "app",
    "db_path",
    "pages",
    "postgres_admin_url",
    "pytest_generate_tests",
    "seed",
]

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    """The CSRF token in the first form of a page."""
    found = _CSRF.search(html)
    assert found is not None, "no csrf_token field on the page"
    return found[1]


class Pages(Api):
    """In-process page requests with cookies, following no redirects."""

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.call("GET", url, **kwargs)

    def post_form(self, url: str, fields: dict[str, str]) -> httpx.Response:
        return self.call("POST", url, data=fields)

    def sign_in_page(self, username: str, password: str = PASSWORD) -> httpx.Response:
        form = self.get("/sign-in")
        response = self.post_form(
            "/sign-in",
            {"username": username, "password": password, "csrf_token": csrf_of(form.text)},
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.get("/").text)
        return response


@pytest.fixture
def pages(app: FastAPI) -> Pages:
    return Pages(app)
