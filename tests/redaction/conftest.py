"""Fixtures for redaction tests: synthetic PDFs and DOCX files, and findings by search."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import pikepdf
import pytest
from docx import Document as DocxDocument
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from casework.documents import DocxReader, PdfReader, ReadOptions
from casework.domain.document import Document, single_page
from casework.domain.findings import Finding
from casework.domain.labels import Label, PartyRole
from casework.redaction import Audience, AudienceRegistry

Spec = tuple[str, Label, PartyRole | None]

VICTIM = "John Smith"
ADDRESS = "14 Acacia Avenue, Leeds"
PHONE = "07700 900123"
OFFICER = "PC 1234 Brown"


def findings_for(document: Document, specs: Iterable[Spec]) -> list[Finding]:
    """Return a finding for every occurrence of each (text, label, role) in the document."""
    found: list[Finding] = []
    for text, label, role in specs:
        for m in re.finditer(re.escape(text), document.text):
            found.append(
                Finding(
                    m.start(), m.end(), label, m.group(), 0.9, "test", "test pattern", role=role
                )
            )
    return found


STATEMENT_SPECS: list[Spec] = [
    (VICTIM, Label.PERSON, PartyRole.VICTIM),
    (ADDRESS, Label.ADDRESS, PartyRole.VICTIM),
    (PHONE, Label.PHONE, None),
    (OFFICER, Label.PERSON, PartyRole.OFFICER),
]


@pytest.fixture
def registry() -> AudienceRegistry:
    return AudienceRegistry.with_builtins()


@pytest.fixture
def cps(registry: AudienceRegistry) -> Audience:
    return registry.get("cps")


@pytest.fixture
def public(registry: AudienceRegistry) -> Audience:
    return registry.get("public")


def text_document(text: str, source: str = "notes.txt") -> Document:
    return single_page(source, "txt", text, text.encode())


def make_pdf(pages: list[list[str]], *, extras: bool = False) -> bytes:
    """Write a PDF of the given lines; with ``extras``, hide the victim's name everywhere else.

    Extras: document information, XMP, a text annotation, a filled form field, an attached
    file and document-level JavaScript, each naming the victim.
    """
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    if extras:
        c.setAuthor(VICTIM)
        c.setTitle(f"Statement of {VICTIM}")
        c.setSubject(ADDRESS)
    for index, lines in enumerate(pages):
        y = 800.0
        for line in lines:
            c.drawString(50, y, line)
            y -= 16
        if extras and index == 0:
            c.textAnnotation(f"Call {VICTIM} on {PHONE}", Rect=(400, 700, 500, 750))
            c.acroForm.textfield(name="witness", value=VICTIM, x=50, y=100, width=200, height=20)
        c.showPage()
    c.save()
    data = buffer.getvalue()
    if not extras:
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [VICTIM]
            meta["dc:description"] = f"lives at {ADDRESS}"
        pdf.attachments["contacts.txt"] = pikepdf.AttachedFileSpec(
            pdf, f"{VICTIM}, {ADDRESS}, {PHONE}".encode(), description=VICTIM
        )
        script = pdf.make_stream(f"app.alert('{VICTIM}');".encode())
        js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=script)
        names = pdf.Root.get("/Names", pikepdf.Dictionary())
        names.JavaScript = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("hello"), js]))
        pdf.Root.Names = names
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def statement_pages(count: int) -> list[list[str]]:
    pages = []
    for i in range(count):
        lines = [
            f"Line {j} of page {i + 1}: ordinary narrative about the scene." for j in range(30)
        ]
        lines[3] = f"The victim {VICTIM} lives at {ADDRESS}, phone {PHONE}."
        lines[6] = f"Officer {OFFICER} attended and spoke to {VICTIM}."
        pages.append(lines)
    return pages


def read_pdf(data: bytes, source: str = "ws1.pdf") -> Document:
    return PdfReader().read(data, source, ReadOptions(ocr=False))[0]


def read_docx(data: bytes, source: str = "ws2.docx") -> Document:
    return DocxReader().read(data, source, ReadOptions(ocr=False))[0]


def make_docx() -> bytes:
    """A statement with the victim's name split across runs, in a table, header and footer."""
    doc = DocxDocument()
    doc.core_properties.author = VICTIM
    doc.core_properties.title = f"Statement of {VICTIM}"
    doc.core_properties.comments = ADDRESS
    doc.core_properties.last_modified_by = VICTIM
    section = doc.sections[0]
    section.header.paragraphs[0].text = f"Witness statement: {VICTIM}"
    section.footer.paragraphs[0].text = f"Contact {PHONE}"
    paragraph = doc.add_paragraph("The victim ")
    paragraph.add_run("Jo")
    paragraph.add_run("hn Sm").bold = True
    paragraph.add_run("ith")
    paragraph.add_run(f" lives at {ADDRESS}. ")
    paragraph.add_run(f"Officer {OFFICER} attended.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = VICTIM
    table.cell(1, 0).text = "Phone"
    table.cell(1, 1).text = PHONE
    note = doc.add_paragraph("See the note.")
    doc.add_comment(note.runs, text=f"Check {ADDRESS}", author=VICTIM, initials="JS")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
