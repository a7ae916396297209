"""The missing-person pages: list, case page with countdown and logs, forms that add to them."""

from __future__ import annotations

from tests.api.conftest import Seed
from tests.web.conftest import Pages, csrf_of


def test_list_and_case_page_show_grading_countdown_and_logs(pages: Pages, seed: Seed) -> None:
    assert pages.sign_in_page("supervisor").status_code == 303
    listed = pages.get("/missing")
    assert listed.status_code == 200
    assert seed.missing_case in listed.text and "Medium risk" in listed.text
    assert 'href="/missing"' in pages.get("/").text  # the menu entry
    shown = pages.get(f"/missing/{seed.missing_case}")
    assert shown.status_code == 200
    html = shown.text
    assert 'id="review-clock"' in html and "due in 5 h" in html
    assert "Risk graded Medium risk" in html and "With friends in Bradford" in html
    assert 'action="/missing/' in html and "/grading" in html


def test_forms_add_to_the_logs_and_a_refusal_keeps_what_was_typed(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("supervisor")
    url = f"/missing/{seed.missing_case}"
    token = csrf_of(pages.get(url).text)
    added = pages.post_form(
        f"{url}/decisions",
        {"csrf_token": token, "decision": "Ask for cell-site data", "rationale": "phone off"},
    )
    assert added.status_code == 303
    searched = pages.post_form(
        f"{url}/searches",
        {"csrf_token": token, "place": "Loft", "method": "house search", "result": "nothing"},
    )
    assert searched.status_code == 303
    html = pages.get(url).text
    assert "Ask for cell-site data" in html and "house search" in html
    refused = pages.post_form(
        f"{url}/decisions",
        {
            "csrf_token": token,
            "decision": "Planned",
            "rationale": "typed text kept",
            "decided_at": "2099-01-01T10:00",
        },
    )
    assert refused.status_code == 422
    assert "in the future" in refused.text and "typed text kept" in refused.text
    assert "Planned</strong>" not in pages.get(url).text


def test_an_investigator_sees_no_grading_form_and_may_not_grade(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("investigator")
    url = f"/missing/{seed.missing_case}"
    html = pages.get(url).text
    assert "/grading" not in html and "/decisions" in html
    response = pages.post_form(
        f"{url}/grading", {"csrf_token": csrf_of(html), "grade": "low", "rationale": "x"}
    )
    assert response.status_code == 403


def test_the_dog_unit_has_no_missing_pages(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("dogunit")
    assert pages.get("/missing").status_code == 403
    assert 'href="/missing"' not in pages.get("/").text


def test_a_search_before_1900_is_refused_naming_the_field_and_keeps_what_was_typed(
    pages: Pages, seed: Seed
) -> None:
    pages.sign_in_page("supervisor")
    url = f"/missing/{seed.missing_case}"
    token = csrf_of(pages.get(url).text)
    refused = pages.post_form(
        f"{url}/searches",
        {
            "csrf_token": token,
            "place": "Old mill kept",
            "method": "walk",
            "result": "nothing",
            "searched_at": "0001-01-01T00:00",
        },
    )
    assert refused.status_code == 422
    assert "searched_at" in refused.text and "before 1900" in refused.text
    assert "Old mill kept" in refused.text
