"""`casework language report`: counts over case records, scoped by the policy, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CASEWORK_HOME on SQLite (the counting itself is tested on both databases)."""
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path))
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.setenv("CASEWORK_NEW_PASSWORD", "a-long-enough-password")
    return tmp_path


def test_counts_case_records_by_rule_and_record_type_and_audits(cli: Invoke, home: Path) -> None:
    opened = cli("case", "open", "--force", "WY", "--reported", "2026-02-21", "--victim", "Jo X")
    assert opened.code == 0, opened.err
    reference = opened.out.strip()
    note = "She is putting herself at risk at the flat."
    contact = cli("victim", "contact", reference, "--how", "phone", "--note", note)
    assert contact.code == 0, contact.err

    result = cli("language", "report", "--force", "wy", "--format", "json")
    assert result.code == 0, result.err
    found = json.loads(result.out)
    assert (found["scope"], found["officer"], found["quoted"]) == ("WY", 1, 0)
    rule = next(r for r in found["rules"] if r["rule"] == "PUTTING_THEMSELVES_AT_RISK")
    assert (rule["officer"], rule["quoted"], rule["texts"]) == (1, 0, 1)
    contacts = next(s for s in found["sources"] if s["source"] == "victim contacts")
    assert contacts["flagged_texts"] == 1
    assert "at the flat" not in result.out  # counts only, never the text

    table = cli("language", "report")
    assert table.code == 0, table.err
    assert table.out.splitlines()[0].startswith("Language in case records (all forces;")
    assert any(
        line.split() == ["PUTTING_THEMSELVES_AT_RISK", "1", "0", "1"]
        for line in table.out.splitlines()
    )
    other = json.loads(cli("language", "report", "--force", "GMP", "--format", "json").out)
    assert other["officer"] == 0

    entries = json.loads(cli("audit", "log", "--format", "json", "--limit", "100").out)
    reads = [e for e in entries if e["action"] == "language.report"]
    assert len(reads) == 3 and all(e["detail"]["access"] == "read" for e in reads)


def test_the_policy_holds_for_the_acting_user(cli: Invoke, home: Path) -> None:
    assert cli("user", "add", "sue", "--role", "supervisor", "--force", "WY").code == 0
    assert cli("user", "add", "ivan", "--role", "investigator", "--force", "WY").code == 0
    own = cli("--as", "sue", "language", "report", "--format", "json")
    assert own.code == 0, own.err
    assert json.loads(own.out)["scope"] == "WY"
    other = cli("--as", "sue", "language", "report", "--force", "GMP")
    assert other.code == 1 and "WY only" in other.err
    refused = cli("--as", "ivan", "language", "report")
    assert refused.code == 1 and "metrics.read" in refused.err
    bad = cli("language", "report", "--force", "W-Y")
    assert bad.code == 2 and "not a force code" in bad.err
