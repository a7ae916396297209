"""Entity resolution across cases: normalisers, matching with evidence, the network."""

from __future__ import annotations

from datetime import date

import pytest

from casework.errors import InvalidInput, NotFound
from casework.safeguarding.linkage import EntityKind, Mention, resolve
from casework.safeguarding.linkage_normalise import (
    address_key,
    find_postcode,
    phone_key,
    postcode_key,
    vrm_key,
)
from casework.safeguarding.linkage_synthetic import generate, score
from casework.safeguarding.network import network_for

P, PH, V, A = EntityKind.PERSON, EntityKind.PHONE, EntityKind.VEHICLE, EntityKind.ADDRESS


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123",
        "+447700900123",
        "+44 7700 900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "(07700) 900 123",
        "07700-900-123",
    ],
)
def test_uk_phones_become_e164(text: str) -> None:
    assert phone_key(text) == ("+447700900123", "E.164")


@pytest.mark.parametrize("text", ["12345", "0770090012", "call me"])
def test_not_a_phone_keeps_digits_and_says_so(text: str) -> None:
    key, how = phone_key(text)
    assert key != "+447700900123"
    assert "not a possible phone number" in how


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("AB12 CDE", "AB12CDE"),
        ("ab12cde", "AB12CDE"),
        ("AB12-CDE", "AB12CDE"),
        ("A123 BCD", "A123BCD"),
    ],
)
def test_vrm_key(text: str, key: str) -> None:
    assert vrm_key(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ls14ab", "LS1 4AB"),
        ("LS1 4AB", "LS1 4AB"),
        ("m1 1ae", "M1 1AE"),
        ("XX", None),
        ("LS1 4CI", None),
    ],
)
def test_postcode_key(text: str, key: str | None) -> None:
    assert postcode_key(text) == key


def test_address_key_writes_out_abbreviations_and_drops_the_postcode() -> None:
    assert address_key("Flat 2, 12 High St., Leeds LS1 4AB") == "FLAT 2 12 HIGH STREET LEEDS"
    assert find_postcode("12 high rd, ls14ab") == "LS1 4AB"


def _one(entities: list, kind: EntityKind) -> list:  # type: ignore[type-arg]
    return [e for e in entities if e.kind is kind]


def test_the_issue_examples_resolve_with_evidence() -> None:
    mentions = [
        Mention("1", P, "Mohammed KHAN", "WY-2026-1", date_of_birth=date(1990, 3, 4)),
        Mention("2", P, "Muhammad Khan", "WY-2026-2", date_of_birth=date(1990, 3, 4)),
        Mention("3", PH, "07700 900123", "WY-2026-1"),
        Mention("4", PH, "+447700900123", "WY-2026-2"),
        Mention("5", V, "AB12 CDE", "WY-2026-1"),
        Mention("6", V, "AB12CDE", "WY-2026-2"),
    ]
    entities = resolve(mentions)
    assert len(entities) == 3
    for entity in entities:
        assert entity.cases == ("WY-2026-1", "WY-2026-2")
        assert len(entity.links) == 1
    person = _one(entities, P)[0]
    fields = {m.field: m.how for m in person.links[0].matches}
    assert fields["given name"] in {"known spelling variant", "same sound (Metaphone MHMT)"}
    assert fields["family name"] == "exact"
    assert fields["date of birth"] == "exact"
    assert "E.164" in _one(entities, PH)[0].links[0].reason


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (date(1990, 3, 4), date(1990, 4, 3)),
        (date(1990, 3, 4), date(1990, 3, 5)),
    ],
)
def test_dates_of_birth_written_wrong_still_link(a: date, b: date) -> None:
    entities = resolve(
        [
            Mention("1", P, "Jakub Nowak", "C1", date_of_birth=a),
            Mention("2", P, "NOWAK, Jakub", "C2", date_of_birth=b),
        ]
    )
    assert len(entities) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Jakub Nowak", date(1990, 3, 4)), ("Jakub Nowak", date(1985, 7, 9))),
        (("Jakub Nowak", date(1990, 3, 4)), ("Priya Nowak", date(1990, 3, 4))),
        (("Jakub Nowak", None), ("Jakub Nowack", None)),
        (("Sean Smith", date(1990, 3, 4)), ("Sean Jones", date(1990, 3, 4))),
    ],
)
def test_different_people_stay_apart(
    first: tuple[str, date | None], second: tuple[str, date | None]
) -> None:
    entities = resolve(
        [
            Mention("1", P, first[0], "C1", date_of_birth=first[1]),
            Mention("2", P, second[0], "C2", date_of_birth=second[1]),
        ]
    )
    assert len(entities) == 2


def test_no_date_of_birth_links_identical_names_and_says_so() -> None:
    entities = resolve(
        [Mention("1", P, "Jakub NOWAK", "C1"), Mention("2", P, "nowak, jakub", "C2")]
    )
    assert len(entities) == 1
    assert "identical names only" in entities[0].links[0].reason


def test_addresses_need_the_same_numbers() -> None:
    entities = resolve(
        [
            Mention("1", A, "Flat 2, 12 High St, Leeds LS1 4AB", "C1"),
            Mention("2", A, "flat 2 12 high street", "C2", postcode="ls14ab"),
            Mention("3", A, "Flat 3, 12 High Street, Leeds LS1 4AB", "C2"),
            Mention("4", A, "Flat 2, 12 High Street, Leeds LS1 4AD", "C3"),
        ]
    )
    groups = sorted(sorted(m.id for m in e.mentions) for e in entities)
    assert groups == [["1", "2"], ["3"], ["4"]]


def test_a_repeated_mention_id_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'1' given twice"):
        resolve([Mention("1", PH, "07700 900123", "C1"), Mention("1", PH, "07700 900124", "C1")])


def test_network_joins_entities_across_cases() -> None:
    network = network_for(
        [
            Mention("s1", P, "Mohammed Khan", "C1", role="suspect", date_of_birth=date(1990, 3, 4)),
            Mention("p1", PH, "07700 900123", "C1"),
            Mention("v2", P, "Jane Doe", "C2", role="victim"),
            Mention("p2", PH, "+44 7700 900123", "C2"),
            Mention("x3", V, "AB12 CDE", "C3"),
        ]
    )
    phone = network.node("phone:+447700900123")
    assert phone.across_cases and phone.cases == ("C1", "C2")
    pairs = {(e.source, e.target): e.cases for e in network.edges}
    assert pairs == {
        ("person:s1", "phone:+447700900123"): ("C1",),
        ("person:v2", "phone:+447700900123"): ("C2",),
    }
    around = network.around("person:s1", depth=2)
    assert {n.id for n in around.nodes} == {"person:s1", "phone:+447700900123", "person:v2"}
    assert {n.id for n in network.across_cases().nodes} == {
        "person:s1",
        "phone:+447700900123",
        "person:v2",
    }
    assert network.evidence("phone:+447700900123")[0].matches[0].field == "phone"
    assert network.as_json()["edges"][0]["weight"] == 1
    with pytest.raises(NotFound):
        network.node("phone:+440000")


def test_synthetic_small_instance_meets_the_targets() -> None:
    synthetic = generate(entities=40, seed=7)
    result = score(resolve(synthetic.mentions), synthetic.truth)
    assert result.true_pairs > 100
    assert result.precision >= 0.95
    assert result.recall >= 0.95


def test_generator_is_deterministic() -> None:
    assert generate(entities=5, seed=3) == generate(entities=5, seed=3)
