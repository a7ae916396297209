"""A live Casework for browser tests and screenshots: demo data, a real server, chromium.

Used by ``tests/web/test_browser.py`` and ``scripts/screenshots.py``. The browser is
Debian's chromium (``apt-get install chromium``), never one that Playwright downloads.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from casework.domain.cases import NewCase, OffenceDetails, Role
from casework.domain.pole import PersonDetails
from casework.domain.stages import Agency, Stage
from casework.journey import cases as case_service
from casework.journey.deadlines import today_in_london
from casework.security.users import add_to_team
from casework.store import SqlCaseStore, make_engine, session_factory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = Path(__file__).parent / "assets" / "axe.min.js"
DEMO_PASSWORD = "casework-browser-demo"
SECRET_KEY = "browser-tests-secret-key-" + "z" * 32
DEMO_CASES = 30


@dataclass(frozen=True)
class LiveSite:
    """A running server on demo data, and the case the journeys work on."""

    url: str
    home: Path
    journey_case: str
    """A West Yorkshire case at 'investigating', the demo investigator its officer."""


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]'); browser tests skipped"
    return None


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.update(
        CASEWORK_HOME=str(home),
        CASEWORK_DEMO_PASSWORD=DEMO_PASSWORD,
        CASEWORK_SECRET_KEY=SECRET_KEY,
        CASEWORK_EMBEDDED_WORKER="false",
    )
    return env


def _journey_case(home: Path) -> str:
    """Open the case the journeys use, through the case services (as the demo does)."""
    engine = make_engine(f"sqlite:///{home / 'casework.sqlite3'}")
    committed = today_in_london() - timedelta(days=3)
    now = datetime.now(UTC)
    try:
        with SqlCaseStore(session_factory(engine)()) as store:
            case = case_service.open_case(
                store=store,
                new=NewCase(
                    force="WY",
                    reported_on=committed,
                    offences=(OffenceDetails(code="common_assault", committed_on=committed),),
                    domestic_abuse=True,
                    parties=(
                        (Role.VICTIM, PersonDetails.from_full_name("Robin ASHWORTH-Demo")),
                        (Role.SUSPECT, PersonDetails.from_full_name("Dale CROWTHER-Demo")),
                        (Role.OFFICER_IN_CASE, PersonDetails.from_full_name("Demo Investigator")),
                    ),
                ),
                actor="investigator",
                now=now,
            )
            case_service.advance(
                store=store,
                reference=case.reference,
                to=Stage.INVESTIGATING,
                reason="suspect identified; statement taken",
                actor="investigator",
                decided_by=Agency.POLICE,
                now=now,
            )
            add_to_team(
                session=store.session,
                reference=case.reference,
                username="investigator",
                added_by="investigator",
            )
    finally:
        engine.dispose()
    return str(case.reference)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def load_demo(home: Path, *, cases: int = DEMO_CASES) -> str:
    """``casework demo --cases N`` into ``home``, plus the journey case; return its reference."""
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "casework", "demo", "--cases", str(cases)],
        env=_environment(home),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return _journey_case(home)


@contextmanager
def serve(home: Path, journey_case: str) -> Iterator[LiveSite]:
    """Run the app under uvicorn on a free loopback port until the block ends."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "casework.api:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=_environment(home),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: see {home / 'server.log'}")
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer in 60 s: see {home / 'server.log'}")
            time.sleep(0.2)
        yield LiveSite(url=url, home=home, journey_case=journey_case)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def launch(playwright: Playwright) -> Browser:
    """Debian's chromium, headless, with nothing fetched from the network by the browser."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
