"""Document stores: a folder, and an S3-compatible bucket on a real S3 server (moto's).

The S3 tests start ``moto_server`` as a separate process listening on a local port and
talk to it over HTTP with boto3, as Casework would talk to MinIO or AWS S3; nothing of
ours is mocked. Both stores keep the same promises: bytes named by SHA-256, stored once,
nothing kept past the size limit, a missing file is NotFound.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from casework.config import Settings
from casework.errors import InvalidInput, NotFound, TooLarge
from casework.jobs.worker import Worker, WorkerConfig
from casework.store import SqlCaseStore, make_engine, session_factory, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.documents import (
    BlobStore,
    DocumentStore,
    NewDocument,
    S3Store,
    add_document,
    open_document_store,
)
from casework.store.processing import processing_status
from tests.jobs.conftest import open_case
from tests.s3server import BUCKET, s3_endpoint, s3_env  # noqa: F401 (fixtures)


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    if request.param == "folder":
        return BlobStore(tmp_path / "documents")
    endpoint: str = request.getfixturevalue("s3_env")
    prefix = f"run-{request.node.name[-12:].strip('[]')}-{time.monotonic_ns()}"
    return open_document_store(
        f"s3://{BUCKET}/{prefix}", default_root=tmp_path, endpoint_url=endpoint
    )


def test_bytes_are_kept_by_their_sha256_once(store: DocumentStore) -> None:
    data = b"Statement of Jane SMITH, 07700 900123.\n" * 1000
    first = store.put([data[:5000], data[5000:]], max_bytes=1 << 20)
    again = store.put_bytes(data, max_bytes=1 << 20)
    assert first == again
    assert first.sha256 == hashlib.sha256(data).hexdigest() and first.size == len(data)
    assert store.has(first.sha256)
    with store.open(first.sha256) as stream:
        assert stream.read() == data
    with store.local_file(first.sha256) as path:
        assert path.read_bytes() == data


def test_too_large_keeps_nothing_and_missing_is_not_found(store: DocumentStore) -> None:
    data = b"x" * 2048
    with pytest.raises(TooLarge, match="CASEWORK_MAX_DOCUMENT_BYTES"):
        store.put([data[:1024], data[1024:]], max_bytes=2000)
    assert not store.has(hashlib.sha256(data).hexdigest())
    missing = "0" * 64
    with pytest.raises(NotFound):
        store.open(missing)
    with pytest.raises(NotFound), store.local_file(missing):
        pass
    with pytest.raises(NotFound):
        store.has("../../etc/passwd")


def test_the_storage_url_chooses_the_store(tmp_path: Path) -> None:
    assert open_document_store(None, default_root=tmp_path).location == str(tmp_path)
    folder = open_document_store(f"file://{tmp_path}/docs", default_root=tmp_path)
    assert isinstance(folder, BlobStore) and folder.root == tmp_path / "docs"
    bucket = open_document_store(
        "s3://evidence/casework/docs", default_root=tmp_path, endpoint_url="http://127.0.0.1:1"
    )
    assert isinstance(bucket, S3Store)
    assert (bucket.bucket, bucket.prefix) == ("evidence", "casework/docs")
    with pytest.raises(InvalidInput, match="CASEWORK_STORAGE_URL"):
        open_document_store("ftp://server/docs", default_root=tmp_path)


def test_a_worker_reads_uploads_from_s3_and_stores_copies_there(
    s3_env: str,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    """An upload kept in the bucket gets its CPS copy, stored in the bucket too."""
    url = f"sqlite:///{tmp_path / 'casework.sqlite3'}"
    upgrade_database(url)
    storage = f"s3://{BUCKET}/worker-{time.monotonic_ns()}"
    settings = Settings.model_validate(
        {
            "home": tmp_path / "home",
            "database_url": url,
            "storage_url": storage,
            "s3_endpoint_url": s3_env,
        }
    )
    bucket = open_document_store(storage, default_root=tmp_path, endpoint_url=s3_env)
    case = open_case(url)
    engine = make_engine(url)
    try:
        with SqlCaseStore(session_factory(engine)()) as cases:
            add_document(
                session=cases.session,
                case_id=case[0],
                force=case[1],
                new=NewDocument(
                    name="note.txt",
                    blob=bucket.put_bytes(b"Call Priya PATEL on 07700 900456.", max_bytes=1 << 20),
                    content_type="text/plain",
                    format="text",
                ),
                uploaded_by="investigator",
                now=datetime.now(UTC),
            )
        config = WorkerConfig.from_settings(settings, processes=1, in_process=True)
        report = Worker(config).run(until_idle=True)
        assert (report.processed, report.copies, report.failed) == (1, 1, [])
        assert not (tmp_path / "home" / "documents").exists()  # nothing written to a folder
        with session_factory(engine)() as session:
            copy = session.scalars(
                select(CaseDocumentRow).where(CaseDocumentRow.audience == "cps")
            ).one()
            status = processing_status(session=session, audiences=("cps",), now=datetime.now(UTC))
        assert status.done == 1
        with bucket.open(copy.sha256) as stream:
            text: Any = stream.read().decode()
        assert "Priya PATEL" not in text and "07700 900456" not in text
    finally:
        engine.dispose()
