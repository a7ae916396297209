from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as DocxDocument

from casework.errors import LeakDetected
from casework.redaction import Audience, PlaceholderBook, RedactionPlan, plan_redactions
from casework.redaction.docx_writer import redacted_docx
from casework.redaction.verify_docx import verify_docx
from tests.redaction.conftest import (
    ADDRESS,
    OFFICER,
    PHONE,
    STATEMENT_SPECS,
    VICTIM,
    findings_for,
    make_docx,
    read_docx,
)


def _redact(audience: Audience) -> tuple[bytes, RedactionPlan]:
    document = read_docx(make_docx())
    findings = findings_for(document, STATEMENT_SPECS)
    plan = plan_redactions(
        document=document, findings=findings, audience=audience, book=PlaceholderBook()
    )
    return redacted_docx(plan), plan


def _all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(n).decode() for n in package.namelist() if n.endswith((".xml", ".rels"))
        )


def test_public_docx_has_placeholders_everywhere(public: Audience) -> None:
    data, plan = _redact(public)
    verify_docx(data, plan)
    doc = DocxDocument(io.BytesIO(data))
    body = doc.paragraphs[0].text
    assert body == "The victim [PERSON 1] lives at [ADDRESS 1]. Officer [PERSON 2] attended."
    assert doc.tables[0].cell(0, 1).text == "[PERSON 1]"
    assert doc.tables[0].cell(1, 1).text == "[PHONE 1]"
    assert doc.sections[0].header.paragraphs[0].text == "Witness statement: [PERSON 1]"
    assert doc.sections[0].footer.paragraphs[0].text == "Contact [PHONE 1]"
    xml = _all_xml(data).casefold()
    for secret in (VICTIM, ADDRESS, PHONE, OFFICER, "Acacia"):
        assert secret.casefold() not in xml


def test_formatting_of_the_run_where_a_name_began_is_kept(public: Audience) -> None:
    data, _plan = _redact(public)
    runs = DocxDocument(io.BytesIO(data)).paragraphs[0].runs
    assert [r.text for r in runs[:4]] == ["The victim ", "[PERSON 1]", "", ""]


def test_cps_docx_keeps_officer(cps: Audience) -> None:
    data, plan = _redact(cps)
    verify_docx(data, plan)
    body = DocxDocument(io.BytesIO(data)).paragraphs[0].text
    assert OFFICER in body
    assert VICTIM in body  # the CPS sees the parties' names
    assert ADDRESS not in body and "[ADDRESS 1]" in body


def test_core_properties_and_comments_are_removed(public: Audience) -> None:
    data, _plan = _redact(public)
    doc = DocxDocument(io.BytesIO(data))
    props = doc.core_properties
    assert (props.author, props.title, props.comments, props.last_modified_by) == ("", "", "", "")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert "word/comments.xml" not in names
    assert "commentReference" not in _all_xml(data)
    assert "comments.xml" not in _all_xml(data)


def test_verifier_refuses_an_unredacted_docx(public: Audience) -> None:
    _data, plan = _redact(public)
    with pytest.raises(LeakDetected) as caught:
        verify_docx(make_docx(), plan)
    assert VICTIM not in caught.value.message
    assert "ws2.docx" in caught.value.message
