"""The Drone docks page in Debian's chromium: no console (CSP) errors, accessible, fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.web.live import why_no_browser
from tests.web.test_browser import (  # noqa: F401 (fixtures)
    assert_accessible,
    browser,
    sign_in,
    site,
)
from tests.web.test_browser import page as page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]


def test_an_analyst_compares_placements_on_the_map(page: Page) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Drone docks").click()
    page.locator("#count").fill("4")  # the upload form has its own
    page.locator("#docks").fill("S001, S002")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.locator("#dfr-compare").wait_for()
    assert page.locator("figure.dfr-figure svg").count() == 2
    assert page.locator("#dfr-compare tbody tr").count() == 2
    assert_accessible(page)
