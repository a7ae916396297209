"""Inputs found by ``bench/fuzz.py``, each a bug that is now fixed: a clear refusal naming
the file, never a traceback. Add one test per finding, made from a generated file."""

from __future__ import annotations

import logging

import pytest

from casework.documents import ReadOptions, read_bytes
from casework.documents.registry import ReaderFailed, ReaderRegistry, reader_boundary
from casework.domain.document import Document
from casework.errors import UnreadableDocument
from tests.documents.factories import make_pdf, make_zip

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
