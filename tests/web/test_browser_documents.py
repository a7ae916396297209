"""The documents journey in a real browser (Debian's chromium, Playwright) on demo data.

Upload part of a synthetic bundle (made by the demo generator) through the drop zone's
script, watch processing reach "done" (a ``casework worker`` runs beside the server), review
a statement (reject a finding, accept one, add a redaction from selected or typed text),
make the CPS copy again and download it; axe-core on every page, at desktop and tablet widths.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.live import LiveSite, _environment, launch, load_demo, serve, why_no_browser
from tests.web.test_browser import DESKTOP, TABLET, assert_accessible, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(why_no_browser() is not None, reason=why_no_browser() or ""),
]

ADDED = "Accommodation manager"
"""Text in the demo statement that detection does not find: the reviewer adds it."""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from casework.demo import generate_bundle

    out = tmp_path_factory.mktemp("bundle")
    generate_bundle(pages=3, out=out, seed=7)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    home = tmp_path_factory.mktemp("live-documents") / "home"
    reference = load_demo(home, cases=3)
    worker = subprocess.Popen(
        [sys.executable, "-m", "casework", "worker", "--processes", "1", "--poll", "0.3"],
        env=_environment(home),
        stdout=(home / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        with serve(home, reference) as running:
            yield running
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: LiveSite) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=site.url, accept_downloads=True)
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


def upload_and_wait(page: Page, site: LiveSite, files: list[Path]) -> None:
    page.goto(f"/cases/{site.journey_case}/documents")
    assert_accessible(page)
    page.get_by_label("Choose the files of the bundle").set_input_files([str(f) for f in files])
    chosen = page.locator("[data-drop-chosen]").inner_text()
    assert chosen.startswith(f"{len(files)} file") and files[0].name in chosen
    page.get_by_role("button", name="Upload").click()
    status = page.locator("[data-upload-status]")
    status.filter(has_text="uploaded").wait_for(timeout=30_000)
    for file in files:  # the table came back from the server and is polled by HTMX
        row = page.locator("#uploads-table tbody tr", has_text=file.name).last
        row.locator(".state-done").wait_for(timeout=120_000)
    page.locator("#uploads-table:not([hx-trigger])").wait_for()  # polling stopped
    assert_accessible(page)


def test_journey_upload_watch_review_redact_download(
    page: Page, site: LiveSite, bundle: Path
) -> None:
    sign_in(page)
    statement, call = bundle / "010-statement.txt", bundle / "003-999-call.pdf"
    upload_and_wait(page, site, [statement, call])

    row = page.locator("#uploads-table tr", has_text=statement.name)
    row.get_by_role("link", name=re.compile("Review")).click()
    page.wait_for_url(re.compile(r"/review$"))
    assert page.get_by_text("Legend:").is_visible()
    assert_accessible(page)

    first = page.locator(".finding").first
    rejected_text = first.locator("q").inner_text()
    first.get_by_role("button", name="Reject finding 1").click()
    page.wait_for_url(re.compile(r"decided=Rejected"))
    assert page.evaluate("document.activeElement.classList.contains('finding')")
    assert "Rejected (stays visible)" in page.locator(".finding").first.inner_text()
    page.locator(".finding").nth(1).get_by_role("button", name="Accept finding 2").click()
    page.wait_for_url(re.compile(r"decided=Accepted"))

    text = page.locator("[data-selectable]")  # selecting text fills the field
    page.evaluate(
        """(wanted) => {
            const area = document.querySelector("[data-selectable]");
            const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(wanted);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + wanted.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
        }""",
        ADDED,
    )
    text.dispatch_event("mouseup")
    assert page.get_by_label("Text to redact").input_value() == ADDED
    page.get_by_label("Kind of information").select_option("ORGANISATION")
    page.get_by_label("Reason, for the redaction log (optional)").fill("identifies the witness")
    page.get_by_role("button", name="Add redaction").click()
    page.wait_for_url(re.compile(r"decided=Added"))
    assert_accessible(page)

    page.get_by_label("For", exact=True).select_option("cps")
    page.get_by_role("button", name="Make the copy with these decisions").click()
    page.wait_for_url(re.compile(r"/copy\?audience=cps&remade=1"))
    assert "passed the check" in page.get_by_role("status").first.inner_text()
    preview = page.locator("pre.copy-text").inner_text()
    assert rejected_text in preview
    assert ADDED not in preview
    log = page.get_by_role("region", name="Table of the redaction log").inner_text()
    assert "added in review by investigator: identifies the witness" in log
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the CPS copy").click()
    saved = download_info.value.path()
    content = Path(saved).read_text(encoding="utf-8")
    assert rejected_text in content and ADDED not in content


def test_a_bad_file_is_refused_with_its_name(page: Page, site: LiveSite, tmp_path: Path) -> None:
    sign_in(page)
    page.goto(f"/cases/{site.journey_case}/documents")
    junk = tmp_path / "tool.exe"
    junk.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe" * 10)
    page.get_by_label("Choose the files of the bundle").set_input_files(str(junk))
    page.get_by_role("button", name="Upload").click()
    status = page.locator("[data-upload-status]")
    status.filter(has_text="tool.exe").wait_for()
    assert "nothing was uploaded" in status.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-upload-status')")


def test_the_review_screen_of_a_pdf_fits_a_tablet(
    browser: Browser, site: LiveSite, bundle: Path
) -> None:
    context = browser.new_context(viewport=TABLET, base_url=site.url)
    try:
        tablet = context.new_page()
        sign_in(tablet)
        upload_and_wait(tablet, site, [bundle / "008-vehicle-check.pdf"])
        row = tablet.locator("#uploads-table tr", has_text="008-vehicle-check.pdf")
        row.get_by_role("link", name=re.compile("Review")).click()
        tablet.wait_for_url(re.compile(r"/review$"))
        assert tablet.locator("svg.page-svg g.hl").count() > 0
        assert_accessible(tablet)
    finally:
        context.close()
