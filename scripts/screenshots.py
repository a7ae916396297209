"""Screenshots of the web workbench's main pages, on demo data: docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Loads ``casework demo`` into a temporary folder, starts the app on a free loopback port and
drives Debian's chromium (``apt-get install chromium``) with the same set-up as the browser
tests (``tests/web/live.py``). All data shown is synthetic.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.live import DEMO_PASSWORD, launch, load_demo, serve, why_no_browser  # noqa: E402

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    problem = why_no_browser()
    if problem:
        sys.stderr.write(f"screenshots: {problem}\n")
        return 1
    from playwright.sync_api import sync_playwright

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        reference = load_demo(home, cases=60)
        with serve(home, reference) as site, sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport=DESKTOP, base_url=site.url)
            page = context.new_page()

            page.goto("/sign-in")
            page.get_by_label("Username").fill("investigator")
            page.screenshot(path=out / "sign-in.png")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r"/$"))
            page.screenshot(path=out / "home.png", full_page=True)

            page.goto("/cases")
            page.get_by_label("Stage").select_option("investigating")
            page.wait_for_url(re.compile(r"stage=investigating"))
            page.locator("#results tbody tr").first.wait_for()
            page.screenshot(path=out / "case-list.png", full_page=True)

            page.goto(f"/cases/{reference}")
            page.screenshot(path=out / "case.png", full_page=True)

            tablet = browser.new_context(viewport=TABLET, base_url=site.url)
            tablet_page = tablet.new_page()
            tablet_page.context.add_cookies(context.cookies())
            tablet_page.goto(f"/cases/{reference}")
            tablet_page.screenshot(path=out / "case-tablet.png")

            page.goto("/network")  # a case whose suspect is in others: a fuller timeline
            page.screenshot(path=out / "network.png", full_page=True)
            linked = page.locator('table tbody td a[href^="/cases/"]').first
            shared = linked.inner_text() if linked.count() else reference
            page.goto(f"/cases/{shared}/timeline")
            page.screenshot(path=out / "timeline.png", full_page=True)
            page.goto(f"/cases/{shared}/links")
            page.screenshot(path=out / "links.png", full_page=True)
            page.goto(f"/cases/{shared}#victim")
            page.locator("#victim").screenshot(path=out / "case-victim.png")

            supervisor = browser.new_context(viewport=DESKTOP, base_url=site.url).new_page()
            supervisor.goto("/sign-in")
            supervisor.get_by_label("Username").fill("supervisor")
            supervisor.get_by_label("Password").fill(DEMO_PASSWORD)
            supervisor.get_by_role("button", name="Sign in").click()
            supervisor.wait_for_url(re.compile(r"/$"))
            supervisor.goto("/dashboards")
            supervisor.screenshot(path=out / "dashboards.png", full_page=True)
            browser.close()
    shoot_documents(out)
    for made in sorted(out.glob("*.png")):
        sys.stdout.write(f"{made.relative_to(ROOT) if made.is_relative_to(ROOT) else made}\n")
    return 0


def shoot_documents(out: Path) -> None:
    """The documents pages: upload (with processing done) and the review screen of a PDF.

    A ``casework worker`` runs beside the server so the uploads of the demo bundle are
    processed; the call record gets a rejected finding before its review screen is taken.
    """
    import subprocess

    from playwright.sync_api import sync_playwright
    from tests.web.live import _environment

    from casework.demo import generate_bundle

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        bundle = Path(folder) / "bundle"
        generate_bundle(pages=3, out=bundle, seed=7)
        reference = load_demo(home, cases=5)
        worker = subprocess.Popen(
            [sys.executable, "-m", "casework", "worker", "--processes", "1", "--poll", "0.3"],
            env=_environment(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with serve(home, reference) as site, sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_context(viewport=DESKTOP, base_url=site.url).new_page()
                page.goto("/sign-in")
                page.get_by_label("Username").fill("investigator")
                page.get_by_label("Password").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(re.compile(r"/$"))
                page.goto(f"/cases/{reference}/documents")
                files = ["003-999-call.pdf", "008-vehicle-check.pdf", "010-statement.txt"]
                page.get_by_label("Choose the files of the bundle").set_input_files(
                    [str(bundle / name) for name in files]
                )
                page.get_by_role("button", name="Upload").click()
                page.locator("#uploads-table .state-done").nth(len(files) - 1).wait_for(
                    timeout=120_000
                )
                page.screenshot(path=out / "documents.png", full_page=True)
                row = page.locator("#uploads-table tr", has_text="003-999-call.pdf")
                row.get_by_role("link", name=re.compile("Review")).click()
                page.wait_for_url(re.compile(r"/review$"))
                page.locator(".finding").nth(1).get_by_role(
                    "button", name="Reject finding 2"
                ).click()
                page.wait_for_url(re.compile(r"decided=Rejected"))
                page.goto(page.url.split("#")[0])
                page.screenshot(path=out / "review.png")
                browser.close()
        finally:
            worker.terminate()
            worker.wait(timeout=20)


if __name__ == "__main__":
    raise SystemExit(main())
