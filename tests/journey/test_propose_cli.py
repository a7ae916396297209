"""`casework timeline propose REF PATH...` as users run it; `casework timeline REF` unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.journey.test_propose_from_documents import STATEMENT


@pytest.fixture
def ref(cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    opened = cli(
        "case", "open", "--force", "WY", "--offence", "common_assault",
        "--offence-date", "2026-02-20", "--domestic-abuse", "--reported", "2026-02-21",
        "--victim", "Jane SMITH", "--suspect", "Terry WILLIAMS", "--by", "DC Khan",
    )  # fmt: skip
    assert opened.code == 0, opened.err
    return opened.out.strip()


@pytest.fixture
def statement(tmp_path: Path) -> Path:
    path = tmp_path / "MG11-jane.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


def test_propose_then_confirm(cli: Invoke, ref: str, statement: Path) -> None:
    proposed = cli("timeline", "propose", ref, str(statement))
    assert proposed.code == 0, proposed.err
    lines = proposed.out.splitlines()
    assert lines[0] == f"{ref}: 3 event(s) proposed from 1 document(s) (4 date(s) found)"
    assert lines[1].startswith("  2026-02-14 21:30  ")
    assert "Terry WILLIAMS" in lines[1] and "12 Acacia Avenue" in lines[1]
    assert "not read: '31/02/2026'" in proposed.out
    event_id = lines[1].split()[2]
    shown = cli("timeline", ref)
    assert shown.code == 0 and shown.out.count("[AWAITING CONFIRMATION]") == 3
    confirmed = cli("suspect", "confirm", ref, event_id, "--kind", "threat", "--phase", "before")
    assert confirmed.code == 0, confirmed.err
    assert cli("timeline", ref).out.count("[AWAITING CONFIRMATION]") == 2
    again = cli("timeline", "propose", ref, str(statement))
    assert again.out.splitlines()[0].endswith("(4 date(s) found, 3 proposed before)")


def test_json_output(cli: Invoke, ref: str, statement: Path) -> None:
    result = cli("timeline", "propose", ref, str(statement), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["reference"] == ref and data["dates_found"] == 4
    assert [e["status"] for e in data["proposed"]] == ["proposed"] * 3
    assert data["unparsed"][0]["text"] == "31/02/2026"


def test_the_timeline_still_shows_by_default(cli: Invoke, ref: str) -> None:
    shown = cli("timeline", ref, "--format", "json")
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["suspects"] == ["Terry WILLIAMS"]
    assert cli("timeline", "show", ref).code == 0
    assert "propose" in cli("timeline", "--help").out


def test_proposing_is_audited(cli: Invoke, ref: str, statement: Path) -> None:
    assert cli("timeline", "propose", ref, str(statement)).code == 0
    log = cli("audit", "log", "--case", ref)
    assert log.code == 0, log.err
    assert "timeline.propose" in log.out


def test_bad_input(cli: Invoke, ref: str, statement: Path, tmp_path: Path) -> None:
    missing = cli("timeline", "propose", ref, str(tmp_path / "nope.txt"))
    assert missing.code == 2 and "no such file" in missing.err
    unknown = cli("timeline", "propose", "WY-2026-999999", str(statement))
    assert unknown.code == 2 and "no case WY-2026-999999" in unknown.err
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 not really")
    partial = cli("timeline", "propose", ref, str(statement), str(junk))
    assert partial.code == 2 and "could not read" in partial.err
    assert "3 event(s) proposed" in partial.out
