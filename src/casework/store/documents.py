"""The document store: files kept by their SHA-256, and the table of each case's documents.

An upload is written here, with its checksum, before anything reads it: bytes go to a
temporary file in the store's own folder, are flushed to disk, and are renamed into place
(``documents/ab/cdef...``) in one step, so a crash leaves either the whole file or none.
The same bytes uploaded twice are stored once. The file's type is decided by the caller
from its content (the readers' bids), never from its name.

Where the bytes live is a ``DocumentStore``: a folder (``BlobStore``, the default) or an
S3-compatible bucket (``S3Store``, for workers on many machines), chosen by
``CASEWORK_STORAGE_URL`` through ``open_document_store``. Both name files by SHA-256 and
make a file appear whole or not at all. Bytes are removed only when an export's file
expires (``delete``, jobs/export_expiry.py), and only once nothing else names them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol, cast
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from casework.errors import InvalidInput, NotFound, TooLarge
from casework.store.document_models import CaseDocumentRow

ORIGINAL = "original"
"""The audience of an upload as it came in (unredacted)."""
CHUNK = 1024 * 1024
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Bytes kept in the store: their SHA-256 (the name) and size."""

    sha256: str
    size: int


def _checked(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise NotFound(f"no stored file {sha256[:70]!r}")
    return sha256


class DocumentStore(Protocol):
    """Bytes kept by SHA-256, wherever they are: what uploads, workers and downloads use."""

    @property
    def location(self) -> str:
        """Where the store is, for messages (a folder or ``s3://bucket/prefix``)."""
        ...

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob: ...

    def put_bytes(self, data: bytes, *, max_bytes: int) -> StoredBlob: ...

    def has(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def delete(self, sha256: str) -> bool:
        """Remove the bytes (an expired export's file); False when there were none.

        The store keeps one file for equal bytes: the caller makes sure nothing else
        still names them (store/exports.py ``blob_in_use``).
        """
        ...

    def local_file(self, sha256: str) -> AbstractContextManager[Path]:
        """A path on this machine holding the bytes while the block runs (readers need one)."""
        ...


class BlobStore:
    """Files under ``root`` named by SHA-256 (``ab/cdef...``), written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def location(self) -> str:
        return str(self.root)

    def path_of(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256[2:]

    @contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        path = self.path_of(sha256)
        if not path.is_file():
            raise NotFound(f"the stored file {sha256} is missing")
        yield path

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob:
        """Store the bytes of ``chunks``; refuse (keeping nothing) past ``max_bytes``."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(
                            f"file: more than the limit of {max_bytes} bytes "
                            "(CASEWORK_MAX_DOCUMENT_BYTES)"
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            blob = StoredBlob(digest.hexdigest(), size)
            target = self.path_of(blob.sha256)
            target.parent.mkdir(exist_ok=True)
            if target.is_file():
                Path(temp).unlink()  # the same bytes are already kept
            else:
                Path(temp).replace(target)
                _fsync_folder(target.parent)
            return blob
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                Path(temp).unlink()
            raise

    def put_bytes(self, data: bytes, *, max_bytes: int) -> StoredBlob:
        return self.put([data], max_bytes=max_bytes)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError as error:
            raise NotFound(f"the stored file {sha256} is missing") from error

    def delete(self, sha256: str) -> bool:
        path = self.path_of(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_folder(path.parent)  # the removal survives a crash, as a write does
        return True


FolderStore = BlobStore
"""The default document store: a folder (``CASEWORK_HOME/documents``)."""


def _spool(chunks: Iterable[bytes], max_bytes: int, into: IO[bytes]) -> StoredBlob:
    """Copy ``chunks`` into ``into`` while hashing; ``TooLarge`` past ``max_bytes``."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(
                f"file: more than the limit of {max_bytes} bytes (CASEWORK_MAX_DOCUMENT_BYTES)"
            )
        digest.update(chunk)
        into.write(chunk)
    into.flush()
    into.seek(0)
    return StoredBlob(digest.hexdigest(), size)


class S3Store:
    """Objects ``prefix/ab/cdef...`` in an S3-compatible bucket (AWS S3, MinIO, Ceph).

    An upload is spooled to a temporary file while its SHA-256 is computed, then sent with
    one PUT: S3 makes an object visible whole or not at all, so a crash leaves no half file,
    and the same bytes sent twice are one object. Every machine running workers reads the
    same bucket, which a folder cannot offer without a shared file system.
    """

    def __init__(
        self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None, client: Any = None
    ) -> None:
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def key_of(self, sha256: str) -> str:
        sha256 = _checked(sha256)
        name = f"{sha256[:2]}/{sha256[2:]}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def has(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredBlob:
        with tempfile.TemporaryFile(prefix="casework-upload-") as spooled:
            blob = _spool(chunks, max_bytes, spooled)
            if not self.has(blob.sha256):
                self.client.upload_fileobj(spooled, self.bucket, self.key_of(blob.sha256))
        return blob

    def put_bytes(self, data: bytes, *, max_bytes: int) -> StoredBlob:
        return self.put([data], max_bytes=max_bytes)

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            raise NotFound(f"the stored file {sha256} is missing") from error
        return cast(BinaryIO, answer["Body"])

    def delete(self, sha256: str) -> bool:
        if not self.has(sha256):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self.key_of(sha256))
        return True

    @contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="casework-doc-") as folder:
            path = Path(folder) / sha256
            with self.open(sha256) as stream, path.open("wb") as out:
                for chunk in read_chunks(stream):
                    out.write(chunk)
            yield path


def open_document_store(
    url: str | None, *, default_root: Path, endpoint_url: str | None = None
) -> DocumentStore:
    """The store ``url`` names: None or ``file:///...`` a folder, ``s3://bucket/prefix`` S3."""
    if not url:
        return BlobStore(default_root)
    parts = urlsplit(url)
    if parts.scheme == "file":
        return BlobStore(Path(unquote(parts.path)))
    if parts.scheme == "s3" and parts.netloc:
        return S3Store(parts.netloc, unquote(parts.path), endpoint_url=endpoint_url)
    if not parts.scheme:
        return BlobStore(Path(url))
    raise InvalidInput(
        f"CASEWORK_STORAGE_URL {url!r}: expected a folder (file:///path) or an S3 bucket "
        "(s3://bucket/prefix)"
    )


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def read_chunks(stream: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """Yield ``stream`` in chunks (for ``BlobStore.put``)."""
    while chunk := stream.read(size):
        yield chunk


class StoredDocument(BaseModel):
    """A document of a case as listed: never its bytes."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    derived_from: uuid.UUID | None
    audience: str
    name: str
    size: int
    sha256: str
    content_type: str
    format: str
    uploaded_by: str
    uploaded_at: datetime


def _stored(row: CaseDocumentRow) -> StoredDocument:
    return StoredDocument(
        id=row.id,
        derived_from=row.derived_from,
        audience=row.audience,
        name=row.original_name,
        size=row.size,
        sha256=row.sha256,
        content_type=row.content_type,
        format=row.format,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


@dataclass(frozen=True, slots=True)
class NewDocument:
    """What an upload (or a redacted copy) records about stored bytes."""

    name: str
    blob: StoredBlob
    content_type: str
    format: str
    audience: str = ORIGINAL
    derived_from: uuid.UUID | None = None


def clean_name(name: str) -> str:
    """Keep the last part of a client's file name, without control characters, shortened."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in last if c.isprintable() and c not in "\"'").strip()
    return kept[:MAX_NAME] or "upload"


def hold_blob(*, session: Session, sha256: str) -> None:
    """Serialise, until the transaction ends, whoever records or removes these bytes.

    A worker recording an export's file and a purge that removes the same bytes must not
    interleave (the purge would remove what the worker is about to record). On PostgreSQL
    a transaction-scoped advisory lock keyed by the checksum; on SQLite every writing unit
    of work already holds the database's write lock (BEGIN IMMEDIATE), taken here.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int(sha256[:16], 16) - (1 << 63)  # a signed 64-bit key from the checksum
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        session.execute(text("SELECT 1"))


def add_document(
    *,
    session: Session,
    case_id: uuid.UUID,
    force: str,
    new: NewDocument,
    uploaded_by: str,
    now: datetime,
) -> StoredDocument:
    """Record stored bytes as a document of a case (the bytes must be in the store already).

    No ``hold_blob`` here: async upload routes call this on the event loop, where waiting
    for another transaction's lock on equal bytes would stop every request.
    """
    if new.derived_from is not None:
        parent = session.get(CaseDocumentRow, new.derived_from)
        if parent is None or parent.case_id != case_id:
            raise NotFound(f"no document {new.derived_from}")
    row = CaseDocumentRow(
        id=uuid.uuid4(),
        case_id=case_id,
        force=force,
        derived_from=new.derived_from,
        audience=new.audience,
        original_name=clean_name(new.name),
        size=new.blob.size,
        sha256=new.blob.sha256,
        content_type=new.content_type,
        format=new.format,
        uploaded_by=uploaded_by[:64],
        uploaded_at=now,
    )
    session.add(row)
    session.flush()
    return _stored(row)


def case_documents(*, session: Session, case_id: uuid.UUID) -> list[StoredDocument]:
    """Every document of a case, uploads and copies, oldest first."""
    rows = session.scalars(
        select(CaseDocumentRow)
        .where(CaseDocumentRow.case_id == case_id)
        .order_by(CaseDocumentRow.uploaded_at, CaseDocumentRow.id)
    )
    return [_stored(r) for r in rows]


def document_version(
    *, session: Session, case_id: uuid.UUID, document_id: uuid.UUID, audience: str
) -> StoredDocument | None:
    """The ``audience`` version of a case's document: itself, or a copy made from it.

    ``document_id`` may name the upload or one of its copies; None when the case holds no
    such document or it has no version for that audience (yet).
    """
    row = session.get(CaseDocumentRow, document_id)
    if row is None or row.case_id != case_id:
        return None
    if row.audience == audience:
        return _stored(row)
    upload = row.derived_from or row.id
    copy = session.scalars(
        select(CaseDocumentRow)
        .where(
            CaseDocumentRow.case_id == case_id,
            CaseDocumentRow.audience == audience,
            (CaseDocumentRow.id == upload) | (CaseDocumentRow.derived_from == upload),
        )
        .order_by(CaseDocumentRow.uploaded_at.desc())
    ).first()
    return _stored(copy) if copy is not None else None
