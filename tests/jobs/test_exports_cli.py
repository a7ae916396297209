"""`casework exports request|status|fetch` and the export counts of `casework jobs status`,
on SQLite and PostgreSQL: exit codes, output, refusals, and the audit of each."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.security.roles import UserRole
from casework.security.users import create_user, grant_case, revoke_grants
from casework.store import make_engine
from casework.store.security_models import AuditEntryRow
from tests.conftest import Invoke
from tests.jobs.conftest import Place
from tests.jobs.test_exports import _case_with_copies, _submit, _work

USERS = {
    "amy": (UserRole.INVESTIGATOR, "Amy KHAN"),  # the officer in the case
    "olly": (UserRole.INVESTIGATOR, "Olly OTHER"),  # same force, not on the case
    "ann": (UserRole.ANALYST, "Ann ALYST"),
    "dan": (UserRole.DOGUNIT, "Dan DOGS"),
}


@pytest.fixture
def here(place: Place, monkeypatch: pytest.MonkeyPatch) -> Place:
    """The CLI pointed at this test's database, with a few users."""
    for name, value in place.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            for username, (role, full_name) in USERS.items():
                create_user(
                    session=session,
                    username=username,
                    password="casework-test-password",
                    role=role,
                    force="WY",
                    full_name=full_name,
                )
    finally:
        engine.dispose()
    return place


def _id(output: str) -> UUID:
    found = re.search(r"export ([0-9a-f-]{36})", output)
    assert found is not None, output
    return UUID(found[1])


def _audit(place: Place, action: str) -> list[tuple[str, str, str]]:
    """(actor, outcome, case reference) of the entries of ``action``, in order."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            return [
                (row.actor, row.outcome, row.case_reference or "")
                for row in session.scalars(
                    select(AuditEntryRow)
                    .where(AuditEntryRow.action == action)
                    .order_by(AuditEntryRow.seq)
                )
            ]
    finally:
        engine.dispose()


def test_request_follow_and_fetch_a_bundle(cli: Invoke, here: Place, tmp_path: Path) -> None:
    (_case_id, _force, reference), _uploads = _case_with_copies(here)
    asked = cli("--as", "amy", "exports", "request", "case-bundle", "--case", reference,
                "--audience", "cps")  # fmt: skip
    assert asked.code == 0, asked.err
    job_id = _id(asked.out)
    assert "queued" in asked.out and f"exports status {job_id}" in asked.out
    waiting = json.loads(cli("--as", "amy", "exports", "status", "--format", "json").out)
    assert [(j["id"], j["status"]) for j in waiting] == [(str(job_id), "queued")]
    counts = cli("jobs", "status")
    assert "exports (summaries, disclosure bundles): 1 queued, 0 running, 0 done, 0 failed" in (
        counts.out
    )
    early = cli("--as", "amy", "exports", "fetch", str(job_id), "--out", str(tmp_path / "b.zip"))
    assert early.code == 2 and "is not ready yet (queued" in early.err

    _work(here)

    shown = cli("--as", "amy", "exports", "status", str(job_id))
    assert shown.code == 0 and "done" in shown.out and "2 of 2 documents" in shown.out
    one = json.loads(cli("--as", "amy", "exports", "status", str(job_id), "--format", "json").out)
    assert one["progress"] == {"done": 2, "total": 2, "stage": one["progress"]["stage"]}
    assert one["file"]["media_type"] == "application/zip" and one["percent"] == 100
    counts_json = json.loads(cli("jobs", "status", "--format", "json").out)
    assert counts_json["exports"] == {
        "queued": 0,
        "running": 0,
        "done": 1,
        "failed": 0,
        "expired": 0,
    }
    out = tmp_path / "bundle.zip"
    fetched = cli("--as", "amy", "exports", "fetch", str(job_id), "--out", str(out))
    assert fetched.code == 0, fetched.err
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert archive.namelist() == [
            "001 note 0.txt",
            "002 note 1.txt",
            "redaction-log.csv",
            "redaction-log.json",
        ]
    assert _audit(here, "export.request") == [("amy", "allowed", reference)]
    assert _audit(here, "export.fetch") == [
        ("amy", "failed", reference),  # not ready yet
        ("amy", "allowed", reference),
    ]

    other = cli("--as", "olly", "exports", "fetch", str(job_id), "--out", str(tmp_path / "x"))
    assert other.code == 2 and f"no export {job_id}" in other.err  # someone else's: unseen
    hidden = cli("--as", "olly", "exports", "request", "case-bundle", "--case", reference,
                 "--audience", "cps")  # fmt: skip
    assert hidden.code == 2 and f"no case {reference}" in hidden.err
    assert not (tmp_path / "x").exists()
    assert _audit(here, "export.fetch")[-1] == ("olly", "denied", "")
    assert _audit(here, "export.request")[-1] == ("olly", "denied", reference)
    assert cli("--as", "olly", "exports", "status").out.strip() == "0 export(s)"


def test_a_summary_for_the_analyst_and_bad_requests_exit_2(
    cli: Invoke, here: Place, tmp_path: Path
) -> None:
    _submit(here)
    asked = cli("--as", "ann", "exports", "request", "ops-summary", "--operation",
                "sceptre-2023-11")  # fmt: skip
    assert asked.code == 0, asked.err
    _work(here)
    out = tmp_path / "summary.pdf"
    fetched = cli("--as", "ann", "exports", "fetch", str(_id(asked.out)), "--out", str(out))
    assert fetched.code == 0, fetched.err
    assert out.read_bytes().startswith(b"%PDF")

    refused = cli("--as", "dan", "exports", "request", "ops-summary", "--operation",
                  "sceptre-2023-11")  # fmt: skip
    assert refused.code == 1 and "may not do ops.read" in refused.err
    assert _audit(here, "export.request")[-1] == ("dan", "denied", "")
    unknown = cli("exports", "request", "ops-summary", "--operation", "nosuch")
    assert unknown.code == 2 and "operation 'nosuch' is not defined" in unknown.err
    case = cli("exports", "request", "case-bundle", "--case", "WY-2026-999999", "--audience", "cps")
    assert case.code == 2 and "no case WY-2026-999999" in case.err
    case_made, _uploads = _case_with_copies(here)
    reference = case_made[2]
    for audience in ("martians", "original"):
        bad = cli("exports", "request", "case-bundle", "--case", reference, "--audience", audience)
        assert bad.code == 2 and f"audience: {audience!r} is not an audience" in bad.err
    missing = cli("exports", "fetch", "00000000-0000-4000-8000-000000000000", "--out", "x")
    assert missing.code == 2 and "no export" in missing.err
    assert json.loads(cli("jobs", "status", "--format", "json").out)["exports"]["done"] == 1


def test_a_fetch_refused_once_access_has_gone_names_the_case(
    cli: Invoke, here: Place, tmp_path: Path
) -> None:
    """olly's own export, made while a grant let him see the case: the refusal after the
    grant ended is in that case's audit trail."""
    (_case_id, _force, reference), _uploads = _case_with_copies(here)
    engine = make_engine(here.url)
    try:
        with Session(engine) as session, session.begin():
            grant_case(
                session=session,
                reference=reference,
                username="olly",
                granted_by="supervisor",
                reason="covering the case this week",
                expires_at=datetime.now(UTC) + timedelta(days=7),
            )
        asked = cli("--as", "olly", "exports", "request", "case-bundle", "--case", reference,
                    "--audience", "cps")  # fmt: skip
        assert asked.code == 0, asked.err
        _work(here)
        with Session(engine) as session, session.begin():
            assert revoke_grants(session=session, reference=reference, username="olly") == 1
    finally:
        engine.dispose()
    out = tmp_path / "bundle.zip"
    gone = cli("--as", "olly", "exports", "fetch", str(_id(asked.out)), "--out", str(out))
    assert gone.code == 2 and f"no case {reference}" in gone.err
    assert not out.exists()
    assert _audit(here, "export.fetch") == [("olly", "denied", reference)]
