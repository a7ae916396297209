"""`casework backup` and `casework restore` as users run them: exit codes, messages, round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.db import (  # noqa: F401 (postgres_admin_url is a fixture)
    BACKENDS,
    drop_postgres_database,
    fresh_postgres_database,
    postgres_admin_url,
)


@pytest.fixture(params=BACKENDS)
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str | None, str | None]]:
    """The source and target database URLs (None: SQLite in CASEWORK_HOME)."""
    if request.param == "sqlite":
        yield None, None
        return
    admin: str = request.getfixturevalue("postgres_admin_url")
    source, source_url = fresh_postgres_database(admin)
    target, target_url = fresh_postgres_database(admin)
    try:
        yield source_url, target_url
    finally:
        drop_postgres_database(source)
        drop_postgres_database(target)


def _use(monkeypatch: pytest.MonkeyPatch, home: Path, url: str | None) -> None:
    monkeypatch.setenv("CASEWORK_HOME", str(home))
    if url is None:
        monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("CASEWORK_DATABASE_URL", url)


def test_backup_then_restore_elsewhere(
    cli: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    urls: tuple[str | None, str | None],
) -> None:
    source_url, target_url = urls
    _use(monkeypatch, tmp_path / "source", source_url)
    opened = cli("case", "open", "--force", "WY", "--reported", "2026-02-21", "--victim", "Jo X")
    assert opened.code == 0, opened.err
    reference = opened.out.strip()
    stored = tmp_path / "source" / "documents" / "ab" / "stored.txt"
    stored.parent.mkdir(parents=True)
    stored.write_text("synthetic statement", encoding="utf-8")
    shown = cli("case", "show", reference, "--format", "json")

    archive = tmp_path / "backups" / "casework.tgz"
    made = cli("backup", "--out", str(archive))
    assert made.code == 0, made.err
    assert "1 stored file(s)" in made.out and archive.is_file()

    _use(monkeypatch, tmp_path / "target", target_url)
    restored = cli("restore", str(archive))
    assert restored.code == 0, restored.err
    assert "1 stored file(s)" in restored.out
    again = cli("case", "show", reference, "--format", "json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["case"] == json.loads(shown.out)["case"]
    copy = tmp_path / "target" / "documents" / "ab" / "stored.txt"
    assert copy.read_text(encoding="utf-8") == "synthetic statement"
    log = cli("audit", "log", "--format", "json")
    actions = [e["action"] for e in json.loads(log.out)]
    assert actions[:3] == ["case.open", "case.show", "store.backup"]
    assert "store.restore" in actions
    assert cli("audit", "verify").code == 0

    refused = cli("restore", str(archive))
    assert refused.code == 2
    assert "refusing to restore" in refused.err and "--force" in refused.err
    forced = cli("restore", str(archive), "--force")
    assert forced.code == 0, forced.err


def test_a_truncated_archive_exits_2_and_changes_nothing(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, tmp_path / "home", None)
    reference = cli(
        "case", "open", "--force", "WY", "--reported", "2026-02-21", "--victim", "Jo X"
    ).out.strip()
    archive = tmp_path / "b.tgz"
    assert cli("backup", "--out", str(archive)).code == 0
    cli(
        "case",
        "event",
        reference,
        "--kind",
        "arrest",
        "--at",
        "2026-02-22T10:00",
        "--description",
        "Arrested at home",
    )
    before = cli("case", "show", reference, "--format", "json").out
    cut = tmp_path / "cut.tgz"
    cut.write_bytes(archive.read_bytes()[:-200])
    result = cli("restore", str(cut), "--force")
    assert result.code == 2
    assert "truncated or corrupt" in result.err and "Traceback" not in result.err
    missing = cli("restore", str(tmp_path / "nope.tgz"))
    assert missing.code == 2 and "no such file" in missing.err
    assert cli("case", "show", reference, "--format", "json").out == before


def test_backup_refuses_a_folder_as_out(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, tmp_path / "home", None)
    result = cli("backup", "--out", str(tmp_path))
    assert result.code == 2
    assert "--out" in result.err
