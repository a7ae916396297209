"""`casework demo` as users run it: a fresh home, a second run, the users, the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from casework.security.passwords import verify_password
from casework.security.roles import UserRole
from casework.security.users import list_users, user_row
from casework.store import make_engine
from casework.store.security_models import CaseTeamMemberRow
from tests.conftest import Invoke


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEWORK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEWORK_DATABASE_URL", raising=False)
    monkeypatch.delenv("CASEWORK_DEMO_PASSWORD", raising=False)
    return tmp_path / "home"


def _session(home: Path) -> Session:
    return Session(make_engine(f"sqlite:///{home / 'casework.sqlite3'}"))


def test_demo_loads_cases_and_users_once(cli: Invoke, home: Path) -> None:
    first = cli("demo", "--cases", "30")
    assert first.code == 0, first.err
    assert "30 added, 0 already loaded" in first.out
    assert "overdue" in first.out and "9 created" in first.out
    second = cli("demo", "--cases", "30")
    assert second.code == 0, second.err
    assert "0 added, 30 already loaded" in second.out
    assert "0 created, 9 already there" in second.out
    listed = cli("case", "list", "--limit", "1000", "--format", "json")
    assert len(json.loads(listed.out)) == 30
    with _session(home) as session:
        users = {u.username: u for u in list_users(session=session)}
        assert set(users) == {r.value for r in UserRole}
        row = user_row(session, "investigator")
        assert row is not None and verify_password(row.password_hash, "casework-demo")
        teams = session.query(CaseTeamMemberRow).filter_by(user_id=row.id).count()
    assert teams > 0


def test_deadlines_view_has_something_to_show(cli: Invoke, home: Path) -> None:
    assert cli("demo", "--cases", "14").code == 0
    result = cli("deadlines", "--due-within", "7d")
    assert result.code == 0
    assert "OVERDUE" in result.out and " in " in result.out


def test_demo_password_from_the_environment(
    cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_DEMO_PASSWORD", "another-long-secret")
    assert cli("demo", "--cases", "1").code == 0
    with _session(home) as session:
        row = user_row(session, "admin")
        assert row is not None and verify_password(row.password_hash, "another-long-secret")


def test_a_short_demo_password_is_refused_before_loading(
    cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEWORK_DEMO_PASSWORD", "short")
    result = cli("demo", "--cases", "5")
    assert result.code == 2
    assert "CASEWORK_DEMO_PASSWORD" in result.err and "Traceback" not in result.err
    assert not (home / "casework.sqlite3").exists()


@pytest.mark.parametrize("count", ["0", "-3", "many", "5001"])
def test_bad_case_count(cli: Invoke, home: Path, count: str) -> None:
    result = cli("demo", "--cases", count)
    assert result.code == 2
    assert "--cases" in result.err


def test_bad_database_url(cli: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", "mysql://nobody@localhost/db")
    result = cli("demo", "--cases", "1")
    assert result.code == 2
    assert "CASEWORK_DATABASE_URL" in result.err
