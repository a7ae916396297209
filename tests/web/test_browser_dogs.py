"""The dog unit's journey in a real browser (Debian's chromium) against demo data.

Sign in as the dog unit, open the dashboard from the menu, see the planted findings on the
compliance page, open a dog and record its daily welfare check through the form; every
page checked with axe-core at desktop and tablet widths, with no console or CSP errors.
Skipped, saying why, when /usr/bin/chromium (or playwright) is not installed.
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
    home = tmp_path_factory.mktemp("live-dogs") / "home"
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


def test_dog_unit_journey_dashboard_compliance_dog_welfare_check(page: Page) -> None:
    sign_in(page, "dogunit")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dog unit").click()
    page.wait_for_url(re.compile(r"/dogs$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Dog unit"
    assert "4 findings against the Standard" in page.locator(".notice-error").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="See every finding and why").click()
    page.wait_for_url(re.compile(r"/dogs/compliance$"))
    rows = page.locator("table.dogs-findings tbody tr")
    assert rows.count() == 4
    assert "Retirement review overdue" in rows.nth(3).inner_text()
    assert_accessible(page)

    rows.get_by_role("link", name="Maple").click()
    page.wait_for_url(re.compile(r"/dogs/WY-DOG-0004$"))
    assert "Daily welfare check missed" in page.locator(".notice-error").inner_text()
    page.get_by_label("Checked by").fill("PC Nadia QURESHI")
    page.get_by_role("button", name="Record the check").click()
    page.wait_for_url(re.compile(r"recorded=1"))
    assert page.get_by_role("status").inner_text() == "Welfare check recorded."
    assert_accessible(page)


def test_a_refused_welfare_check_keeps_what_was_typed(page: Page) -> None:
    sign_in(page, "dogunit")
    page.goto("/dogs/WY-DOG-0001")
    page.get_by_label("Something was wrong").check()
    page.get_by_label("Checked by").fill("PC Ellie MARSH")
    page.get_by_role("button", name="Record the check").click()
    assert "notes: say what the concern is" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Checked by").input_value() == "PC Ellie MARSH"
    assert page.get_by_label("Something was wrong").is_checked()
    assert_accessible(page)
