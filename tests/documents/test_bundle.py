"""ZIP bundles: members read recursively, bad members skipped, ZIP bombs refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from casework.documents import ReadFailure, ReadOptions, default_readers, read_bytes
from casework.errors import UnreadableDocument
from tests.documents.factories import make_docx, make_pdf, make_zip

OPTIONS = ReadOptions(ocr=False)


def _entries(data: bytes, source: str, options: ReadOptions = OPTIONS) -> list[object]:
    return list(default_readers().read_entries(data, source, options=options))


def test_nested_zip_with_a_corrupt_member_reads_the_rest() -> None:
    inner = make_zip([("inner/note.txt", b"inner note"), ("deeper.zip",
                      make_zip([("x.md", b"# deep")]))])
    bundle = make_zip(
        [
            ("statements/ws1.pdf", make_pdf([["Statement one"]])),
            ("statements/ws2.docx", make_docx(["Statement two"])),
            ("broken.pdf", b"%PDF-1.4 this is broken"),
            ("nested.zip", inner),
            (".DS_Store", b"\x00\x01"),
            ("__MACOSX/._ws1.pdf", b"junk"),
            ("readme.txt", b"bundle readme"),
        ]
    )
    entries = _entries(bundle, "bundle.zip")
    documents = [e for e in entries if not isinstance(e, ReadFailure)]
    failures = [e for e in entries if isinstance(e, ReadFailure)]
    assert [d.source for d in documents] == [  # type: ignore[attr-defined]
        "bundle.zip!/nested.zip!/deeper.zip!/x.md",
        "bundle.zip!/nested.zip!/inner/note.txt",
        "bundle.zip!/readme.txt",
        "bundle.zip!/statements/ws1.pdf",
        "bundle.zip!/statements/ws2.docx",
    ]
    assert [f.source for f in failures] == ["bundle.zip!/broken.pdf"]
    assert "corrupt" in failures[0].reason
    docs = read_bytes(bundle, "bundle.zip", options=OPTIONS)
    assert "Statement one" in docs[3].text and docs[4].text == "Statement two"


def test_member_over_the_size_limit_is_skipped_before_unpacking() -> None:
    bundle = make_zip([("big.txt", b"a" * 50_000), ("small.txt", b"ok")])
    entries = _entries(bundle, "b.zip", ReadOptions(max_bytes=10_000, ocr=False))
    failures = [e for e in entries if isinstance(e, ReadFailure)]
    assert [f.source for f in failures] == ["b.zip!/big.txt"]
    assert "50000 bytes" in failures[0].reason
    assert [e.text for e in entries if not isinstance(e, ReadFailure)] == ["ok"]  # type: ignore[attr-defined]


def test_zip_bomb_total_is_bounded() -> None:
    # Each member is small on disk but large unpacked; the total passes the limit.
    bundle = make_zip([(f"part{i}.txt", b"0" * 400_000) for i in range(10)])
    assert len(bundle) < 20_000
    options = ReadOptions(max_bytes=1_000_000, max_unpacked_bytes=1_000_000, ocr=False)
    entries = _entries(bundle, "bomb.zip", options)
    read = [e for e in entries if not isinstance(e, ReadFailure)]
    failures = [e for e in entries if isinstance(e, ReadFailure)]
    assert len(read) == 2
    assert len(failures) == 1 and "unpacks to more than" in failures[0].reason


def test_nested_bombs_share_one_budget() -> None:
    inner = make_zip([(f"p{i}.txt", b"1" * 300_000) for i in range(3)])
    bundle = make_zip([("a.zip", inner), ("b.zip", inner)])
    options = ReadOptions(max_bytes=2_000_000, max_unpacked_bytes=1_000_000, ocr=False)
    entries = _entries(bundle, "n.zip", options)
    read = [e for e in entries if not isinstance(e, ReadFailure)]
    assert len(read) < 6
    assert any("beyond the limits" in e.reason for e in entries if isinstance(e, ReadFailure))


def test_too_many_members_is_refused() -> None:
    bundle = make_zip([(f"f{i}.txt", b"x") for i in range(20)])
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(bundle, "many.zip", options=ReadOptions(max_members=10, ocr=False))
    assert "20 files" in caught.value.reason


def test_zip_depth_is_bounded() -> None:
    data = make_zip([("leaf.txt", b"leaf")])
    for level in range(4):
        data = make_zip([(f"level{level}.zip", data)])
    entries = _entries(data, "deep.zip", ReadOptions(max_depth=3, ocr=False))
    assert all(isinstance(e, ReadFailure) for e in entries)
    assert "nested deeper than 3" in entries[0].reason  # type: ignore[attr-defined]


def test_corrupt_zip_is_refused() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(b"PK\x03\x04 not really a zip", "bad.zip", options=OPTIONS)
    assert "ZIP file is corrupt" in caught.value.reason


def test_zip_whose_members_all_fail_is_refused() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(make_zip([("a.exe", b"MZ\x90\x00")]), "b.zip", options=OPTIONS)
    assert "no member could be read" in caught.value.reason
    assert "b.zip!/a.exe" in caught.value.reason


def test_member_with_bad_crc_is_a_failure_not_a_crash() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", b"AAAAAAAAAAAAAAAA")
        archive.writestr("b.txt", b"fine")
    data = buffer.getvalue().replace(b"AAAAAAAAAAAAAAAA", b"BBBBBBBBBBBBBBBB", 1)
    entries = _entries(data, "crc.zip")
    assert isinstance(entries[0], ReadFailure) and entries[0].source == "crc.zip!/a.txt"
    assert entries[1].text == "fine"  # type: ignore[attr-defined]


def test_members_of_one_name_get_sources_of_their_own() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("ws1.txt", "Statement of Mrs Jane Doe.")
        archive.writestr("ws1.txt", "Signed Mrs Henrietta Lovelace.")
    docs = read_bytes(buffer.getvalue(), "bundle.zip", options=OPTIONS)
    assert [(d.source, d.text) for d in docs] == [
        ("bundle.zip!/ws1.txt", "Statement of Mrs Jane Doe."),
        ("bundle.zip!/ws1 (2).txt", "Signed Mrs Henrietta Lovelace."),
    ]
