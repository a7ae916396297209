"""Scanned pages through the real Tesseract, when it is installed (CI installs it)."""

from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from casework.documents import PdfReader, ReadOptions, TesseractOcr, pdf_span_rects

pytestmark = pytest.mark.skipif(
    not TesseractOcr().available(),
    reason="Tesseract OCR is not installed (apt-get install tesseract-ocr); "
    "the OCR path is still covered by tests/documents/test_pdf.py with a stand-in engine",
)

LINES = ["Statement of Grace OKAFOR", "Mobile 07700 900461", "Postcode LS1 4AB"]


def _scan(lines: list[str]) -> bytes:
    """A PDF page that is only a picture of typed lines, as a scanner makes."""
    image = Image.new("L", (1700, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=56)
    for i, line in enumerate(lines):
        draw.text((80, 60 + 150 * i), line, fill=0, font=font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 216))
    pdf.drawImage(ImageReader(image), 0, 0, width=612, height=216)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_tesseract_reads_a_scanned_page_with_boxes_for_each_word() -> None:
    assert shutil.which("tesseract")
    (document,) = PdfReader(TesseractOcr()).read(_scan(LINES), "scan.pdf", ReadOptions(ocr=True))

    assert document.metadata["ocr_pages"] == "1"
    assert document.warnings == ()
    for expected in ("OKAFOR", "07700 900461", "LS1 4AB"):
        assert expected in document.text
    start = document.text.index("OKAFOR")
    ((page, (left, bottom, right, top)),) = pdf_span_rects(document, start, start + 6)
    assert page == 1
    assert 0 <= left < right <= 612 and 0 <= bottom < top <= 216


def test_a_redacted_scan_hides_the_value_from_ocr_too(tmp_path: object) -> None:
    from pathlib import Path

    from casework.detection.builtins import default_registry
    from casework.detection.engine import DetectionEngine
    from casework.redaction import AudienceRegistry, PlaceholderBook, redact_document

    out = Path(str(tmp_path))
    (document,) = PdfReader(TesseractOcr()).read(_scan(LINES), "scan.pdf", ReadOptions(ocr=True))
    findings = DetectionEngine(default_registry()).detect(document.text)
    assert {"PHONE", "POSTCODE"} <= {str(f.label) for f in findings}
    public = AudienceRegistry.with_builtins().get("public")
    book = PlaceholderBook()
    book.add_findings([findings], public)

    result = redact_document(
        document=document, findings=findings, audience=public, book=book, out_dir=out
    )

    # Read the picture itself, not the copy's text layer: the pixels must not show it either.
    pdf = pdfium.PdfDocument(result.output.read_bytes())
    image = pdf[0].render(scale=300 / 72).to_pil()
    seen = "".join(word.text for word in TesseractOcr().words(image))
    assert "OKAFOR" not in seen  # a third party's name, removed for the public
    assert "07700900461" not in seen
    assert "LS14AB" not in seen
    assert "Mobile" in seen  # the rest of the page is still there


def test_a_scan_with_a_page_stamp_is_read_and_redacted_in_the_picture(tmp_path: object) -> None:
    """A text stamp ("Page 1 of 1") on a scan must not stop OCR of the picture beneath it."""
    from pathlib import Path

    from casework.detection.builtins import default_registry
    from casework.detection.engine import DetectionEngine
    from casework.redaction import AudienceRegistry, PlaceholderBook, redact_document

    image = Image.new("L", (1700, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=56)
    for i, line in enumerate(LINES):
        draw.text((80, 60 + 150 * i), line, fill=0, font=font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 216))
    pdf.drawImage(ImageReader(image), 0, 0, width=612, height=216)
    pdf.setFont("Helvetica", 6)
    pdf.drawString(540, 4, "Page 1 of 1")
    pdf.showPage()
    pdf.save()

    reader = PdfReader(TesseractOcr())
    (document,) = reader.read(buffer.getvalue(), "stamped.pdf", ReadOptions(ocr=True))
    assert document.text.startswith("Page 1 of 1\n")
    assert "07700 900461" in document.text
    findings = DetectionEngine(default_registry()).detect(document.text)
    public = AudienceRegistry.with_builtins().get("public")
    book = PlaceholderBook()
    book.add_findings([findings], public)
    result = redact_document(
        document=document,
        findings=findings,
        audience=public,
        book=book,
        out_dir=Path(str(tmp_path)),
    )

    copy = pdfium.PdfDocument(result.output.read_bytes())
    seen = "".join(w.text for w in TesseractOcr().words(copy[0].render(scale=300 / 72).to_pil()))
    assert "07700900461" not in seen
    assert "LS14AB" not in seen
    assert "Mobile" in seen


def test_a_picture_on_a_typed_page_is_read_and_redacted(tmp_path: object) -> None:
    """A photo of a document on a typed page: its text is read and boxed like the rest."""
    from pathlib import Path

    from casework.detection.builtins import default_registry
    from casework.detection.engine import DetectionEngine
    from casework.redaction import AudienceRegistry, PlaceholderBook, redact_document

    image = Image.new("L", (1700, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=56)
    for i, line in enumerate(LINES):
        draw.text((80, 60 + 150 * i), line, fill=0, font=font)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "Officer's note: a photograph of the contact card is below.")
    pdf.drawImage(ImageReader(image), 72, 400, width=425, height=150)
    pdf.showPage()
    pdf.save()

    reader = PdfReader(TesseractOcr())
    (document,) = reader.read(buffer.getvalue(), "note.pdf", ReadOptions(ocr=True))
    assert document.text.startswith("Officer's note")
    assert "07700 900461" in document.text
    findings = DetectionEngine(default_registry()).detect(document.text)
    public = AudienceRegistry.with_builtins().get("public")
    book = PlaceholderBook()
    book.add_findings([findings], public)
    result = redact_document(
        document=document, findings=findings, audience=public, book=book,
        out_dir=Path(str(tmp_path)),
    )

    copy = pdfium.PdfDocument(result.output.read_bytes())
    seen = "".join(w.text for w in TesseractOcr().words(copy[0].render(scale=300 / 72).to_pil()))
    assert "07700900461" not in seen
    assert "LS14AB" not in seen
    assert "Mobile" in seen
