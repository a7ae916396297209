"""The review API: findings of an upload, decisions on them, a copy made again, its log.

On SQLite and PostgreSQL (the seed's team case holds "Statement of Jane SMITH" with a CPS
copy); every role against these routes is in test_route_table.py.
"""

from __future__ import annotations

from fastapi import FastAPI

from tests.api.conftest import Api, Seed


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
