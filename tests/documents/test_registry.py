"""The registry, the reading services and folder walking."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import ClassVar

import pytest

from casework.config import Settings
from casework.documents import (
    ReaderRegistry,
    ReadFailure,
    ReadOptions,
    collect_files,
    default_readers,
    iter_documents,
    read_bytes,
    read_file,
)
from casework.domain.document import Document, single_page
from casework.errors import Conflict, NotFound, UnreadableDocument
from tests.documents.factories import make_docx, make_pdf, make_zip

OPTIONS = ReadOptions(ocr=False)


class UpperReader:
    """A toy reader for ``.up`` files, to show that readers plug in."""

    NAME: ClassVar[str] = "upper"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".up"})

    def bid(self, head: bytes, name: str) -> float:
        return 1.0 if name.endswith(".up") else 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        return [single_page(source, "upper", data.decode().upper(), data)]


def test_options_come_from_settings() -> None:
    options = ReadOptions.from_settings(Settings(max_document_bytes=1234, max_pages=7))
    assert (options.max_bytes, options.max_pages, options.ocr, options.geometry) == (
        1234, 7, True, False
    )
    assert pickle.loads(pickle.dumps(options)) == options


def test_registry_refuses_duplicates_and_removes_by_name() -> None:
    registry = default_readers()
    assert registry.names == ["pdf", "docx", "text", "html", "eml", "msg", "zip"]
    with pytest.raises(Conflict):
        registry.add(default_readers().get("pdf"))
    registry.add(UpperReader())
    (document,) = read_bytes(b"shout", "a.up", options=OPTIONS, registry=registry)
    assert document.text == "SHOUT"
    registry.remove("upper")
    with pytest.raises(NotFound):
        registry.remove("upper")
    with pytest.raises(UnreadableDocument):
        read_bytes(b"shout", "a.up", options=OPTIONS, registry=registry)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("statement.txt", "pdf"), ("noextension", "pdf"), ("ws.PDF", "pdf")],
)
def test_magic_bytes_win_over_a_misleading_name(name: str, expected: str) -> None:
    (document,) = read_bytes(make_pdf([["hello"]]), name, options=OPTIONS)
    assert document.format == expected


def test_unknown_format_is_refused() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(b"MZ\x90\x00\x03\x00binary", "tool.exe", options=OPTIONS)
    assert caught.value.source == "tool.exe"
    assert "unknown format" in caught.value.reason


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(UnreadableDocument) as caught:
        read_file(path, options=ReadOptions(max_bytes=1024))
    assert caught.value.source == str(path)
    assert "2048 bytes" in caught.value.reason and "limit of 1024" in caught.value.reason
    with pytest.raises(UnreadableDocument):
        read_bytes(b"x" * 2048, "big.txt", options=ReadOptions(max_bytes=1024))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_file(tmp_path / "nope.pdf", options=OPTIONS)
    assert caught.value.reason == "no such file"


def _tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a").mkdir()
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("hidden")
    (root / "z.txt").write_text("top level")
    (root / "a" / "2.txt").write_text("a two")
    (root / "a" / "10.txt").write_text("a ten")
    (root / "a" / ".DS_Store").write_bytes(b"\x00")
    (root / "b" / "ws.pdf").write_bytes(make_pdf([["b statement"]]))
    (root / "b" / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    (root / "b" / "tool.exe").write_bytes(b"MZ\x90\x00")
    (root / "b" / "bundle.zip").write_bytes(
        make_zip([("m.docx", make_docx(["in zip"])), ("bad.pdf", b"%PDF-broken")])
    )


def test_collect_files_walks_folders_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    extra = tmp_path / "a" / "2.txt"
    files = collect_files([tmp_path, extra])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a/10.txt", "a/2.txt", "b/bad.pdf", "b/bundle.zip", "b/tool.exe", "b/ws.pdf", "z.txt",
        "a/2.txt",
    ]


def test_iter_documents_yields_failures_and_goes_on(tmp_path: Path) -> None:
    _tree(tmp_path)
    results = list(iter_documents([tmp_path], options=OPTIONS))
    seen = [
        (Path(r.source.split("!/")[0]).relative_to(tmp_path).as_posix()
         + ("!/" + r.source.split("!/", 1)[1] if "!/" in r.source else ""),
         type(r).__name__)
        for r in results
    ]
    assert seen == [
        ("a/10.txt", "Document"),
        ("a/2.txt", "Document"),
        ("b/bad.pdf", "ReadFailure"),
        ("b/bundle.zip!/bad.pdf", "ReadFailure"),
        ("b/bundle.zip!/m.docx", "Document"),
        ("b/tool.exe", "ReadFailure"),
        ("b/ws.pdf", "Document"),
        ("z.txt", "Document"),
    ]
    failures = {r.source: r.reason for r in results if isinstance(r, ReadFailure)}
    assert "unknown format" in failures[str(tmp_path / "b" / "tool.exe")]
    texts = [r.text for r in results if isinstance(r, Document)]
    assert "hidden" not in texts


def test_iter_documents_reports_a_missing_path(tmp_path: Path) -> None:
    results = list(iter_documents([tmp_path / "gone.txt"], options=OPTIONS))
    assert results == [ReadFailure(str(tmp_path / "gone.txt"), "no such file")]


def test_registry_is_independent_per_instance() -> None:
    first, second = default_readers(), ReaderRegistry()
    second.add(UpperReader())
    assert "upper" not in first.names and second.names == ["upper"]


@pytest.mark.parametrize(
    ("data", "name", "reader"),
    [
        (make_pdf([["x"]]), "a.pdf", "pdf"),
        (make_pdf([["x"]]), "a.txt", "pdf"),
        (b"The file format called %PDF-1.7 is mentioned here.", "a.txt", "text"),
        (b"plain", "a.txt", "text"),
        (b"<!DOCTYPE html><p>x</p>", "page", "html"),
        (b"From: a@b.example\nSubject: hi\n\nbody", "message", "eml"),
        (make_docx(["x"]), "a.docx", "docx"),
        (make_docx(["x"]), "a.zip", "zip"),
        (make_zip([("a.txt", b"x")]), "a", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "mail.msg", "msg"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "photo.png", None),
    ],
)
def test_highest_bid_chooses_the_reader(data: bytes, name: str, reader: str | None) -> None:
    chosen = default_readers().choose(data[:4096], name)
    assert (chosen.NAME if chosen else None) == reader


def test_registry_iterates_its_readers_so_plugins_can_rebuild_it() -> None:
    readers = list(default_readers())
    assert [r.NAME for r in readers] == default_readers().names
    rebuilt = ReaderRegistry(readers)
    assert len(rebuilt) == 7
    (document,) = read_bytes(b"hello", "a.txt", options=OPTIONS, registry=rebuilt)
    assert document.text == "hello"
