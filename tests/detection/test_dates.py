"""Dates of birth (only with birth words) and ages (the number alone)."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.dates import AgeRecognizer, DateOfBirthRecognizer
from tests.detection.conftest import found

DOBS = [
    ("DOB: 12/03/1987", ["12/03/1987"]),
    ("D.O.B. 12.03.1987", ["12.03.1987"]),
    ("Date of birth: 1-3-87", ["1-3-87"]),
    ("born on 12 March 1987", ["12 March 1987"]),
    ("born on the 12th of March 1987", ["12th of March 1987"]),
    ("date of birth March 12, 1987", ["March 12, 1987"]),
    ("My date of birth is 3 Sept 2001.", ["3 Sept 2001"]),
    # near-misses: dates without birth words, impossible dates, times, years
    ("on 12/03/2023 at 12:30", []),
    ("Saturday 14 June 2024", []),
    ("DOB: 31/02/1987", []),
    ("DOB: 12/13/1987", []),
    ("born in 1987", []),
    ("born on 12:30", []),
]


@pytest.mark.parametrize(("text", "expected"), DOBS)
def test_date_of_birth(text: str, expected: list[str]) -> None:
    assert found(DateOfBirthRecognizer(), text) == expected


AGES = [
    ("a man aged 34 from Leeds", ["34"]),
    ("Age: 34", ["34"]),
    ("Age if under 18: 15", ["15"]),
    ("she is 34 years old", ["34"]),
    ("a 34-year-old woman", ["34"]),
    ("a 7 year old boy", ["7"]),
    ("at the age of 16", ["16"]),
    ("Jane Doe (34), of Leeds", ["34"]),
    ("CALLER: I'm 34.", ["34"]),
    ("I am 36\r\nyears old and", ["36"]),  # a PDF line break
    ("The victim, Terry WILLIAMS (55), and", ["55"]),
    # police style: forename, surname in capitals, age in brackets, whatever follows
    ("Terry WILLIAMS (55) was arrested.", ["55"]),
    ("I saw Mary-Jane O'NEILL (17).", ["17"]),
    ("Suspect: Ali AL-SAYED (41)\n", ["41"]),
    ("the suspect, Kalina KOWALÓWKA (43), were", ["43"]),
    ("Olivija ŽUKAUSKAS (29) said", ["29"]),
    # near-misses
    ("See Section (2) of the Act.", []),
    ("Schedule 1 (2) applies", []),
    ("Tel: (01632) 960 123", []),
    ("PART TWO (2)", []),
    ("Exhibit JS (2)", []),
    ("Terry WILLIAMS (55a)", []),
    ("page 34", []),
    ("stage 3", []),
    ("section 39(1)", []),
    ("paragraph (34) of", []),
    ("34 years ago", []),
    ("in 1987", []),
    ("I'm 5 minutes away", []),
]


@pytest.mark.parametrize(("text", "expected"), AGES)
def test_age(text: str, expected: list[str]) -> None:
    assert found(AgeRecognizer(), text) == expected
