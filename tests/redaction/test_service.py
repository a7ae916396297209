from __future__ import annotations

import csv
import json
from pathlib import Path, PurePosixPath

import pytest

from casework.domain.labels import Label, PartyRole
from casework.errors import LeakDetected
from casework.redaction import (
    Audience,
    LogRow,
    PlaceholderBook,
    RedactionPlan,
    default_writers,
    output_name,
    redact_document,
    write_redaction_log,
)
from casework.redaction.log import log_rows
from casework.redaction.plan import plan_redactions
from tests.redaction.conftest import (
    ADDRESS,
    PHONE,
    STATEMENT_SPECS,
    VICTIM,
    findings_for,
    make_docx,
    make_pdf,
    read_docx,
    read_pdf,
    statement_pages,
    text_document,
)


@pytest.mark.parametrize(
    ("source", "fmt", "expected"),
    [
        ("bundle.zip!/statements/ws1.pdf", "pdf", "bundle.zip/statements/ws1.pdf"),
        ("/home/pc/case/ws2.docx", "docx", "ws2.docx"),
        ("case/mail.eml", "txt", "case/mail.eml.txt"),
        ("case/mail.eml!/attach.pdf", "pdf", "case/mail.eml/attach.pdf"),
        ("../../etc/passwd", "txt", "etc/passwd.txt"),
        ("C:\\Users\\pc\\ws3.pdf", "pdf", "ws3.pdf"),
        ("notes.txt", "txt", "notes.txt"),
        ("odd:name?.txt", "txt", "odd_name_.txt"),
    ],
)
def test_output_name_is_safe_and_relative(source: str, fmt: str, expected: str) -> None:
    assert output_name(source, fmt) == PurePosixPath(expected)


def test_service_writes_each_format(public: Audience, tmp_path: Path) -> None:
    documents = [
        read_pdf(make_pdf(statement_pages(2)), "bundle.zip!/ws1.pdf"),
        read_docx(make_docx(), "bundle.zip!/ws2.docx"),
        text_document(f"E-mail from {VICTIM} ({PHONE}) about {ADDRESS}.", "bundle.zip!/m.eml"),
    ]
    bundle = [(d, findings_for(d, STATEMENT_SPECS)) for d in documents]
    book = PlaceholderBook()
    book.add_bundle(bundle, public)
    rows: list[LogRow] = []
    for document, findings in bundle:
        result = redact_document(
            document=document, findings=findings, audience=public, book=book, out_dir=tmp_path
        )
        assert result.output.is_file()
        rows.extend(result.rows)
    out = tmp_path / "bundle.zip"
    assert sorted(p.name for p in out.iterdir()) == ["m.eml.txt", "ws1.pdf", "ws2.docx"]
    assert (
        out / "m.eml.txt"
    ).read_text() == "E-mail from [PERSON 1] ([PHONE 1]) about [ADDRESS 1]."
    csv_path, json_path = write_redaction_log(rows, tmp_path)
    with csv_path.open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [
        "document",
        "page",
        "label",
        "reason",
        "recognizer",
        "placeholder",
        "start",
        "end",
    ]
    assert len(table) == len(rows) == len(json.loads(json_path.read_text()))
    assert {r["document"] for r in table} == {d.source for d in documents}
    logs = (csv_path.read_text() + json_path.read_text()).casefold()
    for secret in (VICTIM, ADDRESS, PHONE, "acacia", "900123"):
        assert secret.casefold() not in logs


def test_log_reason_never_quotes_the_value(public: Audience) -> None:
    document = text_document(f"Call {VICTIM} now.")
    findings = [
        f.__class__(
            f.start,
            f.end,
            f.label,
            f.text,
            f.score,
            "names",
            f"first name of '{VICTIM}' known",
            role=PartyRole.VICTIM,
        )
        for f in findings_for(document, [(VICTIM, Label.PERSON, None)])
    ]
    plan = plan_redactions(
        document=document, findings=findings, audience=public, book=PlaceholderBook()
    )
    (row,) = log_rows(plan)
    assert VICTIM not in row.reason and "[PERSON 1]" in row.reason
    assert (row.page, row.label, row.recognizer, row.start, row.end) == (
        1,
        "PERSON",
        "names",
        5,
        15,
    )


def _box_only_pdf(plan: RedactionPlan) -> bytes:
    """A bad writer: returns the original PDF, as if a box drawn on top were enough."""
    return plan.document.data


def test_leaking_output_is_refused_and_not_released(public: Audience, tmp_path: Path) -> None:
    document = read_pdf(make_pdf(statement_pages(1)), "ws1.pdf")
    findings = findings_for(document, STATEMENT_SPECS)
    stale = tmp_path / "ws1.pdf"
    stale.write_bytes(b"copy from an earlier run")
    writers = {**default_writers(), "pdf": _box_only_pdf}
    with pytest.raises(LeakDetected) as caught:
        redact_document(
            document=document,
            findings=findings,
            audience=public,
            book=PlaceholderBook(),
            out_dir=tmp_path,
            writers=writers,
        )
    assert "ws1.pdf" in caught.value.message
    assert VICTIM not in caught.value.message and PHONE not in caught.value.message
    assert list(tmp_path.iterdir()) == []
