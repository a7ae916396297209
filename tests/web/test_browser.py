"""Journeys in a real browser (Debian's chromium, driven by Playwright) against demo data.

Sign in, see the home page, filter the case list, open a case, see a deadline with its rule,
move the case on; every page checked with axe-core (no serious or critical violations), at
desktop and tablet widths, and with no Content-Security-Policy violation on any page.
Skipped, saying why, when /usr/bin/chromium (or playwright) is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.web.live import AXE, DEMO_PASSWORD, LiveSite, launch, load_demo, serve, why_no_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    home = tmp_path_factory.mktemp("live") / "home"
    reference = load_demo(home)
    with serve(home, reference) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: LiveSite) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=site.url)
    opened = context.new_page()
    problems: list[str] = []
    opened.on(  # an error status is an answer the tests expect; anything else is a fault
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


def sign_in(page: Page, username: str = "investigator", password: str = DEMO_PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now (WCAG 2.x A and AA)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "wcag22aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}: {violations}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_sign_in_is_refused_with_a_message_and_keeps_the_username(page: Page) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_label("Username").fill("investigator")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "wrong username or password" in page.get_by_role("alert").inner_text().lower()
    assert page.get_by_label("Username").input_value() == "investigator"
    assert page.evaluate("document.activeElement.id") == "password"
    assert_accessible(page)


def test_journey_sign_in_filter_open_a_case_see_a_deadline_move_it_on(
    page: Page, site: LiveSite
) -> None:
    sign_in(page)
    assert page.get_by_role("heading", name="Your work today").is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.wait_for_url(re.compile(r"/cases$"))
    assert_accessible(page)
    page.get_by_label("Stage").select_option("investigating")  # HTMX swaps the results in
    page.wait_for_url(re.compile(r"stage=investigating"))
    results = page.locator("#results")
    results.get_by_role("link", name=site.journey_case).wait_for()
    stages = results.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert stages and set(stages) == {"investigating"}
    assert_accessible(page)

    results.get_by_role("link", name=site.journey_case).click()
    page.wait_for_url(re.compile(rf"/cases/{site.journey_case}$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Case {site.journey_case}"
    deadlines = page.get_by_role("region", name="Deadlines of this case")
    assert deadlines.locator(".countdown").count() > 0
    assert "Victims' Code" in deadlines.inner_text()
    assert_accessible(page)

    page.get_by_label("New stage").select_option("with_cps")
    page.locator("#advance-reason").fill("file complete: sent for a charging decision")
    page.get_by_role("button", name="Record the move").click()
    page.wait_for_url(re.compile(r"moved=with_cps"))
    assert "Stage changed to with the CPS" in page.get_by_role("status").first.inner_text()
    history = page.get_by_role("region", name="Stage history").inner_text()
    assert "file complete: sent for a charging decision" in history


def test_a_refused_move_shows_the_error_and_keeps_the_form(page: Page, site: LiveSite) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}")
    page.locator("#advance-reason").fill("")
    page.get_by_role("button", name="Record the move").click()
    alert = page.locator("#advance-error")
    assert "choose the stage" in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "advance-error"
    assert_accessible(page)


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(page: Page) -> None:
    sign_in(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_forbidden_case_is_a_not_found_page(page: Page, site: LiveSite) -> None:
    sign_in(page, "prosecutor")  # a case never sent to the CPS is not the CPS's to see
    response = page.goto("/cases/WY-2026-999999")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/cases", "case"])
def test_pages_fit_a_tablet(browser: Browser, site: LiveSite, path: str) -> None:
    context = browser.new_context(viewport=TABLET, base_url=site.url)
    try:
        tablet = context.new_page()
        sign_in(tablet)
        tablet.goto(f"/cases/{site.journey_case}" if path == "case" else path)
        assert_accessible(tablet)
    finally:
        context.close()


def test_the_vendored_htmx_is_the_pinned_one() -> None:
    pinned = Path(__file__).parents[2] / "scripts" / "vendor.sh"
    assert "htmx.org@2.0.11" in pinned.read_text(encoding="utf-8")
