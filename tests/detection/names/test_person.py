"""Table tests for PersonNameRecognizer: names found, roles, and near-misses left alone."""

from __future__ import annotations

import pytest

from casework.detection.base import Recognizer
from casework.detection.names import PersonNameRecognizer, default_name_recognizers
from casework.domain.labels import Label, PartyRole

RECOGNIZER = PersonNameRecognizer()


def people(text: str) -> list[str]:
    return [f.text for f in RECOGNIZER.find(text)]


FOUND = [
    ("I saw John SMITH outside the shop.", ["John SMITH"]),
    ("SMITH, John was arrested at 10:00.", ["SMITH, John"]),
    ("Mr J. SMITH denied the offence.", ["J. SMITH"]),
    ("The victim Jane O'NEILL called 999.", ["Jane O'NEILL"]),
    ("I know Mohammed AL-SAYED from work.", ["Mohammed AL-SAYED"]),
    ("Statement of Aoife Byrne, aged over 18.", ["Aoife Byrne"]),
    ("Yesterday Priya Patel met Wojciech at the bus stop.", ["Priya Patel", "Wojciech"]),
    ("Mrs Okafor opened the door.", ["Okafor"]),
    ("Dr Chen examined the injury.", ["Chen"]),
    ("hi jane, are you ok", ["jane"]),
    ("my ex kyle is outside again", ["kyle"]),
    ("The suspect Will Smith fled on foot.", ["Will Smith"]),
    ("I spoke to Grace Adeyemi about it.", ["Grace Adeyemi"]),
    # names joined by 'and' / '&', written the same way as the name found
    ("wow emma and kaite are so funny", ["emma", "kaite"]),
    ("Jay & Trish are coming round later", ["Jay", "Trish"]),
    # hashtag names: the tag is part of the span, camel case split for the gazetteer
    ("So sad about #AlanPardew today", ["#AlanPardew"]),
    # possessives look the name up without the 's
    ("I went round to Okafor's flat.", ["Okafor's"]),
    # a common word joined by 'and' to a name stays a word
    ("hi jane and thanks for the help", ["jane"]),
    # initial and ALL-CAPS surname, with or without a title, even on a line in capitals
    ("Account holder: Miss A. COOK", ["A. COOK"]),
    ("K. MILES was seen leaving.", ["K. MILES"]),
    ("I spoke to Ms C. BROWN about it.", ["C. BROWN"]),
    ("FASTER PAYMENT TO A. COOK  ref 054099", ["A. COOK"]),
    # a forename and an ALL-CAPS surname that is also a word or a place
    ("I have attached the statement of Mandy HILL and the CCTV.", ["Mandy HILL"]),
    ("I know Terry STREET from school.", ["Terry STREET"]),
    # a name found once is found again elsewhere in any case, possessive 's' or not
    ("abigail: have u seen what abigail put on", ["abigail", "abigail"]),
    ("Janet SHAW rang. later janet said she saw the car", ["Janet SHAW", "janet"]),
    ("mohamed: hi. terry: whats mohameds number", ["mohamed", "mohameds"]),
    ("hi jane. jane from the police rang", ["jane", "jane"]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_names_found(text: str, expected: list[str]) -> None:
    assert people(text) == expected


ROLES = [
    ("PC 1234 Smith attended the scene.", "Smith", PartyRole.OFFICER),
    ("DC Jones took the statement.", "Jones", PartyRole.OFFICER),
    ("DS Kowalski and Sgt Brown arrived.", "Kowalski", PartyRole.OFFICER),
    ("The victim, Jane Okafor, was upset.", "Jane Okafor", PartyRole.VICTIM),
    ("The IP Sarah JONES said nothing.", "Sarah JONES", PartyRole.VICTIM),
    ("The suspect Darren WHITE ran off.", "Darren WHITE", PartyRole.SUSPECT),
    ("The defendant Tomasz Nowak pleaded.", "Tomasz Nowak", PartyRole.SUSPECT),
    ("The witness Amina Hussain saw it.", "Amina Hussain", PartyRole.WITNESS),
]


@pytest.mark.parametrize(("text", "name", "role"), ROLES)
def test_roles(text: str, name: str, role: PartyRole) -> None:
    found = {f.text: f.role for f in RECOGNIZER.find(text)}
    assert found.get(name) == role


def test_later_mentions_inherit_the_role() -> None:
    text = "The victim Jane Okafor said the suspect Darren WHITE hit her. Later Okafor saw Darren."
    found = [(f.text, f.role, f.reason) for f in RECOGNIZER.find(text)]
    assert ("Okafor", PartyRole.VICTIM) in [(t, r) for t, r, _ in found]
    darren = [r for t, r, why in found if t == "Darren"]
    assert darren == [PartyRole.SUSPECT]
    assert any("found earlier" in why for t, _, why in found if t == "Okafor")


def test_findings_say_why_and_who() -> None:
    (finding,) = RECOGNIZER.find("DC Jones took the statement.")
    assert finding.label is Label.PERSON
    assert finding.recognizer == "PersonNameRecognizer"
    assert "DC" in finding.reason
    assert 0 < finding.score <= 1
    assert finding.text == "Jones"


NOT_NAMES = [
    "Mark the date in your diary.",
    "Will you come to the station?",
    "Police attended on Monday.",
    "The case is listed at Court in March.",
    "Grace said nothing.",
    "I hope you are well.",
    "He lives on Rose Street.",
    "She rang on Friday and again in August.",
    "STATEMENT OF WITNESS",
    "The CPS and the NHS were informed.",
    "Bill me later.",
    "Frank discussion followed.",
    # camel-case words that are not a forename and a name
    "We use PowerPoint and YouTube at work.",
    "Mark and sweep the floor.",
    # registration marks, abbreviations, organisations and places are not people
    "Vehicle AB12 CDE was seen.",
    "Registered GP: Beech Medical Practice",
    "I obtained CCTV from Taylor, Johnston and Abbott covering the road.",
    "They argued in Meadow Playing Fields.",
    "I conveyed him to custody in Cardiff CF4.",
    "I work as a Buyer at the shop.",
    "MOT: valid    Tax: taxed",
    "Account number: 26123993 IBAN: GB03QFGD52677326123993",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_near_misses_not_flagged(text: str) -> None:
    assert people(text) == []


def test_empty_and_spaces() -> None:
    assert RECOGNIZER.find("") == []
    assert RECOGNIZER.find("   \n ") == []


def test_spans_match_text() -> None:
    text = "On Tuesday John SMITH met DC Jones.\nSMITH, John was then interviewed."
    for f in RECOGNIZER.find(text):
        assert text[f.start : f.end] == f.text


def test_default_recognizers_follow_the_protocol() -> None:
    recognizers = default_name_recognizers()
    assert {r.NAME for r in recognizers} == {
        "PersonNameRecognizer",
        "OrganisationRecognizer",
        "LocationRecognizer",
    }
    for r in recognizers:
        assert isinstance(r, Recognizer)
        assert r.VERSION
        assert r.LABELS


def test_tagger_explains_in_words() -> None:
    for f in RECOGNIZER.find("You should react to it with Tanner later on."):
        assert "=" not in f.reason  # readable words, never raw feature strings
