"""Workbench journeys in a real browser (Debian's chromium, driven by Playwright) on demo data.

An investigator opens a case, adds a person, records a victim contact and the victim's
wishes, sees a deadline with its rule, then sends the file to the CPS; a prosecutor records
the charging decision; a supervisor reads the dashboards. The timeline, link chart and
dashboards are checked with axe-core (no serious or critical violations) at desktop and
tablet widths. Skipped, saying why, when /usr/bin/chromium (or playwright) is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.web.live import LiveSite, why_no_browser
from tests.web.test_browser import (
    DESKTOP,
    TABLET,
    assert_accessible,
    browser,
    page,
    sign_in,
    site,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["browser", "page", "site"]  # the fixtures, one live site for this module

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]


@pytest.fixture
def other_page(browser: Browser, site: LiveSite) -> Iterator[Page]:
    """A second user's browser (its own cookies), for journeys that change hands."""
    context = browser.new_context(viewport=DESKTOP, base_url=site.url)
    yield context.new_page()
    context.close()


def test_journey_add_a_person_record_a_contact_see_a_deadline_decide(
    page: Page, other_page: Page, site: LiveSite
) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}")

    page.get_by_label("Full name").fill("Sam NEIGHBOUR-Demo")
    page.get_by_label("Role in the case").select_option("witness")
    page.get_by_role("button", name="Add the person").click()
    page.wait_for_url(re.compile(r"done=party"))
    assert "Person added to the case." in page.get_by_role("status").first.inner_text()
    people = page.get_by_role("region", name="Table of the people on this case").inner_text()
    assert "Sam NEIGHBOUR-Demo" in people and "witness" in people

    page.get_by_label("Time (London)").fill("00:05")
    page.get_by_label("How", exact=True).select_option("phone")
    page.get_by_label("What was said").fill("Explained bail conditions; safe to call mornings")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url(re.compile(r"done=contact"))
    contacts = page.get_by_role("region", name="Contacts with the victim").inner_text()
    assert "Explained bail conditions" in contacts

    page.locator("#wishes-details summary").click()
    page.get_by_label("Outcome the victim wants").select_option("prosecution")
    page.get_by_label("Safe times (London), one a line").fill("mon-fri 09:00-12:00")
    page.get_by_role("button", name="Record the wishes").click()
    page.wait_for_url(re.compile(r"done=wishes"))
    assert "Mon, Tue, Wed, Thu, Fri 09:00–12:00" in page.locator("#victim").inner_text()
    page.locator("#risk-dash-details summary").click()  # axe below checks the open form too

    deadlines = page.get_by_role("region", name="Deadlines of this case")
    assert deadlines.locator(".countdown").count() > 0
    assert "Victims' Code" in deadlines.inner_text()
    assert_accessible(page)

    page.get_by_label("New stage").select_option("with_cps")
    page.get_by_label("Reason", exact=True).fill("file complete: sent for a charging decision")
    page.get_by_role("button", name="Record the move").click()
    page.wait_for_url(re.compile(r"moved=with_cps"))

    sign_in(other_page, "prosecutor")
    tasks = other_page.get_by_role("region", name="Table of my tasks").inner_text()
    assert "charging decision" in tasks
    other_page.goto(f"/cases/{site.journey_case}")
    other_page.get_by_label("Decision", exact=True).select_option("charge")
    other_page.get_by_label("Test applied").select_option("full_code")
    other_page.get_by_label("Common assault").check()
    other_page.get_by_role("button", name="Record the decision").click()  # no reasons yet
    alert = other_page.locator("#decision-error")
    assert "reasons" in alert.inner_text()
    assert other_page.evaluate("document.activeElement.id") == "decision-error"
    assert other_page.get_by_label("Common assault").is_checked()  # what was typed is kept
    assert_accessible(other_page)
    other_page.get_by_label("Reasons (MG3)").fill("Full Code Test met: injuries, 999 call, BWV")
    other_page.get_by_role("button", name="Record the decision").click()
    other_page.wait_for_url(re.compile(r"done=decision"))
    assert other_page.get_by_role("heading", name="Stage: charged").is_visible()
    assert "Full Code Test met" in other_page.locator("#cps").inner_text()


def test_a_refused_person_keeps_what_was_typed(page: Page, site: LiveSite) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}")
    page.get_by_label("Full name").fill("Alex KEPT-Demo")
    page.get_by_role("button", name="Add the person").click()  # no role chosen
    assert "choose the person" in page.locator("#party-error").inner_text()
    assert page.get_by_label("Full name").input_value() == "Alex KEPT-Demo"
    assert page.locator("#party-role-error").is_visible()
    assert page.evaluate("document.activeElement.id") == "party-error"
    assert_accessible(page)


def test_timeline_zooms_and_lists_every_entry(page: Page, site: LiveSite) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}/timeline")
    assert page.get_by_role("heading", level=1).inner_text() == "Suspect timeline"
    assert page.get_by_role("img", name=re.compile("Suspect timeline of case")).is_visible()
    assert "the offence" in page.get_by_role("region", name="Timeline entries").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="7 days either side").click()  # HTMX swaps the view in
    page.wait_for_url(re.compile(r"zoom=7d"))
    page.locator('a.current:has-text("7 days either side")').wait_for()
    assert_accessible(page)


def test_link_chart_and_network(page: Page, site: LiveSite) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}/links")
    assert page.get_by_role("heading", name="Link chart").is_visible()
    assert "Dale CROWTHER-Demo" in page.get_by_role("region", name="Links, as a table").inner_text()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Links").click()
    page.wait_for_url(re.compile(r"/network$"))
    assert page.get_by_role("heading", name="Links across cases").is_visible()
    assert_accessible(page)


def test_supervisor_views_the_dashboards(page: Page) -> None:
    sign_in(page, "supervisor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    page.wait_for_url(re.compile(r"/dashboards$"))
    for chart in ("Median days from report", "Victims withdrawing support", "Cases by outcome"):
        assert page.get_by_role("img", name=re.compile(chart)).is_visible()
    assert page.get_by_role("region", name="Timeliness by month, the numbers").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every number as CSV").click()
    assert download.value.suggested_filename == "casework-metrics-wy.csv"
    page.get_by_label("Reported from").fill("2026-03-01")
    page.get_by_label("Reported to").fill("2026-02-01")
    page.get_by_role("button", name="Show").click()
    assert "is after to" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Reported from").input_value() == "2026-03-01"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "case", "timeline", "links", "/dashboards"])
def test_workbench_pages_fit_a_tablet(browser: Browser, site: LiveSite, path: str) -> None:
    context = browser.new_context(viewport=TABLET, base_url=site.url)
    try:
        tablet = context.new_page()
        sign_in(tablet, "supervisor")
        case = f"/cases/{site.journey_case}"
        tablet.goto(
            {"case": case, "timeline": f"{case}/timeline", "links": f"{case}/links"}.get(path, path)
        )
        assert_accessible(tablet)
    finally:
        context.close()
