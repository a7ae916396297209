"""Inputs found by ``bench/fuzz.py``, each a bug that is now fixed: a clear refusal naming
the file, never a traceback. Add one test per finding, made from a generated file."""

from __future__ import annotations

import io
import logging
import resource
import struct
import zipfile

import pytest

from casework.documents import ReadOptions, read_bytes
from casework.documents.registry import ReaderFailed, ReaderRegistry, reader_boundary
from casework.domain.document import Document
from casework.errors import UnreadableDocument
from tests.documents.cfb_writer import Msg, write_msg
from tests.documents.factories import make_docx, make_pdf, make_zip

OPTIONS = ReadOptions(ocr=False)


def test_pdf_whose_page_count_claims_a_page_it_lacks() -> None:
    # Found by fuzzing: pdfium's "Failed to load page" (PdfiumError) escaped the reader.
    data = make_pdf([["one"], ["two"]]).replace(b"/Count 2", b"/Count 3")
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "short.pdf", options=OPTIONS)
    assert caught.value.source == "short.pdf"
    assert "damaged" in caught.value.reason
    assert not isinstance(caught.value, ReaderFailed)


def test_the_same_pdf_inside_a_zip_is_a_failed_member_and_the_rest_is_read() -> None:
    bad = make_pdf([["one"]]).replace(b"/Count 1", b"/Count 2")
    bundle = make_zip([("bad.pdf", bad), ("ok.txt", b"hello")])
    documents = read_bytes(bundle, "bundle.zip", options=OPTIONS)
    assert [d.source for d in documents] == ["bundle.zip!/ok.txt"]


class _BuggyReader:
    """A reader with a bug: it fails with an exception nobody foresaw."""

    NAME = "buggy"
    EXTENSIONS = frozenset({".bug"})

    def bid(self, head: bytes, name: str) -> float:
        return 1.0 if name.endswith(".bug") else 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        return [Document(source=source, format="bug", text="x", pages=())][int(data[0]) :]


def test_a_readers_unforeseen_exception_is_refused_naming_file_and_reader(
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry = ReaderRegistry([_BuggyReader()])
    with caplog.at_level(logging.ERROR), pytest.raises(ReaderFailed) as caught:
        read_bytes(b"", "odd.bug", options=OPTIONS, registry=registry)
    assert caught.value.source == "odd.bug"
    assert caught.value.reason.startswith("the buggy reader could not read it")
    assert "IndexError" in caught.value.reason
    assert "Traceback" not in str(caught.value)
    assert "odd.bug" in caplog.text  # the traceback is in the log for the developers


def test_recursion_and_memory_errors_become_clear_refusals() -> None:
    deep = pytest.raises(UnreadableDocument, match="nested too deeply")
    with deep, reader_boundary("deep.eml", "eml"):
        raise RecursionError("maximum recursion depth exceeded")
    huge = pytest.raises(UnreadableDocument, match="too large to read")
    with huge, reader_boundary("huge.pdf", "pdf"):
        raise MemoryError


def _patch_zip(data: bytes, *, local: dict[int, int], central: dict[int, int]) -> bytes:
    """Overwrite 2-byte fields of every local header and central directory entry."""
    out = bytearray(data)
    for signature, fields in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = out.find(signature)
        while at != -1:
            for offset, value in fields.items():
                struct.pack_into("<H", out, at + offset, value)
            at = out.find(signature, at + 4)
    return bytes(out)


DOCX_DAMAGE = {
    # Found by fuzzing: zipfile's NotImplementedError, RuntimeError and IndexError escaped.
    "unknown compression method": {"local": {8: 99}, "central": {10: 99}},
    "needs a newer unzip": {"local": {}, "central": {6: 69}},
    "encrypted members": {"local": {6: 1}, "central": {8: 1}},
}


@pytest.mark.parametrize("damage", sorted(DOCX_DAMAGE))
@pytest.mark.parametrize("name", ["report.docx", "bundle.zip"])
def test_docx_and_zip_with_unreadable_members_are_refused_as_damaged(
    damage: str, name: str
) -> None:
    data = _patch_zip(make_docx(["Statement of Jane SMITH"]), **DOCX_DAMAGE[damage])
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, name, options=OPTIONS)
    assert caught.value.source == name
    assert not isinstance(caught.value, ReaderFailed)


def test_a_zip_member_with_an_empty_name_is_refused_as_damaged() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"x")
        archive.writestr("a.txt", b"hello")
    with pytest.raises(UnreadableDocument, match="damaged") as caught:
        read_bytes(buffer.getvalue(), "odd.zip", options=OPTIONS)
    assert not isinstance(caught.value, ReaderFailed)


@pytest.mark.parametrize(
    "header",
    [
        b"From: PC Alex ReedType: text/html; charset=utf-8",  # a Group without an address
        b"From: PC Alex R <alex.r@police.exa A edL@",  # an address cut short
    ],
)
def test_an_email_whose_from_header_breaks_the_parser_is_refused(header: bytes) -> None:
    data = header + b"\r\nSubject: statement\r\n\r\nhello\r\n"
    try:
        documents = read_bytes(data, "odd.eml", options=OPTIONS)
    except UnreadableDocument as error:
        assert not isinstance(error, ReaderFailed)
        assert error.source == "odd.eml"
    else:
        assert "hello" in documents[0].text


def test_an_email_part_whose_charset_holds_a_nul_is_read_with_a_fallback() -> None:
    # Found by fuzzing: bytes.decode("\x01\x00utf-8") raised ValueError in decode_text.
    data = (
        b"From: a@police.example\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="\x01\x00utf-8"\r\n\r\nStatement of Jane SMITH\r\n'
    )
    (document,) = read_bytes(data, "nul.eml", options=OPTIONS)
    assert "Statement of Jane SMITH" in document.text


def test_an_outlook_message_whose_fat_loops_is_refused_without_reading_gigabytes() -> None:
    # Found by fuzzing (out of memory): a stream declaring 256 MiB over a sector chain that
    # points at itself was read sector by sector; olefile only logged the defect.
    data = bytearray(write_msg(Msg(subject="S", body="x" * 6000)))
    entry = data.find("__substg1.0_1000001F".encode("utf-16-le"))
    (start,) = struct.unpack_from("<I", data, entry + 116)
    (fat_sector,) = struct.unpack_from("<I", data, 76)
    struct.pack_into("<I", data, entry + 120, 256 * 1024 * 1024)
    struct.pack_into("<I", data, 512 * (1 + fat_sector) + 4 * start, start)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(bytes(data), "loop.msg", options=OPTIONS)
    assert not isinstance(caught.value, ReaderFailed)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 64 * 1024


@pytest.mark.parametrize("section", [b"<![ci[ x ]]>", b"<![octype [ x ]]>"])
def test_html_with_an_unknown_marked_section_is_refused_as_damaged(section: bytes) -> None:
    # Found by fuzzing: html.parser's AssertionError ("unknown status keyword").
    data = b"<!doctype html><html><body><p>Jane SMITH</p>" + section + b"</body></html>"
    try:
        documents = read_bytes(data, "odd.html", options=OPTIONS)
    except UnreadableDocument as error:
        assert not isinstance(error, ReaderFailed)
        assert "damaged" in error.reason
    else:
        assert "Jane SMITH" in documents[0].text
