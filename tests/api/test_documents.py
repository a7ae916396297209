"""Uploads: stored by SHA-256 before anything reads them, type-checked by content, limited in
size; listing and downloading by audience, every download in the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from casework.api import create_app
from casework.security.audit import AuditQuery, Outcome, audit_entries
from casework.store import SqlCaseStore
from tests.api.conftest import Api, Seed, settings_for
from tests.documents.factories import make_docx, make_pdf

PDF = make_pdf([["Statement of Jane SMITH"]])


@contextmanager
def _store(app: FastAPI) -> Iterator[SqlCaseStore]:
    with SqlCaseStore(app.state.sessions()) as store:
        yield store


def _upload(
    api: Api, case: str, name: str, data: bytes, content_type: str = "text/plain"
) -> httpx.Response:
    return api.call(
        "POST", f"/api/cases/{case}/documents", files={"file": (name, data, content_type)}
    )


def test_an_upload_is_stored_by_sha256_with_its_type_read_from_its_bytes(
    app: FastAPI, seed: Seed
) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    made = _upload(api, seed.team_case, "../../holiday photo.txt", PDF)  # a PDF, whatever its name
    assert made.status_code == 201, made.text
    body = made.json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert body["sha256"] == digest
    assert body["size"] == len(PDF)
    assert body["content_type"] == "application/pdf"
    assert body["format"] == "pdf"
    assert body["name"] == "holiday photo.txt"
    assert body["audience"] == "original"
    assert body["uploaded_by"] == "investigator"
    stored = app.state.settings.home / "documents" / digest[:2] / digest[2:]
    assert stored.read_bytes() == PDF
    assert not list((app.state.settings.home / "documents").glob(".upload-*"))
    with _store(app) as store:
        (entry,) = audit_entries(session=store.session, query=AuditQuery(action="document.upload"))
    assert entry.case_reference == seed.team_case
    assert entry.target == body["id"]


def test_the_same_bytes_twice_are_stored_once(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["supervisor"])
    docx = make_docx(["Statement"])
    first = _upload(api, seed.team_case, "a.docx", docx).json()
    second = _upload(api, seed.team_case, "b.docx", docx).json()
    assert first["id"] != second["id"]
    assert first["sha256"] == second["sha256"]
    assert first["content_type"].endswith("wordprocessingml.document")
    files = [p for p in (app.state.settings.home / "documents").rglob("*") if p.is_file()]
    assert len([p for p in files if p.name == first["sha256"][2:]]) == 1


def test_an_unknown_format_is_refused_by_content_not_name(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    refused = _upload(api, seed.team_case, "statement.pdf", b"\x7fELF\x02\x01\x01" + bytes(64))
    assert refused.status_code == 415
    assert "judged by its content, not its name" in refused.json()["detail"]
    assert "statement.pdf" in refused.json()["detail"]
    listed = api.call("GET", f"/api/cases/{seed.team_case}/documents").json()
    assert [d["name"] for d in listed] == ["statement.txt", "statement [cps].txt"]


def test_an_upload_over_the_limit_is_refused_and_nothing_kept(db_path: Path, seed: Seed) -> None:
    app = create_app(settings_for(db_path, max_document_bytes=1000))
    try:
        api = Api(app, token=seed.tokens["investigator"])
        big = _upload(api, seed.team_case, "big.txt", b"Jane SMITH " * 10_000)
        assert big.status_code == 413
        assert "CASEWORK_MAX_DOCUMENT_BYTES" in big.json()["detail"]
        # Within the declared limit but past it once unpacked from the multipart framing.
        edge = _upload(api, seed.team_case, "edge.txt", b"x" * 1001)
        assert edge.status_code == 413
        documents = app.state.settings.home / "documents"
        assert not [p for p in documents.rglob("*") if p.is_file() and p.stat().st_size > 1000]
    finally:
        app.state.engine.dispose()


def test_an_upload_without_a_file_field_names_the_field(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    sent = api.call("POST", f"/api/cases/{seed.team_case}/documents", data={"other": "x"})
    assert sent.status_code == 422
    assert sent.json()["field"] == "file"


def test_download_gives_the_bytes_and_is_audited(app: FastAPI, seed: Seed) -> None:
    api = Api(app, token=seed.tokens["investigator"])
    got = api.call("GET", f"/api/cases/{seed.team_case}/documents/{seed.document_id}")
    assert got.status_code == 200
    assert got.content == b"Statement of Jane SMITH"
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    with _store(app) as store:
        (entry,) = audit_entries(session=store.session, query=AuditQuery(action="document.read"))
    assert entry.actor == "investigator"
    assert entry.outcome is Outcome.ALLOWED
    assert entry.target == seed.document_id


def test_a_cps_user_gets_only_the_cps_copy(app: FastAPI, seed: Seed) -> None:
    cps = Api(app, token=seed.tokens["prosecutor"])
    base = f"/api/cases/{seed.team_case}/documents"
    listed = cps.call("GET", base).json()
    assert [(d["name"], d["audience"]) for d in listed] == [("statement [cps].txt", "cps")]
    got = cps.call("GET", f"{base}/{seed.document_id}")
    assert got.content == b"Statement of [VICTIM 1]"
    original = cps.call("GET", f"{base}/{seed.document_id}", params={"audience": "original"})
    assert original.status_code == 404
    # A new upload has no CPS copy yet: a CPS user gets 404, not the original.
    officer = Api(app, token=seed.tokens["investigator"])
    new = _upload(officer, seed.team_case, "new.txt", b"Second statement").json()
    missing = cps.call("GET", f"{base}/{new['id']}")
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"no document {new['id']} for the cps audience"
    assert [d["id"] for d in cps.call("GET", base).json()] == [listed[0]["id"]]
    with _store(app) as store:
        refused = audit_entries(
            session=store.session, query=AuditQuery(actor="prosecutor", action="document.read")
        )
    assert [e.outcome for e in refused] == [Outcome.ALLOWED, Outcome.DENIED, Outcome.FAILED]


def test_a_document_of_another_case_is_not_found_through_this_one(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    opened = supervisor.call(
        "POST",
        "/api/cases",
        json={"reported_on": "2026-03-01", "parties": [{"role": "victim", "name": "Lee BROWN"}]},
    ).json()
    other = opened["reference"]
    got = supervisor.call("GET", f"/api/cases/{other}/documents/{seed.document_id}")
    assert got.status_code == 404
    assert "no document" in got.json()["detail"]
