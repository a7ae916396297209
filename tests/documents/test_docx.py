"""Word reader: paragraphs and tables in order, headers and footers after the body."""

from __future__ import annotations

import pytest

from casework.documents import ReadOptions, read_bytes
from casework.errors import UnreadableDocument
from tests.documents.factories import make_docx, make_zip

OPTIONS = ReadOptions(ocr=False)


def test_docx_reads_paragraphs_tables_headers_and_footers() -> None:
    data = make_docx(
        ["Statement of Jane Doe", "", "John Smith pushed me – twice."],
        table=[["Name", "Date of birth"], ["Jane Doe", "01/02/1990"]],
        header="RESTRICTED",
        footer="Page footer: MG11",
    )
    (document,) = read_bytes(data, "ws.docx", options=OPTIONS)
    assert document.format == "docx"
    assert document.text == (
        "Statement of Jane Doe\n"
        "\n"
        "John Smith pushed me – twice.\n"
        "Name\tDate of birth\n"
        "Jane Doe\t01/02/1990\n"
        "\n"
        "RESTRICTED\n"
        "Page footer: MG11"
    )
    assert document.pages[0].end == len(document.text)
    assert document.data == data


def test_docx_recognised_by_content_when_misnamed() -> None:
    data = make_docx(["Hello"])
    (document,) = read_bytes(data, "upload.bin.docx", options=OPTIONS)
    assert document.text == "Hello"


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(make_zip([("a.txt", b"x")]), "fake.docx", options=OPTIONS)
    assert "Word document" in caught.value.reason


def test_docx_tabs_breaks_and_tracked_insertions_are_text() -> None:
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("Name:")
    run.add_tab()
    run.add_text("Jane Doe")
    run.add_break()
    run.add_text("Flat 2")
    inserted = parse_xml(
        f"<w:ins {nsdecls('w')} w:id='1' w:author='PC' w:date='2025-03-04T09:00:00Z'>"
        "<w:r><w:t xml:space='preserve'> (added)</w:t></w:r></w:ins>"
    )
    deleted = parse_xml(
        f"<w:del {nsdecls('w')} w:id='2' w:author='PC' w:date='2025-03-04T09:00:00Z'>"
        "<w:r><w:delText>removed words</w:delText></w:r></w:del>"
    )
    paragraph._p.append(inserted)
    paragraph._p.append(deleted)
    buffer = io.BytesIO()
    document.save(buffer)
    (read,) = read_bytes(buffer.getvalue(), "t.docx", options=OPTIONS)
    assert read.text == "Name:\tJane Doe\nFlat 2 (added)"
