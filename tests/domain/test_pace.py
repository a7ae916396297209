"""PACE detention clock: limits from the relevant time, reviews, clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework.domain.rules import (
    DetentionClock,
    RuleInputError,
    detention_clock,
    load_offence_catalogue,
    load_pace_rules,
)

LONDON = ZoneInfo("Europe/London")


def clock(code: str, relevant: datetime, authorised: datetime | None = None) -> DetentionClock:
    return detention_clock(
        relevant,
        load_offence_catalogue().get(code),
        rules=load_pace_rules(),
        detention_authorised=authorised,
    )


def test_indictable_offence_limits() -> None:
    relevant = datetime(2026, 2, 10, 14, 0, tzinfo=LONDON)
    result = clock("abh", relevant)
    assert result.limit.due_at == datetime(2026, 2, 11, 14, 0, tzinfo=LONDON)
    assert result.limit.rule_id == "pace_s41_24h"
    assert result.superintendent_limit is not None
    assert result.superintendent_limit.due_at == datetime(2026, 2, 12, 2, 0, tzinfo=LONDON)
    assert result.warrant_limit is not None
    assert result.warrant_limit.due_at == datetime(2026, 2, 14, 14, 0, tzinfo=LONDON)


def test_summary_only_offence_has_no_extension() -> None:
    result = clock("common_assault", datetime(2026, 2, 10, 14, 0, tzinfo=LONDON))
    assert result.superintendent_limit is None
    assert result.warrant_limit is None
    # reviews at +6h, +15h; +24h is the limit itself
    assert [r.due_at.hour for r in result.reviews] == [20, 5]


def test_reviews_from_authorisation_every_nine_hours() -> None:
    relevant = datetime(2026, 2, 10, 14, 0, tzinfo=LONDON)
    authorised = relevant + timedelta(minutes=30)
    result = clock("rape", relevant, authorised)
    gaps = [b.due_at - a.due_at for a, b in zip(result.reviews, result.reviews[1:], strict=False)]
    assert result.reviews[0].due_at == authorised + timedelta(hours=6)
    assert set(gaps) == {timedelta(hours=9)}
    assert result.warrant_limit is not None
    assert result.reviews[-1].due_at < result.warrant_limit.due_at


def test_hours_are_elapsed_across_the_clock_change() -> None:
    # Clocks go forward at 01:00 UTC on 29 March 2026: 24 hours later reads 13:00 BST.
    relevant = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    result = clock("battery", relevant)
    assert result.limit.due_at.astimezone(UTC) - relevant.astimezone(UTC) == timedelta(hours=24)
    assert (result.limit.due_at.hour, result.limit.due_at.day) == (13, 29)


def test_naive_time_refused() -> None:
    with pytest.raises(RuleInputError, match="no time zone"):
        clock("abh", datetime(2026, 2, 10, 14, 0))
