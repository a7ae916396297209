"""A reviewer's decisions change the redacted copy: rejected text stays, added text goes.

The worker makes the CPS copy first; then decisions are recorded and the copy is made again
(``remake_copies``), re-verified by the same verifier, on SQLite and on PostgreSQL. A copy
the worker makes after the decisions honours them too.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.domain.labels import Label
from casework.errors import InvalidInput
from casework.jobs.review import audiences, read_upload, remake_copies, reviewed
from casework.jobs.worker import Worker, WorkerConfig
from casework.redaction.review import REVIEW_RECOGNIZER, Verdict, occurrences
from casework.store import make_engine
from casework.store.document_models import CaseDocumentRow
from casework.store.processing import upload_of
from casework.store.review import StoredDecision, copy_log, decisions_of, record_decision
from tests.jobs.conftest import Place, open_case, statement_pdf, upload

NOTE = (
    b"Statement of Jane SMITH, 12 Park Road, Leeds LS1 4AP.\n"
    b"Call Jane SMITH on 07700 900123.\n"
    b"The knife was hidden in the blue shed behind the garage.\n"
)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _work(place: Place) -> None:
    config = WorkerConfig.from_settings(
        place.settings(), processes=1, poll_seconds=0.1, in_process=True
    )
    Worker(replace(config, options=ReadOptions(ocr=False))).run(until_idle=True)


def _copy_bytes(place: Place, session: Session, upload_id: UUID, audience: str) -> bytes:
    row = session.scalars(
        select(CaseDocumentRow).where(
            CaseDocumentRow.derived_from == upload_id, CaseDocumentRow.audience == audience
        )
    ).one()
    return place.blobs.path_of(row.sha256).read_bytes()


def _decide(
    session: Session, upload_id: UUID, verdict: Verdict, span: tuple[int, int], label: str
) -> None:
    record_decision(
        session=session,
        upload=upload_of(session=session, document_id=upload_id),
        decision=StoredDecision(
            part=0,
            start=span[0],
            end=span[1],
            label=label,
            verdict=verdict.value,
            note="checked against the original",
            decided_by="reviewer",
            decided_at=NOW,
        ),
    )


def test_rejected_text_stays_and_added_text_goes_and_the_copy_is_verified(place: Place) -> None:
    case = open_case(place.url)
    note = upload(place, case, "note.txt", NOTE, "text")
    _work(place)
    engine = make_engine(place.url)
    options = ReadOptions(ocr=False)
    try:
        with Session(engine) as session, session.begin():
            before = _copy_bytes(place, session, note, "cps").decode()
            assert "Jane SMITH" not in before and "blue shed" in before
            the_upload = upload_of(session=session, document_id=note)
            reading = read_upload(blobs=place.blobs, upload=the_upload, options=options)
            text = reading.documents[0].text
            names = [f for f in reading.found[0].findings if f.text == "Jane SMITH"]
            assert names, "detection found the victim's name"
            for finding in names:
                _decide(session, note, Verdict.REJECT, (finding.start, finding.end), "PERSON")
            for span in occurrences(text, "blue shed"):
                _decide(session, note, Verdict.ADD, span, "LOCATION")
            assert len(decisions_of(session=session, document_id=note)) == len(names) + 1

            made = remake_copies(
                session=session,
                blobs=place.blobs,
                document_id=note,
                audiences_wanted=[audiences().get("cps")],
                options=options,
                made_by="reviewer",
                now=NOW,
            )

            after = _copy_bytes(place, session, note, "cps").decode()
            assert "Jane SMITH" in after  # rejected: a false positive stays
            assert "blue shed" not in after  # added: removed, with a placeholder
            assert "07700 900123" not in after and "LS1 4AP" not in after  # the rest as before
            log = copy_log(session=session, copy_id=made[0].copy_id)
            added = [e for e in log if e.recognizer == REVIEW_RECOGNIZER]
            assert [(e.label, e.reason) for e in added] == [
                ("LOCATION", "added in review by reviewer: checked against the original")
            ]
            assert all(e.label != "PERSON" for e in log)
            shown = reviewed(session=session, upload=the_upload, reading=reading)[0]
            assert {shown.status_of(f) for f in shown.findings} >= {Verdict.ADD, Verdict.REJECT}
    finally:
        engine.dispose()


def test_the_worker_honours_decisions_made_before_it_runs_on_a_pdf(place: Place) -> None:
    case = open_case(place.url)
    statement = upload(place, case, "statement.pdf", statement_pdf(0, pages=2), "pdf")
    engine = make_engine(place.url)
    options = ReadOptions(ocr=False)
    try:
        with Session(engine) as session, session.begin():
            the_upload = upload_of(session=session, document_id=statement)
            reading = read_upload(blobs=place.blobs, upload=the_upload, options=options)
            text = reading.documents[0].text
            for span in occurrences(text, "Terry WILLIAMS"):
                _decide(session, statement, Verdict.ADD, span, "PERSON")
            postcode = next(f for f in reading.found[0].findings if f.text == "LS1 4AP")
            _decide(session, statement, Verdict.ACCEPT, (postcode.start, postcode.end), "POSTCODE")
        _work(place)
        with Session(engine) as session:
            data = _copy_bytes(place, session, statement, "cps")
        pdf = pdfium.PdfDocument(io.BytesIO(data))
        shown = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        assert "WILLIAMS" not in shown
        assert "LS1 4AP" not in shown
        assert "[PERSON" in shown
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("a", "at least 2 characters"), ("nowhere in it", "not found in this document's text")],
)
def test_a_typed_redaction_that_cannot_be_placed_names_the_field(typed: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem) as refused:
        occurrences("Statement of Jane SMITH", typed)
    assert refused.value.message.startswith("text: ")


def test_typed_text_is_found_wherever_it_occurs_whatever_its_case() -> None:
    assert occurrences("Blue shed; the BLUE SHED again", "blue shed") == [(0, 9), (15, 24)]
    assert Label("LOCATION") is Label.LOCATION
