"""Screenshots of the weeks of action: the press summary and the national roll-up page.

    .venv/bin/python scripts/screenshot_operations.py [--out docs/screenshots]

Loads ``casework demo`` (Op Sceptre returns from all 43 forces: published national totals,
synthetic split between forces) into a temporary folder, writes the one-page summary with
``casework ops summary`` and photographs it, then signs in as the coordinator on a live
server and photographs the roll-up page; Debian's chromium, as in tests/web/live.py.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.live import (  # noqa: E402
    DEMO_PASSWORD,
    _environment,
    launch,
    load_demo,
    serve,
    why_no_browser,
)


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
        reference = load_demo(home, cases=20)
        summary = Path(folder) / "summary.html"
        subprocess.run(  # noqa: S603 (our own CLI)
            [sys.executable, "-m", "casework", "ops", "summary", "--operation",
             "sceptre-2023-11", "--format", "html", "--out", str(summary)],
            check=True,
            env=_environment(home),
            capture_output=True,
        )  # fmt: skip
        with serve(home, reference) as site, sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport={"width": 900, "height": 1000})
            page = context.new_page()
            page.goto(summary.as_uri())
            page.screenshot(path=out / "operations-summary.png", full_page=True)
            live = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=site.url)
            page = live.new_page()
            page.goto("/sign-in")
            page.get_by_label("Username").fill("coordinator")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r"/$"))
            page.goto("/operations/sceptre-2023-11")
            page.screenshot(path=out / "operations-rollup.png")
            browser.close()
    shots = f"{out / 'operations-summary.png'} and {out / 'operations-rollup.png'}"
    sys.stdout.write(f"wrote {shots}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
