"""Removing stored bytes (an expired export's file), in a folder and in an S3-compatible
bucket on a real S3 server (moto's, over HTTP): gone afterwards, False when already gone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from casework.errors import NotFound
from casework.store.documents import BlobStore, DocumentStore, open_document_store
from tests.s3server import BUCKET, s3_endpoint, s3_env  # noqa: F401 (fixtures)


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    if request.param == "folder":
        return BlobStore(tmp_path / "documents")
    endpoint: str = request.getfixturevalue("s3_env")
    prefix = f"delete-{time.monotonic_ns()}"
    return open_document_store(
        f"s3://{BUCKET}/{prefix}", default_root=tmp_path, endpoint_url=endpoint
    )


def test_deleted_bytes_are_gone_and_deleting_again_says_so(store: DocumentStore) -> None:
    gone = store.put_bytes(b"WY-2026-000123 cps bundle (synthetic)", max_bytes=1 << 20)
    kept = store.put_bytes(b"another export (synthetic)", max_bytes=1 << 20)

    assert store.delete(gone.sha256) is True

    assert not store.has(gone.sha256) and store.has(kept.sha256)
    with pytest.raises(NotFound):
        store.open(gone.sha256)
    assert store.delete(gone.sha256) is False
    with pytest.raises(NotFound):
        store.delete("../../etc/passwd")
    again = store.put_bytes(b"WY-2026-000123 cps bundle (synthetic)", max_bytes=1 << 20)
    assert again == gone and store.has(gone.sha256)  # the same bytes may be stored again
