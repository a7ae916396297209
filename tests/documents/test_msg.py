"""Outlook MSG reader, fed with messages written by the test compound-file writer."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import olefile
import pytest

from casework.documents import ReadOptions, read_bytes
from casework.errors import UnreadableDocument
from tests.documents.cfb_writer import Msg, MsgAttachment, write_cfb, write_msg
from tests.documents.factories import make_pdf

OPTIONS = ReadOptions(ocr=False)


def test_cfb_writer_output_is_read_by_olefile() -> None:
    big = bytes(range(256)) * 40  # over the 4096-byte mini-stream cutoff
    data = write_cfb({"small": b"hello", "big": big, "Store": {"inner": b"x" * 100}, "e": b""})
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert sorted(ole.listdir()) == [["Store", "inner"], ["big"], ["e"], ["small"]]
    assert ole.openstream("small").read() == b"hello"
    assert ole.openstream("big").read() == big
    assert ole.openstream("Store/inner").read() == b"x" * 100
    assert ole.openstream("e").read() == b""
    ole.close()


def _message(**overrides: object) -> Msg:
    fields: dict[str, object] = {
        "subject": "Breach of non-molestation order",
        "sender_name": "PC Alex Reed",
        "sender_email": "alex.reed@police.example",
        "to": [("CPS Direct", "cps@cps.example")],
        "cc": [("Kim Lowe", "kim.lowe@police.example")],
        "body": "Victim Jane Doe reports John Smith came to the house.\r\n",
        "sent": datetime(2025, 3, 4, 9, 15, tzinfo=UTC),
    }
    fields.update(overrides)
    return Msg(**fields)  # type: ignore[arg-type]


def test_msg_headers_body_and_attachment() -> None:
    pdf = make_pdf([["Exhibit AR/1 statement"]])
    data = write_msg(_message(attachments=[MsgAttachment("exhibit.pdf", pdf),
                                           MsgAttachment("note.txt", b"phone 07700 900123")]))
    message, exhibit, note = read_bytes(data, "case.msg", options=OPTIONS)
    assert message.format == "msg"
    assert message.text == (
        "From: PC Alex Reed <alex.reed@police.example>\n"
        "To: CPS Direct <cps@cps.example>\n"
        "Cc: Kim Lowe <kim.lowe@police.example>\n"
        "Subject: Breach of non-molestation order\n"
        "Date: Tue, 04 Mar 2025 09:15:00 +0000\n"
        "\n"
        "Victim Jane Doe reports John Smith came to the house.\r\n"
    )
    assert exhibit.source == "case.msg!/exhibit.pdf"
    assert "Exhibit AR/1 statement" in exhibit.text
    assert note.source == "case.msg!/note.txt" and note.text == "phone 07700 900123"


def test_msg_with_8bit_strings_uses_the_code_page() -> None:
    data = write_msg(_message(unicode=False, subject="Café – report", body="Zoë said £5"))
    (message,) = read_bytes(data, "old.msg", options=OPTIONS)
    assert "Subject: Café – report" in message.text
    assert message.text.endswith("Zoë said £5")


def test_msg_html_body_is_used_when_there_is_no_plain_body() -> None:
    html = b"<html><body><p>Hello <b>Jane</b></p></body></html>"
    data = write_msg(_message(body=None, html=html))
    (message,) = read_bytes(data, "h.msg", options=OPTIONS)
    assert message.text.endswith("\n\nHello Jane")


def test_embedded_message_is_read_with_its_attachments() -> None:
    inner = _message(subject="Original report", body="Inner body",
                     attachments=[MsgAttachment("log.txt", b"inner log")])
    data = write_msg(_message(attachments=[MsgAttachment("Original report", message=inner)]))
    docs = read_bytes(data, "outer.msg", options=OPTIONS)
    assert [d.source for d in docs] == [
        "outer.msg",
        "outer.msg!/Original report.eml",
        "outer.msg!/Original report.eml!/log.txt",
    ]
    assert "Subject: Original report" in docs[1].text
    assert "From: PC Alex Reed <alex.reed@police.example>" in docs[1].text
    assert "Inner body" in docs[1].text
    assert docs[2].text == "inner log"


def test_compound_file_that_is_not_a_message_is_refused() -> None:
    data = write_cfb({"WordDocument": b"\x00" * 600})
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "old.doc.msg", options=OPTIONS)
    assert "not an Outlook message" in caught.value.reason


def test_truncated_msg_is_refused() -> None:
    data = write_msg(_message())[:700]
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "cut.msg", options=OPTIONS)
    assert caught.value.source == "cut.msg"
