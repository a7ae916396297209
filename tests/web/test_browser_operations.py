"""The weeks of action in a real browser (Debian's chromium) against demo data.

Sign in as the coordinator, open Operations from the menu, the Op Sceptre roll-up (published
national totals from the demo returns), then the return form: a part larger than its
whole is refused with the field named, and the corrected return is stored as a new
version. Every page checked with axe-core at desktop and tablet widths, with no console or
CSP errors. Skipped, saying why, when /usr/bin/chromium (or playwright) is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.web.live import LiveSite, launch, load_demo, serve, why_no_browser
from tests.web.test_browser import DESKTOP, TABLET, assert_accessible, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    home = tmp_path_factory.mktemp("live-operations") / "home"
    reference = load_demo(home, cases=5)
    with serve(home, reference) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(params=[DESKTOP, TABLET], ids=["desktop", "tablet"])
def page(request: pytest.FixtureRequest, browser: Browser, site: LiveSite) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param, base_url=site.url)
    opened = context.new_page()
    problems: list[str] = []
    opened.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    opened.on("pageerror", lambda e: problems.append(str(e)))
    yield opened
    context.close()
    assert not problems, f"browser console errors (CSP or script): {problems}"


def test_coordinator_reads_the_rollup_and_corrects_a_return(page: Page) -> None:
    sign_in(page, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Operations").click()
    page.wait_for_url(re.compile(r"/operations$"))
    assert_accessible(page)

    page.get_by_role("link", name="Operation Sceptre, November 2023").click()
    page.wait_for_url(re.compile(r"/operations/sceptre-2023-11$"))
    tiles = page.locator(".ops-tiles").inner_text()
    assert "13,272" in tiles and "12,149" in tiles and "16%" in tiles  # not changed below
    assert page.locator("svg.ops-chart").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Submit your force's return").click()
    page.wait_for_url(re.compile(r"/submit$"))
    assert_accessible(page)
    page.locator("#m-arrests").fill("1")
    page.get_by_role("button", name="Submit return").click()
    alert = page.get_by_role("alert")
    assert "Nothing was stored" in alert.inner_text()
    assert "Knife-related arrests" in alert.inner_text() and "more than Arrests (1)" in (
        alert.inner_text()
    )
    assert_accessible(page)

    page.locator("#m-arrests").fill("500")
    page.get_by_role("button", name="Submit return").click()
    page.wait_for_url(re.compile(r"done="))
    status = page.get_by_role("status").inner_text()
    assert re.search(r"WY version \d+ replaces version \d+", status), status
