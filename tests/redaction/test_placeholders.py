from __future__ import annotations

import pickle

import pytest

from casework.domain.labels import Label, PartyRole
from casework.redaction import Audience, PlaceholderBook, plan_redactions, value_key
from tests.redaction.conftest import findings_for, text_document


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("John Smith", "SMITH, John"),
        ("John Smith", "john  smith"),
        ("John Smith", "Mr John Smith"),
        ("Siobhan O'Brien", "OBRIEN, Siobhan"),
    ],
)
def test_person_spellings_share_a_key(a: str, b: str) -> None:
    assert value_key(Label.PERSON, a) == value_key(Label.PERSON, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("07700 900123", "+44 7700 900123"),
        ("07700900123", "+44 (0)7700-900-123"),
        ("07700 900123", "0044 7700 900 123"),
    ],
)
def test_phone_spellings_share_a_key(a: str, b: str) -> None:
    assert value_key(Label.PHONE, a) == value_key(Label.PHONE, b)


def test_bare_surname_joins_the_only_person_it_can_mean() -> None:
    book = PlaceholderBook()
    assert book.placeholder(Label.PERSON, "John Smith") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "Mary Jones") == "[PERSON 2]"
    assert book.placeholder(Label.PERSON, "Smith") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "J. Smith") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "SMITH, John") == "[PERSON 1]"


def test_ambiguous_surname_is_not_merged_nor_given_a_phantom_number() -> None:
    book = PlaceholderBook()
    book.placeholder(Label.PERSON, "John Smith")
    book.placeholder(Label.PERSON, "Anne Smith")
    assert book.placeholder(Label.PERSON, "Smith") == "[PERSON]"
    assert book.placeholder(Label.PERSON, "J. Smith") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "Mary Jones") == "[PERSON 3]"  # no number was used


def test_a_bare_surname_follows_the_detectors_link() -> None:
    book = PlaceholderBook()
    book.placeholder(Label.PERSON, "Jane Doe")
    book.placeholder(Label.PERSON, "John Doe")
    book.placeholder(Label.PERSON, "Janet Doe")
    reason = "mention of 'John Doe' found earlier in the text"
    assert book.placeholder(Label.PERSON, "Doe", reason=reason) == "[PERSON 2]"
    later = "mention of 'Jane DOE' found earlier in the text"
    assert book.placeholder(Label.PERSON, "Doe", reason=later) == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "Doe") == "[PERSON]"  # no link: not guessed


def test_labels_are_numbered_separately() -> None:
    book = PlaceholderBook()
    assert book.placeholder(Label.PHONE, "07700 900123") == "[PHONE 1]"
    assert book.placeholder(Label.PERSON, "John Smith") == "[PERSON 1]"
    assert book.placeholder(Label.PHONE, "+447700900123") == "[PHONE 1]"
    assert book.lookup(Label.PHONE, "07700 900999") is None


def test_placeholders_consistent_across_documents(public: Audience) -> None:
    first = text_document("Statement of John Smith, 07700 900123. Mary Jones saw it.", "a.txt")
    second = text_document("SMITH, John called from +44 7700 900123; Smith was calm.", "b.txt")
    specs = [
        ("John Smith", Label.PERSON, PartyRole.VICTIM),
        ("Mary Jones", Label.PERSON, PartyRole.WITNESS),
        ("SMITH, John", Label.PERSON, None),
        ("Smith", Label.PERSON, None),
        ("07700 900123", Label.PHONE, None),
        ("+44 7700 900123", Label.PHONE, None),
    ]
    bundle = [(d, findings_for(d, specs)) for d in (first, second)]
    book = PlaceholderBook()
    book.add_bundle(bundle, public)
    book = pickle.loads(pickle.dumps(book))  # it travels to worker processes
    texts = []
    for document, findings in reversed(bundle):  # workers may finish in any order
        plan = plan_redactions(document=document, findings=findings, audience=public, book=book)
        texts.append({(document.text[r.start : r.end], r.placeholder) for r in plan.redactions})
    second_pairs, first_pairs = texts
    assert ("John Smith", "[PERSON 1]") in first_pairs
    assert ("Mary Jones", "[PERSON 2]") in first_pairs
    assert ("07700 900123", "[PHONE 1]") in first_pairs
    assert ("SMITH, John", "[PERSON 1]") in second_pairs
    assert ("+44 7700 900123", "[PHONE 1]") in second_pairs
    assert ("Smith", "[PERSON 1]") in second_pairs


def test_invisible_characters_do_not_make_a_new_person() -> None:
    book = PlaceholderBook()
    assert book.placeholder(Label.PERSON, "Jane Doe") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "Ja\u200bne D\u00adoe") == "[PERSON 1]"
    assert book.placeholder(Label.PERSON, "Jane\u00a0Doe") == "[PERSON 1]"


def test_a_book_goes_on_from_the_numbers_an_earlier_book_gave() -> None:
    first = PlaceholderBook()
    assert first.placeholder(Label.PERSON, "John Smith") == "[PERSON 1]"
    assert first.placeholder(Label.PERSON, "Mary Jones") == "[PERSON 2]"
    assert first.placeholder(Label.PHONE, "07700 900123") == "[PHONE 1]"
    later = PlaceholderBook.from_numbering(first.numbering())
    assert later.placeholder(Label.PERSON, "Ann Lee") == "[PERSON 3]"  # new: the next number
    assert later.placeholder(Label.PERSON, "SMITH, John") == "[PERSON 1]"
    assert later.placeholder(Label.PERSON, "Smith") == "[PERSON 1]"  # bare surname joins him
    assert later.placeholder(Label.PHONE, "+44 7700 900123") == "[PHONE 1]"
    assert later.placeholder(Label.PHONE, "07700 900456") == "[PHONE 2]"
    assert later.numbering().keeps(first.numbering())
    assert not first.numbering().keeps(later.numbering())
    seen = {"ann lee", "smith, john", "smith", "+44 7700 900123", "07700 900456"}
    assert later.surfaces().keys() == seen  # spellings stay the book's own: numbers carry over


def test_a_bare_surname_numbered_first_becomes_the_full_name_in_a_later_book() -> None:
    first = PlaceholderBook()
    assert first.placeholder(Label.PERSON, "Smith") == "[PERSON 1]"
    later = PlaceholderBook.from_numbering(first.numbering())
    assert later.placeholder(Label.PERSON, "John Smith") == "[PERSON 1]"
    again = PlaceholderBook.from_numbering(later.numbering())
    assert again.placeholder(Label.PERSON, "J. Smith") == "[PERSON 1]"
    assert again.placeholder(Label.PERSON, "Anne Smith") == "[PERSON 2]"
    last = PlaceholderBook.from_numbering(again.numbering())
    assert last.placeholder(Label.PERSON, "A. Smith") == "[PERSON 2]"
    assert last.placeholder(Label.PERSON, "Smith") == "[PERSON 1]"  # numbered before: kept
