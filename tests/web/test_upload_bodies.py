"""Multipart bodies and the database: no body is read for a forged session, and none
holds a database slot or SQLite's write lock while it streams in; the documents pages'
reads (the uploads poll, a missing copy's preview) are audited (SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
from fastapi import FastAPI

from casework.api.deps import DATABASE_SLOTS, SESSION_COOKIE
from tests.api.conftest import Api
from tests.web.conftest import Pages, Seed, csrf_of

BOUNDARY = "cwboundary"
CHUNK = b"x" * 65536


def _head(token: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        'filename="note.txt"\r\nContent-Type: text/plain\r\n\r\n'
    ).encode()


def _tail() -> bytes:
    return f"\r\n--{BOUNDARY}--\r\n".encode()


def test_a_forged_session_cookie_gets_no_multipart_body_read(app: FastAPI, seed: Seed) -> None:
    chunks = 200
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(chunks):
            pulled += 1
            yield CHUNK

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post(
                f"/cases/{seed.team_case}/documents",
                content=body(),
                headers={
                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    "Content-Length": str(chunks * len(CHUNK)),
                    "Cookie": f"{SESSION_COOKIE}=forged.value",
                },
            )

    response = asyncio.run(go())
    assert response.status_code == 303  # a page: to sign in, as for a 401
    assert response.headers["location"].startswith("/sign-in")
    assert pulled <= 1  # the transport may start the body; the app asked for none of it


def test_an_upload_streaming_in_holds_no_database_slot_nor_the_write_lock(
    pages: Pages, seed: Seed
) -> None:
    assert pages.sign_in_page("investigator").status_code == 303
    token = csrf_of(pages.get(f"/cases/{seed.team_case}/documents").text)
    assert pages.csrf

    async def go() -> tuple[int, list[int], int]:
        transport = httpx.ASGITransport(app=pages.app)
        started = asyncio.Event()
        go_on = asyncio.Event()

        note = b"Call Lee BROWN on 07700 900456."
        length = len(_head(token)) + len(note) + len(_tail())

        async def body() -> AsyncIterator[bytes]:
            yield _head(token)
            started.set()
            await go_on.wait()  # a slow client: the body is still coming
            yield note
            yield _tail()

        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=pages.cookies
        ) as client:
            uploads = [
                asyncio.create_task(
                    client.post(
                        f"/cases/{seed.team_case}/documents",
                        content=body(),
                        headers={
                            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                            "Content-Length": str(length),
                        },
                    )
                )
                for _ in range(DATABASE_SLOTS + 1)
            ]
            await started.wait()
            await asyncio.sleep(0.2)  # let every upload reach its body
            # bounded only so that a regression fails instead of hanging the suite
            read = await asyncio.wait_for(client.get(f"/api/cases/{seed.team_case}"), 60)
            wrote = await asyncio.wait_for(
                client.post(
                    "/api/cases",
                    json={"reported_on": "2026-03-01", "parties": []},
                    headers={"X-CSRF-Token": pages.csrf or ""},
                ),
                60,
            )
            go_on.set()
            done = await asyncio.gather(*uploads)
            return read.status_code, [r.status_code for r in done], wrote.status_code

    read, uploaded, wrote = asyncio.run(go())
    assert read == 200
    assert wrote == 201
    assert uploaded == [303] * (DATABASE_SLOTS + 1)


def _audited(app: FastAPI, seed: Seed, action: str) -> list[dict[str, Any]]:
    found = Api(app, token=seed.tokens["admin"]).call(
        "GET", "/api/audit", params={"case": seed.team_case, "action": action}
    )
    assert found.status_code == 200, found.text
    entries: list[dict[str, Any]] = found.json()
    return entries


def test_polling_the_uploads_table_is_an_audited_read(pages: Pages, seed: Seed) -> None:
    assert pages.sign_in_page("investigator").status_code == 303
    before = len(_audited(pages.app, seed, "document.list"))
    polled = pages.get(f"/cases/{seed.team_case}/documents/progress")
    assert polled.status_code == 200
    after = _audited(pages.app, seed, "document.list")
    assert len(after) == before + 1
    assert any(e["outcome"] == "allowed" and e["detail"].get("poll") for e in after)


def test_the_preview_of_a_copy_that_does_not_exist_is_404_and_a_failed_read(
    pages: Pages, seed: Seed
) -> None:
    assert pages.sign_in_page("investigator").status_code == 303
    missing = uuid4()
    response = pages.get(f"/cases/{seed.team_case}/documents/{missing}/copy?audience=cps")
    assert response.status_code == 404
    reads = [e for e in _audited(pages.app, seed, "document.read") if e["target"] == str(missing)]
    assert [e["outcome"] for e in reads] == ["failed"]
