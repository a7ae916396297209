"""Nothing lost (issue 4): a worker killed with kill -9 mid-way; another finishes the work.

A real ``casework worker`` process works through several multi-page PDF uploads; once it
has begun (a lease is held and pages are being read), it is killed with SIGKILL. A second
worker started afterwards takes the dead worker's uploads over when their leases run out.
Every upload must end with exactly one CPS copy, each copy must verify (re-read: no
removed value left), and no log row or audit entry may be written twice.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from uuid import UUID

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from casework.detection.engine import DetectionEngine
from casework.documents import ReadOptions, iter_documents
from casework.domain.document import Document
from casework.plugins import audience_registry, recognizer_registry
from casework.redaction import PlaceholderBook, log_rows, plan_redactions
from casework.redaction.verify_pdf import verify_pdf
from casework.security.audit import verify_chain
from casework.store import make_engine
from casework.store.document_models import CaseDocumentRow
from casework.store.processing_models import CopyRedactionRow, ProcessingClaimRow
from casework.store.security_models import AuditEntryRow
from tests.jobs.conftest import PHONES, VICTIMS, Place, open_case, statement_pdf, upload

UPLOADS = 6
PAGES = 30
LEASE_SECONDS = "3"


def _worker(place: Place, *args: str) -> list[str]:
    return [sys.executable, "-m", "casework", "worker", "--poll", "0.2", *args]


def _env(place: Place) -> dict[str, str]:
    return {
        **os.environ,
        **place.env(CASEWORK_JOB_LEASE_SECONDS=LEASE_SECONDS, CASEWORK_WORKERS="2"),
    }


def _begun(engine: Engine, timeout: float) -> list[ProcessingClaimRow]:
    """Wait until a worker holds a lease on an upload whose pages it has read."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            rows = list(
                connection.execute(
                    select(ProcessingClaimRow).where(
                        ProcessingClaimRow.status == "working",
                        ProcessingClaimRow.pages_total > 0,
                    )
                )
            )
        if rows:
            return rows  # type: ignore[return-value]
        time.sleep(0.05)
    raise AssertionError(f"no worker began within {timeout} s")


def _copies(engine: Engine) -> list[CaseDocumentRow]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(CaseDocumentRow).where(CaseDocumentRow.derived_from.is_not(None))
            )
        )


def _document(data: bytes, tmp_path: Path, name: str) -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    # The copy's text layer is what a reader gets; verify_pdf checks its pixels too.
    (document,) = list(iter_documents([path], options=ReadOptions(ocr=False)))
    assert isinstance(document, Document)
    return document


def test_a_worker_killed_mid_way_loses_nothing_and_duplicates_nothing(
    place: Place, tmp_path: Path
) -> None:
    case = open_case(place.url)
    uploads: dict[UUID, bytes] = {}
    for i in range(UPLOADS):
        data = statement_pdf(i, pages=PAGES)
        uploads[upload(place, case, f"statement {i}.pdf", data, "pdf")] = data
    engine = make_engine(place.url)
    with (tmp_path / "first-worker.log").open("wb") as log:  # a file: no pipe to drain
        first = subprocess.Popen(
            _worker(place), env=_env(place), stdout=log, stderr=log, start_new_session=True
        )
    try:
        begun = _begun(engine, timeout=90)
        os.kill(first.pid, signal.SIGKILL)  # the worker only: its pool dies with it
        first.wait(timeout=30)
        _finish_after_the_kill(place, engine, uploads, begun, tmp_path)
    finally:
        with contextlib.suppress(ProcessLookupError):  # never leave a stray behind
            os.killpg(first.pid, signal.SIGKILL)
        engine.dispose()
    assert first.returncode == -signal.SIGKILL


def _finish_after_the_kill(
    place: Place,
    engine: Engine,
    uploads: dict[UUID, bytes],
    begun: list[ProcessingClaimRow],
    tmp_path: Path,
) -> None:
    """Start a second worker; check that everything was done once and verifies."""
    interrupted = {row.document_id for row in begun}
    done_before = {c.derived_from for c in _copies(engine)}
    assert interrupted - done_before, "the first worker finished before it was killed"
    assert len(done_before) < UPLOADS

    second = subprocess.run(
        _worker(place, "--until-idle"),
        env=_env(place),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    for document_id in interrupted - done_before:  # the dead worker's uploads, taken over
        assert str(document_id) in second.stdout

    copies = _copies(engine)
    per_upload = Counter((c.derived_from, c.audience) for c in copies)
    assert per_upload == {(document_id, "cps"): 1 for document_id in uploads}

    cps = audience_registry().get("cps")
    engine_detect = DetectionEngine(recognizer_registry())
    victims: defaultdict[str, set[str]] = defaultdict(set)
    with engine.connect() as connection:
        for copy in copies:
            assert copy.derived_from is not None
            index = list(uploads).index(copy.derived_from)
            original = _document(uploads[copy.derived_from], tmp_path, f"in-{index}.pdf")
            data = place.blobs.path_of(copy.sha256).read_bytes()
            findings = engine_detect.detect(original.text)
            book = PlaceholderBook()
            book.add_findings([findings], cps)
            plan = plan_redactions(document=original, findings=findings, audience=cps, book=book)
            verify_pdf(data, plan)  # re-read: no removed value in text, objects or pixels
            text = _document(data, tmp_path, f"out-{index}.pdf").text
            assert VICTIMS[index % len(VICTIMS)] not in text
            assert PHONES[index % len(PHONES)] not in text
            victim = re.search(r"Statement of (\[PERSON \d+\])\s*, who", text)
            assert victim is not None, text[:300]
            victims[VICTIMS[index % len(VICTIMS)]].add(victim.group(1))
            logged = list(
                connection.execute(
                    select(CopyRedactionRow).where(CopyRedactionRow.document_id == copy.id)
                )
            )
            assert len(logged) == len(log_rows(plan))
            spans = Counter((row.page, row.start, row.end) for row in logged)
            assert max(spans.values()) == 1  # no log row written twice
        # Numbered per case, whichever worker made the copy: one victim, one placeholder.
        assert all(len(shown) == 1 for shown in victims.values()), victims
        assert len(set.union(*victims.values())) == len(victims)
        claims = list(connection.execute(select(ProcessingClaimRow)))
        assert {c.status for c in claims} == {"done"}
        assert all(c.owner is None for c in claims)
        audited = Counter(
            connection.execute(
                select(AuditEntryRow.target).where(AuditEntryRow.action == "document.redact")
            ).scalars()
        )
        assert audited == {str(c.id): 1 for c in copies}
    with Session(engine) as session:
        assert verify_chain(session=session).intact
