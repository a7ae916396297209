"""Returns stored and rolled up on SQLite and PostgreSQL: the Op Sceptre figures, versions,
all-or-nothing files, the previous week, the line register and the quality report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.domain.operations_returns import Channel
from casework.errors import PermissionDenied
from casework.operations import lines as line_service
from casework.operations import service
from casework.operations.demo import SCEPTRE_2023_11, sceptre_returns
from casework.operations.quality import Kind, quality_report
from casework.operations.returns import RawReturn, ReturnRejected
from casework.operations.summary import summary_html, summary_pdf
from casework.store import SqlCaseStore
from casework.store.operations_repository import SqlOperationsRepository

NOW = datetime(2023, 11, 21, 9, 0, tzinfo=UTC)


def _submit(repo: SqlOperationsRepository, raws: list[RawReturn], name: str = "sceptre-2023-11"):  # type: ignore[no-untyped-def]
    op = service.operation_named(repo=repo, name=name)
    return service.submit(
        repo=repo,
        operation=op,
        raws=raws,
        channel=Channel.CSV,
        source="test.csv",
        submitted_by="analyst",
        now=NOW,
        may_submit=lambda _f: True,
    )


def test_43_returns_reproduce_the_published_op_sceptre_figures(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    op = service.operation_named(repo=repo, name="sceptre-2023-11")
    assert len(_submit(repo, sceptre_returns(op))) == 43
    result = service.rollup(repo=repo, operation=op)
    for key, value in SCEPTRE_2023_11.items():
        assert result.total(key) == value, key
    assert round(result.rate("test_purchase_failure_rate") * 100) == 16  # type: ignore[operator]
    assert result.missing == [] and len(result.returns) == 43
    assert sum(v.get("arrests", 0) for v in result.by_region.values()) == 1625
    dp = result.by_force["DP"]["arrests"]
    assert result.per_100k("arrests", "DP") == dp / 515_905 * 100_000  # Census 2021 base
    national = result.per_100k("arrests")
    assert national == 1625 / sum(f.population for f in result.forces.values()) * 100_000
    assert result.as_dict()["population"]["by_force"]["DP"] == {
        "people": 515_905,
        "source": "census-2021",
    }
    assert "13,272" in summary_html(result, generated=NOW)
    assert summary_pdf(result, generated=NOW).startswith(b"%PDF")


def test_a_resubmission_is_a_new_version_and_the_old_is_kept(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    first = _submit(repo, [RawReturn(force="WY", values={"arrests": 10})])[0]
    second = _submit(repo, [RawReturn(force="WY", values={"arrests": 12})])[0]
    assert (first.stored.version, second.stored.version) == (1, 2)
    assert second.replaced is not None and second.changed == {"arrests": (10.0, 12.0)}
    history = repo.history("sceptre-2023-11", "WY")
    assert [(r.version, r.current, r.values["arrests"]) for r in history] == [
        (1, False, 10.0),
        (2, True, 12.0),
    ]
    op = service.operation_named(repo=repo, name="sceptre-2023-11")
    assert service.rollup(repo=repo, operation=op).total("arrests") == 12
    waiting = [s.force.code for s in service.status(repo=repo, operation=op) if s.current is None]
    assert len(waiting) == 42 and "WY" not in waiting


def test_a_file_with_one_bad_row_stores_nothing(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    good = RawReturn(force="WY", values={"arrests": 3})
    bad = RawReturn(force="GMP", values={"arrests": -1}, where={"arrests": "row 3, column arrests"})
    with pytest.raises(ReturnRejected) as error:
        _submit(repo, [good, bad])
    assert "row 3, column arrests: -1 is negative" in str(error.value)
    assert repo.current_returns("sceptre-2023-11") == []


def test_a_force_user_submits_only_for_their_force(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    op = service.operation_named(repo=repo, name="sceptre-2023-11")
    with pytest.raises(PermissionDenied):
        service.submit(
            repo=repo,
            operation=op,
            raws=[RawReturn(force="GMP", values={"arrests": 1})],
            channel=Channel.API,
            source="api",
            submitted_by="analyst",
            now=NOW,
            may_submit=lambda f: f.code == "WY",
        )


PREVIOUS = """schema: casework.operation/1
name: sceptre-2023-05
title: Operation Sceptre, May 2023 (test)
series: sceptre
starts: 2023-05-15
ends: 2023-05-21
measures:
  - {key: arrests, label: Arrests, type: count, unit: arrests, definition: Arrests in the week.}
"""


def test_changes_since_the_previous_week_of_action(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    service.define(repo=repo, text=PREVIOUS, source="may.yaml", by="coordinator", now=NOW)
    later = PREVIOUS.replace("2023-05", "2023-06").replace("May 2023", "June 2023")
    later += "previous: sceptre-2023-05\n"
    later = later.replace("2023-06-15", "2023-06-12").replace("2023-06-21", "2023-06-18")
    service.define(repo=repo, text=later, source="june.yaml", by="coordinator", now=NOW)
    _submit(repo, [RawReturn(force="WY", values={"arrests": 10})], name="sceptre-2023-05")
    _submit(repo, [RawReturn(force="WY", values={"arrests": 15})], name="sceptre-2023-06")
    op = service.operation_named(repo=repo, name="sceptre-2023-06")
    change = service.rollup(repo=repo, operation=op).change("arrests")
    assert change is not None and change.difference == 5 and change.percent == 50
    may = service.operation_named(repo=repo, name="sceptre-2023-05")
    series = service.rollup_series(repo=repo, operations=[op, may])
    assert series["sceptre-2023-06"].as_dict() == service.rollup(repo=repo, operation=op).as_dict()
    assert series["sceptre-2023-06"].previous is series["sceptre-2023-05"]


def test_line_register_closures_are_checked_against_returns(store: SqlCaseStore) -> None:
    repo = SqlOperationsRepository(store.session)
    for number in ("07700 900001", "+447700900002"):
        line_service.record_line(
            repo=repo,
            number=number,
            force="WY",
            status="closed",
            closed_on=date(2023, 10, 10),
            people=("Kai RIVERS-Demo",),
            places=("Leeds",),
            by="analyst",
            now=NOW,
        )
    line = repo.line("07700900002")
    assert line is not None and line.people == ("Kai RIVERS-Demo",) and line.force == "WY"
    _submit(repo, [RawReturn(force="WY", values={"lines_closed": 3})], name="county-lines-2023")
    op = service.operation_named(repo=repo, name="county-lines-2023")
    closures = line_service.closures_during(repo.lines(), op)
    assert closures["WY"] == 2
    report = quality_report(service.rollup(repo=repo, operation=op), register_closures=closures)
    inconsistent = [f for f in report.findings if f.kind is Kind.INCONSISTENT]
    assert len(inconsistent) == 1 and "register has 2" in inconsistent[0].detail
    assert report.count(Kind.MISSING) >= 42
