"""Long work and SQLite's write lock: a plan waiting or running holds no lock, and a
database still locked after the busy timeout is 503 (nothing stored, try again), not 500.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from casework.api.errors import install_error_handlers
from casework.api.routes import dfr
from tests.api.conftest import Api, Seed
from tests.dfr.samples import plan_body


def test_a_write_goes_through_while_a_plan_waits_for_its_turn(app: FastAPI, seed: Seed) -> None:
    token = seed.tokens["analyst"]
    writer = Api(app, token=seed.tokens["investigator"])

    async def go() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            held = [dfr._planning.acquire(blocking=False) for _ in range(dfr.PLANNING_AT_ONCE)]
            assert all(held)  # every planning turn taken: the plan below waits
            try:
                plan = asyncio.create_task(
                    client.post("/api/dfr/place", json=plan_body(count=2), headers=headers)
                )
                await asyncio.sleep(0.2)
                wrote = await asyncio.wait_for(  # bounded: a regression fails, never hangs
                    asyncio.to_thread(
                        writer.call,
                        "POST",
                        "/api/cases",
                        json={"reported_on": "2026-03-01", "parties": []},
                    ),
                    60,
                )
            finally:
                for _ in held:
                    dfr._planning.release()
            return wrote.status_code, (await plan).status_code

    wrote, planned = asyncio.run(go())
    assert wrote == 201
    assert planned == 200


def _raising(error: Exception) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/write")
    def write() -> None:
        raise error

    return app


def _post(app: FastAPI) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/write")

    return asyncio.run(go())


def test_a_database_still_locked_is_503_saying_to_try_again() -> None:
    locked = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
    response = _post(_raising(locked))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["detail"].endswith("nothing was stored, try again")


def test_another_database_failure_stays_a_server_error_without_its_sql() -> None:
    gone = OperationalError("SELECT secret", {}, sqlite3.OperationalError("disk I/O error"))
    response = _post(_raising(gone))
    assert response.status_code == 500
    assert "SELECT" not in response.text
