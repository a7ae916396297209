"""ZIP bundles: each member is read as a document of its own, nested containers too.

A ZIP can claim to hold far more than it weighs (a ZIP bomb), so members are checked
against the limits by their declared size before anything is unpacked, and never more
than the declared size is unpacked.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import ClassVar

from casework.documents.base import Member, ReadFailure, ReadOptions, extension_of, member_source
from casework.documents.mail import unique_name
from casework.domain.document import Document
from casework.errors import UnreadableDocument

_SKIPPED_PARTS = ("__MACOSX",)


def is_hidden(name: str) -> bool:
    """Say whether a path has a hidden part (``.DS_Store``, ``.git/``) or is OS clutter."""
    parts = [p for p in name.replace("\\", "/").split("/") if p]
    return any(p.startswith(".") or p in _SKIPPED_PARTS or p == "Thumbs.db" for p in parts)


class ZipReader:
    """Open a ZIP bundle; the registry reads its members, so a ZIP has no text of its own."""

    NAME: ClassVar[str] = "zip"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".zip"})

    def bid(self, head: bytes, name: str) -> float:
        zipped = head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
        if extension_of(name) in self.EXTENSIONS:
            return 1.0 if zipped else 0.4
        return 0.5 if zipped else 0.0

    def _open(self, data: bytes, source: str) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnreadableDocument(source, f"the ZIP file is corrupt ({exc})") from exc

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        self._open(data, source).close()
        return []

    def members(
        self, data: bytes, source: str, options: ReadOptions
    ) -> Iterator[Member | ReadFailure]:
        archive = self._open(data, source)
        with archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not is_hidden(i.filename)]
            if len(infos) > options.max_members:
                raise UnreadableDocument(
                    source,
                    f"the ZIP holds {len(infos)} files, more than the limit of "
                    f"{options.max_members}",
                )
            unpacked = 0
            taken: set[str] = set()
            for info in sorted(infos, key=lambda i: i.filename):
                # A ZIP may hold two members of one name (appended later); each gets a
                # source of its own ("ws1 (2).txt") so findings and copies never mix.
                name = unique_name(info.filename.replace("\\", "/").lstrip("/"), taken)
                where = member_source(source, name)
                if info.file_size > options.max_bytes:
                    yield ReadFailure(
                        where,
                        f"the file is {info.file_size} bytes, more than the limit of "
                        f"{options.max_bytes}",
                    )
                    continue
                unpacked += info.file_size
                if unpacked > options.max_unpacked_bytes:
                    yield ReadFailure(
                        where,
                        f"the ZIP unpacks to more than {options.max_unpacked_bytes} bytes; "
                        "this and later members were not read",
                    )
                    return
                try:
                    with archive.open(info) as handle:
                        payload = handle.read(options.max_bytes + 1)
                except (zipfile.BadZipFile, RuntimeError, OSError, ValueError,
                        NotImplementedError, EOFError, zlib.error) as exc:
                    yield ReadFailure(where, f"the member cannot be unpacked ({exc})")
                    continue
                yield Member(name, payload)
