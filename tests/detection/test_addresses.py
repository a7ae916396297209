"""Postcodes (structure checked) and street addresses, near-misses included."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.addresses import UkAddressRecognizer, UkPostcodeRecognizer
from tests.detection.conftest import found

POSTCODES = [
    ("Leeds LS6 2AB", ["LS6 2AB"]),
    ("SW1A 1AA", ["SW1A 1AA"]),
    ("sw1a1aa", ["sw1a1aa"]),
    ("EC1V 9HX", ["EC1V 9HX"]),
    ("W1A 0AX", ["W1A 0AX"]),
    ("M1 1AE", ["M1 1AE"]),
    ("B33 8TH", ["B33 8TH"]),
    ("CR2 6XH", ["CR2 6XH"]),
    ("DN55 1PT", ["DN55 1PT"]),
    ("GIR 0AA", ["GIR 0AA"]),
    ("(WA9 1AB)", ["WA9 1AB"]),
    # near-misses
    ("QV1 1AA", []),  # Q and V never first
    ("XA1 1AA", []),
    ("AJ1 1AA", []),  # J never second
    ("LS6 2CB", []),  # C never in the inward code
    ("W1L 1AA", []),  # L not a valid third-position letter
    ("EC1Z 1AA", []),  # Z not a valid fourth-position letter
    ("ZZ99 ZZZ", []),
    ("LS62AB9", []),
    ("PC 1234", []),
]


@pytest.mark.parametrize(("text", "expected"), POSTCODES)
def test_postcode(text: str, expected: list[str]) -> None:
    assert found(UkPostcodeRecognizer(), text) == expected


ADDRESSES = [
    ("lives at 14 Acacia Avenue.", ["14 Acacia Avenue"]),
    ("Flat 3, 27 High Street, Barnsley", ["Flat 3, 27 High Street, Barnsley"]),
    ("12 Station Road, Leeds LS6 2AB", ["12 Station Road, Leeds LS6 2AB"]),
    ("Flat 3, 12 Station Road, St Helens WA9 1AB.", ["Flat 3, 12 Station Road, St Helens WA9 1AB"]),
    ("Apartment 2B Kings Court", ["Apartment 2B Kings Court"]),
    ("14 St John's Road, Stoke-on-Trent", ["14 St John's Road, Stoke-on-Trent"]),
    ("5 Oak Lane, Leeds on Monday", ["5 Oak Lane, Leeds"]),
    ("22a Cavendish Mount", ["22a Cavendish Mount"]),
    # near-misses
    ("section 3 Road Traffic Act", []),
    ("the Acacia Avenue group", []),
    ("14 acacia avenue", []),
    ("on 12 March", []),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_address(text: str, expected: list[str]) -> None:
    assert found(UkAddressRecognizer(), text) == expected
