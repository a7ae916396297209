"""The reader registry and the reading services: one file, bytes, or a whole set of paths."""

from __future__ import annotations

import logging
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pikepdf
import pypdfium2
from lxml import etree
from PIL import Image

from casework.documents.base import (
    HEAD_BYTES,
    ContainerReader,
    Member,
    Reader,
    ReadFailure,
    ReadOptions,
    member_source,
)
from casework.documents.bundle import ZipReader, is_hidden
from casework.documents.mail import EmlReader
from casework.documents.msg import MsgReader
from casework.documents.office import DocxReader
from casework.documents.pdf import PdfReader
from casework.documents.text import HtmlReader, TextReader
from casework.domain.document import Document
from casework.errors import CaseworkError, Conflict, NotFound, UnreadableDocument

log = logging.getLogger(__name__)

Entry = Document | ReadFailure

MAX_IMAGE_PIXELS = 64_000_000
"""Largest picture Pillow decodes (8000 x 8000); past twice this it refuses a decompression
bomb with ``DecompressionBombError``. Set here, not left to Pillow's default, because any
reader (or plugin) may hand a picture from a document to Pillow."""
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

_REASON_CHARS = 200
DAMAGED_FILE_ERRORS: tuple[type[Exception], ...] = (
    pypdfium2.PdfiumError,
    pikepdf.PdfError,
    zipfile.BadZipFile,
    zlib.error,
    etree.LxmlError,
    EOFError,
)
"""What the parsing libraries raise for a damaged file: refused as damaged, not as a bug."""
PARSING_LIBRARIES = frozenset(
    {"zipfile", "email", "olefile", "html", "_markupbase", "pypdfium2", "pikepdf", "lxml",
     "docx"}
)
"""Libraries that parse a file's bytes for the readers. Whatever one of them raises from
inside itself (an ``IndexError`` deep in the e-mail header parser, ``NotImplementedError``
for a ZIP compression method) is the file's fault: refused as damaged, not as a bug."""


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
    "html": "text/html",
    "eml": "message/rfc822",
    "msg": "application/vnd.ms-outlook",
    "zip": "application/zip",
}
"""The media type of each built-in reader's files; a plugin's reader gets octet-stream."""


def media_type(reader: Reader) -> str:
    """Return the media type of the files ``reader`` reads."""
    return MEDIA_TYPES.get(reader.NAME, "application/octet-stream")


class ReaderFailed(UnreadableDocument):
    """A reader failed in a way it did not foresee (a bug in it, found by a bad file).

    The file is refused with its name and the kind of failure, never a traceback; the
    traceback goes to the log, and ``bench/fuzz.py`` counts this as a finding.
    """

    def __init__(self, source: str, reader: str, error: Exception) -> None:
        detail = f"{type(error).__name__}: {error}"[:_REASON_CHARS]
        super().__init__(
            source, f"the {reader} reader could not read it; the file may be damaged ({detail})"
        )
        self.reader = reader


@contextmanager
def reader_boundary(source: str, reader: str) -> Iterator[None]:
    """Turn any failure of a reader into ``UnreadableDocument`` naming the file and the problem.

    Readers raise ``UnreadableDocument`` for the bad files they foresee; this catches the
    rest: nesting deeper than Python's stack (an e-mail of parts within parts), memory
    exhausted, a picture past ``MAX_IMAGE_PIXELS``, and any other exception (``ReaderFailed``).
    """
    try:
        yield
    except CaseworkError:
        raise
    except RecursionError as error:
        raise UnreadableDocument(
            source, "nested too deeply to read (parts within parts beyond the reader's limit)"
        ) from error
    except MemoryError as error:
        raise UnreadableDocument(source, "too large to read in the memory available") from error
    except Image.DecompressionBombError as error:
        raise UnreadableDocument(
            source, f"a picture in it is too large to decode (over {MAX_IMAGE_PIXELS} pixels)"
        ) from error
    except DAMAGED_FILE_ERRORS as error:
        detail = f"{type(error).__name__}: {error}"[:_REASON_CHARS]
        raise UnreadableDocument(source, f"the file is damaged ({detail})") from error
    except Exception as error:
        library = _raised_in(error)
        if library in PARSING_LIBRARIES:
            detail = f"{type(error).__name__}: {error}"[:_REASON_CHARS]
            raise UnreadableDocument(
                source, f"the file is damaged ({library} cannot parse it: {detail})"
            ) from error
        # A reader's own bug: refuse the file, keep the traceback in the log.
        log.exception("the %s reader failed on %s", reader, source)
        raise ReaderFailed(source, reader, error) from error


def _raised_in(error: BaseException) -> str:
    """Return the top-level package of the code that raised ``error`` ("" if unknown)."""
    trace = error.__traceback__
    if trace is None:
        return ""
    while trace.tb_next is not None:
        trace = trace.tb_next
    module = trace.tb_frame.f_globals.get("__name__", "")
    return str(module).split(".", 1)[0]


@dataclass(slots=True)
class _Budget:
    """What is left to unpack under one top-level file, shared by all its nested containers."""

    members: int
    unpacked: int


class ReaderRegistry:
    """The readers Casework knows; the one that bids highest for a file reads it."""

    def __init__(self, readers: Iterable[Reader] = ()) -> None:
        self._readers: dict[str, Reader] = {}
        for reader in readers:
            self.add(reader)

    def add(self, reader: Reader) -> None:
        """Add a reader; a second reader with the same NAME is refused."""
        if reader.NAME in self._readers:
            raise Conflict(f"a reader named {reader.NAME!r} is already registered")
        self._readers[reader.NAME] = reader

    def remove(self, name: str) -> None:
        """Remove the reader called ``name``."""
        if name not in self._readers:
            raise NotFound(f"no reader named {name!r}")
        del self._readers[name]

    def get(self, name: str) -> Reader:
        """Return the reader called ``name``."""
        try:
            return self._readers[name]
        except KeyError:
            raise NotFound(f"no reader named {name!r}") from None

    def __iter__(self) -> Iterator[Reader]:
        """Iterate the readers in the order they were added (plugins list them this way)."""
        return iter(list(self._readers.values()))

    def __len__(self) -> int:
        return len(self._readers)

    @property
    def names(self) -> list[str]:
        return list(self._readers)

    @property
    def extensions(self) -> frozenset[str]:
        """Every extension some reader claims (lets callers skip files nobody can read)."""
        return frozenset(ext for r in self._readers.values() for ext in r.EXTENSIONS)

    def choose(self, head: bytes, name: str) -> Reader | None:
        """Return the reader that bids highest for a file, or None if none bids above zero."""
        best: Reader | None = None
        best_bid = 0.0
        for reader in self._readers.values():
            bid = reader.bid(head, name)
            if bid > best_bid:
                best, best_bid = reader, bid
        return best

    def identify(self, head: bytes) -> Reader | None:
        """Return the reader that recognises a file by its first bytes alone, ignoring any name.

        Uploads are type-checked this way: a name is whatever the sender typed.
        """
        return self.choose(head[:HEAD_BYTES], "")

    def read_entries(self, data: bytes, source: str, *, options: ReadOptions) -> list[Entry]:
        """Read bytes into documents, with a failure entry for each container member that failed.

        Raises ``UnreadableDocument`` when the file itself cannot be read; a bad member of a
        ZIP or e-mail becomes a ``ReadFailure`` and the other members are still read.
        """
        budget = _Budget(options.max_members, options.max_unpacked_bytes)
        return self._read(data, source, options, depth=0, budget=budget)

    def _read(
        self, data: bytes, source: str, options: ReadOptions, *, depth: int, budget: _Budget
    ) -> list[Entry]:
        if len(data) > options.max_bytes:
            raise UnreadableDocument(
                source, f"the file is {len(data)} bytes, more than the limit of {options.max_bytes}"
            )
        reader = self.choose(data[:HEAD_BYTES], source)
        if reader is None:
            raise UnreadableDocument(source, "unknown format: no reader recognises this file")
        with reader_boundary(source, reader.NAME):
            own = reader.read(data, source, options)
        if not isinstance(reader, ContainerReader):
            return list(own)
        members = self._members(reader, data, source, options, depth, budget)
        failed = [f"{m.source}: {m.reason}" for m in members if isinstance(m, ReadFailure)]
        if own and failed:
            # An e-mail says which of its attachments could not be read.
            first = own[0]
            notes = tuple(f"attachment not read: {note}" for note in failed)
            own = [replace(first, warnings=first.warnings + notes), *own[1:]]
        return [*own, *members]

    def _members(
        self,
        reader: ContainerReader,
        data: bytes,
        source: str,
        options: ReadOptions,
        depth: int,
        budget: _Budget,
    ) -> list[Entry]:
        if depth + 1 > options.max_depth:
            return [ReadFailure(source, f"containers nested deeper than {options.max_depth}")]
        found: list[Entry] = []
        for member in self._unpack(reader, data, source, options):
            if isinstance(member, ReadFailure):
                found.append(member)
                continue
            where = member_source(source, member.name)
            budget.members -= 1
            budget.unpacked -= len(member.data)
            if budget.members < 0 or budget.unpacked < 0:
                found.append(ReadFailure(where, "the container unpacks beyond the limits; "
                                                "this and later members were not read"))
                break
            try:
                found.extend(self._read(member.data, where, options, depth=depth + 1,
                                        budget=budget))
            except UnreadableDocument as exc:
                log.info("skipped %s: %s", exc.source, exc.reason)
                found.append(ReadFailure(exc.source, exc.reason))
        return found

    @staticmethod
    def _unpack(
        reader: ContainerReader, data: bytes, source: str, options: ReadOptions
    ) -> Iterator[Member | ReadFailure]:
        """The container's members; a failure while unpacking ends the list with its reason."""
        members = reader.members(data, source, options)
        while True:
            try:
                with reader_boundary(source, reader.NAME):
                    member = next(members, None)
            except ReaderFailed as error:
                yield ReadFailure(error.source, error.reason)
                return
            if member is None:
                return
            yield member


def default_readers() -> ReaderRegistry:
    """Return a new registry holding the built-in readers."""
    return ReaderRegistry(
        [PdfReader(), DocxReader(), TextReader(), HtmlReader(), EmlReader(), MsgReader(),
         ZipReader()]
    )


@cache
def _default_registry() -> ReaderRegistry:
    """Build the built-in registry once per process (a worker reuses it for every file)."""
    return default_readers()


def _registry(registry: ReaderRegistry | None) -> ReaderRegistry:
    return registry if registry is not None else _default_registry()


def read_bytes(
    data: bytes, source: str, *, options: ReadOptions, registry: ReaderRegistry | None = None
) -> list[Document]:
    """Read bytes into documents, choosing the reader by extension, then by magic bytes.

    Raises ``UnreadableDocument`` if the file cannot be read, or if it is a container none
    of whose members could be read. Members that fail among others that succeed are
    skipped (``iter_documents`` and ``ReaderRegistry.read_entries`` report them).
    """
    entries = _registry(registry).read_entries(data, source, options=options)
    documents = [e for e in entries if isinstance(e, Document)]
    failures = [e for e in entries if isinstance(e, ReadFailure)]
    if failures and not documents:
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise UnreadableDocument(source, f"no member could be read: {first.source}: "
                                         f"{first.reason}{more}")
    return documents


def _read_path(path: Path, options: ReadOptions) -> bytes:
    """Read a file's bytes, refusing an oversized one before loading it."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise UnreadableDocument(
                source, f"the file is {size} bytes, more than the limit of {options.max_bytes}"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableDocument(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise UnreadableDocument(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise UnreadableDocument(source, f"cannot be opened ({exc.strerror or exc})") from exc


def read_file(
    path: Path, *, options: ReadOptions, registry: ReaderRegistry | None = None
) -> list[Document]:
    """Read one file into documents (several for a ZIP or an e-mail with attachments)."""
    return read_bytes(_read_path(path, options), str(path), options=options, registry=registry)


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """List the files named by ``paths``; folders are walked recursively in sorted order.

    Hidden files and folders (a name starting with a dot) inside folders are skipped; a path
    given explicitly is always kept, even if it does not exist, so that reading it reports
    the problem. The order is stable so progress and output are reproducible.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(_walk(path))
        else:
            files.append(path)
    return files


def _walk(folder: Path) -> Iterator[Path]:
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", folder, exc)
        return
    for child in children:
        if child.name.startswith(".") or is_hidden(child.name):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def iter_entries(
    path: Path, *, options: ReadOptions, registry: ReaderRegistry | None = None
) -> list[Entry]:
    """Read one file into documents and failures; never raises for a bad file.

    This is the unit of work to hand to a worker process (the result pickles).
    """
    try:
        data = _read_path(path, options)
        return _registry(registry).read_entries(data, str(path), options=options)
    except UnreadableDocument as exc:
        return [ReadFailure(exc.source, exc.reason)]


def iter_documents(
    paths: Sequence[Path], *, options: ReadOptions, registry: ReaderRegistry | None = None
) -> Iterator[Document | ReadFailure]:
    """Yield every document under ``paths``, and a ``ReadFailure`` for each file that fails.

    Iteration goes on after a failure: one bad file never stops a bundle.
    """
    for path in collect_files(paths):
        yield from iter_entries(path, options=options, registry=registry)
