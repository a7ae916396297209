"""Missing-person cases: grading and reviews, the append-only logs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from casework.domain.missing import (
    DecisionKind,
    HypothesisStatus,
    MediaAppeal,
    MissingStatus,
    NewMissingCase,
)
from casework.errors import Conflict, InvalidInput, NotFound
from casework.safeguarding import missing
from casework.store import SqlCaseStore
from casework.store.missing_models import AppendOnlyError, MissingDecisionRow
from casework.store.missing_repository import SqlMissingRepository
from tests.db import NOW, db_engine, db_url, postgres_admin_url, postgres_url, sqlite_url, store

__all__ = ["db_engine", "db_url", "postgres_admin_url", "postgres_url", "sqlite_url", "store"]


def _new(force: str = "WY") -> NewMissingCase:
    return NewMissingCase(
        force=force,
        name="Chloe PARKER-Demo",
        last_seen_at=NOW - timedelta(hours=5),
        last_seen_place="Bus station, Leeds",
        reported_at=NOW - timedelta(hours=1),
        home_address="4 Elm Road, Leeds LS6 2AB",
        phone="07700 900456",
    )


@pytest.fixture
def repo(store: SqlCaseStore) -> SqlMissingRepository:
    return SqlMissingRepository(store.session)


def _opened(repo: SqlMissingRepository, grade: str | None = "medium") -> str:
    case = missing.open_case(
        repo=repo,
        new=_new(),
        actor="Sgt Sam PATEL",
        now=NOW,
        grade=grade,
        rationale="14, not missing before; phone off" if grade else "",
    )
    return case.reference


def test_risk_table_default_scheme_is_the_current_app_labels() -> None:
    scheme = missing.risk_scheme()
    assert [g.id for g in scheme.grades] == ["very_low", "low", "medium", "high"]
    assert missing.risk_scheme("app-2016").grades[0].label == "No apparent risk (absent)"
    with pytest.raises(InvalidInput, match="scheme: 'nope' is unknown"):
        missing.risk_scheme("nope")


def test_a_broken_risk_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "risk.json"
    path.write_text('{"version": "x", "default_scheme": "a", "review_source": "", "schemes": {}}')
    with pytest.raises(InvalidInput, match=r"risk.json: default_scheme 'a' is not a scheme"):
        missing.load_risk_table(path)


def test_open_with_a_grade_sets_the_review_deadline_and_logs_the_decision(
    repo: SqlMissingRepository,
) -> None:
    reference = _opened(repo)
    assert reference == "WY-MP-2026-000001"
    file = missing.case_file(repo=repo, reference=reference, now=NOW + timedelta(hours=1))
    assert file.case.grade == "medium"
    assert file.case.review_due == NOW + timedelta(hours=6)
    assert file.clock.words == "due in 5 h 00 min"
    assert [d.kind for d in file.decisions] == [DecisionKind.RISK]
    assert file.decisions[0].number == 1
    assert "Risk graded Medium risk" in file.decisions[0].decision
    late = missing.case_file(repo=repo, reference=reference, now=NOW + timedelta(hours=7))
    assert late.clock.overdue and late.clock.words == "overdue by 1 h 00 min"


def test_regrading_and_review(repo: SqlMissingRepository) -> None:
    reference = _opened(repo)
    later = NOW + timedelta(hours=2)
    missing.grade_risk(
        repo=repo,
        reference=reference,
        grade="HIGH",
        rationale="seen with older men",
        actor="Insp A",
        now=later,
    )
    missing.grade_risk(
        repo=repo,
        reference=reference,
        grade="high",
        rationale="no change",
        actor="Insp A",
        now=later,
    )
    file = missing.case_file(repo=repo, reference=reference, now=later)
    assert [d.kind for d in file.decisions] == [
        DecisionKind.RISK,
        DecisionKind.RISK,
        DecisionKind.REVIEW,
    ]
    assert "(was Medium risk)" in file.decisions[1].decision
    assert file.case.review_due == later + timedelta(hours=2)
    assert [g.number for g in file.gradings] == [1, 2, 3]


def test_unknown_grade_and_missing_rationale_are_refused_and_store_nothing(
    repo: SqlMissingRepository,
) -> None:
    reference = _opened(repo, grade=None)
    with pytest.raises(InvalidInput, match="'severe' is not a grade of app-current"):
        missing.grade_risk(
            repo=repo, reference=reference, grade="severe", rationale="x", actor="A", now=NOW
        )
    with pytest.raises(InvalidInput, match="rationale: must not be blank"):
        missing.grade_risk(
            repo=repo, reference=reference, grade="low", rationale=" ", actor="A", now=NOW
        )
    file = missing.case_file(repo=repo, reference=reference, now=NOW)
    assert file.decisions == [] and file.gradings == [] and file.case.grade is None


def test_decision_log_numbers_and_times(repo: SqlMissingRepository) -> None:
    reference = _opened(repo)
    made = NOW - timedelta(minutes=30)
    entry = missing.record_decision(
        repo=repo,
        reference=reference,
        decision="Request cell-site data for the phone",
        rationale="last known contact by phone",
        decided_by="DI Jo KAUR",
        decided_at=made,
        entered_by="PC Logist",
        now=NOW,
    )
    assert (entry.number, entry.decided_at, entry.entered_at) == (2, made, NOW)
    with pytest.raises(InvalidInput, match=r"decided_at: .* is in the future"):
        missing.record_decision(
            repo=repo,
            reference=reference,
            decision="x",
            rationale="y",
            decided_by="DI",
            decided_at=NOW + timedelta(hours=1),
            entered_by="PC",
            now=NOW,
        )


def test_a_decision_entry_cannot_be_edited_or_removed_through_the_orm(
    repo: SqlMissingRepository, store: SqlCaseStore
) -> None:
    _opened(repo)
    row = store.session.query(MissingDecisionRow).one()
    row.rationale = "rewritten"
    with pytest.raises(AppendOnlyError, match="append-only"):
        store.session.flush()
    store.session.rollback()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE missing_decisions SET rationale = 'rewritten'",
        "DELETE FROM missing_decisions",
        "UPDATE missing_searches SET result = 'nothing'",
    ],
)
def test_the_database_refuses_to_edit_a_log(
    repo: SqlMissingRepository, store: SqlCaseStore, sql: str
) -> None:
    reference = _opened(repo)
    missing.record_search(
        repo=repo,
        reference=reference,
        place="Home address, loft",
        method="house search",
        result="not found",
        searched_at=NOW,
        searched_by="PC Lee",
        actor="PC Lee",
        now=NOW,
    )
    with pytest.raises(DatabaseError, match="append-only"), store.session.begin_nested():
        store.session.execute(text(sql))
    case_id = repo.get(reference=reference).id  # type: ignore[union-attr]
    assert repo.decisions(case_id=case_id)[0].rationale == "14, not missing before; phone off"


def test_hypotheses_media_handover_and_found(repo: SqlMissingRepository) -> None:
    reference = _opened(repo)
    hypothesis = missing.raise_hypothesis(
        repo=repo,
        reference=reference,
        text="With an older 'boyfriend' in Bradford",
        actor="DS A",
        now=NOW,
    )
    missing.settle_hypothesis(
        repo=repo,
        reference=reference,
        number=hypothesis.number,
        status=HypothesisStatus.SUPPORTED,
        rationale="ANPR: car seen in Bradford",
        actor="DS A",
        now=NOW,
    )
    with pytest.raises(NotFound, match="no hypothesis 9"):
        missing.settle_hypothesis(
            repo=repo,
            reference=reference,
            number=9,
            status=HypothesisStatus.ELIMINATED,
            rationale="x",
            actor="A",
            now=NOW,
        )
    missing.set_media_strategy(
        repo=repo,
        reference=reference,
        appeal=MediaAppeal.APPROVED,
        channels=("force website", "social media"),
        family_consent=True,
        rationale="high risk, family agree",
        actor="Insp A",
        now=NOW,
    )
    handover = missing.hand_over(
        repo=repo,
        reference=reference,
        to_officer="Sgt Night",
        summary="CCTV requested",
        outstanding="chase ANPR",
        actor="Sgt Day",
        now=NOW,
    )
    assert handover.grade == "medium"
    found_at = NOW + timedelta(hours=3)
    closed = missing.mark_found(
        repo=repo,
        reference=reference,
        found_at=found_at,
        rationale="safe and well check done",
        actor="Insp A",
        now=found_at,
    )
    assert closed.status is MissingStatus.FOUND and closed.review_due is None
    file = missing.case_file(repo=repo, reference=reference, now=found_at)
    assert [d.kind for d in file.decisions] == [
        DecisionKind.RISK,
        DecisionKind.HYPOTHESIS,
        DecisionKind.MEDIA,
        DecisionKind.CLOSURE,
    ]
    assert file.hypotheses[0].status is HypothesisStatus.SUPPORTED
    assert file.media_strategy is not None and file.media_strategy.family_consent is True
    assert file.clock.words == "no review due"
    with pytest.raises(Conflict, match="closed"):
        missing.grade_risk(
            repo=repo, reference=reference, grade="low", rationale="x", actor="A", now=found_at
        )
    assert missing.list_cases(repo=repo, force="WY") == []
    assert len(missing.list_cases(repo=repo, force="WY", status=None)) == 1


def test_another_forces_case_is_not_found(repo: SqlMissingRepository) -> None:
    reference = _opened(repo)
    with pytest.raises(NotFound, match=f"no missing-person case {reference}"):
        missing.case_file(repo=repo, reference=reference, now=NOW, force="GMP")


def test_demo_episodes_load_once_and_link_in_the_network(repo: SqlMissingRepository) -> None:
    from casework.safeguarding.linkage import EntityKind, Mention
    from casework.safeguarding.missing_demo import load_missing_demo
    from casework.safeguarding.network import network_for

    first = load_missing_demo(repo=repo, force="WY", now=NOW)
    again = load_missing_demo(repo=repo, force="WY", now=NOW)
    assert (len(first.added), len(again.added), again.skipped) == (4, 0, 4)
    cases = missing.list_cases(repo=repo, force="WY", status=None)
    overdue = [c for c in cases if c.review_due is not None and c.review_due < NOW]
    assert [c.name for c in overdue] == ["Mia NOWAK-Demo"]
    mentions = [
        Mention(
            f"{c.reference}/p",
            EntityKind.PERSON,
            c.name,
            c.reference,
            date_of_birth=c.date_of_birth,
        )
        for c in cases
    ] + [
        Mention(f"{c.reference}/a", EntityKind.ADDRESS, c.home_address, c.reference) for c in cases
    ]
    across = network_for(mentions).across_cases()
    assert {n.label.casefold() for n in across.nodes if n.across_cases} == {
        "chloe parker-demo",
        "oak house 12 station road leeds ls11 5qt",
    }
