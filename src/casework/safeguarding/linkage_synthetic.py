"""Synthetic mentions with planted duplicates, to measure entity resolution (and test it).

Each true entity is mentioned in several cases, each time written in one of the ways
officers write it (spelling variants of a name, "SMITH, John", a transposed date of birth,
a phone with or without +44, a registration without its space, "St" for "Street"). The
true entity of each mention is kept, so precision and recall can be counted. All names are
from short synthetic lists; phones are Ofcom drama numbers; nothing is real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from casework.safeguarding.linkage import EntityKind, Mention, ResolvedEntity

_GIVEN: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad"),
    ("Stephen", "Steven"),
    ("Catherine", "Katherine", "Kathryn"),
    ("Aisha", "Ayesha"),
    ("Jon", "John"),
    ("Sean", "Shaun"),
    ("Zoë", "Zoe"),
    ("Jakub",),
    ("Oluwaseun", "Oluwaseyi"),
    ("Ioana",),
    ("Priya",),
    ("Kwame",),
    ("Siobhan", "Shivaun"),
    ("Yusuf", "Yousef", "Yusuff"),
    ("Amina", "Aminah"),
    ("Daniel",),
    ("Emily", "Emilie"),
    ("Hamza",),
    ("Chloe", "Chloé"),
    ("Tomasz",),
    ("Grace",),
    ("Liam",),
    ("Fatima", "Fatimah"),
    ("Harpreet",),
    ("Kieran", "Ciaran"),
    ("Leah", "Lea"),
    ("Ryan",),
    ("Sophie", "Sophia"),
    ("Bilal",),
    ("Mia",),
)
_FAMILY: tuple[tuple[str, ...], ...] = (
    ("Khan", "Kahn"),
    ("Hussain", "Hussein", "Husain"),
    ("Ahmed", "Ahmad"),
    ("Smith", "Smyth"),
    ("Nowak",),
    ("Okafor",),
    ("Popescu",),
    ("Patel",),
    ("Mensah",),
    ("O'Brien", "OBrien", "O'Brian"),
    ("Abdullahi", "Abdulahi"),
    ("Farah",),
    ("Taylor",),
    ("Kowalski", "Kowalsky"),
    ("Begum",),
    ("Singh",),
    ("Walker",),
    ("Hughes",),
    ("Adeyemi",),
    ("Thompson", "Thomson"),
    ("Jones",),
    ("Ali",),
    ("Evans",),
    ("Murphy",),
    ("Rahman", "Rehman"),
    ("Wood",),
    ("Clarke", "Clark"),
    ("Nguyen",),
    ("Robinson",),
    ("Shah",),
)
_STREETS = (
    ("High Street", "High St"),
    ("Station Road", "Station Rd"),
    ("Church Lane", "Church Ln"),
    ("Park Avenue", "Park Ave"),
    ("Mill Close", "Mill Cl"),
    ("Victoria Terrace", "Victoria Tce"),
    ("Queens Drive", "Queens Dr"),
    ("Albert Place", "Albert Pl"),
)
_TOWNS = (("Leeds", "LS"), ("Bradford", "BD"), ("Oldham", "OL"), ("Rochdale", "OL"))
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
_PLATE = "ABCDEFGHJKLMNOPRSTUVWXY"
_ROLES = ("suspect", "victim", "witness")


@dataclass(frozen=True)
class SyntheticMentions:
    """Mentions and the true entity of each (``truth[mention.id]``)."""

    mentions: tuple[Mention, ...]
    truth: dict[str, str]


@dataclass(frozen=True)
class LinkageScore:
    """Pairwise precision and recall of a resolution against the truth."""

    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def score(entities: list[ResolvedEntity], truth: dict[str, str]) -> LinkageScore:
    """Count the mention pairs put together by the resolution and by the truth."""
    predicted = _pairs([[m.id for m in e.mentions] for e in entities])
    by_truth: dict[str, list[str]] = {}
    for mention_id, entity in truth.items():
        by_truth.setdefault(entity, []).append(mention_id)
    actual = _pairs(list(by_truth.values()))
    return LinkageScore(len(actual), len(predicted), len(predicted & actual))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _person_text(rng: random.Random, given: tuple[str, ...], family: tuple[str, ...]) -> str:
    g, f = rng.choice(given), rng.choice(family)
    style = rng.random()
    if style < 0.25:
        return f"{f.upper()}, {g}"
    if style < 0.45:
        return f"{g} {f.upper()}"
    if style < 0.55:
        return f"{g.lower()}  {f.lower()}"
    if style < 0.62:
        return f"{g} {_typo(rng, f)}"
    return f"{g} {f}"


def _dob_variant(rng: random.Random, dob: date) -> date:
    roll = rng.random()
    if roll < 0.08 and dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month)
    if roll < 0.12:
        try:
            return dob.replace(day=dob.day + 1 if dob.day % 10 != 9 else dob.day - 1)
        except ValueError:
            return dob
    return dob


def _phone_text(rng: random.Random, national: str) -> str:
    head, tail = national[:5], national[5:]
    return rng.choice(
        (
            f"{head} {tail}",
            f"{head}{tail}",
            f"+44 {head[1:]} {tail}",
            f"+44{head[1:]}{tail}",
            f"0044 {head[1:]} {tail}",
            f"+44 (0){head[1:]} {tail}",
            f"({head}) {tail[:3]} {tail[3:]}",
        )
    )


def _phones(rng: random.Random, count: int) -> list[str]:
    pool = [f"07700900{n:03d}" for n in range(1000)]
    for area in ("0113496", "0114496", "0115496", "0116496", "0117496", "0118496", "0161496"):
        pool += [f"{area}{n:04d}" for n in range(1000)]
    return rng.sample(pool, count)


def _plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(_PLATE) for _ in range(2))
    tail = "".join(rng.choice(_PLATE) for _ in range(3))
    return f"{letters}{rng.choice((18, 19, 20, 21, 22, 23, 68, 69, 70, 71, 72, 73))} {tail}"


def _address(
    rng: random.Random,
) -> tuple[str, str, tuple[str, str], tuple[str, str], str]:
    number = str(rng.randint(1, 240))
    flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.3 else ""
    street = rng.choice(_STREETS)
    town, area = rng.choice(_TOWNS)
    postcode = (
        f"{area}{rng.randint(1, 16)} {rng.randint(0, 9)}{rng.choice(_INWARD)}{rng.choice(_INWARD)}"
    )
    return flat, number, street, (town, area), postcode


def _address_text(
    rng: random.Random, parts: tuple[str, str, tuple[str, str], tuple[str, str], str]
) -> tuple[str, str | None]:
    flat, number, street, (town, _), postcode = parts
    written_street = rng.choice(street)
    style = rng.random()
    if style < 0.3:
        return f"{flat}{number} {written_street}, {town} {postcode}", None
    if style < 0.5:
        return (
            f"{flat.lower()}{number}, {written_street.lower()}, {postcode.replace(' ', '')}",
            None,
        )
    if style < 0.7:
        return f"{flat}{number} {written_street.upper()}", postcode
    return f"{flat}{number} {written_street}, {town}, {postcode}", None


def generate(*, entities: int, seed: int = 0, max_mentions: int = 4) -> SyntheticMentions:
    """Make ``entities`` true entities of each kind, each mentioned 1 to ``max_mentions`` times.

    Mentions are spread over cases (``SYN-2026-<n>``) so that entities mentioned in the same
    case form a network. Deterministic for a seed.
    """
    rng = random.Random(seed)
    mentions: list[Mention] = []
    truth: dict[str, str] = {}
    cases = max(entities // 2, 1)
    phones = _phones(rng, entities)
    plates: set[str] = set()
    while len(plates) < entities:
        plates.add(_plate(rng))
    plate_list = sorted(plates)
    rng.shuffle(plate_list)
    addresses: dict[
        tuple[str, str, str, str], tuple[str, str, tuple[str, str], tuple[str, str], str]
    ]
    addresses = {}
    while len(addresses) < entities:
        parts = _address(rng)
        addresses.setdefault((parts[0], parts[1], parts[2][0], parts[4]), parts)
    address_list = list(addresses.values())

    def add(kind: EntityKind, true_id: str, text: str, **extra: object) -> None:
        mention_id = f"m{len(mentions):06d}"
        case = f"SYN-2026-{rng.randrange(cases) + 1}"
        mentions.append(
            Mention(
                id=mention_id,
                kind=kind,
                text=text,
                case=case,
                force="SYN",
                role=str(extra.get("role", "")),
                date_of_birth=extra.get("dob"),  # type: ignore[arg-type]
                postcode=extra.get("postcode"),  # type: ignore[arg-type]
            )
        )
        truth[mention_id] = true_id

    people: set[tuple[int, int, date]] = set()
    while len(people) < entities:
        dob = date(1965, 1, 1) + timedelta(days=rng.randrange(40 * 365))
        people.add((rng.randrange(len(_GIVEN)), rng.randrange(len(_FAMILY)), dob))
    for n, (gi, fi, dob) in enumerate(sorted(people)):
        role = rng.choice(_ROLES)
        for _ in range(rng.randint(1, max_mentions)):
            text = _person_text(rng, _GIVEN[gi], _FAMILY[fi])
            add(EntityKind.PERSON, f"person{n}", text, dob=_dob_variant(rng, dob), role=role)
    for n, national in enumerate(phones):
        for _ in range(rng.randint(1, max_mentions)):
            add(EntityKind.PHONE, f"phone{n}", _phone_text(rng, national))
    for n, plate in enumerate(plate_list):
        for _ in range(rng.randint(1, max_mentions)):
            written = rng.choice(
                (plate, plate.replace(" ", ""), plate.lower(), plate.replace(" ", "-"))
            )
            add(EntityKind.VEHICLE, f"vehicle{n}", written)
    for n, parts in enumerate(address_list):
        for _ in range(rng.randint(1, max_mentions)):
            text, postcode = _address_text(rng, parts)
            add(EntityKind.ADDRESS, f"address{n}", text, postcode=postcode)
    return SyntheticMentions(mentions=tuple(mentions), truth=truth)
