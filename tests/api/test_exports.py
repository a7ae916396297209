"""``/api/exports`` on SQLite and PostgreSQL: 202 and the job, its progress, 404 until done,
the file once a worker made it, 410 once it expired, only one's own, refusals (403/404)
audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import FastAPI

from casework.api.routes.documents import blob_store
from casework.jobs.export_expiry import purge_exports
from casework.jobs.export_run import run_export
from casework.security.users import grant_case, revoke_grants
from casework.store.security_models import AuditEntryRow
from tests.api.conftest import Api, Seed


def _work(app: FastAPI, export_id: str) -> str:
    """Make the export as a worker does."""
    return run_export(
        engine=app.state.engine,
        blobs=blob_store(app.state.settings),
        job_id=UUID(export_id),
        owner="test-worker",
        lease=timedelta(seconds=30),
    )


def _audit(app: FastAPI, action: str) -> list[tuple[str, str, str | None]]:
    with app.state.sessions() as session:
        return [
            (row.actor, row.outcome, row.case_reference)
            for row in session.query(AuditEntryRow)
            .filter(AuditEntryRow.action == action)
            .order_by(AuditEntryRow.seq)
        ]


def test_a_disclosure_bundle_through_the_api(app: FastAPI, seed: Seed) -> None:
    investigator = Api(app, token=seed.tokens["investigator"])  # the officer in the case
    asked = investigator.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "cps"},
    )
    assert asked.status_code == 202, asked.text
    job = asked.json()
    assert (job["status"], job["kind"], job["file_url"]) == ("queued", "case-bundle", None)
    assert job["url"] == f"/api/exports/{job['id']}"
    assert job["parameters"] == {"case": seed.team_case, "audience": "cps"}
    early = investigator.call("GET", f"{job['url']}/file")
    assert early.status_code == 404 and "not ready yet" in early.json()["detail"]
    mine = investigator.call("GET", "/api/exports").json()
    assert [e["id"] for e in mine] == [job["id"]]

    assert _work(app, job["id"]) == "done"

    state = investigator.call("GET", job["url"]).json()
    assert (state["status"], state["progress_done"], state["progress_total"]) == ("done", 1, 1)
    assert state["percent"] == 100 and state["file_url"] == f"{job['url']}/file"
    got = investigator.call("GET", state["file_url"])
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        assert archive.namelist() == [
            "001 statement [cps].txt",
            "redaction-log.csv",
            "redaction-log.json",
        ]
        assert archive.read("001 statement [cps].txt") == b"Statement of [VICTIM 1]"
    assert b"Jane SMITH" not in got.content  # the original never goes in

    outsider = Api(app, token=seed.tokens["outsider"])  # same force, not on the case
    assert outsider.call("GET", job["url"]).status_code == 404
    theirs = outsider.call("GET", f"{job['url']}/file")
    assert theirs.status_code == 404 and theirs.json()["detail"] == f"no export {job['id']}"
    assert outsider.call("GET", "/api/exports").json() == []
    hidden = outsider.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "cps"},
    )
    assert hidden.status_code == 404 and hidden.json()["detail"] == f"no case {seed.team_case}"
    assert _audit(app, "export.request") == [
        ("investigator", "allowed", seed.team_case),
        ("outsider", "denied", seed.team_case),
    ]
    assert _audit(app, "export.fetch") == [
        ("investigator", "failed", seed.team_case),  # not ready yet
        ("investigator", "allowed", seed.team_case),
        ("outsider", "denied", None),
    ]


def test_refusals_and_bad_requests(app: FastAPI, seed: Seed) -> None:
    prosecutor = Api(app, token=seed.tokens["prosecutor"])  # the case was sent to the CPS
    defence = prosecutor.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "defence"},
    )
    assert defence.status_code == 403 and "defence copies" in defence.json()["detail"]
    original = prosecutor.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "original"},
    )
    assert original.status_code == 422 and original.json()["field"] == "audience"
    restricted = prosecutor.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.restricted_case, "audience": "cps"},
    )
    assert restricted.status_code == 404
    dogs = Api(app, token=seed.tokens["dogunit"])
    refused = dogs.call(
        "POST", "/api/exports", json={"kind": "ops-summary", "operation": "sceptre-2023-11"}
    )
    assert refused.status_code == 403 and "ops.read" in refused.json()["detail"]
    analyst = Api(app, token=seed.tokens["analyst"])
    unknown = analyst.call("POST", "/api/exports", json={"kind": "ops-summary", "operation": "x"})
    assert unknown.status_code == 404 and "operation 'x' is not defined" in unknown.json()["detail"]
    missing = analyst.call("POST", "/api/exports", json={"kind": "ops-summary"})
    assert missing.status_code == 422 and missing.json()["field"] == "operation"
    kind = analyst.call("POST", "/api/exports", json={"kind": "everything"})
    assert kind.status_code == 422
    assert analyst.call("GET", "/api/exports").json() == []
    assert [outcome for _actor, outcome, _case in _audit(app, "export.request")] == [
        "denied",
        "failed",
        "denied",
        "denied",
        "denied",
        "failed",
    ]


def test_an_operations_summary_pdf_through_the_api(app: FastAPI, seed: Seed) -> None:
    supervisor = Api(app, token=seed.tokens["supervisor"])
    op = "/api/operations/sceptre-2023-11"
    stored = supervisor.call(
        "POST", f"{op}/returns", json={"force": "WY", "values": {"arrests": 7}}
    )
    assert stored.status_code == 201
    analyst = Api(app, token=seed.tokens["analyst"])
    asked = analyst.call(
        "POST", "/api/exports", json={"kind": "ops-summary", "operation": "sceptre-2023-11"}
    )
    assert asked.status_code == 202, asked.text
    assert _work(app, asked.json()["id"]) == "done"
    pdf = analyst.call("GET", f"/api/exports/{asked.json()['id']}/file")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "sceptre-2023-11-summary.pdf" in pdf.headers["content-disposition"]


def test_jobs_status_counts_exports_for_the_administrator_only(app: FastAPI, seed: Seed) -> None:
    investigator = Api(app, token=seed.tokens["investigator"])
    asked = investigator.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "cps"},
    )
    assert asked.status_code == 202, asked.text
    admin = Api(app, token=seed.tokens["admin"]).call("GET", "/api/jobs/status").json()
    assert admin["exports"] == {
        "queued": 1,
        "running": 0,
        "done": 0,
        "failed": 0,
        "expired": 0,
    }
    assert admin["remakes"]["queued"] == 0
    assert _work(app, asked.json()["id"]) == "done"
    admin = Api(app, token=seed.tokens["admin"]).call("GET", "/api/jobs/status").json()
    assert admin["exports"]["done"] == 1 and admin["exports"]["queued"] == 0
    supervisor = Api(app, token=seed.tokens["supervisor"]).call("GET", "/api/jobs/status")
    assert supervisor.status_code == 200  # their force's uploads; not every force's jobs
    assert supervisor.json()["exports"] is None and supervisor.json()["remakes"] is None


def _expire_all(app: FastAPI) -> int:
    """Purge as a worker would once the export's time is up (a week and a day later)."""
    report = purge_exports(
        engine=app.state.engine,
        blobs=blob_store(app.state.settings),
        keep=timedelta(days=7),
        now=datetime.now(UTC) + timedelta(days=8),
        by="test-worker",
    )
    return report.removed


def test_an_expired_exports_file_is_410_gone(app: FastAPI, seed: Seed) -> None:
    investigator = Api(app, token=seed.tokens["investigator"])
    asked = investigator.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "cps"},
    )
    assert asked.status_code == 202, asked.text
    url = asked.json()["url"]
    assert _work(app, asked.json()["id"]) == "done"
    assert investigator.call("GET", f"{url}/file").status_code == 200

    assert _expire_all(app) == 1

    state = investigator.call("GET", url).json()
    assert state["status"] == "expired" and state["file_url"] is None
    assert state["expired_at"] is not None and state["file"]["name"].endswith("-bundle.zip")
    gone = investigator.call("GET", f"{url}/file")
    assert gone.status_code == 410
    detail = gone.json()["detail"]
    assert re.search(r"expired on \d{4}-\d{2}-\d{2}", detail), detail
    assert "ask for the export again" in detail
    assert _audit(app, "export.fetch")[-1] == ("investigator", "failed", seed.team_case)
    outsider = Api(app, token=seed.tokens["outsider"])  # someone else's: still unseen
    assert outsider.call("GET", f"{url}/file").status_code == 404
    admin = Api(app, token=seed.tokens["admin"]).call("GET", "/api/jobs/status").json()
    assert admin["exports"]["expired"] == 1 and admin["exports"]["done"] == 0
    assert _expire_all(app) == 0  # a second purge changes nothing


def _grant(app: FastAPI, reference: str, username: str) -> None:
    with app.state.sessions() as session, session.begin():
        grant_case(
            session=session,
            reference=reference,
            username=username,
            granted_by="supervisor",
            reason="covering the case this week",
            expires_at=datetime.now(UTC) + timedelta(days=7),
        )


def _revoke(app: FastAPI, reference: str, username: str) -> None:
    with app.state.sessions() as session, session.begin():
        assert revoke_grants(session=session, reference=reference, username=username) == 1


def test_a_fetch_refused_once_access_has_gone_is_in_the_cases_audit_trail(
    app: FastAPI, seed: Seed
) -> None:
    """The export is the caller's own, so the refusal names the case it holds."""
    _grant(app, seed.team_case, "outsider")
    outsider = Api(app, token=seed.tokens["outsider"])
    asked = outsider.call(
        "POST",
        "/api/exports",
        json={"kind": "case-bundle", "case": seed.team_case, "audience": "cps"},
    )
    assert asked.status_code == 202, asked.text
    job = asked.json()
    assert _work(app, job["id"]) == "done"
    _revoke(app, seed.team_case, "outsider")

    gone = outsider.call("GET", f"{job['url']}/file")
    assert gone.status_code == 404 and gone.json()["detail"] == f"no case {seed.team_case}"
    assert _audit(app, "export.fetch") == [("outsider", "denied", seed.team_case)]
    with app.state.sessions() as session:
        entry = session.query(AuditEntryRow).filter(AuditEntryRow.action == "export.fetch").one()
        assert entry.target == f"export:{job['id']}"
        assert json.loads(entry.detail)["error"] == "ScopeGone"
