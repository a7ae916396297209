"""An upload is queued for processing as it is stored (PostgreSQL: a procrastinate job at
once, no wait for a worker's poll); on SQLite the local worker finds it, and there is no queue.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import FastAPI
from sqlalchemy import text

from casework.jobs.distributed import queue_lock
from casework.jobs.queue import queue_summary
from tests.api.conftest import Api, Seed


def test_an_upload_is_queued_for_processing_as_it_is_stored(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    stored = api.call(
        "POST",
        f"/api/cases/{seed.team_case}/documents",
        files={"file": ("note.txt", b"Call Lee BROWN on 07700 900123.", "text/plain")},
    )
    assert stored.status_code == 201, stored.text
    with app.state.sessions() as session:
        if seed.backend == "sqlite":
            assert queue_summary(session) is None
            return
        waiting = session.scalars(
            text(
                "SELECT queueing_lock FROM procrastinate.procrastinate_jobs "
                "WHERE status = 'todo' AND task_name = 'casework.process_upload'"
            )
        ).all()
    assert waiting == [queue_lock(UUID(stored.json()["id"]))]
