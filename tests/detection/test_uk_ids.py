"""NI, NHS, PNC, CRO, passport and driving licence numbers, near-misses included."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.uk_ids import (
    CroNumberRecognizer,
    NhsNumberRecognizer,
    PncIdRecognizer,
    UkDrivingLicenceRecognizer,
    UkNiNumberRecognizer,
    UkPassportRecognizer,
)
from tests.detection.conftest import found

NI = [
    ("NI number AB 12 34 56 C.", ["AB 12 34 56 C"]),
    ("JT482193D", ["JT482193D"]),
    ("ZX 123456 A", ["ZX 123456 A"]),
    # near-misses: prefixes never issued, bad letters, bad suffix
    ("BG123456A", []),
    ("GB 12 34 56 A", []),
    ("NK123456A", []),
    ("TN123456A", []),
    ("ZZ123456A", []),
    ("DA123456A", []),  # D never first
    ("AO123456A", []),  # O never second
    ("QQ123456A", []),
    ("AB123456E", []),  # suffix only A-D
    ("AB1234567", []),
]


@pytest.mark.parametrize(("text", "expected"), NI)
def test_ni_number(text: str, expected: list[str]) -> None:
    assert found(UkNiNumberRecognizer(), text) == expected


def test_ni_reason() -> None:
    (finding,) = UkNiNumberRecognizer().find("AB 12 34 56 C")
    assert finding.reason.startswith("NI number with a valid prefix")


NHS = [
    ("NHS number: 943 476 5919", ["943 476 5919"]),
    ("943-476-5919", ["943-476-5919"]),
    ("nhs no 9434765919", ["9434765919"]),
    # near-misses
    ("943 476 5918", []),  # check digit wrong
    ("9434765919", []),  # unspaced without NHS words
    ("111 111 1111", []),
]


@pytest.mark.parametrize(("text", "expected"), NHS)
def test_nhs_number(text: str, expected: list[str]) -> None:
    assert found(NhsNumberRecognizer(), text) == expected


PNC = [
    ("PNC ID: 09/123456A", ["09/123456A"]),
    ("2009/0123456X", ["2009/0123456X"]),
    # near-misses
    ("ref 09/12A", []),
    ("on 09/12/2023", []),
    ("exhibit JS/1", []),
]


@pytest.mark.parametrize(("text", "expected"), PNC)
def test_pnc_id(text: str, expected: list[str]) -> None:
    assert found(PncIdRecognizer(), text) == expected


def test_pnc_check_letter_gives_full_confidence() -> None:
    (right,) = PncIdRecognizer().find("09/123456C")  # 090123456 mod 23 = 2 -> C
    (wrong,) = PncIdRecognizer().find("09/123456A")
    assert right.score == 1.0
    assert wrong.score < 1.0


CRO = [
    ("CRO number: 123456/09A", ["123456/09A"]),
    ("SF 12345/99K", ["SF 12345/99K"]),
    # near-misses
    ("12/03/09", []),
    ("1234567/09A", []),
    ("section 39/1", []),
]


@pytest.mark.parametrize(("text", "expected"), CRO)
def test_cro_number(text: str, expected: list[str]) -> None:
    assert found(CroNumberRecognizer(), text) == expected


PASSPORTS = [
    ("passport 123456789", ["123456789"]),
    ("Passport number: AB1234567", ["AB1234567"]),
    # near-misses: the same shapes without passport words
    ("reference 123456789", []),
    ("AB1234567", []),
]


@pytest.mark.parametrize(("text", "expected"), PASSPORTS)
def test_passport(text: str, expected: list[str]) -> None:
    assert found(UkPassportRecognizer(), text) == expected


LICENCES = [
    ("licence MORGA753116SM9IJ", ["MORGA753116SM9IJ"]),
    ("MORGA 753116 SM9IJ", ["MORGA 753116 SM9IJ"]),
    ("LI999 862014 J99AB", ["LI999 862014 J99AB"]),  # woman born June, short surname
    ("MORGA753116SM92C", ["MORGA753116SM92C"]),
    # near-misses
    ("MORGA713116SM9IJ", []),  # month 13
    ("MORGA753366SM9IJ", []),  # day 36
    ("M9RGA753116SM9IJ", []),  # letter after padding
    ("MORGA753116S9MIJ", []),  # initials padding first
]


@pytest.mark.parametrize(("text", "expected"), LICENCES)
def test_driving_licence(text: str, expected: list[str]) -> None:
    assert found(UkDrivingLicenceRecognizer(), text) == expected
