"""PDF reader: the page text convention, scans, encryption, corruption and span rectangles."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from casework.documents import (
    PAGE_SEPARATOR,
    OcrWord,
    PdfReader,
    ReadOptions,
    pdf_span_rects,
    read_bytes,
    read_file,
)
from casework.errors import UnreadableDocument
from tests.documents.factories import make_pdf, make_scanned_pdf

OPTIONS = ReadOptions(ocr=False)

PAGES = [
    ["Witness statement of Jane Doe", "I live at 12 Acacia Avenue, Leeds LS1 4AB.", "café – “ok”"],
    ["On 3 March John Smith shouted at me.", "He took my phone 07700 900123."],
    ["Signed: Jane Doe", "Officer: PC 1234 Alex Reed"],
]


def _pdfium_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_page_text_is_pdfium_text_range_joined_by_blank_line() -> None:
    data = make_pdf(PAGES)
    (document,) = read_bytes(data, "ws1.pdf", options=OPTIONS)
    expected = _pdfium_pages(data)
    assert document.format == "pdf"
    assert document.text == PAGE_SEPARATOR.join(expected)
    assert [p.number for p in document.pages] == [1, 2, 3]
    for page, text in zip(document.pages, expected, strict=True):
        assert document.text[page.start : page.end] == text
        assert page.width == pytest.approx(595.28, abs=0.1)
        assert page.height == pytest.approx(841.89, abs=0.1)
        assert page.boxes is None  # geometry is off unless asked for
    # The separator belongs to no page.
    assert document.pages[1].start == document.pages[0].end + len(PAGE_SEPARATOR)
    assert document.data == data


def test_offsets_map_one_to_one_to_pdfium_char_indices() -> None:
    data = make_pdf(PAGES)
    (document,) = read_bytes(data, "ws1.pdf", options=OPTIONS)
    pdf = pdfium.PdfDocument(data)
    for page in document.pages:
        textpage = pdf[page.number - 1].get_textpage()
        assert textpage.count_chars() == page.end - page.start
        for offset in range(page.start, page.end):
            code = pdfium.raw.FPDFText_GetUnicode(textpage, offset - page.start)
            assert chr(code) == document.text[offset]
    pdf.close()
    assert "café – “ok”" in document.text
    assert "\r\n" in document.text  # pdfium's line breaks are kept, not rewritten


def test_geometry_gives_a_box_per_character_on_request() -> None:
    (document,) = read_bytes(make_pdf(PAGES), "ws1.pdf", options=ReadOptions(geometry=True))
    page = document.pages[1]
    assert page.boxes is not None
    assert len(page.boxes) == 4 * (page.end - page.start)
    start = document.text.index("John Smith")
    boxes = document.boxes_for(start, start + len("John Smith"))
    assert len(boxes) == len("John Smith")  # reportlab draws the space as a glyph too
    left, bottom, right, top = boxes[0][1]
    assert 71 <= left < right and 780 < bottom < top < 820  # first line of page 2


@pytest.mark.parametrize("geometry", [False, True])
def test_span_rects_follow_the_text_across_lines(geometry: bool) -> None:
    (document,) = read_bytes(
        make_pdf(PAGES), "ws1.pdf", options=ReadOptions(ocr=False, geometry=geometry)
    )
    start = document.text.index("John Smith")
    rects = pdf_span_rects(document, start, start + len("John Smith"))
    assert [n for n, _ in rects] == [2]
    left, bottom, right, top = rects[0][1]
    assert 72 < left < right < 300 and 780 < bottom < top < 820
    # A span over a line break gives one rectangle per line.
    page2 = document.pages[1]
    end_of_line = document.text.index("\r\n", page2.start)
    rects = pdf_span_rects(document, end_of_line - 4, end_of_line + 6)
    assert len(rects) == 2
    assert rects[0][1][1] > rects[1][1][1]  # the second line sits lower on the page
    # A span across pages gives rectangles on both pages.
    rects = pdf_span_rects(document, page2.end - 3, document.pages[2].start + 6)
    assert {n for n, _ in rects} == {2, 3}


def test_image_only_pages_are_named_in_a_warning() -> None:
    data = make_scanned_pdf([["Typed page one"], None, ["Typed page three"], None, None])
    (document,) = read_bytes(data, "scan.pdf", options=OPTIONS)
    assert len(document.pages) == 5
    assert document.warnings == ("no text found on pages 2, 4-5; OCR is off",)
    assert "Typed page three" in document.text


class FakeOcr:
    """An OCR engine that 'finds' fixed words, so the OCR path is tested without tesseract."""

    def available(self) -> bool:
        return True

    def words(self, image: object) -> list[OcrWord]:
        return [
            OcrWord("SCANNED", 100, 1000, 300, 40, (1, 1, 1)),
            OcrWord("STATEMENT", 420, 1000, 360, 40, (1, 1, 1)),
            OcrWord("Jane", 100, 1100, 160, 40, (1, 1, 2)),
        ]


def test_ocr_fills_text_and_boxes_of_pages_without_text() -> None:
    data = make_scanned_pdf([["Typed page one"], None])
    (document,) = PdfReader(FakeOcr()).read(data, "scan.pdf", ReadOptions(ocr=True))
    page = document.pages[1]
    assert document.text[page.start : page.end] == "SCANNED STATEMENT\nJane"
    assert document.metadata["ocr_pages"] == "2"
    assert document.warnings == ()
    assert document.pages[0].boxes is None
    start = document.text.index("Jane")
    rects = pdf_span_rects(document, start, start + 4)
    assert len(rects) == 1
    number, (left, bottom, right, top) = rects[0]
    scale = 72 / 300
    assert number == 2
    # pdfium maps pixels back to the page; the bitmap's whole-pixel size moves them a hair.
    assert left == pytest.approx(100 * scale, abs=0.05)
    assert right == pytest.approx(260 * scale, abs=0.05)
    assert top == pytest.approx(page.height - 1100 * scale, abs=0.05)
    assert bottom == pytest.approx(page.height - 1140 * scale, abs=0.05)


def test_ocr_switched_off_leaves_the_page_empty() -> None:
    data = make_scanned_pdf([None])
    (document,) = PdfReader(FakeOcr()).read(data, "scan.pdf", ReadOptions(ocr=False))
    assert document.text == ""
    assert "page 1" in document.warnings[0]


def test_encrypted_pdf_is_refused() -> None:
    data = make_pdf([["secret"]], password="letmein")
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "locked.pdf", options=OPTIONS)
    assert caught.value.source == "locked.pdf"
    assert "encrypted" in caught.value.reason


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(make_pdf(PAGES)[:700], id="truncated"),
        pytest.param(b"%PDF-1.7\n this is not really a PDF", id="garbage"),
    ],
)
def test_corrupt_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "bad.pdf", options=OPTIONS)
    assert "corrupt" in caught.value.reason


def test_too_many_pages_is_refused() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(make_pdf(PAGES), "long.pdf", options=ReadOptions(max_pages=2))
    assert "3 pages" in caught.value.reason and "limit of 2" in caught.value.reason


def test_read_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "ws1.pdf"
    path.write_bytes(make_pdf(PAGES))
    (document,) = read_file(path, options=OPTIONS)
    assert document.source == str(path)
    assert "John Smith" in document.text


def test_owner_password_only_pdf_is_read() -> None:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("", "owner", canPrint=0))
    pdf.drawString(72, 800, "Readable without a password")
    pdf.showPage()
    pdf.save()
    (document,) = read_bytes(buffer.getvalue(), "perm.pdf", options=OPTIONS)
    assert document.text == "Readable without a password"


def test_fallback_from_the_character_list_matches_the_text_view() -> None:
    from casework.documents.pdf import _char_text

    data = make_pdf(PAGES)
    pdf = pdfium.PdfDocument(data)
    for index in range(len(pdf)):
        textpage = pdf[index].get_textpage()
        assert _char_text(textpage, textpage.count_chars()) == textpage.get_text_range()
    pdf.close()


def _stamped_scan() -> bytes:
    """A page that is a picture edge to edge, with a small "Page 1 of 1" text stamp on it."""
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((60, 80), "I spoke to Mrs Jane Doe", fill="black")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    pdf.drawImage(ImageReader(image), 0, 0, 612, 792)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(500, 20, "Page 1 of 1")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_scan_with_a_text_stamp_is_ocred_as_well() -> None:
    (document,) = PdfReader(FakeOcr()).read(_stamped_scan(), "scan.pdf", ReadOptions(ocr=True))
    assert document.text == "Page 1 of 1\nSCANNED STATEMENT\nJane"
    assert document.metadata["ocr_pages"] == "1"
    assert document.metadata["ocr_starts"] == "1:12"
    assert "unread_pages" not in document.metadata
    # The stamp is placed by pdfium, the picture's words by their OCR boxes.
    stamp = pdf_span_rects(document, 0, 4)
    assert len(stamp) == 1 and 495 < stamp[0][1][0] < 505
    start = document.text.index("Jane")
    ((number, (left, _b, right, _t)),) = pdf_span_rects(document, start, start + 4)
    assert number == 1
    assert left == pytest.approx(100 * 72 / 300, abs=0.05)
    assert right == pytest.approx(260 * 72 / 300, abs=0.05)


def test_pictures_that_no_ocr_read_are_marked_unread_and_named() -> None:
    (stamped,) = PdfReader(FakeOcr()).read(_stamped_scan(), "scan.pdf", OPTIONS)
    assert stamped.text == "Page 1 of 1"
    assert stamped.metadata["unread_pages"] == "1"
    assert stamped.warnings == ("pictures on page 1 were not read; OCR is off",)

    data = make_scanned_pdf([["Typed page one"], None])
    (scan,) = read_bytes(data, "scan.pdf", options=OPTIONS)
    assert scan.metadata["unread_pages"] == "2"


def test_an_ocr_span_covers_the_whole_word_and_its_punctuation() -> None:
    class Words:
        def available(self) -> bool:
            return True

        def words(self, image: object) -> list[OcrWord]:
            return [
                OcrWord("Mrs", 100, 1000, 120, 40, (1, 1, 1)),
                OcrWord("Doe.", 300, 1000, 200, 40, (1, 1, 1)),
            ]

    data = make_scanned_pdf([None])
    (document,) = PdfReader(Words()).read(data, "scan.pdf", ReadOptions(ocr=True))
    assert document.text == "Mrs Doe."
    start = document.text.index("Doe")
    ((_n, (left, _b, right, _t)),) = pdf_span_rects(document, start, start + 3)
    assert left == pytest.approx(300 * 72 / 300, abs=0.05)
    assert right == pytest.approx(500 * 72 / 300, abs=0.05)  # "." included, not 3/4 of it


def test_render_scale_is_capped_for_huge_pages() -> None:
    from casework.documents.pdf import MAX_RENDER_PIXELS, render_scale

    assert render_scale((0, 0, 612, 792), 120) == pytest.approx(120 / 72)
    scale = render_scale((0, 0, 14400, 14400), 300)
    assert (14400 * scale) ** 2 <= MAX_RENDER_PIXELS


def _typed_page_with_a_photo() -> bytes:
    """A typed page with a picture on an eighth of it, as a photographed licence would be."""
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).text((20, 20), "DRIVING LICENCE", fill="black")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    pdf.drawString(72, 740, "Statement of the officer in the case")
    pdf.drawImage(ImageReader(image), 72, 400, 300, 200)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pictures_on_a_typed_page_are_ocred_region_by_region() -> None:
    (document,) = PdfReader(FakeOcr()).read(
        _typed_page_with_a_photo(), "photo.pdf", ReadOptions(ocr=True)
    )
    layer = "Statement of the officer in the case"
    assert document.text == f"{layer}\nSCANNED STATEMENT\nJane"
    assert document.metadata["ocr_starts"] == f"1:{len(layer) + 1}"
    start = document.text.index("Jane")
    ((_n, (left, _b, _r, top)),) = pdf_span_rects(document, start, start + 4)
    # Words are found in the picture's crop (2 px margin) and mapped back onto the page.
    assert left == pytest.approx(72 + 98 * 72 / 300, abs=0.5)
    assert top == pytest.approx(600 - 1098 * 72 / 300, abs=0.5)

    (unread,) = PdfReader(FakeOcr()).read(_typed_page_with_a_photo(), "photo.pdf", OPTIONS)
    assert unread.metadata["unread_pages"] == "1"
    assert unread.warnings == ("pictures on page 1 were not read; OCR is off",)
