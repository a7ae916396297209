"""Uploads and downloads through the API with documents in an S3 bucket (CASEWORK_STORAGE_URL).

The bucket is on a real S3 server (``moto_server``, over HTTP): the upload's bytes land in
the bucket by SHA-256, nothing in the folder, and the download streams them back, audited
as before.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from casework.api import create_app
from casework.store.documents import open_document_store
from tests.api.conftest import Api, Seed, settings_for
from tests.documents.factories import make_pdf
from tests.s3server import BUCKET, s3_endpoint, s3_env  # noqa: F401 (fixtures)

PDF = make_pdf([["Statement of Jane SMITH, 07700 900123"]])


def test_upload_and_download_through_an_s3_bucket(
    db_path: Path,
    seed: Seed,
    s3_env: str,  # noqa: F811 (the fixture imported above)
) -> None:
    storage = f"s3://{BUCKET}/api-{time.monotonic_ns()}"
    app = create_app(settings_for(db_path, storage_url=storage, s3_endpoint_url=s3_env))
    try:
        api = Api(app, token=seed.tokens["investigator"])
        made = api.call(
            "POST",
            f"/api/cases/{seed.team_case}/documents",
            files={"file": ("statement.pdf", PDF, "application/pdf")},
        )
        assert made.status_code == 201, made.text
        digest = hashlib.sha256(PDF).hexdigest()
        assert made.json()["sha256"] == digest
        bucket = open_document_store(storage, default_root=db_path.parent, endpoint_url=s3_env)
        with bucket.open(digest) as stream:
            assert stream.read() == PDF
        folder = app.state.settings.home / "documents" / digest[:2] / digest[2:]
        assert not folder.exists()

        got = api.call("GET", f"/api/cases/{seed.team_case}/documents/{made.json()['id']}")
        assert got.status_code == 200
        assert got.content == PDF
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"].startswith("attachment;")
        assert got.headers["etag"] == f'"{digest}"'
    finally:
        app.state.engine.dispose()
