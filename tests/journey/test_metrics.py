"""Journey metrics: percentile maths, rates, attrition, breakdowns, JSON and rows."""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.errors import InvalidInput
from casework.journey.metrics import (
    ROW_HEADER,
    CaseRecord,
    DurationStats,
    compute_metrics,
    percentile,
)

day_counts = st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=200)


@given(day_counts)
def test_median_within_min_and_max(values: list[int]) -> None:
    stats = DurationStats.of(values)
    assert stats.median_days is not None and stats.p90_days is not None
    assert min(values) <= stats.median_days <= max(values)
    assert stats.median_days <= stats.p90_days <= max(values)


@given(day_counts)
def test_median_matches_statistics(values: list[int]) -> None:
    assert percentile(values, 0.5) == pytest.approx(statistics.median(values))


@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=2, max_size=200))
def test_p90_matches_inclusive_quantiles(values: list[int]) -> None:
    expected = statistics.quantiles(values, n=10, method="inclusive")[8]
    assert percentile(values, 0.9) == pytest.approx(expected)


@given(day_counts, st.randoms())
def test_order_does_not_matter(values: list[int], rnd: random.Random) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert percentile(shuffled, 0.9) == percentile(values, 0.9)


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([5], 5, 5),
        ([1, 2], 1.5, 1.9),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9.1),
        ([10, 0, 20], 10, 18),
    ],
)
def test_percentile_table(values: list[int], median: float, p90: float) -> None:
    assert percentile(values, 0.5) == pytest.approx(median)
    assert percentile(values, 0.9) == pytest.approx(p90)


@pytest.mark.parametrize(("values", "q"), [([], 0.5), ([1], 1.5), ([1], -0.1)])
def test_percentile_refuses(values: list[int], q: float) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def test_no_durations() -> None:
    assert DurationStats.of([]) == DurationStats(0, None, None)


R = date(2025, 1, 10)


def record(
    reference: str,
    *,
    force: str = "XY",
    offences: tuple[str, ...] = ("common_assault",),
    reported: date = R,
    charge_after: int | None = None,
    outcome: str | None = None,
    outcome_after: int | None = None,
    withdrew_at: str | None = None,
) -> CaseRecord:
    return CaseRecord(
        reference=reference,
        force=force,
        offences=offences,
        reported_on=reported,
        charged_on=reported + timedelta(days=charge_after) if charge_after is not None else None,
        outcome=outcome,
        outcome_on=reported + timedelta(days=outcome_after) if outcome_after is not None else None,
        withdrawal_stage=withdrew_at,
    )


RECORDS = [
    record("XY-1", charge_after=10, outcome="convicted", outcome_after=100),
    record("XY-2", charge_after=30, outcome="acquitted", outcome_after=200),
    record("XY-3", withdrew_at="investigating", outcome="no_further_action", outcome_after=40),
    record(
        "AB-1",
        force="AB",
        offences=("coercive_control", "abh"),
        reported=date(2025, 2, 3),
        charge_after=50,
        withdrew_at="charged",
    ),
    record("AB-2", force="AB", offences=("abh", "abh"), reported=date(2025, 2, 20)),
]


def test_overall_metrics() -> None:
    overall = compute_metrics(RECORDS).overall
    assert overall.cases == 5
    assert overall.charged == 3 and overall.charge_rate == pytest.approx(0.6)
    assert overall.withdrawals == 2 and overall.withdrawal_rate == pytest.approx(0.4)
    assert overall.withdrawals_by_stage == {"charged": 1, "investigating": 1}
    assert overall.report_to_charge == DurationStats(3, 30, 46)
    assert overall.report_to_outcome == DurationStats(3, 100, 180)
    assert overall.outcomes == {
        "acquitted": 1,
        "convicted": 1,
        "no_further_action": 1,
        "pending": 2,
    }


def test_breakdowns() -> None:
    metrics = compute_metrics(RECORDS)
    assert list(metrics.by_force) == ["AB", "XY"]
    assert metrics.by_force["AB"].cases == 2 and metrics.by_force["XY"].charged == 2
    assert list(metrics.by_month) == ["2025-01", "2025-02"]
    assert metrics.by_month["2025-02"].withdrawals_by_stage == {"charged": 1}
    assert metrics.by_offence["abh"].cases == 2  # AB-2's duplicate offence counts once
    assert metrics.by_offence["coercive_control"].charge_rate == 1.0
    assert metrics.by_offence["common_assault"].outcomes["convicted"] == 1


def test_empty() -> None:
    metrics = compute_metrics([])
    assert metrics.overall.cases == 0
    assert metrics.overall.charge_rate is None and metrics.overall.withdrawal_rate is None
    assert metrics.by_force == {}
    json.loads(metrics.to_json())


def test_json_round_trip() -> None:
    data = json.loads(compute_metrics(RECORDS).to_json())
    assert data["overall"]["charge_rate"] == 0.6
    assert data["overall"]["report_to_charge"] == {"count": 3, "median_days": 30, "p90_days": 46}
    assert data["by_force"]["AB"]["withdrawals_by_stage"] == {"charged": 1}
    assert set(data) == {"overall", "by_offence", "by_force", "by_month"}


def test_rows_are_csv_ready() -> None:
    rows = compute_metrics(RECORDS).rows()
    assert all(len(row) == len(ROW_HEADER) for row in rows)
    assert ("all", "all", "charge_rate", 0.6) in rows
    assert ("force", "XY", "withdrawal_stage:investigating", 1) in rows
    assert ("month", "2025-01", "outcome:convicted", 1) in rows
    assert ("offence", "abh", "report_to_outcome_median_days", None) in rows
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROW_HEADER)
    writer.writerows(rows)
    parsed = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert parsed[0] == list(ROW_HEADER) and len(parsed) == len(rows) + 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"charged_on": date(2025, 1, 9)}, "XY-9: charged_on 2025-01-09 is before reported_on"),
        ({"outcome": "convicted"}, "outcome and outcome_on go together"),
        ({"outcome_on": date(2025, 3, 1)}, "outcome and outcome_on go together"),
        ({"outcome": " ", "outcome_on": date(2025, 3, 1)}, "outcome is empty"),
        ({"withdrawal_stage": ""}, "withdrawal_stage is empty"),
        ({"force": ""}, "force is required"),
        ({"reference": " "}, "reference is required"),
    ],
)
def test_bad_records(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "reference": "XY-9",
        "force": "XY",
        "offences": ("abh",),
        "reported_on": R,
    }
    with pytest.raises(InvalidInput, match=message):
        CaseRecord(**(base | kwargs))  # type: ignore[arg-type]


def test_duplicate_reference_refused() -> None:
    with pytest.raises(InvalidInput, match="XY-1 appears more than once"):
        compute_metrics([RECORDS[0], RECORDS[0]])
