"""The language check page: text and documents highlighted; the macro other pages reuse."""

from __future__ import annotations

from casework.safeguarding.language import check_text
from casework.web.render import templates
from tests.api.conftest import Seed
from tests.web.conftest import Pages, csrf_of


def test_the_page_checks_text_and_highlights_it(pages: Pages, seed: Seed) -> None:
    assert pages.sign_in_page("investigator").status_code == 303
    form = pages.get("/language")
    assert form.status_code == 200
    assert "child sexual abuse material" in form.text  # the rules table
    response = pages.post_form(
        "/language",
        {
            "text": 'She is putting herself at risk. He said "she consented to it" <b>.',
            "csrf_token": csrf_of(form.text),
        },
    )
    assert response.status_code == 200, response.text[:300]
    assert '<mark id="lang-at-1" class="language-officer">' in response.text
    assert "putting herself at risk" in response.text
    assert 'class="language-quoted"' in response.text
    assert "&lt;b&gt;" in response.text  # escaped, never markup
    assert "may have been groomed" in response.text


def test_htmx_gets_the_result_only(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("supervisor")
    form = pages.get("/language")
    response = pages.call(
        "POST",
        "/language",
        data={"text": "Child porn found.", "csrf_token": csrf_of(form.text)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="language-result"')


def test_a_document_is_read_and_checked(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("victimcare")
    pages.get("/language")
    response = pages.call(
        "POST",
        "/language/document",
        files={"file": ("note.txt", b"Line one.\nShe is involved in CSE.\n", "text/plain")},
        headers={"X-CSRF-Token": pages.csrf or "", "HX-Request": "true"},
    )
    assert response.status_code == 200, response.text[:300]
    assert "Result for note.txt" in response.text
    assert "involved in CSE" in response.text and "Line 2" in response.text


def test_the_dog_unit_may_not_open_it(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("dogunit")
    assert pages.get("/language").status_code == 403


def test_the_highlight_macro_is_reusable() -> None:
    text = "Note: she has an older boyfriend & she is sexually active."
    source = (
        '{% from "language/_highlight.html" import highlight %}'
        "{{ highlight(text, findings, prefix='n1') }}"
    )
    html = templates.env.from_string(source).render(text=text, findings=check_text(text))
    assert html.count("<mark") == 2
    assert 'id="n1-at-1"' in html and "&amp;" in html
    assert html.startswith('<div class="language-text">Note: she has an ')
