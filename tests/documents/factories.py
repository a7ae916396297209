"""Synthetic files for the reader tests, made on the fly: PDFs, Word, e-mail, ZIP bundles."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from email.message import EmailMessage

import docx
from PIL import Image, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def make_pdf(pages: Sequence[Sequence[str]], *, password: str | None = None) -> bytes:
    """Return a PDF with one page per item, each a list of text lines."""
    buffer = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption(password, canPrint=0) if password else None
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for lines in pages:
        y = 800.0
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf(pages: Sequence[Sequence[str] | None]) -> bytes:
    """Return a PDF where a ``None`` page is an image only (like a scan) and others have text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        if lines is None:
            image = Image.new("RGB", (400, 200), "white")
            ImageDraw.Draw(image).text((20, 80), "SCANNED STATEMENT", fill="black")
            pdf.drawImage(ImageReader(image), 72, 500, width=400, height=200)
        else:
            for i, line in enumerate(lines):
                pdf.drawString(72, 800 - 16 * i, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(
    paragraphs: Sequence[str],
    *,
    table: Sequence[Sequence[str]] = (),
    header: str = "",
    footer: str = "",
) -> bytes:
    """Return a Word document with paragraphs, then an optional table, header and footer."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_eml(
    *,
    body: str,
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    subject: str = "Statement of Jane Doe",
) -> bytes:
    """Return an RFC 822 message with a plain (or HTML only) body and attachments."""
    message = EmailMessage()
    message["From"] = "PC Alex Reed <alex.reed@police.example>"
    message["To"] = "CPS Direct <cps@cps.example>"
    message["Cc"] = "Sgt Kim Lowe <kim.lowe@police.example>"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Mar 2025 09:15:00 +0000"
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream",
                               filename=name)
    return message.as_bytes()


def make_zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    """Return a ZIP archive holding ``members`` (name, bytes), deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()
