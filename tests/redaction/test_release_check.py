"""A copy is released only when everything its document shows was read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.documents import ReadOptions, read_bytes
from casework.domain.labels import Label, PartyRole
from casework.errors import UnverifiableDocument
from casework.redaction import Audience, PlaceholderBook, redact_document
from tests.documents.factories import make_scanned_pdf
from tests.redaction.conftest import findings_for


@pytest.mark.parametrize("as_text", [False, True], ids=["pdf", "text"])
def test_a_document_with_pictures_not_read_is_refused(
    public: Audience, tmp_path: Path, as_text: bool
) -> None:
    data = make_scanned_pdf([["Statement of John Smith"], None, ["Signed"], None])
    (document,) = read_bytes(data, "scan.pdf", options=ReadOptions(ocr=False))
    findings = findings_for(document, [("John Smith", Label.PERSON, PartyRole.VICTIM)])
    stale = tmp_path / ("scan.pdf.txt" if as_text else "scan.pdf")
    stale.write_bytes(b"copy from an earlier run")

    with pytest.raises(UnverifiableDocument) as caught:
        redact_document(
            document=document,
            findings=findings,
            audience=public,
            book=PlaceholderBook(),
            out_dir=tmp_path,
            as_text=as_text,
        )

    assert "scan.pdf: pages 2, 4 show pictures that were not read" in caught.value.message
    assert caught.value.exit_code == 1
    assert list(tmp_path.iterdir()) == []
