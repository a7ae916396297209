"""What every reader shares: the options of a read, a failure record and the reader protocols."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar, Protocol, runtime_checkable

from casework.config import Settings
from casework.domain.document import Document

HEAD_BYTES = 4096
"""How many leading bytes a reader sees when it bids for a file."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits and switches of a read; frozen and picklable so it can travel to worker processes.

    ``max_bytes`` applies to a file and to each member of a container, ``max_pages`` to each
    document. ``geometry`` fills per-character boxes of PDF pages; detection does not need
    them, so it is off by default. ``ocr`` lets pages without a text layer go through
    Tesseract when it is installed. The container limits guard against ZIP bombs: they
    bound the total bytes unpacked and the members opened under one top-level file.
    """

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 20_000
    ocr: bool = True
    geometry: bool = False
    max_members: int = 10_000
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_depth: int = 8

    @classmethod
    def from_settings(
        cls, settings: Settings, *, ocr: bool = True, geometry: bool = False
    ) -> ReadOptions:
        """Build the options from Casework's settings (``CASEWORK_MAX_DOCUMENT_BYTES`` etc.)."""
        return cls(
            max_bytes=settings.max_document_bytes,
            max_pages=settings.max_pages,
            ocr=ocr,
            geometry=geometry,
            max_unpacked_bytes=5 * settings.max_document_bytes,
        )


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """A file or container member that could not be read, and why (shown to the user)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Member:
    """One file inside a container (ZIP member, e-mail attachment), not yet read."""

    name: str
    data: bytes


@runtime_checkable
class Reader(Protocol):
    """A reader of one format; it bids for a file and, if chosen, turns bytes into documents.

    ``bid`` sees the first ``HEAD_BYTES`` bytes and the file name and answers how sure it is
    that the file is its format (0 means no); the highest bid wins, like Aleph's ingestors.
    ``read`` raises ``UnreadableDocument`` for a file it cannot read.
    """

    NAME: ClassVar[str]
    EXTENSIONS: ClassVar[frozenset[str]]

    def bid(self, head: bytes, name: str) -> float: ...

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]: ...


@runtime_checkable
class ContainerReader(Reader, Protocol):
    """A reader whose files hold further files (ZIP, e-mail); the registry reads each member.

    ``read`` returns the container's own documents (an e-mail's headers and body; nothing
    for a ZIP). ``members`` lists the files inside; a member that cannot even be unpacked
    comes back as a ``ReadFailure`` so the others still get read.
    """

    def members(
        self, data: bytes, source: str, options: ReadOptions
    ) -> Iterator[Member | ReadFailure]: ...


def extension_of(name: str) -> str:
    """Return the lower-case extension of the last path part of ``name`` (``.pdf``), or ``""``."""
    last = name.rsplit("!/", 1)[-1]
    return PurePosixPath(last.replace("\\", "/")).suffix.lower()


def member_source(container: str, name: str) -> str:
    """Name a member for people: ``bundle.zip!/dir/file.pdf``."""
    return f"{container}!/{name.lstrip('/')}"
