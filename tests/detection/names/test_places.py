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
    # an employer after 'works at' up to ' as ', commas and 'and' included
    (
        "She works at Taylor, Johnston and Abbott as a Engineer.",
        ["Taylor, Johnston and Abbott"],
    ),
    ("I work as a data processor at Page-Moore.", ["Page-Moore"]),
    ("Place of work: Page-Moore", ["Page-Moore"]),
    # banks, hospitals and GP surgeries by their last word
    ("STATEMENT OF ACCOUNT\nAlbion Savings Bank\nAccount holder", ["Albion Savings Bank"]),
    ("paid from Kestrel Bank plc on Monday", ["Kestrel Bank plc"]),
    ("She was seen at Cardiff General Infirmary.", ["Cardiff General Infirmary"]),
    ("Registered GP: Beech Medical Practice", ["Beech Medical Practice"]),
    # a person named before 'of' stays out of the firm's span
    ("requests solicitor Bethan Flahive of Parker PLC.", ["Parker PLC"]),
    ("My daughter goes to Park Academy and", ["Park Academy"]),
    ("I work as a Tree\r\nsurgeon at Miller-Bennett.", ["Miller-Bennett"]),
    ("to protect the victim at home and at Miller-Bennett.", ["Miller-Bennett"]),
    ("I looked at Miller and Bennett.", []),
    ("requests solicitor Olivija Žukauskas of Archer-Howell.", ["Archer-Howell"]),
    # near-misses: forces and the CPS identify nobody; a list after a title is people
    ("Information shared with South Wales Police today.", []),
    ("I emailed the file to the Crown Prosecution Service.", []),
    ("I spoke to Mr Smith, Jones and Brown.", []),
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
    # towns, and counties
    ("He was taken to custody in Bridgend.", ["Bridgend"]),
    ("She moved to Swansea from Pontypridd.", ["Swansea", "Pontypridd"]),
    # pubs: 'the' + a pub word, or a common pub name after a place word
    ("I saw him outside the Kings Arms.", ["the Kings Arms"]),
    ("We drank in the Rose and Crown.", ["the Rose and Crown"]),
    ("He was at the Station Hotel until late.", ["the Station Hotel"]),
    ("maybe the New Inn, I think", ["the New Inn"]),
    ("I have seen the car outside the Crown before.", ["the Crown"]),
    ("near the Wheatsheaf on Friday", ["the Wheatsheaf"]),
    # open spaces
    ("They argued in Meadow Playing Fields.", ["Meadow Playing Fields"]),
    ("towards Station Recreation Ground", ["Station Recreation Ground"]),
    # streets without a house number
    ("The car was parked on Station Terrace.", ["Station Terrace"]),
    ("He lives near Granby Drive.", ["Granby Drive"]),
    ("I ran to Woodland Mount.", ["Woodland Mount"]),
    # near-misses: a house number makes it an address; courts; the force; a field label;
    # a name that is also a town needs a place word; capitals in a sentence are a surname
    ("He lives at 12 Granby Drive.", []),
    ("The case went to Cardiff Crown Court.", ["Cardiff"]),
    ("I emailed the file to the Crown Prosecution Service.", []),
    ("Information shared with South Wales Police.", []),
    ("Statement taken by: DC 155 Philip DAVIES    Station: Cardiff", ["Cardiff"]),
    ("Barry SMITH was arrested.", []),
    ("I saw Mandy HILL in the shop.", []),
    ("The number plate was AB12 CDE.", []),
]


@pytest.mark.parametrize(("text", "expected"), PLACE_CASES)
def test_locations(text: str, expected: list[str]) -> None:
    assert [f.text for f in PLACES.find(text)] == expected


def test_a_place_inside_an_organisation_is_not_a_place_of_its_own() -> None:
    text = "She was seen at Cardiff General Infirmary."
    assert PLACES.find(text) == []
    assert [f.text for f in ORGS.find(text)] == ["Cardiff General Infirmary"]
