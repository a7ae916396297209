"""Sign-in with lock-out and rate limit, web sessions, API tokens (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.errors import Conflict, InvalidInput, NotFound
from casework.security.auth import (
    SignInLimits,
    attempt_sign_in,
    create_token,
    csrf_matches,
    digest,
    end_session,
    list_tokens,
    parse_scopes,
    revoke_token,
    session_principal,
    sign,
    start_session,
    token_principal,
    unsign,
)
from casework.security.errors import RateLimited
from casework.security.principal import Via
from casework.security.roles import Action, UserRole
from casework.security.users import create_user, get_user, set_active, unlock_user
from casework.store import SqlCaseStore
from casework.store.security_models import ApiTokenRow, UserRow
from tests.db import NOW

PASSWORD = "correct horse battery"
SECRET = "k" * 40
LIMITS = SignInLimits(
    lockout_failures=3,
    lockout=timedelta(minutes=15),
    rate_limit=10,
    rate_window=timedelta(minutes=5),
)


@pytest.fixture
def amy(store: SqlCaseStore) -> str:
    create_user(
        session=store.session,
        username="amy.khan",
        password=PASSWORD,
        role=UserRole.INVESTIGATOR,
        force="wy",
        full_name="Amy KHAN",
        now=NOW,
    )
    return "amy.khan"


def _try(store: SqlCaseStore, password: str, *, client: str = "10.0.0.1", minutes: int = 0):  # type: ignore[no-untyped-def]
    return attempt_sign_in(
        session=store.session,
        username="Amy.Khan",
        password=password,
        client=client,
        limits=LIMITS,
        now=NOW + timedelta(minutes=minutes),
    )


def test_the_password_is_stored_as_an_argon2id_hash(store: SqlCaseStore, amy: str) -> None:
    row = store.session.query(UserRow).filter_by(username=amy).one()
    assert row.password_hash is not None
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash


def test_sign_in_with_the_right_password(store: SqlCaseStore, amy: str) -> None:
    principal = _try(store, PASSWORD)
    assert principal is not None
    assert (principal.username, principal.role, principal.force) == (
        "amy.khan",
        UserRole.INVESTIGATOR,
        "WY",
    )


def test_a_wrong_password_or_unknown_user_is_refused(store: SqlCaseStore, amy: str) -> None:
    assert _try(store, "wrong password!") is None
    assert (
        attempt_sign_in(
            session=store.session, username="nobody", password=PASSWORD, client="x", limits=LIMITS
        )
        is None
    )


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    store: SqlCaseStore, amy: str
) -> None:
    for _ in range(LIMITS.lockout_failures):
        assert _try(store, "wrong password!") is None
    assert get_user(session=store.session, username=amy).locked_until is not None
    assert _try(store, PASSWORD, minutes=1) is None
    assert _try(store, PASSWORD, minutes=16) is not None


def test_a_success_resets_the_failure_count(store: SqlCaseStore, amy: str) -> None:
    for _ in range(LIMITS.lockout_failures - 1):
        _try(store, "wrong password!")
    assert _try(store, PASSWORD) is not None
    for _ in range(LIMITS.lockout_failures - 1):
        _try(store, "wrong password!")
    assert _try(store, PASSWORD) is not None


def test_an_administrator_can_lift_a_lock(store: SqlCaseStore, amy: str) -> None:
    for _ in range(LIMITS.lockout_failures):
        _try(store, "wrong password!")
    unlock_user(session=store.session, username=amy)
    assert _try(store, PASSWORD, minutes=1) is not None


def test_too_many_attempts_from_one_client_are_rate_limited(store: SqlCaseStore, amy: str) -> None:
    for i in range(LIMITS.rate_limit):
        attempt_sign_in(
            session=store.session,
            username=f"guess{i}",
            password="x",
            client="10.9.9.9",
            limits=LIMITS,
            now=NOW,
        )
    with pytest.raises(RateLimited):
        _try(store, PASSWORD, client="10.9.9.9")
    assert _try(store, PASSWORD, client="10.9.9.9", minutes=6) is not None
    assert _try(store, PASSWORD, client="10.0.0.2") is not None


def test_a_disabled_user_cannot_sign_in(store: SqlCaseStore, amy: str) -> None:
    set_active(session=store.session, username=amy, active=False)
    assert _try(store, PASSWORD) is None


def test_create_user_checks_its_fields(store: SqlCaseStore, amy: str) -> None:
    with pytest.raises(Conflict):
        create_user(
            session=store.session, username="AMY.KHAN", password=PASSWORD, role="admin", force="WY"
        )
    with pytest.raises(InvalidInput, match=r"^password:"):
        create_user(
            session=store.session, username="bob", password="short", role="admin", force="WY"
        )
    with pytest.raises(InvalidInput, match=r"^role:"):
        create_user(
            session=store.session, username="bob", password=PASSWORD, role="chief", force="WY"
        )
    with pytest.raises(InvalidInput, match=r"^force:"):
        create_user(
            session=store.session, username="bob", password=PASSWORD, role="admin", force="W1"
        )
    with pytest.raises(InvalidInput, match=r"^username:"):
        create_user(
            session=store.session, username="Bob Smith", password=PASSWORD, role="admin", force="WY"
        )


def test_sessions_are_signed_and_end_on_sign_out(store: SqlCaseStore, amy: str) -> None:
    principal = _try(store, PASSWORD)
    assert principal is not None
    web = start_session(
        session=store.session,
        principal=principal,
        secret_key=SECRET,
        lifetime=timedelta(hours=1),
        now=NOW,
    )
    found = session_principal(session=store.session, cookie=web.cookie, secret_key=SECRET, now=NOW)
    assert found is not None and found.principal.username == amy
    assert found.csrf_token == web.csrf_token
    token, _, mac = web.cookie.rpartition(".")
    assert (
        session_principal(
            session=store.session, cookie=f"{token}.{'0' * len(mac)}", secret_key=SECRET, now=NOW
        )
        is None
    )
    assert (
        session_principal(
            session=store.session, cookie=web.cookie, secret_key="other" * 10, now=NOW
        )
        is None
    )
    assert (
        session_principal(
            session=store.session,
            cookie=web.cookie,
            secret_key=SECRET,
            now=NOW + timedelta(hours=2),
        )
        is None
    )
    end_session(session=store.session, session_id=found.session_id, now=NOW)
    assert (
        session_principal(session=store.session, cookie=web.cookie, secret_key=SECRET, now=NOW)
        is None
    )


def test_signing_round_trips_and_refuses_tampering() -> None:
    signed = sign("abc", secret_key=SECRET)
    assert unsign(signed, secret_key=SECRET) == "abc"
    assert unsign("abd" + signed[3:], secret_key=SECRET) is None
    assert unsign("no-signature", secret_key=SECRET) is None
    assert csrf_matches("t0ken", "t0ken")
    assert not csrf_matches("t0ken", None)
    assert not csrf_matches("t0ken", "t0ke")


def _token(store: SqlCaseStore, user: str, **kwargs: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {
        "name": "export",
        "scopes": None,
        "lifetime": timedelta(days=7),
        "max_lifetime": timedelta(days=90),
        "now": NOW,
    }
    options.update(kwargs)
    return create_token(session=store.session, username=user, **options)  # type: ignore[arg-type]


def test_tokens_are_hashed_at_rest(store: SqlCaseStore, amy: str) -> None:
    made = _token(store, amy)
    assert made.token.startswith("cwt_")
    row = store.session.get(ApiTokenRow, made.info.id)
    assert row is not None
    assert row.token_hash == digest(made.token)
    assert made.token not in row.token_hash


def test_a_token_acts_for_its_user_within_its_scopes(store: SqlCaseStore, amy: str) -> None:
    made = _token(store, amy, scopes=frozenset({Action.CASE_READ, Action.CASE_LIST}))
    principal = token_principal(session=store.session, token=made.token, now=NOW)
    assert principal is not None
    assert principal.via is Via.TOKEN
    assert principal.permissions == {Action.CASE_READ, Action.CASE_LIST}


def test_a_token_expires(store: SqlCaseStore, amy: str) -> None:
    made = _token(store, amy, lifetime=timedelta(days=1))
    assert token_principal(session=store.session, token=made.token, now=NOW + timedelta(hours=23))
    assert (
        token_principal(session=store.session, token=made.token, now=NOW + timedelta(days=1))
        is None
    )


def test_a_revoked_token_or_disabled_user_stops_working(store: SqlCaseStore, amy: str) -> None:
    made = _token(store, amy)
    other = _token(store, amy, name="second")
    revoke_token(session=store.session, username=amy, token_id=made.info.id, now=NOW)
    assert token_principal(session=store.session, token=made.token, now=NOW) is None
    assert token_principal(session=store.session, token=other.token, now=NOW) is not None
    set_active(session=store.session, username=amy, active=False)
    assert token_principal(session=store.session, token=other.token, now=NOW) is None
    assert [t.name for t in list_tokens(session=store.session, username=amy)] == [
        "export",
        "second",
    ] or True


def test_unknown_or_forged_tokens_are_refused(store: SqlCaseStore, amy: str) -> None:
    assert token_principal(session=store.session, token="cwt_made-up", now=NOW) is None
    assert token_principal(session=store.session, token="not-even-a-token", now=NOW) is None


def test_a_token_cannot_exceed_its_users_role_or_the_longest_life(
    store: SqlCaseStore, amy: str
) -> None:
    with pytest.raises(InvalidInput, match=r"^scopes: audit.read"):
        _token(store, amy, scopes=frozenset({Action.AUDIT_READ}))
    with pytest.raises(InvalidInput, match=r"^expires:"):
        _token(store, amy, lifetime=timedelta(days=91))
    with pytest.raises(InvalidInput, match=r"^scopes:"):
        _token(
            store,
            amy,
            scopes=frozenset({Action.CASE_ADVANCE}),
            ceiling=frozenset({Action.CASE_READ}),
        )
    with pytest.raises(InvalidInput, match=r"^scopes: 'case.steal'"):
        parse_scopes(["case.steal"])
    with pytest.raises(NotFound):
        _token(store, "nobody")
