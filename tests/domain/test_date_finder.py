"""The date finder: UK-style dates with the time written beside them, and near-misses."""

from __future__ import annotations

from datetime import date, time

import pytest

from casework.domain.date_finder import find_date_mentions
from casework.domain.timeline import parse_date_text

FOUND = [
    ("He came round on 14/02/2026.", "14/02/2026", date(2026, 2, 14), None),
    ("On 14.2.26 he phoned", "14.2.26", date(2026, 2, 14), None),
    ("on 2026-02-14T21:30 he", "2026-02-14T21:30", date(2026, 2, 14), time(21, 30)),
    (
        "On Saturday 14th February 2026 at about 21:30 he came",
        "Saturday 14th February 2026 at about 21:30",
        date(2026, 2, 14),
        time(21, 30),
    ),
    ("At 11pm on 20/02/2026 he", "At 11pm on 20/02/2026", date(2026, 2, 20), time(23, 0)),
    (
        "at around 9.30pm on Friday the 6th of March 2026,",
        "at around 9.30pm on Friday the 6th of March 2026",
        date(2026, 3, 6),
        time(21, 30),
    ),
    ("On 21 Feb 2026, 0715 hrs he", "21 Feb 2026, 0715 hrs", date(2026, 2, 21), time(7, 15)),
    ("February 21st, 2026 he", "February 21st, 2026", date(2026, 2, 21), None),
    ("on 21 Sept 2025 14 people", "21 Sept 2025", date(2025, 9, 21), None),
]


@pytest.mark.parametrize(("text", "written", "day", "clock"), FOUND)
def test_dates_found_with_their_time(
    text: str, written: str, day: date, clock: time | None
) -> None:
    (mention,) = find_date_mentions(text)
    assert mention.text == written
    assert text[mention.start : mention.end] == written
    assert parse_date_text(mention.text) == (day, clock)


@pytest.mark.parametrize(
    "text",
    [
        "born on 1 May 1985",
        "date of birth: 03/04/1990",
        "DOB 03/04/1990",
        "version 1.2.3 released",
        "IP 192.168.10.12",
        "call 07700 900123",
        "in 2026 he moved",
        "February 2026 was cold",
        "14/02 at 9pm",
        "case WY-2026-000123",
    ],
)
def test_near_misses_are_not_dates(text: str) -> None:
    assert find_date_mentions(text) == []


def test_an_impossible_date_is_found_and_left_for_the_reader_to_refuse() -> None:
    (mention,) = find_date_mentions("On 31/02/2026 he")
    with pytest.raises(ValueError, match="not a real date"):
        parse_date_text(mention.text)


def test_the_snippet_is_the_sentence_across_line_breaks() -> None:
    text = "Header.\nOn 14/02/2026 he came to\n12 Acacia Avenue and left. Then nothing."
    (mention,) = find_date_mentions(text)
    assert mention.snippet == "On 14/02/2026 he came to 12 Acacia Avenue and left."


def test_a_date_after_a_date_of_birth_is_kept() -> None:
    found = find_date_mentions("Jane SMITH (DOB 03/04/1990) says on 14/02/2026 he came.")
    assert [m.text for m in found] == ["14/02/2026"]
