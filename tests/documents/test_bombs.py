"""Bombs: files made to exhaust the reader (entity expansion, nesting, pictures, ZIPs) are
refused quickly with a clear error naming the file, never a crash or a hang."""

from __future__ import annotations

import io
import time
import zipfile
import zlib

import pikepdf
import pytest
from PIL import Image

from casework.documents import PdfReader, ReadOptions, read_bytes
from casework.documents.pdf import MAX_RENDER_PIXELS, OcrWord
from casework.documents.registry import MAX_IMAGE_PIXELS, reader_boundary
from casework.errors import UnreadableDocument
from tests.documents.factories import make_docx, make_zip

OPTIONS = ReadOptions(ocr=False)


def _with_part(docx: bytes, part: str, xml: str) -> bytes:
    """Return ``docx`` with one XML part replaced."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == part else source.read(info))
    return out.getvalue()


def _document_xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def _billion_laughs(levels: int) -> str:
    entities = ['<!ENTITY l0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels)]
    return f"<!DOCTYPE w:document [{''.join(entities)}]>"


def test_billion_laughs_in_a_docx_is_refused_at_once() -> None:
    docx = make_docx(["Statement of PLACEHOLDER"])
    body = _document_xml(docx).split("?>", 1)[1].replace("PLACEHOLDER", "&l9;")
    bomb = _with_part(docx, "word/document.xml", '<?xml version="1.0"?>' + _billion_laughs(10)
                      + body)
    started = time.monotonic()
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(bomb, "laughs.docx", options=OPTIONS)
    assert time.monotonic() - started < 2
    assert caught.value.source == "laughs.docx"
    assert "word/document.xml" in caught.value.reason


@pytest.mark.parametrize("part", ["word/document.xml", "docProps/core.xml"])
def test_a_docx_part_declaring_entities_is_refused_not_expanded(part: str) -> None:
    # One small entity: nothing to amplify, but text hidden in an entity would be read by
    # nobody here and shown by a program that expands it, so a DTD is refused outright.
    docx = make_docx(["Statement of PLACEHOLDER"])
    xml = zipfile.ZipFile(io.BytesIO(docx)).read(part).decode()
    head, body = xml.split("?>", 1)
    root = body.lstrip().split()[0].lstrip("<")
    dtd = f'<!DOCTYPE {root} [<!ENTITY hidden "Jane SMITH">]>'
    if part == "word/document.xml":
        body = body.replace("PLACEHOLDER", "&hidden;")
    bomb = _with_part(docx, part, head + "?>" + dtd + body)
    if part == "docProps/core.xml":
        # The core properties are optional: a bad one is skipped, the body still read.
        (document,) = read_bytes(bomb, "entity.docx", options=OPTIONS)
        assert "Jane SMITH" not in document.text
        assert "Jane SMITH" not in str(document.metadata)
        return
    with pytest.raises(UnreadableDocument, match="declares a DTD"):
        read_bytes(bomb, "entity.docx", options=OPTIONS)


def _nested_multipart(depth: int) -> bytes:
    lines = [b"From: a@police.example", b"Subject: deep", b"MIME-Version: 1.0"]
    for level in range(depth):
        lines += [b'Content-Type: multipart/mixed; boundary="b%d"' % level, b"", b"--b%d" % level]
    lines += [b"Content-Type: text/plain", b"", b"hello"]
    lines += [b"--b%d--" % level for level in reversed(range(depth))]
    return b"\r\n".join(lines) + b"\r\n"


def _nested_rfc822(depth: int) -> bytes:
    message = b"From: a@police.example\r\nSubject: inner\r\n\r\nhello\r\n"
    for level in range(depth):
        message = (
            b"From: a@police.example\r\nSubject: level %d\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: message/rfc822\r\n\r\n" % level
        ) + message
    return message


@pytest.mark.parametrize("make", [_nested_multipart, _nested_rfc822])
def test_an_email_nested_thousands_deep_is_refused_with_a_clear_error(make: object) -> None:
    assert callable(make)
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(make(5000), "deep.eml", options=OPTIONS)
    assert caught.value.source == "deep.eml"
    assert "nested too deeply" in caught.value.reason


def test_an_email_nested_a_little_is_still_read() -> None:
    (document, *_) = read_bytes(_nested_multipart(20), "ok.eml", options=OPTIONS)
    assert "hello" in document.text


def test_zip_bomb_by_declared_size_is_refused_before_unpacking() -> None:
    bomb = make_zip([(f"part{i}.txt", bytes(16 * 1024 * 1024)) for i in range(2)])
    assert len(bomb) < 100_000  # 32 MiB of zeros in a few KiB
    options = ReadOptions(ocr=False, max_bytes=8 * 1024 * 1024)
    with pytest.raises(UnreadableDocument, match="more than the limit"):
        read_bytes(bomb, "bomb.zip", options=options)


def test_nested_zips_stop_at_the_depth_limit() -> None:
    inner = make_zip([("statement.txt", b"Jane SMITH")])
    for _ in range(12):
        inner = make_zip([("inner.zip", inner)])
    with pytest.raises(UnreadableDocument, match="nested deeper than 8"):
        read_bytes(inner, "russian-doll.zip", options=OPTIONS)


def test_pillow_decompression_bomb_limit_is_set_explicitly() -> None:
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS
    side = int((2 * MAX_IMAGE_PIXELS) ** 0.5) + 64
    huge = io.BytesIO()
    Image.new("1", (side, side)).save(huge, format="PNG")  # a few KiB on disk
    assert huge.tell() < 2_000_000
    with (
        pytest.raises(UnreadableDocument, match="picture in it is too large"),
        reader_boundary("scan.png", "picture"),
    ):
        Image.open(io.BytesIO(huge.getvalue())).load()


def _pdf_with_huge_picture(side: int) -> bytes:
    stream = zlib.compressobj(9)
    row = bytes(side)
    data = b"".join(stream.compress(row) for _ in range(side)) + stream.flush()
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(612, 792))
    picture = pikepdf.Stream(pdf, data)
    picture.Type = pikepdf.Name.XObject
    picture.Subtype = pikepdf.Name.Image
    picture.Width = picture.Height = side
    picture.ColorSpace = pikepdf.Name.DeviceGray
    picture.BitsPerComponent = 8
    picture.Filter = pikepdf.Name.FlateDecode
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
    page.Contents = pikepdf.Stream(pdf, b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


class _SizeOcr:
    """An OCR engine that only records the size of the picture it is given."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def available(self) -> bool:
        return True

    def words(self, image: Image.Image) -> list[OcrWord]:
        self.sizes.append(image.size)
        return []


def test_a_pdf_page_of_one_huge_picture_is_rendered_within_the_pixel_cap() -> None:
    data = _pdf_with_huge_picture(16_000)  # 256 megapixels behind a few hundred KiB
    assert len(data) < 2_000_000
    engine = _SizeOcr()
    started = time.monotonic()
    (document,) = PdfReader(ocr_engine=engine).read(data, "scan.pdf", ReadOptions())
    assert time.monotonic() - started < 30
    ((width, height),) = engine.sizes
    assert width * height <= MAX_RENDER_PIXELS
    assert document.warnings  # no text found: said, not silently empty
