"""Placeholders are numbered per case and audience, across uploads, remakes and re-runs.

On SQLite and PostgreSQL: two uploads of one case give a person the same placeholder for an
audience (and each audience its own numbering), another case starts at 1, a new person gets
the next number, a remake keeps the numbers (as a job, and in the reviewer's transaction), a
job run again finds its numbers in the register, and two workers numbering one case at once
give each value one number (the deterministic race on both databases; real ``casework
worker`` processes on PostgreSQL).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casework.documents import ReadOptions
from casework.domain.labels import Label
from casework.jobs.numbering import CopyOf, RegisterAccess, numbered
from casework.jobs.review import audiences, remake_copies
from casework.jobs.worker import Worker, WorkerConfig
from casework.redaction import PlaceholderBook
from casework.redaction.review import Verdict, occurrences
from casework.store import make_engine, upgrade_database
from casework.store.document_models import CaseDocumentRow
from casework.store.engine import for_writing
from casework.store.models import CaseRow
from casework.store.placeholders import StoredRegister, load_register, save_register
from casework.store.processing import upload_of
from casework.store.remake import remake_job, request_remake
from casework.store.review import StoredDecision, copy_log, record_decision
from casework.store.security_models import AuditEntryRow
from tests.db import drop_postgres_database, fresh_postgres_database
from tests.jobs.conftest import Place, open_case, upload

OPTIONS = ReadOptions(ocr=False)
FIRST = (
    "PC Sam TAYLOR attended.\n"
    "Statement of Jane SMITH, 12 Park Road, Leeds LS1 4AP.\n"
    "Call Jane SMITH on 07700 900123.\n"
    "Her neighbour Priya PATEL saw it.\n"
)
SECOND = (
    "Priya PATEL called on 07700 900456.\n"
    "Jane SMITH was at home in LS1 4AP.\n"
    "Megan HUGHES drove past; her brother was with her.\n"
)
NAMES = ("Sam TAYLOR", "Jane SMITH", "Priya PATEL", "Megan HUGHES")


def _work(place: Place, audiences: str = "cps,public") -> None:
    config = WorkerConfig.from_settings(
        place.settings(process_audiences=audiences), processes=1, poll_seconds=0.1, in_process=True
    )
    Worker(replace(config, engine="local", options=OPTIONS)).run(until_idle=True)


def _shown(place: Place, upload_id: UUID, audience: str, text: str) -> dict[str, set[str]]:
    """What each removed value of the upload reads as in its ``audience`` copy (from its log)."""
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            copy_id = session.scalars(
                select(CaseDocumentRow.id).where(
                    CaseDocumentRow.derived_from == upload_id, CaseDocumentRow.audience == audience
                )
            ).one()
            shown: dict[str, set[str]] = defaultdict(set)
            for entry in copy_log(session=session, copy_id=copy_id):
                shown[text[entry.start : entry.end]].add(entry.placeholder)
            return dict(shown)
    finally:
        engine.dispose()


def _register(place: Place, case_id: UUID, audience: str) -> StoredRegister:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            return load_register(session=session, case_id=case_id, audience=audience)
    finally:
        engine.dispose()


def test_uploads_of_one_case_share_placeholders_per_audience_and_another_case_starts_again(
    place: Place, caplog: pytest.LogCaptureFixture
) -> None:
    case = open_case(place.url)
    first = upload(place, case, "first.txt", FIRST.encode(), "text")
    second = upload(place, case, "second.txt", SECOND.encode(), "text")
    other_case = open_case(place.url)
    elsewhere = upload(place, other_case, "second.txt", SECOND.encode(), "text")
    with caplog.at_level(logging.DEBUG):
        _work(place)

    assert _shown(place, first, "cps", FIRST)["Jane SMITH"] == {"[PERSON 1]"}
    assert _shown(place, second, "cps", SECOND) == {
        "Priya PATEL": {"[PERSON 2]"},  # as in the first upload
        "07700 900456": {"[PHONE 2]"},  # a new number: the next one
        "Jane SMITH": {"[PERSON 1]"},
        "LS1 4AP": {"[POSTCODE 1]"},
        "Megan HUGHES": {"[PERSON 3]"},  # a new person: the next number
    }
    # The public copy also removes the officer, who comes first: a numbering of its own.
    assert _shown(place, first, "public", FIRST)["Sam TAYLOR"] == {"[PERSON 1]"}
    public = _shown(place, second, "public", SECOND)
    assert public["Jane SMITH"] == {"[PERSON 2]"}
    assert public["Priya PATEL"] == {"[PERSON 3]"}
    assert public["Megan HUGHES"] == {"[PERSON 4]"}
    # Another case knows none of them: it starts at 1, in its own reading order.
    assert _shown(place, elsewhere, "cps", SECOND) == {
        "Priya PATEL": {"[PERSON 1]"},
        "07700 900456": {"[PHONE 1]"},
        "Jane SMITH": {"[PERSON 2]"},
        "LS1 4AP": {"[POSTCODE 1]"},
        "Megan HUGHES": {"[PERSON 3]"},
    }
    register = _register(place, case[0], "cps")
    assert register.version == 2  # one save per upload
    assert register.numbering.counters[Label.PERSON] == 3
    # The values are personal data: not in the logs, not in the audit trail.
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            details = [row.detail for row in session.scalars(select(AuditEntryRow))]
    finally:
        engine.dispose()
    for name in NAMES:
        for form in (name, name.lower()):
            assert form not in caplog.text
            assert not any(form in detail for detail in details)


def _decide_add(place: Place, upload_id: UUID, text: str, value: str, label: str) -> None:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            the_upload = upload_of(session=session, document_id=upload_id)
            for start, end in occurrences(text, value):
                record_decision(
                    session=session,
                    upload=the_upload,
                    decision=StoredDecision(
                        part=0,
                        start=start,
                        end=end,
                        label=label,
                        verdict=Verdict.ADD.value,
                        note="",
                        decided_by="reviewer",
                        decided_at=datetime.now(UTC),
                    ),
                )
    finally:
        engine.dispose()


def _ask_remake(place: Place, upload_id: UUID, audience: str) -> UUID:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            return request_remake(
                session=session,
                upload=upload_of(session=session, document_id=upload_id),
                audience=audience,
                requested_by="reviewer",
                requested_role="investigator",
                now=datetime.now(UTC),
            ).id
    finally:
        engine.dispose()


def _remake_status(place: Place, job_id: UUID) -> str:
    engine = make_engine(place.url)
    try:
        with Session(engine) as session:
            return remake_job(session=session, job_id=job_id).status
    finally:
        engine.dispose()


def test_a_remade_copy_keeps_the_numbers_and_a_name_added_in_review_gets_the_next(
    place: Place,
) -> None:
    case = open_case(place.url)
    first = upload(place, case, "first.txt", FIRST.encode(), "text")
    second = upload(place, case, "second.txt", SECOND.encode(), "text")
    _work(place, "cps")
    before = _shown(place, second, "cps", SECOND)
    assert "her brother" not in before  # nothing a recognizer takes

    _decide_add(place, second, SECOND, "her brother", Label.PERSON.value)
    job = _ask_remake(place, second, "cps")
    _work(place, "cps")  # the worker runs the remake job

    assert _remake_status(place, job) == "done"
    after = _shown(place, second, "cps", SECOND)
    assert after == {**before, "her brother": {"[PERSON 4]"}}
    version = _register(place, case[0], "cps").version

    again = _ask_remake(place, first, "cps")  # nothing new in it: the register is not written
    _work(place, "cps")
    assert _remake_status(place, again) == "done"
    assert _shown(place, first, "cps", FIRST)["Jane SMITH"] == {"[PERSON 1]"}
    assert _register(place, case[0], "cps").version == version


def test_a_copy_remade_while_the_reviewer_waits_numbers_in_the_request_transaction(
    place: Place,
) -> None:
    case = open_case(place.url)
    first = upload(place, case, "first.txt", FIRST.encode(), "text")
    upload(place, case, "second.txt", SECOND.encode(), "text")
    _work(place, "cps")
    _decide_add(place, first, FIRST, "neighbour", Label.PERSON.value)
    engine = make_engine(place.url)
    try:
        with Session(for_writing(engine)) as session, session.begin():
            remake_copies(
                session=session,
                blobs=place.blobs,
                document_id=first,
                audiences_wanted=[audiences().get("cps")],
                options=OPTIONS,
                made_by="reviewer",
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()
    shown = _shown(place, first, "cps", FIRST)
    assert shown["Jane SMITH"] == {"[PERSON 1]"} and shown["Priya PATEL"] == {"[PERSON 2]"}
    assert shown["neighbour"] == {"[PERSON 4]"}  # after Megan HUGHES of the second upload
    assert _register(place, case[0], "cps").version == 3


def test_a_job_run_again_finds_its_numbers_in_the_register(place: Place) -> None:
    case = open_case(place.url)
    first = upload(place, case, "first.txt", FIRST.encode(), "text")
    second = upload(place, case, "second.txt", SECOND.encode(), "text")
    _work(place, "cps")
    shown = _shown(place, second, "cps", SECOND)
    register = _register(place, case[0], "cps")
    engine = make_engine(place.url)
    try:  # as if the worker died after saving the numbers, before storing the copy
        with Session(engine) as session, session.begin():
            session.execute(
                delete(CaseDocumentRow).where(
                    CaseDocumentRow.derived_from == second, CaseDocumentRow.audience == "cps"
                )
            )
    finally:
        engine.dispose()

    _work(place, "cps")  # another delivery of the same job

    assert _shown(place, second, "cps", SECOND) == shown
    assert _shown(place, first, "cps", FIRST)["Jane SMITH"] == {"[PERSON 1]"}
    assert _register(place, case[0], "cps") == register  # nothing new: nothing saved


def test_a_register_only_grows_and_goes_with_its_case(place: Place) -> None:
    case_id, force, _reference = open_case(place.url)
    book = PlaceholderBook()
    book.placeholder(Label.PERSON, "Jane Smith")
    engine = make_engine(place.url)
    try:
        with Session(engine) as session, session.begin():
            empty = load_register(session=session, case_id=case_id, audience="cps")
            assert empty.version == 0

            def save(read: StoredRegister, book: PlaceholderBook) -> bool:
                return save_register(
                    session=session,
                    case_id=case_id,
                    force=force,
                    audience="cps",
                    read=read,
                    numbering=book.numbering(),
                    now=datetime.now(UTC),
                )

            assert save(empty, book)
            assert not save(empty, book)  # read before that save: refused
            saved = load_register(session=session, case_id=case_id, audience="cps")
            assert saved.version == 1 and saved.numbering == book.numbering()
            with pytest.raises(ValueError, match="only grows"):
                save(saved, PlaceholderBook())  # would take Jane Smith's number back
            assert load_register(session=session, case_id=case_id, audience="cps") == saved
        with Session(engine) as session, session.begin():
            session.execute(delete(CaseRow).where(CaseRow.id == case_id))
        with Session(engine) as session:
            assert load_register(session=session, case_id=case_id, audience="cps").version == 0
    finally:
        engine.dispose()


def test_two_workers_numbering_one_case_at_once_give_each_value_one_number(
    place: Place,
) -> None:
    """Both read the register before either saves: one saves, the other numbers again."""
    case_id, force, _reference = open_case(place.url)
    engine = make_engine(place.url)
    both_read = threading.Barrier(2, timeout=30)
    values = {"a": ("Jane Smith", "Priya Patel"), "b": ("Megan Hughes", "Priya Patel", "Smith")}
    plans: dict[str, int] = defaultdict(int)

    def work(worker: str) -> dict[str, str]:
        def plan(book: PlaceholderBook) -> dict[str, str]:
            plans[worker] += 1
            if plans[worker] == 1:
                both_read.wait()  # each has read the register (empty) and planned from it
            return {v: book.placeholder(Label.PERSON, v) for v in values[worker]}

        return numbered(
            access=RegisterAccess.on_engine(engine),
            copy=CopyOf(case_id, force, "cps"),
            plan=plan,
        )

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            a, b = pool.map(work, ["a", "b"])
        with Session(engine) as session:
            register = load_register(session=session, case_id=case_id, audience="cps")
    finally:
        engine.dispose()
    assert sorted(plans.values()) == [1, 2]  # the loser planned again, holding the register
    assert a["Priya Patel"] == b["Priya Patel"]
    assert a["Jane Smith"] == b["Smith"]  # a bare surname joins the other worker's person
    people = {**a, **b}
    assert sorted({people["Jane Smith"], people["Priya Patel"], people["Megan Hughes"]}) == [
        "[PERSON 1]",
        "[PERSON 2]",
        "[PERSON 3]",
    ]
    assert register.version == 2
    given = {key: n for (_label, key), n in register.numbering.aliases.items()}
    for value, placeholder in people.items():
        assert f"[PERSON {given[' '.join(value.lower().split())]}]" == placeholder


@pytest.fixture
def pg_place(postgres_admin_url: str, tmp_path: Path) -> Iterator[Place]:
    name, url = fresh_postgres_database(postgres_admin_url)
    try:
        upgrade_database(url)
        yield Place(url, tmp_path / "home")
    finally:
        drop_postgres_database(name)


PEOPLE = ("Jane SMITH", "Priya PATEL", "Megan HUGHES", "Grace OKAFOR", "Olivia BROWN")


@pytest.mark.postgres
def test_two_worker_processes_on_postgresql_give_each_person_one_number(pg_place: Place) -> None:
    case = open_case(pg_place.url)
    texts = {
        upload(pg_place, case, f"note {i}.txt", text.encode(), "text"): text
        for i in range(6)
        for text in [
            f"Statement of {PEOPLE[i % 5]}.\n"
            f"{PEOPLE[(i + 1) % 5]} and {PEOPLE[(i + 2) % 5]} were there too.\n"
        ]
    }
    env = {
        **os.environ,
        **pg_place.env(
            CASEWORK_JOB_LEASE_SECONDS="30",
            CASEWORK_WORKERS="1",
            CASEWORK_PROCESS_AUDIENCES="public",
        ),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "casework", "worker", "--poll", "0.2", "--until-idle"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    numbers: dict[str, set[str]] = defaultdict(set)
    for upload_id, text in texts.items():
        for value, shown in _shown(pg_place, upload_id, "public", text).items():
            numbers[value] |= shown
    assert set(numbers) == set(PEOPLE)
    assert all(len(shown) == 1 for shown in numbers.values()), numbers  # one number each
    given = [next(iter(shown)) for shown in numbers.values()]
    assert sorted(given) == [f"[PERSON {n}]" for n in range(1, 6)]  # and no two share one
    assert _register(pg_place, case[0], "public").numbering.counters[Label.PERSON] == 5
