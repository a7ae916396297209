"""Redacted PDFs against files built to leak: hidden copies, odd page boxes, shared resources.

Each test reads the released copy the way someone trying to recover a value would: its
pixels (rendered by pdfium), every form XObject, every resource a kept page carries.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFilter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from casework.domain.labels import Label, PartyRole
from casework.errors import LeakDetected
from casework.redaction import Audience, PlaceholderBook, RedactionPlan, plan_redactions, render
from casework.redaction.pdf_writer import padding, redacted_pdf
from casework.redaction.verify_pdf import verify_pdf
from tests.redaction.conftest import findings_for, read_pdf

NAME = "Barnaby Pettigrew"
PHONE = "07700 900123"
SPECS = [(NAME, Label.PERSON, PartyRole.VICTIM), (PHONE, Label.PHONE, None)]
Draw = Callable[[canvas.Canvas], None]
pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped with reportlab


@pytest.fixture(autouse=True)
def _no_placeholder_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paint boxes without their white placeholder, so any light pixel in a box is a leak."""
    monkeypatch.setattr("casework.redaction.pdf_writer._fit_font", lambda *args: None)


def _pdf(*pages: Draw, size: tuple[float, float] = (612, 792), font: str = "Helvetica") -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=size)
    for draw in pages:
        c.setFont(font, 12)
        draw(c)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _edit(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _plan(audience: Audience, data: bytes) -> RedactionPlan:
    document = read_pdf(data, "adversarial.pdf")
    return plan_redactions(
        document=document,
        findings=findings_for(document, SPECS),
        audience=audience,
        book=PlaceholderBook(),
    )


def _render(data: bytes, index: int = 0, scale: float = 2.0) -> Image.Image:
    pdf = pdfium.PdfDocument(data)
    try:
        image: Image.Image = pdf[index].render(scale=scale, draw_annots=False).to_pil()
        return image.convert("L")
    finally:
        pdf.close()


def _ink_left(
    source: bytes, output: bytes, area: tuple[float, float, float, float], index: int = 0
) -> int:
    """Count pixels within 1 pt of the source's ink inside ``area`` that the copy shows light.

    A redacted value must be under paint: around every one of its glyphs the copy is dark.
    A glyph left showing is dark in both files, but the paper around it is light in the copy.
    """
    scale = 2.0
    before = _render(source, index, scale).filter(ImageFilter.MinFilter(5))  # ink grown 1 pt
    after = _render(output, index, scale)
    assert before.size == after.size
    height = before.size[1] / scale
    left, bottom, right, top = area
    box = (int(left * scale), int((height - top) * scale),
           int(right * scale), int((height - bottom) * scale))
    b, a = before.crop(box).tobytes(), after.crop(box).tobytes()
    return sum(1 for x, y in zip(b, a, strict=True) if x < 192 and y > 128)


def _where(source: bytes, text: str) -> tuple[float, float, float, float]:
    """Return the box of ``text`` on the first page, as pdfium's text page places it."""
    pdf = pdfium.PdfDocument(source)
    try:
        textpage = pdf[0].get_textpage()
        start = textpage.get_text_range().index(text)
        rects = [textpage.get_rect(k) for k in range(textpage.count_rects(start, len(text)))]
    finally:
        pdf.close()
    return (min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects))


def test_text_drawn_twice_is_painted_over_in_both_copies(public: Audience) -> None:
    # The second copy is 11 pt lower: pdfium's text page keeps only the first.
    def draw(c: canvas.Canvas) -> None:
        c.drawString(60, 700, f"Statement taken from Mrs {NAME} on Monday.")
        c.drawString(60, 689, f"Statement taken from Mrs {NAME} on Monday.")

    source = _pdf(draw)
    plan = _plan(public, source)
    assert plan.document.text.count(NAME) == 1  # the copy pdfium dropped
    output = render(plan)
    # The name spans about x 200..300 on both lines (y 686..709).
    assert _ink_left(source, output, (205, 684, 295, 711)) == 0


def test_text_drawn_twice_inside_a_form_xobject_is_painted_over(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(60, 700, f"Statement taken from Mrs {NAME} on Monday.")
        c.drawString(60, 689, f"Statement taken from Mrs {NAME} on Monday.")

    def wrap(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        form = pikepdf.Stream(pdf, page.Contents.read_bytes())
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = [0, 0, 612, 792]
        form.Resources = page.Resources
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=pdf.make_indirect(form)))
        page.Contents = pdf.make_stream(b"q 1 0 0 1 10 -20 cm /Fm Do Q")

    source = _edit(_pdf(draw), wrap)
    plan = _plan(public, source)
    assert plan.document.text.count(NAME) == 1
    output = render(plan)
    assert _ink_left(source, output, (215, 664, 305, 691)) == 0


def test_fake_bold_and_drop_shadow_are_painted_over(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 30)
        c.drawString(60, 650, f"Mr {NAME}")
        c.drawString(60.4, 650.3, f"Mr {NAME}")  # fake bold
        c.setFillColorRGB(0.5, 0.5, 0.5)
        c.drawString(64, 596, f"Mr {NAME}")  # drop shadow, drawn first
        c.setFillColorRGB(0, 0, 0)
        c.drawString(60, 600, f"Mr {NAME}")

    source = _pdf(draw)
    output = render(_plan(public, source))
    assert _ink_left(source, output, (106, 580, 360, 680)) == 0


def test_crop_box_beyond_the_media_box_puts_boxes_on_the_text(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(60, 700, f"Statement of Mrs {NAME}, phone {PHONE}.")

    def crop(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.CropBox = [-200, -200, 900, 1000]

    source = _edit(_pdf(draw), crop)
    output = render(_plan(public, source))
    for value in (NAME, PHONE):
        assert _ink_left(source, output, _where(source, value)) == 0


def test_offset_crop_box_keeps_boxes_on_the_text(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(150, 400, f"Mr {NAME} lives here")

    def crop(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.CropBox = [100, 150, 560, 700]

    source = _edit(_pdf(draw), crop)
    output = render(_plan(public, source))
    assert _ink_left(source, output, (170, 395, 270, 412)) == 0


@pytest.mark.parametrize(
    "boxes",
    [
        {"/MediaBox": [612, 792, 0, 0]},  # inverted
        {"/MediaBox": [0, 0, 612, 792], "/CropBox": [300, 300, 300, 300]},  # zero size
    ],
    ids=["inverted-mediabox", "zero-cropbox"],
)
def test_odd_page_boxes_do_not_stop_the_copy(
    public: Audience, boxes: dict[str, list[int]]
) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.drawString(60, 700, f"Statement of Mrs {NAME}, phone {PHONE}.")

    def change(pdf: pikepdf.Pdf) -> None:
        for key, value in boxes.items():
            pdf.pages[0].obj[key] = pikepdf.Array(value)

    source = _edit(_pdf(draw), change)
    output = render(_plan(public, source))
    for value in (NAME, PHONE):
        assert _ink_left(source, output, _where(source, value)) == 0


def test_a_huge_page_is_rendered_within_the_pixel_cap(
    public: Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("casework.documents.pdf.MAX_RENDER_PIXELS", 2_000_000)

    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 120)
        c.drawString(600, 13000, f"Mrs {NAME}")

    output = redacted_pdf(_plan(public, _pdf(draw, size=(14400, 14400))))
    with pikepdf.open(io.BytesIO(output)) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert int(image.Width) * int(image.Height) <= 2_000_000


def test_thick_outlined_text_is_covered_to_its_outline(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        text = c.beginText(40, 600)
        text.setFont("Helvetica", 48)
        text.setTextRenderMode(2)  # fill and stroke
        c.setLineWidth(6)
        text.textLine(f"Mrs {NAME}")
        c.drawText(text)

    source = _pdf(draw)
    output = render(_plan(public, source))
    # From just right of "Mrs " to well past the name, a line height above and below.
    assert _ink_left(source, output, (150, 570, 600, 660)) == 0
    assert padding((0, 0, 100, 48)) >= 7 and padding((0, 0, 10, 4)) == 1.5


def _shared_resources_pdf(*, hex_strings: bool) -> bytes:
    """Two pages drawn by form XObjects in one /Resources shared from the /Pages node.

    The text is in an embedded TrueType subset, so the shown bytes are glyph codes, not
    letters: only a reader that knows the font (pdfium) sees the words.
    """
    source = _pdf(
        lambda c: c.drawString(60, 700, "Cover sheet. Nothing personal on this page."),
        lambda c: c.drawString(60, 700, f"I spoke to Mrs {NAME} on the phone, {PHONE}."),
        font="Vera",
    )

    def share(pdf: pikepdf.Pdf) -> None:
        shared = pikepdf.Dictionary(XObject=pikepdf.Dictionary())
        for i, page in enumerate(pdf.pages):
            data = page.obj.Contents.read_bytes()
            if hex_strings:
                data = re.sub(
                    rb"\(((?:\\.|[^\\()])*)\) Tj",
                    lambda m: b"<" + m.group(1).hex().encode() + b"> Tj",
                    data,
                )
            form = pikepdf.Stream(pdf, data)
            form.Type = pikepdf.Name.XObject
            form.Subtype = pikepdf.Name.Form
            form.BBox = [0, 0, 612, 792]
            form.Resources = page.obj.Resources
            shared.XObject[f"/Fm{i + 1}"] = pdf.make_indirect(form)
        for i, page in enumerate(pdf.pages):
            del page.obj["/Resources"]
            page.obj.Contents = pdf.make_stream(f"/Fm{i + 1} Do".encode())
        pdf.Root.Pages.Resources = pdf.make_indirect(shared)

    return _edit(source, share)


@pytest.mark.parametrize("hex_strings", [False, True], ids=["literal", "hex"])
def test_kept_page_carries_no_resource_of_a_rebuilt_page(
    public: Audience, hex_strings: bool
) -> None:
    plan = _plan(public, _shared_resources_pdf(hex_strings=hex_strings))
    output = render(plan)
    with pikepdf.open(io.BytesIO(output)) as pdf:
        kept = pdf.pages[0].obj
        assert list(kept.Resources.XObject.keys()) == ["/Fm1"]
        forms = [
            o for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Form
        ]
        assert len(forms) == 1
    assert "Cover sheet" in _page_text(output, 0)


def _page_text(data: bytes, index: int) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return str(pdf[index].get_textpage().get_text_range())
    finally:
        pdf.close()


def _with_unused_form(plan: RedactionPlan, *, hex_strings: bool) -> bytes:
    """A faulty writer: the right copy, plus a form XObject no page draws that shows the name."""
    good = redacted_pdf(plan)
    shown = f"Mrs {NAME}".encode("latin-1")
    string = b"<" + shown.hex().encode() + b">" if hex_strings else b"(" + shown + b")"

    def add(pdf: pikepdf.Pdf) -> None:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        form = pikepdf.Stream(pdf, b"BT /F9 12 Tf 10 10 Td " + string + b" Tj ET")
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = [0, 0, 612, 792]
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F9=font))
        resources = pdf.pages[0].obj.Resources
        resources.XObject.Unused = pdf.make_indirect(form)

    return _edit(good, add)


@pytest.mark.parametrize("hex_strings", [False, True], ids=["literal", "hex"])
def test_leak_check_reads_forms_no_page_draws(public: Audience, hex_strings: bool) -> None:
    plan = _plan(public, _pdf(lambda c: c.drawString(60, 700, f"Mrs {NAME} called.")))
    with pytest.raises(LeakDetected, match="PERSON"):
        verify_pdf(_with_unused_form(plan, hex_strings=hex_strings), plan)


def test_leak_check_reads_forms_in_a_font_encoding_of_their_own(public: Audience) -> None:
    plan = _plan(public, _shared_resources_pdf(hex_strings=True))
    # A faulty writer that keeps page 1 with the shared resources: page 2's form is there.
    source = plan.document.data

    def keep_all(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[1]

    with pytest.raises(LeakDetected, match="PERSON"):
        verify_pdf(_edit(source, keep_all), plan)


def test_leak_check_refuses_a_page_image_without_its_boxes(public: Audience) -> None:
    """A writer that rasterises the page but forgets to paint: no text left, pixels show it."""
    source = _pdf(lambda c: c.drawString(60, 700, f"Statement of Mrs {NAME}, phone {PHONE}."))
    plan = _plan(public, source)

    def raster_without_boxes(plan: RedactionPlan) -> bytes:
        image = _render(plan.document.data, 0, 2.0).convert("RGB")
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=(612, 792))
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(image), 0, 0, 612, 792)
        c.showPage()
        c.save()
        return buffer.getvalue()

    with pytest.raises(LeakDetected, match="not painted over"):
        render(plan, writers={"pdf": raster_without_boxes})


def test_leak_check_refuses_boxes_painted_in_the_wrong_place(public: Audience) -> None:
    """A writer whose geometry is off paints beside the value: only the pixels show it."""
    from casework.documents.pdf import pdf_span_rects
    from casework.domain.document import Box, Document

    def below(document: Document, start: int, end: int) -> list[tuple[int, Box]]:
        rects = pdf_span_rects(document, start, end)
        return [(n, (x0, y0 - 40, x1, y1 - 40)) for n, (x0, y0, x1, y1) in rects]

    source = _pdf(lambda c: c.drawString(60, 700, f"Statement of Mrs {NAME}, phone {PHONE}."))
    plan = _plan(public, source)
    with pytest.raises(LeakDetected, match="not painted over"):
        render(plan, writers={"pdf": lambda p: redacted_pdf(p, span_rects=below)})


def test_leak_check_refuses_thick_text_left_unpainted(public: Audience) -> None:
    def draw(c: canvas.Canvas) -> None:
        text = c.beginText(40, 600)
        text.setFont("Helvetica-Bold", 48)
        text.setTextRenderMode(2)
        c.setLineWidth(6)
        text.textLine(f"Mrs {NAME}")
        c.drawText(text)

    plan = _plan(public, _pdf(draw))

    def no_boxes(plan: RedactionPlan) -> bytes:
        """Rebuilds the page as a picture with no text layer, but forgets to paint."""
        image = _render(plan.document.data, 0, 2.0).convert("RGB")
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=(612, 792))
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(image), 0, 0, 612, 792)
        c.showPage()
        c.save()
        return buffer.getvalue()

    with pytest.raises(LeakDetected, match="not painted over"):
        render(plan, writers={"pdf": no_boxes})
