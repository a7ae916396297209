from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest

from casework.documents import PdfReader, ReadOptions
from casework.errors import LeakDetected
from casework.redaction import Audience, PlaceholderBook, RedactionPlan, plan_redactions
from casework.redaction.pdf_writer import redacted_pdf
from casework.redaction.verify_pdf import verify_pdf
from tests.redaction.conftest import (
    ADDRESS,
    OFFICER,
    PHONE,
    STATEMENT_SPECS,
    VICTIM,
    findings_for,
    make_pdf,
    read_pdf,
    statement_pages,
)

SECRETS = (VICTIM, ADDRESS, PHONE, "Acacia")


def _plan(audience: Audience, data: bytes) -> RedactionPlan:
    document = read_pdf(data)
    findings = findings_for(document, STATEMENT_SPECS)
    return plan_redactions(
        document=document, findings=findings, audience=audience, book=PlaceholderBook()
    )


def _page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    pdf.close()
    return texts


@pytest.fixture
def source_pdf() -> bytes:
    pages = statement_pages(2)
    pages.append(["A page with nothing personal on it.", "Only the weather: rain."])
    return make_pdf(pages, extras=True)


def test_redacted_text_is_gone_and_kept_text_searchable(
    public: Audience, source_pdf: bytes
) -> None:
    plan = _plan(public, source_pdf)
    data = redacted_pdf(plan)
    verify_pdf(data, plan)
    texts = _page_texts(data)
    assert len(texts) == 3
    for text in texts:
        for secret in (*SECRETS, OFFICER):
            assert secret.casefold() not in text.casefold()
    first = " ".join(texts[0].split())
    assert "The victim [PERSON 1] lives at [ADDRESS 1], phone [PHONE 1]." in first
    assert "Line 0 of page 1: ordinary narrative about the scene." in first
    assert "Only the weather: rain." in texts[2]


def test_cps_pdf_keeps_officer_names(cps: Audience, source_pdf: bytes) -> None:
    plan = _plan(cps, source_pdf)
    data = redacted_pdf(plan)
    verify_pdf(data, plan)
    first = " ".join(_page_texts(data)[0].split())
    assert f"Officer {OFFICER} attended and spoke to {VICTIM}." in first
    assert ADDRESS not in first and PHONE not in first


def test_metadata_annotations_attachments_forms_and_scripts_are_dropped(
    public: Audience, source_pdf: bytes
) -> None:
    data = redacted_pdf(_plan(public, source_pdf))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.docinfo.keys()) == 0
        assert "/Metadata" not in pdf.Root
        assert "/AcroForm" not in pdf.Root
        assert "/Names" not in pdf.Root
        assert "/OpenAction" not in pdf.Root
        assert len(pdf.attachments) == 0
        for page in pdf.pages:
            assert "/Annots" not in page.obj and "/AA" not in page.obj
    raw = data.lower()
    for secret in SECRETS:
        assert secret.lower().encode() not in raw


def test_pages_without_redactions_keep_their_content(public: Audience, source_pdf: bytes) -> None:
    data = redacted_pdf(_plan(public, source_pdf))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        rebuilt, kept = pdf.pages[0], pdf.pages[2]
        assert "/Im0" in rebuilt.obj.Resources.XObject
        assert "/XObject" not in kept.obj.Resources
        assert b"weather" in kept.obj.Contents.read_bytes()


def test_output_is_a_fresh_file_without_earlier_revisions(
    public: Audience, source_pdf: bytes
) -> None:
    data = redacted_pdf(_plan(public, source_pdf))
    assert data.count(b"%%EOF") == 1


def test_leak_check_refuses_a_box_drawn_over_the_text(public: Audience, source_pdf: bytes) -> None:
    """A writer that only paints black boxes leaves the text in the file: it must not pass."""
    plan = _plan(public, source_pdf)
    with pikepdf.open(io.BytesIO(plan.document.data)) as pdf:
        for page in pdf.pages:
            page.contents_add(pdf.make_stream(b"q 0 g 0 0 600 850 re f Q"), prepend=False)
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(LeakDetected) as caught:
        verify_pdf(out.getvalue(), plan)
    message = caught.value.message
    assert "ws1.pdf" in message
    assert "PERSON" in message or "ADDRESS" in message
    for secret in SECRETS:
        assert secret not in message


def test_leak_check_finds_values_hidden_in_metadata(public: Audience, source_pdf: bytes) -> None:
    plan = _plan(public, source_pdf)
    data = redacted_pdf(plan)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.docinfo["/Author"] = f"  {VICTIM.upper()}  "
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(LeakDetected, match="document information"):
        verify_pdf(out.getvalue(), plan)


def test_leak_check_finds_a_number_in_other_spacing(public: Audience, source_pdf: bytes) -> None:
    plan = _plan(public, source_pdf)
    data = redacted_pdf(plan)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.attachments["x.txt"] = pikepdf.AttachedFileSpec(pdf, b"ring 07700-900-123 later")
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(LeakDetected, match="PHONE"):
        verify_pdf(out.getvalue(), plan)


def test_rotated_page_keeps_its_rotation(public: Audience) -> None:
    source = make_pdf(statement_pages(1))
    with pikepdf.open(io.BytesIO(source)) as pdf:
        pdf.pages[0].rotate(90, relative=False)
        out = io.BytesIO()
        pdf.save(out)
    plan = _plan(public, out.getvalue())
    data = redacted_pdf(plan)
    verify_pdf(data, plan)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.pages[0].obj.Rotate == 90
    assert "[PERSON 1]" in _page_texts(data)[0]


def test_span_without_a_place_on_the_page_is_refused(public: Audience, source_pdf: bytes) -> None:
    """No box means the value would still show in the page image: never release that."""
    plan = _plan(public, source_pdf)
    with pytest.raises(LeakDetected, match="could not be located"):
        redacted_pdf(plan, span_rects=lambda document, start, end: [])


def test_reader_geometry_and_live_geometry_give_the_same_text_layer(public: Audience) -> None:
    data = make_pdf(statement_pages(1))
    texts = []
    for geometry in (False, True):
        document = PdfReader().read(data, "ws1.pdf", ReadOptions(ocr=False, geometry=geometry))[0]
        assert (document.pages[0].boxes is not None) == geometry
        findings = findings_for(document, STATEMENT_SPECS)
        plan = plan_redactions(
            document=document, findings=findings, audience=public, book=PlaceholderBook()
        )
        texts.append(_page_texts(redacted_pdf(plan))[0])
    assert texts[0] == texts[1]
    assert "[PERSON 1] lives at [ADDRESS 1]" in texts[0]
