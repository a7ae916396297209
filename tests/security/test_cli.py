"""`casework user|token|audit|serve`: exit codes and output (CONTRACTS.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Invoke

PASSWORD = "a-long-enough-password"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.setenv("CASEWORK_NEW_PASSWORD", PASSWORD)
    return tmp_path


def _db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "casework.sqlite3")


def test_user_add_list_and_token(cli: Invoke, home: Path) -> None:
    added = cli(
        "user", "add", "amy", "--role", "investigator", "--force", "wy", "--name", "Amy KHAN"
    )
    assert added.code == 0, added.err
    assert added.out.strip() == "amy: investigator in WY"
    listed = cli("user", "list")
    assert "amy" in listed.out and "Amy KHAN" in listed.out and "1 user(s)" in listed.out
    token = cli("token", "create", "--user", "amy", "--name", "export", "--scope", "case.read")
    assert token.code == 0, token.err
    assert token.out.strip().startswith("cwt_")
    assert "scopes: case.read" in token.err
    with _db(home) as db:
        stored = db.execute("SELECT token_hash FROM api_tokens").fetchone()[0]
    assert token.out.strip() not in stored


def test_user_add_refuses_bad_input_with_exit_2(cli: Invoke, home: Path) -> None:
    cli("user", "add", "amy", "--role", "investigator", "--force", "WY")
    again = cli("user", "add", "amy", "--role", "investigator", "--force", "WY")
    assert again.code == 1
    assert "exists already" in again.err
    bad_force = cli("user", "add", "bob", "--role", "admin", "--force", "W1")
    assert bad_force.code == 2
    assert "force" in bad_force.err
    scope = cli("token", "create", "--user", "amy", "--name", "x", "--scope", "audit.read")
    assert scope.code == 2
    assert "scopes" in scope.err


def test_grant_needs_a_case(cli: Invoke, home: Path) -> None:
    cli("user", "add", "sam", "--role", "supervisor", "--force", "WY")
    missing = cli("user", "grant", "sam", "--case", "WY-2026-000042", "--reason", "cover")
    assert missing.code == 2
    assert "no case WY-2026-000042" in missing.err
    opened = cli("case", "open", "--force", "WY", "--reported", "2026-02-21", "--victim", "Jo X")
    reference = opened.out.strip()
    granted = cli("user", "grant", "sam", "--case", reference, "--reason", "cover", "--days", "2")
    assert granted.code == 0, granted.err
    assert f"sam may see {reference} until" in granted.out


def test_audit_verify_and_log(cli: Invoke, home: Path) -> None:
    cli("user", "add", "amy", "--role", "investigator", "--force", "WY", "--by", "ops")
    cli("user", "add", "sam", "--role", "supervisor", "--force", "WY", "--by", "ops")
    cli("user", "unlock", "sam", "--by", "root")
    ok = cli("audit", "verify")
    assert ok.code == 0
    assert ok.out.strip() == "audit chain intact: 3 entries"
    log = cli("audit", "log", "--user", "ops")
    assert log.code == 0
    assert "user.add" in log.out and "2 entries" in log.out
    since = cli("audit", "log", "--since", "2000-01-01", "--action", "user.unlock")
    assert "1 entry" in since.out
    bad = cli("audit", "log", "--since", "last tuesday")
    assert bad.code == 2
    assert "--since" in bad.err


@pytest.mark.parametrize(
    ("tamper", "entry", "words"),
    [
        ("UPDATE audit_log SET target = 'nobody' WHERE seq = 2", 2, "changed"),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
        (
            "UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); "
            "UPDATE audit_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0",
            2,
            "reordered",
        ),
        ("DELETE FROM audit_log WHERE seq = 4", 4, "cut off"),
    ],
    ids=["change", "delete", "reorder", "truncate"],
)
def test_audit_verify_names_the_first_broken_entry(
    cli: Invoke, home: Path, tamper: str, entry: int, words: str
) -> None:
    for name in ("a1", "a2", "a3", "a4"):
        cli("user", "add", name, "--role", "analyst", "--force", "WY")
    with _db(home) as db:
        db.executescript(tamper)
    broken = cli("audit", "verify")
    assert broken.code == 1
    assert f"audit chain broken at entry {entry}" in broken.err
    assert words in broken.err


def test_serve_refuses_production_with_the_default_secret(
    cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_ENV", "production")
    refused = cli("serve")
    assert refused.code == 2
    assert "CASEWORK_SECRET_KEY" in refused.err
    assert "HTTPS" in refused.err
    monkeypatch.setenv("CASEWORK_SECRET_KEY", "s" * 40)
    still = cli("serve", "--port", "8123")
    assert still.code == 2
    assert "CASEWORK_SECRET_KEY" not in still.err
    assert "HTTPS" in still.err
