"""The exports pages in-process on SQLite and PostgreSQL: the buttons on the operation's
roll-up and the case's documents page queue an export, /exports follows it (HTMX polls the
table while one is unfinished) and links its file once a worker made it, until it expires."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import FastAPI

from casework.api.routes.documents import blob_store
from casework.jobs.export_expiry import purge_exports
from casework.jobs.export_run import run_export
from casework.store.security_models import AuditEntryRow
from tests.api.conftest import Seed
from tests.web.conftest import Pages, csrf_of


def _made(app: FastAPI, page: str) -> str:
    """Run the export the page says was asked for, as a worker does; its id."""
    found = re.search(r'id="export-([0-9a-f-]{36})"', page)
    assert found is not None, page
    done = run_export(
        engine=app.state.engine,
        blobs=blob_store(app.state.settings),
        job_id=UUID(found[1]),
        owner="test-worker",
        lease=timedelta(seconds=30),
    )
    assert done == "done"
    return found[1]


def test_the_rollup_page_makes_the_pdf_as_a_job(app: FastAPI) -> None:
    pages = Pages(app)
    assert pages.sign_in_page("analyst").status_code == 303
    rollup = pages.get("/operations/sceptre-2023-11")
    assert "Make the PDF as a job" in rollup.text
    asked = pages.post_form(
        "/operations/sceptre-2023-11/exports",
        {"csrf_token": csrf_of(rollup.text), "format": "pdf"},
    )
    assert asked.status_code == 303 and asked.headers["location"].startswith("/exports?asked=")
    listed = pages.get(asked.headers["location"])
    assert listed.status_code == 200 and "Export asked for" in listed.text
    assert 'hx-get="/exports/progress"' in listed.text  # polled while unfinished
    assert "Summary of" in listed.text and "Queued" in listed.text
    export_id = _made(app, listed.text)
    table = pages.get("/exports/progress", headers={"HX-Request": "true"})
    assert "hx-get" not in table.text  # done: polling stops
    assert f'href="/api/exports/{export_id}/file"' in table.text
    assert "sceptre-2023-11-summary.pdf" in table.text
    pdf = pages.get(f"/api/exports/{export_id}/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'href="/exports"' in pages.get("/").text  # the menu shows Exports


def test_the_documents_page_exports_a_disclosure_bundle(app: FastAPI, seed: Seed) -> None:
    pages = Pages(app)
    assert pages.sign_in_page("investigator").status_code == 303
    documents = pages.get(f"/cases/{seed.team_case}/documents")
    assert "Export disclosure bundle" in documents.text
    assert '<option value="cps">CPS</option>' in documents.text
    asked = pages.post_form(
        f"/cases/{seed.team_case}/documents/exports",
        {"csrf_token": csrf_of(documents.text), "audience": "cps"},
    )
    assert asked.status_code == 303
    listed = pages.get(asked.headers["location"]).text
    assert "Disclosure bundle of" in listed and seed.team_case in listed
    export_id = _made(app, listed)
    done = pages.get("/exports").text
    assert f"{seed.team_case}-cps-bundle.zip" in done and "1 of 1 documents" in done
    bundle = pages.get(f"/api/exports/{export_id}/file")
    assert bundle.status_code == 200 and bundle.content.startswith(b"PK")

    bad = pages.post_form(
        f"/cases/{seed.team_case}/documents/exports",
        {"csrf_token": csrf_of(documents.text), "audience": "martians"},
    )
    assert bad.status_code == 422 and "is not an audience of redacted copies" in bad.text
    hidden = pages.post_form(
        f"/cases/{seed.restricted_case}/documents/exports",
        {"csrf_token": csrf_of(documents.text), "audience": "cps"},
    )
    assert hidden.status_code == 404
    other = Pages(app)
    other.sign_in_page("outsider")
    assert "No exports yet." in other.get("/exports").text


def test_an_expired_export_shows_as_expired_with_no_download_link(app: FastAPI, seed: Seed) -> None:
    pages = Pages(app)
    assert pages.sign_in_page("investigator").status_code == 303
    documents = pages.get(f"/cases/{seed.team_case}/documents")
    asked = pages.post_form(
        f"/cases/{seed.team_case}/documents/exports",
        {"csrf_token": csrf_of(documents.text), "audience": "cps"},
    )
    export_id = _made(app, pages.get(asked.headers["location"]).text)
    listed = pages.get("/exports").text
    assert f'href="/api/exports/{export_id}/file"' in listed
    assert "Each file is kept 7 days after it was made" in listed

    purged = purge_exports(
        engine=app.state.engine,
        blobs=blob_store(app.state.settings),
        keep=timedelta(days=7),
        now=datetime.now(UTC) + timedelta(days=8),
        by="test-worker",
    )
    assert purged.removed == 1

    expired = pages.get("/exports").text
    assert "Expired" in expired and "expired on " in expired
    assert "ask for the export again" in expired
    assert f'href="/api/exports/{export_id}/file"' not in expired
    assert 'hx-get="/exports/progress"' not in expired  # nothing left to follow
    assert pages.get(f"/api/exports/{export_id}/file").status_code == 410


def _export_requests(app: FastAPI) -> list[tuple[str, str, str | None]]:
    """(actor, outcome, case reference) of each ``export.request`` entry, in order."""
    with app.state.sessions() as session:
        return [
            (row.actor, row.outcome, row.case_reference)
            for row in session.query(AuditEntryRow)
            .filter(AuditEntryRow.action == "export.request")
            .order_by(AuditEntryRow.seq)
        ]


def test_a_refused_export_form_is_audited_as_an_export_request(app: FastAPI, seed: Seed) -> None:
    """As ``POST /api/exports`` records it: the case's trail shows the refused bundle."""
    pages = Pages(app)
    assert pages.sign_in_page("investigator").status_code == 303
    csrf = pages.csrf or ""
    hidden = pages.post_form(
        f"/cases/{seed.restricted_case}/documents/exports", {"csrf_token": csrf, "audience": "cps"}
    )
    assert hidden.status_code == 404 and f"no case {seed.restricted_case}" in hidden.text
    summary = pages.post_form(
        "/operations/sceptre-2023-11/exports", {"csrf_token": csrf, "format": "pdf"}
    )
    assert summary.status_code == 403 and "may not do ops.read" in summary.text
    prosecutor = Pages(app)
    assert prosecutor.sign_in_page("prosecutor").status_code == 303
    defence = prosecutor.post_form(
        f"/cases/{seed.team_case}/documents/exports",
        {"csrf_token": prosecutor.csrf or "", "audience": "defence"},
    )
    assert defence.status_code == 403 and "defence copies" in defence.text
    assert _export_requests(app) == [
        ("investigator", "denied", seed.restricted_case),
        ("investigator", "denied", None),
        ("prosecutor", "denied", seed.team_case),
    ]
