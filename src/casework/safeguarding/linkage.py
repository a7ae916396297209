"""Entity resolution of POLE entities across cases, for group-based exploitation investigations.

The same person, phone, vehicle or address is written differently in different reports
("Mohammed" / "Muhammad", "07700 900123" / "+447700900123", "AB12 CDE" / "AB12CDE"). This
module groups those *mentions* into resolved entities, and keeps for every link the fields
that matched and how, so an officer can explain (and challenge) each one.

How it matches:

- phones, vehicles: a deterministic key (E.164; the registration without spaces), exact;
- addresses: same postcode, the same house and flat numbers, and street words that agree
  (rapidfuzz token-set ratio); without a postcode on both, the whole normalised address;
- persons: blocked on phonetic keys of the family name (jellyfish Metaphone and NYSIIS) and
  on the given name with date of birth; a pair links when given and family names agree
  (equal, same phonetic key, or Jaro-Winkler >= ``NAME_SIMILARITY``) and the dates of birth
  agree (equal, day and month transposed, or one digit different). Without a date of birth
  on either side, only identical names link, and the evidence says so.

Why not Splink: Splink 5 (MIT, runs on DuckDB offline) was tried with ``pip`` here: it brings
duckdb, pyarrow and sqlglot (native wheels of tens of MB) and estimates its Fellegi-Sunter
weights by sampling and EM over the data it is given. Casework resolves the few hundred
mentions a force's investigators see on each request, where EM has too little data to
train reliably and a DuckDB session per request costs more than the matching itself; the
rules here are deterministic, explainable in one line per field, and measured by
``bench/linkage.py`` (precision and recall on planted duplicates).

Use :func:`resolve` for clusters with their evidence, and :func:`casework.safeguarding.
network.network_for` for the link chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import combinations

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from casework.domain.pole import PersonDetails
from casework.errors import InvalidInput
from casework.safeguarding.linkage_normalise import (
    address_key,
    address_numbers,
    find_postcode,
    fold,
    name_variant,
    phone_key,
    postcode_key,
    vrm_key,
)

NAME_SIMILARITY = 0.9
"""Jaro-Winkler similarity at or above which two spellings of a name part agree."""
ADDRESS_SIMILARITY = 90.0
"""Token-set ratio (0-100) at or above which two addresses' street words agree."""


class EntityKind(StrEnum):
    """What a mention refers to: the nodes of the link chart."""

    PERSON = "person"
    PHONE = "phone"
    VEHICLE = "vehicle"
    ADDRESS = "address"


@dataclass(frozen=True)
class Mention:
    """One appearance of a person, phone, vehicle or address in one case, as written there.

    ``id`` is unique among the mentions resolved together (a row id will do). ``text`` is
    the name, number, registration or address as recorded. ``context`` groups mentions
    that belong together (by default the case): entities mentioned in the same context are
    joined by an edge in the network.
    """

    id: str
    kind: EntityKind
    text: str
    case: str
    force: str = ""
    role: str = ""
    date_of_birth: date | None = None
    postcode: str | None = None
    context: str = ""

    @property
    def group(self) -> str:
        return self.context or self.case


@dataclass(frozen=True)
class FieldMatch:
    """Evidence for a link: one field, how it matched, and the two values compared."""

    field: str
    how: str
    left: str
    right: str

    def __str__(self) -> str:
        if self.left == self.right:
            return f"{self.field}: {self.how} ({self.left!r})"
        return f"{self.field}: {self.how} ({self.left!r} ~ {self.right!r})"


@dataclass(frozen=True)
class Link:
    """Why two mentions were taken to be the same entity."""

    left: str
    right: str
    matches: tuple[FieldMatch, ...]

    @property
    def reason(self) -> str:
        return "; ".join(str(m) for m in self.matches)


@dataclass(frozen=True)
class ResolvedEntity:
    """A cluster of mentions taken to be one person, phone, vehicle or address."""

    id: str
    """Stable within one resolution: the kind and the smallest mention id (``person:<id>``)."""
    kind: EntityKind
    label: str
    """How to show it: the normalised key for identifiers, the fullest spelling for a person."""
    mentions: tuple[Mention, ...]
    links: tuple[Link, ...] = ()

    @property
    def cases(self) -> tuple[str, ...]:
        return tuple(sorted({m.case for m in self.mentions}))

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(sorted({m.role for m in self.mentions if m.role}))

    @property
    def forces(self) -> tuple[str, ...]:
        return tuple(sorted({m.force for m in self.mentions if m.force}))

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(sorted({m.text for m in self.mentions}))


@dataclass
class _UnionFind:
    parent: dict[str, str] = field(default_factory=dict)

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# ---------------------------------------------------------------- persons


@dataclass(frozen=True)
class _Name:
    given: str
    family: str
    full: str

    @classmethod
    def parse(cls, text: str) -> _Name:
        try:
            details = PersonDetails.from_full_name(fold(text))
        except ValueError:
            return cls("", "", "")
        given = details.given_names.split(" ")[0].casefold() if details.given_names else ""
        family = details.family_name.casefold()
        return cls(given, family, f"{given} {family}".strip())


def _phonetic(word: str) -> tuple[str, str]:
    letters = "".join(c for c in word if c.isalpha())
    if not letters:
        return "", ""
    return jellyfish.metaphone(letters), jellyfish.nysiis(letters)


def _name_part(field_name: str, a: str, b: str) -> FieldMatch | None:
    if not a or not b:
        return None
    if a == b:
        return FieldMatch(field_name, "exact", a, b)
    if name_variant(a) == name_variant(b):
        return FieldMatch(field_name, "known spelling variant", a, b)
    pa, pb = _phonetic(a), _phonetic(b)
    if pa[0] == pb[0] and pa[0]:
        return FieldMatch(field_name, f"same sound (Metaphone {pa[0]})", a, b)
    if pa[1] == pb[1] and pa[1]:
        return FieldMatch(field_name, f"same sound (NYSIIS {pa[1]})", a, b)
    similarity = JaroWinkler.similarity(a, b)
    if similarity >= NAME_SIMILARITY:
        return FieldMatch(field_name, f"similar spelling (Jaro-Winkler {similarity:.2f})", a, b)
    return None


def _dob_match(a: date, b: date) -> FieldMatch | None:
    left, right = a.isoformat(), b.isoformat()
    if a == b:
        return FieldMatch("date of birth", "exact", left, right)
    if (a.year, a.month, a.day) == (b.year, b.day, b.month):
        return FieldMatch("date of birth", "day and month transposed", left, right)
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    typo = sum(x != y for x, y in zip(left, right, strict=True)) == 1
    if same == 2 and typo:
        return FieldMatch("date of birth", "one digit different", left, right)
    return None


def _person_link(a: Mention, b: Mention, na: _Name, nb: _Name) -> Link | None:
    given = _name_part("given name", na.given, nb.given)
    family = _name_part("family name", na.family, nb.family)
    if given is None or family is None:
        return None
    if a.date_of_birth is None or b.date_of_birth is None:
        if na.full != nb.full:
            return None
        note = FieldMatch("date of birth", "not recorded on both: identical names only", "", "")
        return Link(a.id, b.id, (given, family, note))
    dob = _dob_match(a.date_of_birth, b.date_of_birth)
    if dob is None:
        return None
    return Link(a.id, b.id, (given, family, dob))


def _person_blocks(mention: Mention, name: _Name) -> list[tuple[str, ...]]:
    family, given = name_variant(name.family), name_variant(name.given)
    family_sounds = _phonetic(family)
    given_sounds = _phonetic(given)
    dob = mention.date_of_birth.isoformat() if mention.date_of_birth else ""
    blocks: list[tuple[str, ...]] = [
        ("f-meta", family_sounds[0]),
        ("f-nysiis", family_sounds[1]),
        ("g-f2", given_sounds[0], family[:2]),
    ]
    if dob:
        blocks.append(("g-dob", given_sounds[0], dob))
        blocks.append(("f1-dob", family[:1], dob))
    return [b for b in blocks if b[1]]


def _resolve_persons(mentions: Sequence[Mention]) -> list[ResolvedEntity]:
    names = {m.id: _Name.parse(m.text) for m in mentions}
    by_id = {m.id: m for m in mentions}
    blocks: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for mention in mentions:
        for block in _person_blocks(mention, names[mention.id]):
            blocks[block].append(mention.id)
    groups = _UnionFind()
    links: list[Link] = []
    compared: set[tuple[str, str]] = set()
    for ids in blocks.values():
        for left, right in combinations(sorted(ids), 2):
            if (left, right) in compared:
                continue
            compared.add((left, right))
            link = _person_link(by_id[left], by_id[right], names[left], names[right])
            if link is not None:
                links.append(link)
                groups.union(left, right)
    for mention in mentions:
        groups.find(mention.id)
    return _clusters(EntityKind.PERSON, mentions, groups, links, label=_person_label)


def _person_label(mentions: Sequence[Mention]) -> str:
    return max((m.text for m in mentions), key=lambda t: (len(t), t))


# ------------------------------------------------------ phones, vehicles, addresses


def _keyed(kind: EntityKind, mentions: Sequence[Mention]) -> list[ResolvedEntity]:
    """Group identifiers by their deterministic key; link each to the first of its group."""
    keyed: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
    for mention in mentions:
        if kind is EntityKind.PHONE:
            key, how = phone_key(mention.text)
        else:
            key, how = vrm_key(mention.text), "registration without spaces or punctuation"
        keyed[key or f"?{mention.id}"].append((mention, how))
    field_name = "phone" if kind is EntityKind.PHONE else "registration"
    entities = []
    for key, group in sorted(keyed.items()):
        first, _ = group[0]
        links = tuple(
            Link(first.id, m.id, (FieldMatch(field_name, f"same key: {how}", first.text, m.text),))
            for m, how in group[1:]
        )
        members = tuple(m for m, _ in group)
        entities.append(
            ResolvedEntity(
                id=f"{kind.value}:{key}",
                kind=kind,
                label=key if not key.startswith("?") else first.text,
                mentions=members,
                links=links,
            )
        )
    return entities


def _address_link(a: Mention, b: Mention, keys: dict[str, tuple[str, str | None]]) -> Link | None:
    (ka, pa), (kb, pb) = keys[a.id], keys[b.id]
    if pa and pb:
        if pa != pb or address_numbers(ka) != address_numbers(kb):
            return None
        ratio = fuzz.token_set_ratio(ka, kb)
        if ratio < ADDRESS_SIMILARITY:
            return None
        return Link(
            a.id,
            b.id,
            (
                FieldMatch("postcode", "exact", pa, pb),
                FieldMatch("house and flat numbers", "equal", ka, kb),
                FieldMatch("street words", f"agree (token-set ratio {ratio:.0f})", a.text, b.text),
            ),
        )
    if ka and ka == kb:
        return Link(a.id, b.id, (FieldMatch("address", "same normalised words", ka, kb),))
    return None


def _resolve_addresses(mentions: Sequence[Mention]) -> list[ResolvedEntity]:
    keys: dict[str, tuple[str, str | None]] = {}
    blocks: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        postcode = (postcode_key(mention.postcode) if mention.postcode else None) or find_postcode(
            mention.text
        )
        key = address_key(mention.text)
        keys[mention.id] = (key, postcode)
        blocks[f"pc:{postcode}" if postcode else f"text:{key}"].append(mention.id)
        if postcode:
            blocks[f"text:{key}"].append(mention.id)
    by_id = {m.id: m for m in mentions}
    groups = _UnionFind()
    links: list[Link] = []
    compared: set[tuple[str, str]] = set()
    for ids in blocks.values():
        for left, right in combinations(sorted(set(ids)), 2):
            if (left, right) in compared:
                continue
            compared.add((left, right))
            link = _address_link(by_id[left], by_id[right], keys)
            if link is not None:
                links.append(link)
                groups.union(left, right)
    for mention in mentions:
        groups.find(mention.id)

    def label(members: Sequence[Mention]) -> str:
        best = max(members, key=lambda m: (len(keys[m.id][0]), m.id))
        key, postcode = keys[best.id]
        return f"{key.title()} {postcode}".strip() if postcode else key.title()

    return _clusters(EntityKind.ADDRESS, mentions, groups, links, label=label)


def _clusters(
    kind: EntityKind,
    mentions: Sequence[Mention],
    groups: _UnionFind,
    links: Iterable[Link],
    *,
    label: Callable[[Sequence[Mention]], str],
) -> list[ResolvedEntity]:
    members: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        members[groups.find(mention.id)].append(mention)
    links_of: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        links_of[groups.find(link.left)].append(link)
    return [
        ResolvedEntity(
            id=f"{kind.value}:{root}",
            kind=kind,
            label=label(group),
            mentions=tuple(group),
            links=tuple(links_of[root]),
        )
        for root, group in sorted(members.items())
    ]


def resolve(mentions: Iterable[Mention]) -> list[ResolvedEntity]:
    """Group mentions into resolved entities, each with the evidence for every link.

    Entities come back by kind (persons, phones, vehicles, addresses), each kind in the
    order of its ids. A mention that matches nothing is an entity of its own.
    """
    by_kind: dict[EntityKind, list[Mention]] = defaultdict(list)
    seen: set[str] = set()
    for mention in mentions:
        if mention.id in seen:
            raise InvalidInput(f"mention id {mention.id!r} given twice")
        seen.add(mention.id)
        by_kind[mention.kind].append(mention)
    entities: list[ResolvedEntity] = []
    entities += _resolve_persons(by_kind[EntityKind.PERSON])
    entities += _keyed(EntityKind.PHONE, by_kind[EntityKind.PHONE])
    entities += _keyed(EntityKind.VEHICLE, by_kind[EntityKind.VEHICLE])
    entities += _resolve_addresses(by_kind[EntityKind.ADDRESS])
    return entities
