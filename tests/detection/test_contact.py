"""Phones and emails: (text, expected spans), near-misses included."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.contact import EmailRecognizer, UkPhoneRecognizer
from tests.detection.conftest import found

PHONES = [
    ("call 07700 900123 now", ["07700 900123"]),
    ("07700900123", ["07700900123"]),
    ("mob: 07700-900-123.", ["07700-900-123"]),
    ("+44 7700 900123", ["+44 7700 900123"]),
    ("+447700900123", ["+447700900123"]),
    ("0044 7700 900 123", ["0044 7700 900 123"]),
    ("+44 (0)7700 900 123", ["+44 (0)7700 900 123"]),
    ("tel (01632) 960 123", ["(01632) 960 123"]),
    ("0161 496 0000", ["0161 496 0000"]),
    ("020 7946 0123", ["020 7946 0123"]),
    ("+44 20 7946 0123", ["+44 20 7946 0123"]),
    ("029 2018 0456 or 0113 496 0789", ["029 2018 0456", "0113 496 0789"]),
    # near-misses
    ("at 12:30 on 01/02/2020", []),
    ("in 1987 and 2023", []),
    ("page 3 of 12", []),
    ("ref 0770090", []),  # too short for a mobile
    ("07700 900123456", []),  # too long
    ("(01632 960 123", []),  # unbalanced bracket
    ("0000 000 0000", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone(text: str, expected: list[str]) -> None:
    assert found(UkPhoneRecognizer(), text) == expected


def test_phone_reason_names_the_prefix() -> None:
    (finding,) = UkPhoneRecognizer().find("+44 7700 900123")
    assert finding.reason.startswith("UK mobile number, +44 7 prefix")


EMAILS = [
    ("email jane.doe@example.co.uk today", ["jane.doe@example.co.uk"]),
    ("<j_smith+police@example.org>", ["j_smith+police@example.org"]),
    ("Jane.Doe99@Example.COM.", ["Jane.Doe99@Example.COM"]),
    # near-misses
    ("meet @ the pub", []),
    ("jane@localhost", []),
    ("jane..doe@example.com", []),
    ("price 5@3.50", []),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_email(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected
