"""The review API: findings of an upload, decisions on them, a copy made again, its log.

On SQLite and PostgreSQL (the seed's team case holds "Statement of Jane SMITH" with a CPS
copy); every role against these routes is in test_route_table.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI

from casework.api.app import create_app
from casework.config import Settings
from casework.documents import ReadOptions
from casework.jobs.worker import Worker, WorkerConfig
from tests.api.conftest import Api, Seed, settings_for


def _api(app: FastAPI, seed: Seed, role: str = "investigator") -> Api:
    return Api(app, token=seed.tokens[role])


def test_decisions_change_the_copy_and_its_log(app: FastAPI, seed: Seed) -> None:
    api = _api(app, seed)
    base = f"/api/cases/{seed.team_case}/documents/{seed.document_id}"
    parts = api.call("GET", f"{base}/findings").json()
    assert [p["name"] for p in parts] == ["statement.txt"]
    name = next(f for f in parts[0]["findings"] if f["text"] == "Jane SMITH")
    assert (name["label"], name["page"], name["decision"]) == ("PERSON", 1, None)

    rejected = api.call(
        "POST",
        f"{base}/decisions",
        json={"verdict": "reject", "label": "PERSON", "start": name["start"], "end": name["end"]},
    )
    assert rejected.status_code == 201 and rejected.json() == {"spans": 1}
    added = api.call(
        "POST",
        f"{base}/decisions",
        json={"verdict": "add", "label": "ORGANISATION", "text": "statement", "note": "why"},
    )
    assert added.json() == {"spans": 1}
    decided = {
        f["text"]: f["decision"] for f in api.call("GET", f"{base}/findings").json()[0]["findings"]
    }
    assert decided == {"Jane SMITH": "reject", "Statement": "add"}

    made = api.call("POST", f"{base}/redact", json={"audience": "cps"})
    assert made.status_code == 201, made.text
    copy = api.call("GET", base, params={"audience": "cps"})
    assert copy.text.startswith("[ORGANISATION") and "Jane SMITH" in copy.text
    log = api.call("GET", f"{base}/log", params={"audience": "cps"}).json()
    assert [(r["label"], r["recognizer"], r["reason"]) for r in log] == [
        ("ORGANISATION", "casework.review", "added in review by investigator: why")
    ]


def test_a_decision_that_does_not_fit_names_the_field_and_stores_nothing(
    app: FastAPI, seed: Seed
) -> None:
    api = _api(app, seed)
    base = f"/api/cases/{seed.team_case}/documents/{seed.document_id}"
    for body, field in [
        ({"verdict": "maybe", "label": "PERSON", "start": 0, "end": 4}, "verdict"),
        ({"verdict": "reject", "label": "NOT_A_LABEL", "start": 0, "end": 4}, "label"),
        ({"verdict": "reject", "label": "PERSON", "start": 0, "end": 9999}, "start"),
        ({"verdict": "add", "label": "PERSON", "text": "absent words"}, "text"),
        ({"verdict": "reject", "label": "PERSON", "part": 3, "start": 0, "end": 4}, "part"),
    ]:
        refused = api.call("POST", f"{base}/decisions", json=body)
        assert refused.status_code == 422, body
        assert refused.json()["detail"].startswith(f"{field}: "), refused.json()
    found = api.call("GET", f"{base}/findings").json()[0]["findings"]
    assert all(f["decision"] is None for f in found)


def test_a_prosecutor_may_not_review_nor_make_another_audiences_copy(
    app: FastAPI, seed: Seed
) -> None:
    base = f"/api/cases/{seed.team_case}/documents/{seed.document_id}"
    prosecutor = _api(app, seed, "prosecutor")
    assert prosecutor.call("GET", f"{base}/findings").status_code == 403
    assert prosecutor.call("GET", f"{base}/log", params={"audience": "defence"}).status_code == 404
    investigator = _api(app, seed)
    refused = investigator.call("POST", f"{base}/redact", json={"audience": "original"})
    assert refused.status_code == 422 and "audience: choose one of" in refused.json()["detail"]


def _work_until_idle(settings: Settings) -> None:
    """One local worker on threads, until nothing is left (uploads and remake jobs)."""
    config = WorkerConfig.from_settings(settings, processes=1, poll_seconds=0.1, in_process=True)
    Worker(replace(config, engine="local", options=ReadOptions(ocr=False))).run(until_idle=True)


def test_a_big_uploads_copy_is_remade_by_a_worker_and_its_job_followed(
    db_path: Path, seed: Seed
) -> None:
    settings = settings_for(db_path, remake_inline_bytes=0)  # every upload counts as big
    app = create_app(settings)
    try:
        api = _api(app, seed)
        base = f"/api/cases/{seed.team_case}/documents/{seed.document_id}"
        added = api.call(
            "POST",
            f"{base}/decisions",
            json={"verdict": "add", "label": "ORGANISATION", "text": "statement"},
        )
        assert added.status_code == 201

        queued = api.call("POST", f"{base}/redact", json={"audience": "cps"})
        assert queued.status_code == 202, queued.text
        job = queued.json()
        assert (job["status"], job["audience"], job["copy_id"]) == ("queued", "cps", None)
        again = api.call("POST", f"{base}/redact", json={"audience": "cps"}).json()
        assert again["job_id"] == job["job_id"]  # still waiting: one job, not two
        assert api.call("GET", base, params={"audience": "cps"}).text.startswith("Statement")

        _work_until_idle(settings)

        done = api.call("GET", f"{base}/remakes/{job['job_id']}")
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "done" and done.json()["attempts"] == 1
        assert api.call("GET", base, params={"audience": "cps"}).text.startswith("[ORGANISATION")
        other = _api(app, seed, "prosecutor")
        assert other.call("GET", f"{base}/remakes/{job['job_id']}").status_code == 403
    finally:
        app.state.engine.dispose()
