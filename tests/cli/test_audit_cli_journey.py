"""Every read and write of case data through the CLI lands in the audit chain, with who acted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke
from tests.db import (  # noqa: F401 (postgres_admin_url is a fixture)
    BACKENDS,
    drop_postgres_database,
    fresh_postgres_database,
    postgres_admin_url,
)


@pytest.fixture(params=BACKENDS)
def home(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A fresh CASEWORK_HOME on SQLite, or with a scratch PostgreSQL database."""
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path))
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    monkeypatch.setenv("CASEWORK_NEW_PASSWORD", "a-long-enough-password")
    if request.param == "sqlite":
        monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
        yield tmp_path
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    name, url = fresh_postgres_database(admin)
    monkeypatch.setenv("CASEWORK_DATABASE_URL", url)
    try:
        yield tmp_path
    finally:
        drop_postgres_database(name)


def _entries(cli: Invoke) -> list[dict[str, Any]]:
    result = cli("audit", "log", "--format", "json", "--limit", "10000")
    assert result.code == 0, result.err
    entries: list[dict[str, Any]] = json.loads(result.out)
    return entries


def _open(cli: Invoke, *extra: str) -> str:
    result = cli(
        *extra, "case", "open", "--force", "WY", "--reported", "2026-02-21", "--victim", "Jo X"
    )
    assert result.code == 0, result.err
    return result.out.strip()


def test_a_read_and_a_write_each_add_an_entry(cli: Invoke, home: Path) -> None:
    reference = _open(cli)
    opened = _entries(cli)
    assert [(e["action"], e["case_reference"], e["detail"]["access"]) for e in opened] == [
        ("case.open", reference, "write")
    ]
    assert opened[0]["actor_role"] == "operator" and opened[0]["detail"]["via"] == "cli"

    shown = cli("victim", "show", reference)
    assert shown.code == 0, shown.err
    wrote = cli("victim", "contact", reference, "--how", "phone", "--note", "Called back")
    assert wrote.code == 0, wrote.err
    listed = cli("deadlines", "--due-within", "30d")
    assert listed.code == 0, listed.err

    new = _entries(cli)[1:]
    assert [(e["action"], e["case_reference"], e["detail"]["access"]) for e in new] == [
        ("victim.show", reference, "read"),
        ("victim.contact", reference, "write"),
        ("deadlines", None, "read"),
    ]
    assert new[2]["target"] == "cases"
    verified = cli("audit", "verify")
    assert verified.code == 0
    assert verified.out.strip() == "audit chain intact: 4 entries"


def test_the_acting_user_is_recorded_with_role_and_force(
    cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = cli("user", "add", "amy", "--role", "investigator", "--force", "WY")
    assert added.code == 0, added.err
    reference = _open(cli, "--as", "amy")
    monkeypatch.setenv("CASEWORK_USER", "amy")
    advanced = cli("case", "advance", reference, "--to", "investigating", "--reason", "suspect")
    assert advanced.code == 0, advanced.err
    case_entries = [e for e in _entries(cli) if e["action"].startswith("case.")]
    assert [(e["actor"], e["actor_role"], e["force"]) for e in case_entries] == [
        ("amy", "investigator", "WY"),
        ("amy", "investigator", "WY"),
    ]
    shown = json.loads(cli("case", "show", reference, "--format", "json").out)
    assert shown["case"]["history"][-1]["actor"] == "amy"  # --by defaults to who acts


def test_an_unknown_or_disabled_acting_user_is_refused(cli: Invoke, home: Path) -> None:
    reference = _open(cli)
    unknown = cli("--as", "nobody", "case", "show", reference)
    assert unknown.code == 2
    assert "no user 'nobody'" in unknown.err
    cli("user", "add", "sam", "--role", "supervisor", "--force", "WY")
    cli("user", "disable", "sam")
    disabled = cli("--as", "sam", "case", "show", reference)
    assert disabled.code == 1
    assert "disabled" in disabled.err


def test_a_failed_command_is_recorded_and_its_work_rolled_back(cli: Invoke, home: Path) -> None:
    reference = _open(cli)
    missing = cli("case", "show", "WY-2026-999999")
    assert missing.code == 2
    refused = cli("case", "advance", reference, "--to", "charged", "--reason", "skip ahead")
    assert refused.code != 0
    failed = [e for e in _entries(cli) if e["outcome"] == "failed"]
    assert [(e["action"], e["case_reference"]) for e in failed] == [
        ("case.show", "WY-2026-999999"),
        ("case.advance", reference),
    ]
    shown = json.loads(cli("case", "show", reference, "--format", "json").out)
    assert shown["case"]["stage"] == "reported"
    assert cli("audit", "verify").code == 0


def test_commands_without_case_data_add_no_entry(cli: Invoke, home: Path) -> None:
    assert cli("rules", "offences").code == 0
    assert cli("audit", "verify").out.strip() == "audit chain intact: 0 entries"
