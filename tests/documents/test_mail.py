"""E-mail reader: headers and body as text, attachments read as documents of their own."""

from __future__ import annotations

from casework.documents import ReadFailure, ReadOptions, default_readers, read_bytes
from tests.documents.factories import make_eml, make_pdf

OPTIONS = ReadOptions(ocr=False)


def test_eml_headers_body_and_pdf_attachment() -> None:
    pdf = make_pdf([["Attached statement of John Smith"]])
    data = make_eml(body="Please find the statement attached.\n", attachments=[("ws1.pdf", pdf)])
    message, attachment = read_bytes(data, "mail.eml", options=OPTIONS)
    assert message.source == "mail.eml"
    assert message.format == "eml"
    assert message.text == (
        "From: PC Alex Reed <alex.reed@police.example>\n"
        "To: CPS Direct <cps@cps.example>\n"
        "Cc: Sgt Kim Lowe <kim.lowe@police.example>\n"
        "Subject: Statement of Jane Doe\n"
        "Date: Tue, 04 Mar 2025 09:15:00 +0000\n"
        "\n"
        "Please find the statement attached.\n"
    )
    assert message.metadata["subject"] == "Statement of Jane Doe"
    assert attachment.source == "mail.eml!/ws1.pdf"
    assert attachment.format == "pdf"
    assert "Attached statement of John Smith" in attachment.text
    assert attachment.data == pdf


def test_html_only_body_becomes_text() -> None:
    data = make_eml(body="", html="<html><body><p>Hello <b>Jane</b></p><script>x()</script>"
                                  "</body></html>")
    (message,) = read_bytes(data, "mail.eml", options=OPTIONS)
    assert message.text.endswith("\n\nHello Jane")


def test_bad_attachment_is_reported_and_the_rest_still_read() -> None:
    data = make_eml(
        body="Two files.",
        attachments=[("broken.pdf", b"%PDF-1.4 nonsense"), ("notes.txt", b"call the victim")],
    )
    entries = default_readers().read_entries(data, "mail.eml", options=OPTIONS)
    message = entries[0]
    assert not isinstance(message, ReadFailure)
    assert message.warnings and "mail.eml!/broken.pdf" in message.warnings[0]
    failures = [e for e in entries if isinstance(e, ReadFailure)]
    assert [f.source for f in failures] == ["mail.eml!/broken.pdf"]
    assert "corrupt" in failures[0].reason
    texts = [e.text for e in entries if not isinstance(e, ReadFailure)]
    assert "call the victim" in texts
    # read_bytes keeps the documents and drops the failure (it is in the warning).
    assert [d.source for d in read_bytes(data, "mail.eml", options=OPTIONS)] == [
        "mail.eml",
        "mail.eml!/notes.txt",
    ]


def test_attachments_with_the_same_name_get_distinct_sources() -> None:
    data = make_eml(body="x", attachments=[("a.txt", b"one"), ("a.txt", b"two")])
    sources = [d.source for d in read_bytes(data, "m.eml", options=OPTIONS)]
    assert sources == ["m.eml", "m.eml!/a.txt", "m.eml!/a (2).txt"]


def test_forwarded_message_is_read_recursively() -> None:
    inner = make_eml(body="Original report", attachments=[("log.txt", b"inner log")],
                     subject="Original")
    outer = make_eml(body="Forwarding", attachments=[("fwd.eml", inner)], subject="Fwd")
    docs = read_bytes(outer, "outer.eml", options=OPTIONS)
    assert [d.source for d in docs] == ["outer.eml", "outer.eml!/fwd.eml",
                                       "outer.eml!/fwd.eml!/log.txt"]
    assert "Subject: Original" in docs[1].text
    assert docs[2].text == "inner log"
