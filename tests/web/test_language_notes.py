"""Victim-blaming language marked in the notes the case and missing-person pages show, and
a warning (never a refusal) after a form whose free text was flagged (both databases)."""

from __future__ import annotations

import re

from fastapi import FastAPI

from casework.journey.deadlines import today_in_london
from casework.web.language_notes import language_findings, with_wording, wording_count
from casework.web.render import templates
from tests.api.conftest import Api
from tests.documents.factories import make_pdf
from tests.web.conftest import Pages, Seed, csrf_of

FLAGGED = 'Spoke to mum. She keeps putting herself at risk; he said "she consented to it".'


def test_a_flagged_contact_is_kept_marked_and_warned_about(pages: Pages, seed: Seed) -> None:
    assert pages.sign_in_page("victimcare").status_code == 303
    case = pages.get(f"/cases/{seed.team_case}")
    made = pages.post_form(
        f"/cases/{seed.team_case}/victim/contacts",
        {
            "csrf_token": csrf_of(case.text),
            "on": today_in_london().isoformat(),
            "at": "00:01",
            "method": "phone",
            "summary": FLAGGED,
        },
    )
    assert made.status_code == 303, made.text[:500]
    location = made.headers["location"]
    assert "wording=2" in location and location.endswith("#victim")
    html = pages.get(location).text
    assert "Contact with the victim recorded." in html  # kept: a warning, not a refusal
    assert "Check your wording" in html and "2 phrases that can blame a child victim" in html
    assert 'class="language-officer"' in html and 'class="language-quoted"' in html
    assert 'putting herself at risk<span class="language-note"> [1]' in html
    assert 'to it<span class="language-note"> [2, quoted]' in html
    assert "Write instead:</span> may have been groomed" in html
    assert "quoted speech (evidence): keep it as said" in html
    # the warning is for the write just made: the plain page shows the marks only
    plain = pages.get(f"/cases/{seed.team_case}").text
    assert "Check your wording" not in plain and 'class="language-officer"' in plain


def test_a_clean_note_is_shown_as_written_without_a_warning(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("victimcare")
    case = pages.get(f"/cases/{seed.team_case}")
    made = pages.post_form(
        f"/cases/{seed.team_case}/victim/contacts",
        {
            "csrf_token": csrf_of(case.text),
            "on": today_in_london().isoformat(),
            "at": "00:02",
            "method": "phone",
            "summary": "Explained the next steps & <b>bail</b>",
        },
    )
    assert made.status_code == 303
    assert "wording" not in made.headers["location"]
    html = pages.get(made.headers["location"]).text
    assert "Explained the next steps &amp; &lt;b&gt;bail&lt;/b&gt;" in html
    assert "Check your wording" not in html


def test_missing_person_logs_are_marked_and_the_officer_warned(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("supervisor")
    url = f"/missing/{seed.missing_case}"
    token = csrf_of(pages.get(url).text)
    added = pages.post_form(
        f"{url}/decisions",
        {
            "csrf_token": token,
            "decision": "Treat as exploitation",
            "rationale": "She is in a relationship with an older man.",
        },
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"{url}?wording=1#decision"
    html = pages.get(added.headers["location"]).text
    assert "Check your wording" in html and "1 phrase that can blame" in html
    assert 'id="rationale-' in html and "language-officer" in html
    handed = pages.post_form(
        f"{url}/handovers",
        {
            "csrf_token": token,
            "to": "PS 2 Example",
            "summary": "Enquiries continue; the child is being groomed.",
            "outstanding": "Child prostitution enquiries with the hotel",
        },
    )
    assert handed.status_code == 303, handed.text[:300]
    assert handed.headers["location"] == f"{url}?wording=1#handover"
    html = pages.get(url).text
    assert 'id="outstanding-' in html and "child sexual exploitation" in html.lower()


def test_the_timeline_marks_event_descriptions(pages: Pages, seed: Seed, app: FastAPI) -> None:
    made = Api(app, token=seed.tokens["investigator"]).call(
        "POST",
        f"/api/cases/{seed.team_case}/timeline/proposals",
        json={"text": "On 01/02/2026 at 21:30 he messaged her.", "name": "MG11"},
    )
    assert made.status_code in (200, 201), made.text
    first = made.json()["proposed"][0]["id"]
    pages.sign_in_page("investigator")
    url = f"/cases/{seed.team_case}/timeline"
    page = pages.get(url)
    assert page.status_code == 200
    confirmed = pages.post_form(
        f"{url}/events/{first}/confirm",
        {
            "csrf_token": csrf_of(page.text),
            "kind": "damage",
            "description": "Messaged the victim, who was sexually active with him.",
        },
    )
    assert confirmed.status_code == 303, confirmed.text[:300]
    assert "wording=1" in confirmed.headers["location"]
    html = pages.get(confirmed.headers["location"]).text
    assert "Check your wording" in html
    assert 'sexually active<span class="language-note"> [1]' in html


def test_helpers_put_the_count_before_the_fragment_and_cache_findings() -> None:
    assert with_wording("/cases/X?done=contact#victim", {"summary": FLAGGED}) == (
        "/cases/X?done=contact&wording=2#victim"
    )
    assert with_wording("/missing/M#search", {"place": "at risk", "result": "fine"}) == (
        "/missing/M#search"
    )
    assert wording_count({"name": "child prostitute", "reasons": "child prostitute"}) == 1
    assert language_findings(None) == () and language_findings("  ") == ()
    assert language_findings(FLAGGED) is language_findings(FLAGGED)


def test_the_note_macro_leaves_clean_text_alone_and_explains_each_mark() -> None:
    source = '{% from "language/_highlight.html" import note %}{{ note(text, "n") }}'
    render = templates.env.from_string(source).render
    assert render(text="All <fine>") == "All &lt;fine&gt;"
    assert render(text=None) == ""
    html = render(text="Child porn & more")
    assert html.startswith('<span class="language-inline"><mark id="n-at-1"')
    assert 'href="#n-why-1"' in html and 'id="n-why-1"' in html and "&amp; more" in html
    assert "child sexual abuse material" in html


def test_the_document_review_lists_language_findings_by_page(pages: Pages, seed: Seed) -> None:
    pages.sign_in_page("investigator")
    form = pages.get(f"/cases/{seed.team_case}/documents")
    pdf = make_pdf([["He said she consented to it at the flat."], ["She is involved in CSE."]])
    uploaded = pages.call(
        "POST",
        f"/cases/{seed.team_case}/documents",
        data={"csrf_token": csrf_of(form.text)},
        files=[("files", ("ws.pdf", pdf, "application/octet-stream"))],
    )
    assert uploaded.status_code == 303
    listed = pages.get(f"/cases/{seed.team_case}/documents").text
    upload_id = re.findall(r"/documents/([0-9a-f-]{36})/review", listed)[-1]
    base = f"/cases/{seed.team_case}/documents/{upload_id}/review"
    first = pages.get(base).text
    assert "Language that can blame a child victim" in first
    assert "2 phrases in this document: 2 in the writer's own words, 0 in quoted speech" in first
    assert "1 on this page" in first
    assert "<strong>Page 1 (this page)</strong>" in first
    assert f'href="{base}?part=0&page=2#language">Page 2</a>' in first
    assert "“involved in CSE”" in first and "victim of sexual exploitation" in first
    # the seed's statement has none
    clean = pages.get(f"/cases/{seed.team_case}/documents/{seed.document_id}/review").text
    assert "No phrase of the language rule pack in this document." in clean
