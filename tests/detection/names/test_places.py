"""Table tests for OrganisationRecognizer and LocationRecognizer."""

from __future__ import annotations

import pytest

from casework.detection.names import LocationRecognizer, OrganisationRecognizer

ORGS = OrganisationRecognizer()
PLACES = LocationRecognizer()

ORG_CASES = [
    ("She is a pupil at Oakfield Primary School.", ["Oakfield Primary School"]),
    ("He works at Tesco in Barnsley.", ["Tesco"]),
    ("employed by Acme Widgets Ltd since 2019", ["Acme Widgets Ltd"]),
    ("Police attended and the Crown Court was told.", []),
    ("He went to the shop.", []),
]


@pytest.mark.parametrize(("text", "expected"), ORG_CASES)
def test_organisations(text: str, expected: list[str]) -> None:
    assert [f.text for f in ORGS.find(text)] == expected


PLACE_CASES = [
    ("I was outside the Red Lion pub in Barnsley.", ["the Red Lion pub", "Barnsley"]),
    ("We met at Hillside Park near Milton Keynes.", ["Hillside Park", "Milton Keynes"]),
    ("He moved from Leeds to Cardiff.", ["Leeds", "Cardiff"]),
    ("Mark the date.", []),
    ("John Smith was there on Monday.", []),
]


@pytest.mark.parametrize(("text", "expected"), PLACE_CASES)
def test_locations(text: str, expected: list[str]) -> None:
    assert [f.text for f in PLACES.find(text)] == expected
