"""Cards, IBANs and UK bank details: (text, expected spans), near-misses included."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.finance import (
    CardRecognizer,
    IbanRecognizer,
    UkBankAccountRecognizer,
)
from tests.detection.conftest import found

CARDS = [
    ("card 4111 1111 1111 1111 used", ["4111 1111 1111 1111"]),
    ("4111111111111111", ["4111111111111111"]),
    ("5500-0000-0000-0004", ["5500-0000-0000-0004"]),
    ("amex 3782 822463 10005", ["3782 822463 10005"]),
    # near-misses
    ("4111 1111 1111 1112", []),  # Luhn fails
    ("41 1111 1111 111 111", []),  # odd grouping
    ("0000 0000 0000 0000", []),
    ("ref 2023/4111111111111111", []),
]


@pytest.mark.parametrize(("text", "expected"), CARDS)
def test_card(text: str, expected: list[str]) -> None:
    assert found(CardRecognizer(), text) == expected


def test_card_reason() -> None:
    (finding,) = CardRecognizer().find("4111 1111 1111 1111")
    assert finding.reason == "card number passing the Luhn check"
    assert finding.score == 1.0


IBANS = [
    ("IBAN: GB82 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"]),
    ("GB82WEST12345698765432.", ["GB82WEST12345698765432"]),
    ("DE89 3704 0044 0532 0130 00", ["DE89 3704 0044 0532 0130 00"]),
    # near-misses
    ("GB83 WEST 1234 5698 7654 32", []),  # mod-97 fails
    ("GB82 WEST 1234 5698 7654", []),  # too short for GB
    ("AB12 CDE", []),
]


@pytest.mark.parametrize(("text", "expected"), IBANS)
def test_iban(text: str, expected: list[str]) -> None:
    assert found(IbanRecognizer(), text) == expected


BANK = [
    ("Sort code: 20-45-77    Account number: 12345678", ["20-45-77", "12345678"]),
    ("paid from 20-45-77 12345678", ["20-45-77", "12345678"]),
    ("her bank sort code is 20 45 77", ["20 45 77"]),
    ("account no. 41234567", ["41234567"]),
    # near-misses: no bank words, dates, times, references
    ("on 12-03-87 at 12:30", []),
    ("statement 20230045 page 3", []),
    ("12345678", []),
]


@pytest.mark.parametrize(("text", "expected"), BANK)
def test_bank(text: str, expected: list[str]) -> None:
    assert found(UkBankAccountRecognizer(), text) == expected
