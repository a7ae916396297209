"""Pages in-process: sign in and out, home, case list, case page, advance; CSRF, 404, audit."""

from __future__ import annotations

from sqlalchemy import select

from casework.store import make_engine, session_factory
from casework.store.security_models import AuditEntryRow
from tests.web.conftest import Pages, Seed, csrf_of


def _audit(db_path: object, **where: str) -> list[AuditEntryRow]:
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with session_factory(engine)() as session:
            rows = list(session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)))
    finally:
        engine.dispose()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def test_a_page_without_a_session_sends_the_browser_to_sign_in(pages: Pages) -> None:
    response = pages.get("/cases?stage=with_cps")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fcases%3Fstage%3Dwith_cps"


def test_sign_in_form_has_labels_and_a_csrf_token(pages: Pages) -> None:
    response = pages.get("/sign-in")
    assert response.status_code == 200
    assert '<label for="username">Username</label>' in response.text
    assert '<label for="password">Password</label>' in response.text
    assert csrf_of(response.text)
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "<script>" not in response.text and "style=" not in response.text


def test_sign_in_goes_home_and_shows_my_case(pages: Pages, seed: Seed) -> None:
    response = pages.sign_in_page("investigator")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = pages.get("/")
    assert home.status_code == 200
    assert "Amy KHAN" in home.text
    assert seed.team_case in home.text
    assert seed.restricted_case not in home.text
    assert "Deadlines" in home.text


def test_wrong_password_says_so_and_keeps_the_username(pages: Pages) -> None:
    response = pages.sign_in_page("investigator", password="wrong-password")
    assert response.status_code == 401
    assert "wrong username or password" in response.text.lower()
    assert 'value="investigator"' in response.text
    assert 'role="alert"' in response.text


def test_sign_in_without_the_forms_token_is_refused(pages: Pages) -> None:
    pages.get("/sign-in")
    response = pages.post_form(
        "/sign-in", {"username": "investigator", "password": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "not sent from this site" in response.text


def test_sign_in_comes_back_to_the_page_asked_for(pages: Pages, seed: Seed) -> None:
    form = pages.get(f"/sign-in?next=/cases/{seed.team_case}")
    from tests.api.conftest import PASSWORD

    response = pages.post_form(
        "/sign-in",
        {
            "username": "investigator",
            "password": PASSWORD,
            "next": f"/cases/{seed.team_case}",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert response.headers["location"] == f"/cases/{seed.team_case}"


def test_sign_in_never_sends_the_browser_to_another_site(pages: Pages) -> None:
    from tests.api.conftest import PASSWORD

    form = pages.get("/sign-in")
    response = pages.post_form(
        "/sign-in",
        {
            "username": "investigator",
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert response.headers["location"] == "/"


def test_case_list_filters_and_search(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("supervisor")
    everything = pages.get("/cases")
    assert everything.status_code == 200
    assert seed.team_case in everything.text
    with_cps = pages.get("/cases?stage=with_cps&offence=common_assault&officer=Amy+KHAN")
    assert seed.team_case in with_cps.text
    reported = pages.get("/cases?stage=reported")
    assert seed.team_case not in reported.text
    search = pages.get(f"/cases?q={seed.team_case.lower()}")
    assert search.status_code == 303
    assert search.headers["location"] == f"/cases/{seed.team_case}"


def test_case_list_explains_bad_filters(pages: Pages) -> None:
    pages.sign_in_page("supervisor")
    response = pages.get("/cases?offence=no_such_offence")
    assert response.status_code == 422
    assert "no_such_offence" in response.text
    assert pages.get("/cases?q=not+a+reference").status_code == 422


def test_case_list_with_htmx_returns_the_results_only(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("supervisor")
    response = pages.get("/cases?stage=with_cps", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results">')
    assert seed.team_case in response.text


def test_a_role_without_case_list_gets_a_clear_403(pages: Pages) -> None:
    pages.sign_in_page("analyst")
    response = pages.get("/cases")
    assert response.status_code == 403
    assert "may not do case.list" in response.text
    assert pages.get("/").status_code == 200


def test_case_page_shows_the_case_and_writes_the_api_audit_entries(
    pages: Pages, seed: Seed, db_path: object
) -> None:
    pages.sign_in_page("investigator")
    response = pages.get(f"/cases/{seed.team_case}")
    assert response.status_code == 200
    text = response.text
    for shown in ("Jane SMITH", "Terry WILLIAMS", "officer in the case", "Common assault"):
        assert shown in text
    assert "with the CPS for charging advice" in text
    assert "Deadlines" in text and "Rule behind it" in text
    assert "Victim" in text and "Action plan" in text
    reads = _audit(db_path, action="case.read", case_reference=seed.team_case, actor="investigator")
    # signing in opens home, whose task list reads the case too (target "tasks")
    assert sorted(r.target for r in reads if r.target != "tasks") == ["", "cps", "victim"]


def test_a_case_out_of_scope_is_the_same_404_as_no_case(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("investigator")
    hidden = pages.get(f"/cases/{seed.restricted_case}")
    missing = pages.get("/cases/WY-2026-999999")
    assert hidden.status_code == missing.status_code == 404
    assert "Page not found" in hidden.text
    assert hidden.text.replace(seed.restricted_case, "X") == missing.text.replace(
        "WY-2026-999999", "X"
    )


def test_advance_the_stage_through_the_form(pages: Pages, seed: Seed, db_path: object) -> None:
    pages.sign_in_page("investigator")
    page = pages.get(f"/cases/{seed.team_case}")
    response = pages.post_form(
        f"/cases/{seed.team_case}/advance",
        {
            "csrf_token": csrf_of(page.text),
            "to": "investigating",
            "decided_by": "police",
            "reason": "action plan: statement from the neighbour",
        },
    )
    assert response.status_code == 303
    after = pages.get(response.headers["location"])
    assert "Stage changed to investigating" in after.text
    assert "action plan: statement from the neighbour" in after.text
    assert _audit(db_path, action="case.advance", case_reference=seed.team_case)


def test_advance_refused_keeps_what_was_typed(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("investigator")
    page = pages.get(f"/cases/{seed.team_case}")
    response = pages.post_form(
        f"/cases/{seed.team_case}/advance",
        {"csrf_token": csrf_of(page.text), "to": "investigating", "reason": "  "},
    )
    assert response.status_code == 422
    assert "give the reason" in response.text
    assert '<option value="investigating" selected>' in response.text


def test_advance_without_the_csrf_token_is_refused(
    pages: Pages, seed: Seed, db_path: object
) -> None:
    pages.sign_in_page("investigator")
    response = pages.post_form(
        f"/cases/{seed.team_case}/advance",
        {"csrf_token": "forged", "to": "investigating", "reason": "r", "decided_by": "police"},
    )
    assert response.status_code == 403
    assert "CSRF token missing or wrong" in response.text
    assert not _audit(db_path, action="case.advance")
    assert _audit(db_path, action="auth.csrf", actor="investigator")


def test_sign_out_ends_the_session(pages: Pages) -> None:
    pages.sign_in_page("investigator")
    response = pages.post_form("/sign-out", {"csrf_token": pages.csrf or ""})
    assert response.status_code == 303
    assert pages.get("/").status_code == 303


def test_unknown_page_is_a_404_page_and_the_api_keeps_json(pages: Pages) -> None:
    response = pages.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    api = pages.get("/api/no-such-endpoint")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/json")
    assert pages.get("/api/cases").json()["detail"].startswith("sign in first")


def test_static_files_are_served(pages: Pages) -> None:
    for path in (
        "/static/vendor/htmx.min.js",
        "/static/js/casework.js",
        "/static/css/casework.css",
    ):
        assert pages.get(path).status_code == 200, path
