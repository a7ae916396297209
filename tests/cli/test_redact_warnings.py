"""`casework redact` says what it could not read, and releases no copy it could not check."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.documents.factories import make_scanned_pdf


def test_redact_prints_reader_warnings_and_refuses_unread_scans(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("casework.documents.pdf.TesseractOcr.available", lambda self: False)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "scan.pdf").write_bytes(make_scanned_pdf([["Statement of John Smith"], None]))
    out = tmp_path / "out"

    result = cli("redact", str(bundle), "--audience", "public", "--out", str(out), "--workers", "1")

    assert result.code == 1
    err = " ".join(result.err.split())
    assert "warning" in err and "no text found on page 2; install tesseract" in err
    assert "not released" in err and "page 2 shows pictures that were not read" in err
    assert not (out / "bundle" / "scan.pdf").exists()
