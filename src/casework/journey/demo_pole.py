"""Phones, vehicles and addresses for the demo cases, and the links planted between cases.

The link chart resolves what officers wrote in different ways ("07700 900777" and
"+447700900777", "ZB19 HKT" and "ZB19HKT", "41 Carrick St" and "41 Carrick Street"), so the
demo writes each mention in one of the forms officers use. Everything here is synthetic:
phones come only from Ofcom's drama range 07700 900000-900999; registrations start with
``Z``, a letter the DVLA never issues as the first of a current-format mark; streets are
made up, and postcodes are well-formed in the force's real postcode areas.

Pure and seeded: ``demo_cases`` draws from these with a ``random.Random`` of its own per
case, so the people and roads of the demo cases do not change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from casework.domain.pole import PersonDetails

DRAMA_MOBILE = "07700900"
"""Ofcom's drama mobile range is 07700 900000 to 07700 900999: the first eight digits."""
RESERVED_TAILS = frozenset({0, 101, 102, 103, 123, 233, 456, 777, 812})
"""Drama numbers the other demo sets and the planted links use: never handed out at random."""

_REG_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"  # no I, Q or Z after the first letter
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # no C, I, K, M, O, V in a postcode's inward code
_STREETS = (
    "Acre", "Alder", "Ashgrove", "Beckett", "Birchfield", "Bramble", "Carrick", "Chapel",
    "Cobden", "Delph", "Elmwood", "Fernbank", "Foundry", "Garnet", "Granby", "Hawthorn",
    "Hollins", "Kestrel", "Larch", "Linden", "Maple", "Marlow", "Mill", "Moorfield", "Netherby",
    "Orchard", "Paxton", "Quarry", "Rowan", "Saxon", "Sefton", "Tanner", "Thornhill", "Vale",
    "Weaver", "Willow", "Wren", "Yew",
)  # fmt: skip
_STREET_TYPES = (
    ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"),
    ("Terrace", "Tce"), ("Grove", "Grv"), ("Crescent", "Cres"), ("Drive", "Dr"),
)  # fmt: skip
_AREAS: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "WY": (("Leeds", "LS", 1, 29), ("Bradford", "BD", 1, 24), ("Wakefield", "WF", 1, 17)),
    "GMP": (("Manchester", "M", 1, 46), ("Oldham", "OL", 1, 16), ("Bolton", "BL", 1, 7)),
    "MPS": (("London", "SE", 1, 28), ("London", "E", 1, 18), ("London", "N", 1, 22)),
    "TVP": (("Reading", "RG", 1, 31), ("Oxford", "OX", 1, 18), ("Slough", "SL", 1, 6)),
    "SWP": (("Cardiff", "CF", 3, 24), ("Swansea", "SA", 1, 9)),
}


@dataclass(frozen=True, slots=True)
class DemoPlace:
    """An address as an officer wrote it on one event, and the postcode field, if filled."""

    description: str
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """A synthetic address: written out in varied forms by :meth:`written`."""

    flat: int | None
    number: int
    street: str
    street_type: tuple[str, str]
    town: str
    postcode: str

    def written(self, rng: random.Random) -> DemoPlace:
        """The address as one officer might record it (abbreviations, postcode spacing)."""
        kind = self.street_type[1] if rng.random() < 0.4 else self.street_type[0]
        road = f"{self.number} {self.street} {kind}"
        flat = f"Flat {self.flat}" if self.flat is not None else ""
        postcode = spaced(self.postcode, rng)
        style = rng.random()
        if style < 0.45:
            text = ", ".join(p for p in (flat, road, self.town) if p)
            return DemoPlace(text, postcode)
        if style < 0.75:
            text = ", ".join(p for p in (road, flat) if p)
            return DemoPlace(text, postcode)
        text = " ".join(p for p in (flat, road, self.town, self.postcode) if p)
        return DemoPlace(text, None)


def spaced(postcode: str, rng: random.Random) -> str:
    """A postcode as typed: ``LS7 3NW``, ``LS73NW`` or ``ls7 3nw``."""
    style = rng.random()
    if style < 0.6:
        return postcode
    if style < 0.85:
        return postcode.replace(" ", "")
    return postcode.lower()


def address(rng: random.Random, force: str, *, flat: bool | None = None) -> Address:
    """Draw a synthetic address in one of the force's postcode areas."""
    town, area, low, high = rng.choice(_AREAS.get(force, _AREAS["WY"]))
    inward = f"{rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    has_flat = rng.random() < 0.25 if flat is None else flat
    return Address(
        flat=rng.randint(1, 12) if has_flat else None,
        number=rng.randint(1, 180),
        street=rng.choice(_STREETS),
        street_type=rng.choice(_STREET_TYPES),
        town=town,
        postcode=f"{area}{rng.randint(low, high)} {inward}",
    )


def phone(tail: int, rng: random.Random) -> str:
    """A drama mobile number as written: ``07700 900123``, ``+447700900123`` or ``07700900123``."""
    if not 0 <= tail <= 999:
        raise ValueError("a drama mobile number ends in 000 to 999")
    style = rng.random()
    if style < 0.5:
        return f"07700 900{tail:03d}"
    if style < 0.75:
        return f"+447700900{tail:03d}"
    return f"{DRAMA_MOBILE}{tail:03d}"


def free_tails(seed: int) -> list[int]:
    """The drama numbers that may be handed out to demo suspects, in a seeded order."""
    tails = [t for t in range(1000) if t not in RESERVED_TAILS]
    random.Random(f"casework-demo:{seed}:phones").shuffle(tails)
    return tails


def registration(rng: random.Random) -> str:
    """A synthetic current-format registration mark starting with ``Z`` (never issued)."""
    age = rng.choice((rng.randint(2, 25), rng.randint(51, 75)))
    letters = "".join(rng.choice(_REG_LETTERS) for _ in range(3))
    return f"Z{rng.choice(_REG_LETTERS)}{age:02d} {letters}"


def plate(mark: str, rng: random.Random) -> str:
    """A registration as written: ``ZB19 HKT``, ``ZB19HKT``, ``zb19 hkt`` or ``ZB 19 HKT``."""
    style = rng.random()
    if style < 0.5:
        return mark
    if style < 0.75:
        return mark.replace(" ", "")
    if style < 0.9:
        return mark.lower()
    return f"{mark[:2]} {mark[2:]}"


# ------------------------------------------------------------------ planted links


@dataclass(frozen=True, slots=True)
class Planted:
    """What one case of a planted cluster holds: its suspect and what links it to the others."""

    suspect: PersonDetails
    phone: str | None = None
    vehicles: tuple[str, ...] = ()
    place: DemoPlace | None = None


def _person(given: str, family: str, born: date) -> PersonDetails:
    return PersonDetails(given_names=given, family_name=family, date_of_birth=born)


GROUP_FORCE = "WY"
"""The force of the planted group-exploitation cluster: the demo users' own force."""
LINE_PHONE = "07700 900777"
GROUP_CAR = "ZB19 HKT"
TRAVELLING_CAR = "ZK67 TVR"
_FLAT = "Flat 3, 41 Carrick Street, Leeds"

GROUP: tuple[Planted, ...] = (
    # Five reports in one force, made by young women about men they took for boyfriends;
    # one phone arranges the meetings, one car collects them, one flat is where they go.
    Planted(
        _person("Mohammed", "Rahman-Demo", date(1991, 3, 7)),
        phone=LINE_PHONE,
        vehicles=(GROUP_CAR,),
    ),
    Planted(
        _person("Kieran", "Doherty-Demo", date(1996, 11, 4)),
        phone="+447700900777",
        place=DemoPlace(_FLAT, "LS7 3NW"),
    ),
    Planted(
        _person("Yusuf", "Hussain-Demo", date(1988, 6, 21)),
        vehicles=("ZB19HKT", TRAVELLING_CAR),
        place=DemoPlace("41 Carrick St, Flat 3", "ls73nw"),
    ),
    Planted(
        _person("Muhammad", "Rahman-Demo", date(1991, 3, 7)),
        phone="07700900777",
        place=DemoPlace("Flat 3 41 Carrick Street LS7 3NW"),
    ),
    Planted(
        _person("Ciaran", "Doherty-Demo", date(1996, 4, 11)),
        phone=LINE_PHONE,
        vehicles=("ZB 19 HKT",),
    ),
)
"""The cluster: the same phone in four cases, the car and the flat in three each, and two
men each named in two cases under two spellings (Mohammed/Muhammad; Kieran/Ciaran with day
and month of birth transposed). Yusuf also drives the car that links the other force."""

ELSEWHERE_FORCE = "GMP"
ELSEWHERE = Planted(
    _person("Yousef", "Hussain-Demo", date(1988, 6, 21)),
    vehicles=("zk67tvr",),
)
"""One report in another force naming a man of the cluster (Yusuf/Yousef, same date of
birth) and his car: the cross-force link."""
