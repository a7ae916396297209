"""The documents pages in-process: upload (with and without the script), progress, review,
decisions, the redacted copy and its log; policy, CSRF and kept input, on SQLite and PostgreSQL.

The seed's team case holds one text upload ("Statement of Jane SMITH") with a CPS copy.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from uuid import uuid4

from casework.api import create_app
from casework.documents import ReadOptions
from casework.jobs.worker import Worker, WorkerConfig
from tests.api.conftest import settings_for
from tests.documents.factories import make_pdf
from tests.web.conftest import Pages, Seed, csrf_of

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def _signed_in(pages: Pages, role: str = "investigator") -> Pages:
    assert pages.sign_in_page(role).status_code == 303
    return pages


def _upload(pages: Pages, reference: str, files: list[tuple[str, bytes]], **headers: str):  # type: ignore[no-untyped-def]
    form = pages.get(f"/cases/{reference}/documents")
    return pages.call(
        "POST",
        f"/cases/{reference}/documents",
        data={"csrf_token": csrf_of(form.text)} if not headers else {},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=headers,
    )


def test_the_documents_page_lists_uploads_and_offers_an_accessible_upload(
    pages: Pages, seed: Seed
) -> None:
    response = _signed_in(pages).get(f"/cases/{seed.team_case}/documents")
    assert response.status_code == 200
    html = response.text
    assert "statement.txt" in html
    assert '<label for="files">' in html and 'type="file" multiple' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<script src="/static/js/documents.js" defer></script>' in html
    assert "style=" not in html and "<script>" not in html
    assert f'href="/cases/{seed.team_case}/documents/{seed.document_id}/copy?audience=cps"' in html
    assert f"/documents/{seed.document_id}/review" in html


def test_a_bundle_uploads_without_javascript_and_processing_is_polled(
    pages: Pages, seed: Seed
) -> None:
    _signed_in(pages)
    response = _upload(
        pages,
        seed.team_case,
        [("note.txt", b"Call Lee BROWN on 07700 900456."), ("ws.pdf", make_pdf([["Statement"]]))],
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("/documents?uploaded=2#uploads")
    listed = pages.get(f"/cases/{seed.team_case}/documents?uploaded=2")
    assert "2 files uploaded" in listed.text
    assert "note.txt" in listed.text and "ws.pdf" in listed.text
    assert 'hx-trigger="every 1s"' in listed.text  # no worker in tests: still waiting
    fragment = pages.get(
        f"/cases/{seed.team_case}/documents/progress", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="uploads-table"')
    assert "Waiting" in fragment.text


def test_the_drop_zone_script_gets_the_table_back(pages: Pages, seed: Seed) -> None:
    _signed_in(pages)
    assert pages.csrf
    response = _upload(
        pages,
        seed.team_case,
        [("note.txt", b"Call Lee BROWN.")],
        **{"X-CSRF-Token": pages.csrf, "X-Casework-Upload": "1"},
    )
    assert response.status_code == 201
    assert response.text.lstrip().startswith('<div id="uploads-table"')
    assert "note.txt" in response.text


def test_a_file_of_an_unknown_kind_refuses_the_whole_bundle_naming_it(
    pages: Pages, seed: Seed
) -> None:
    _signed_in(pages)
    response = _upload(
        pages,
        seed.team_case,
        [("note.txt", b"Call Lee BROWN."), ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe")],
    )
    assert response.status_code == 415
    assert "tool.exe" in response.text and "nothing was uploaded" in response.text
    assert 'role="alert"' in response.text
    assert "note.txt" not in pages.get(f"/cases/{seed.team_case}/documents").text


def test_an_upload_without_the_forms_token_is_refused(pages: Pages, seed: Seed) -> None:
    _signed_in(pages)
    response = pages.call(
        "POST",
        f"/cases/{seed.team_case}/documents",
        data={"csrf_token": "forged"},
        files=[("files", ("note.txt", b"Call Lee BROWN.", "text/plain"))],
    )
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_review_reject_add_and_remake_the_cps_copy(pages: Pages, seed: Seed) -> None:
    _signed_in(pages)
    base = f"/cases/{seed.team_case}/documents/{seed.document_id}"
    review = pages.get(f"{base}/review")
    assert review.status_code == 200
    html = review.text
    assert "Legend:" in html and "PERSON" in html
    assert re.search(
        r'<mark class="hl hl-1"><span class="hl-tag">1 PERSON</span>Jane SMITH</mark>', html
    )
    found = re.search(
        r'name="start" value="(\d+)">\s*<input type="hidden" name="end" value="(\d+)"', html
    )
    assert found is not None
    token = csrf_of(html)

    rejected = pages.post_form(
        f"{base}/decisions",
        {
            "csrf_token": token,
            "part": "0",
            "page": "1",
            "start": found[1],
            "end": found[2],
            "label": "PERSON",
            "verdict": "reject",
        },
    )
    assert rejected.status_code == 303
    assert "rejected (stays visible)" in pages.get(rejected.headers["location"]).text

    refused = pages.post_form(
        f"{base}/decisions",
        {
            "csrf_token": token,
            "part": "0",
            "page": "1",
            "verdict": "add",
            "text": "not in the text",
            "label": "LOCATION",
            "note": "my reason",
        },
    )
    assert refused.status_code == 422
    assert "text: not found in this document" in refused.text
    assert 'value="not in the text"' in refused.text and 'value="my reason"' in refused.text
    assert 'aria-invalid="true"' in refused.text

    added = pages.post_form(
        f"{base}/decisions",
        {
            "csrf_token": token,
            "part": "0",
            "page": "1",
            "verdict": "add",
            "text": "Statement",
            "label": "ORGANISATION",
            "note": "a test",
        },
    )
    assert added.status_code == 303

    made = pages.post_form(f"{base}/redact", {"csrf_token": token, "audience": "cps"})
    assert made.status_code == 303
    copy = pages.get(made.headers["location"])
    assert copy.status_code == 200
    assert "passed the check" in copy.text
    preview = re.search(r'<pre class="copy-text"[^>]*>(.*?)</pre>', copy.text, re.S)
    assert preview is not None
    assert "Jane SMITH" in preview[1]  # rejected: stays
    assert "Statement" not in preview[1]  # added: gone
    assert "added in review by investigator: a test" in copy.text

    log = pages.get(f"/api/cases/{seed.team_case}/documents/{seed.document_id}/log?format=csv")
    assert log.status_code == 200
    assert log.headers["content-type"].startswith("text/csv")
    assert log.text.splitlines()[0] == "part,page,label,reason,recognizer,placeholder,start,end"
    assert "casework.review" in log.text and "Jane SMITH" not in log.text


def test_a_pdf_page_is_shown_as_an_image_with_its_findings_outlined(
    pages: Pages, seed: Seed
) -> None:
    _signed_in(pages)
    _upload(
        pages,
        seed.team_case,
        [("ws.pdf", make_pdf([["Statement of Priya PATEL, phone 07700 900456."]]))],
    )
    listed = pages.get(f"/cases/{seed.team_case}/documents").text
    upload_id = re.findall(r"/documents/([0-9a-f-]{36})/review", listed)[-1]
    review = pages.get(f"/cases/{seed.team_case}/documents/{upload_id}/review")
    assert review.status_code == 200
    assert 'src="data:image/png;base64,' not in review.text  # an SVG image, not an <img>
    assert '<image href="data:image/png;base64,' in review.text
    assert re.search(
        r'<g class="hl hl-3">\s*<title>\d+\. PHONE, proposed</title>\s*<rect ', review.text
    )
    assert "PHONE" in review.text


def test_a_prosecutor_sees_only_the_cps_copy_and_cannot_review(pages: Pages, seed: Seed) -> None:
    _signed_in(pages, "prosecutor")
    base = f"/cases/{seed.team_case}/documents"
    listed = pages.get(base)
    assert listed.status_code == 200
    assert "statement.txt" not in listed.text and "Document 1" in listed.text
    assert "/review" not in listed.text and 'type="file"' not in listed.text
    copy = pages.get(f"{base}/{seed.document_id}/copy")
    assert copy.status_code == 200 and "Statement of [VICTIM 1]" in copy.text
    assert pages.get(f"{base}/{seed.document_id}/copy?audience=original").status_code == 404
    assert pages.get(f"{base}/{seed.document_id}/review").status_code == 403


def test_a_decision_outside_the_text_is_refused_on_the_findings_list(
    pages: Pages, seed: Seed
) -> None:
    _signed_in(pages)
    base = f"/cases/{seed.team_case}/documents/{seed.document_id}"
    token = csrf_of(pages.get(f"{base}/review").text)
    refused = pages.post_form(
        f"{base}/decisions",
        {
            "csrf_token": token,
            "part": "0",
            "page": "1",
            "start": "5",
            "end": "9999",
            "label": "PERSON",
            "verdict": "reject",
        },
    )
    assert refused.status_code == 422
    assert 'id="decision-error"' in refused.text
    assert "start: give a span within the part" in refused.text
    assert "Rejected (stays visible)" not in refused.text


def test_a_big_uploads_copy_is_queued_and_the_copy_page_follows_the_job(
    db_path: Path, seed: Seed
) -> None:
    settings = settings_for(db_path, remake_inline_bytes=0)  # every upload counts as big
    app = create_app(settings)
    try:
        pages = _signed_in(Pages(app))
        base = f"/cases/{seed.team_case}/documents/{seed.document_id}"
        token = csrf_of(pages.get(f"{base}/review").text)
        asked = pages.post_form(f"{base}/redact", {"csrf_token": token, "audience": "cps"})
        assert asked.status_code == 303
        follow = asked.headers["location"]
        job_id = re.search(r"[?&]job=([0-9a-f-]+)", follow)
        assert job_id is not None and "audience=cps" in follow

        copy = pages.get(follow)
        assert copy.status_code == 200
        assert "queued to be made again" in copy.text
        assert f'hx-get="{base}/remakes/{job_id[1]}"' in copy.text  # polls until it ends

        config = WorkerConfig.from_settings(
            settings, processes=1, poll_seconds=0.1, in_process=True
        )
        Worker(replace(config, engine="local", options=ReadOptions(ocr=False))).run(until_idle=True)

        ended = pages.get(f"{base}/remakes/{job_id[1]}")
        assert ended.status_code == 200
        assert ended.headers["hx-redirect"] == f"{base}/copy?audience=cps&remade=1"
        assert "passed the check" in pages.get(ended.headers["hx-redirect"]).text
        assert pages.get(f"{base}/remakes/{uuid4()}").status_code == 404
    finally:
        app.state.engine.dispose()
