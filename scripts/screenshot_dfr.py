"""Screenshot of the Drone docks page (Demoshire, synthetic): docs/screenshots/dfr.png.

    .venv/bin/python scripts/screenshot_dfr.py [--out docs/screenshots]

Same set-up as scripts/screenshots.py: a temporary ``casework demo``, the app on a free
loopback port, Debian's chromium through Playwright. Signs in as the demo analyst and
plans 6 docks against the analyst's own choice of 3.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.live import DEMO_PASSWORD, launch, load_demo, serve, why_no_browser  # noqa: E402

VIEW = {"width": 1280, "height": 900}


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
        reference = load_demo(home, cases=5)
        with serve(home, reference) as site, sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_context(viewport=VIEW, base_url=site.url).new_page()
            page.goto("/sign-in")
            page.get_by_label("Username").fill("analyst")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/")
            page.goto("/dfr?count=6&target=120&method=both&docks=S001%2C+S002%2C+S003")
            page.locator("#dfr-compare").wait_for()
            page.screenshot(path=out / "dfr.png", full_page=False)
            page.locator("figure.dfr-figure").first.screenshot(path=out / "dfr-map.png")
            browser.close()
    sys.stdout.write(f"{out / 'dfr.png'}\n{out / 'dfr-map.png'}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
