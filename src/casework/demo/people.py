"""The cast of a synthetic case: diverse people with consistent identifiers, and their places.

Names come from several Faker locales weighted roughly like the population of England and
Wales, plus short lists of romanised Somali and Arabic names (Faker has these only in
Arabic script). Every identifier of a person is drawn once, so a person's licence number
matches their name and birth date wherever it appears.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from casework.demo import ids
from casework.domain.labels import PartyRole

# (Faker locale or "somali_arabic", weight, nationality when not British, chance of British)
_ORIGINS: tuple[tuple[str, float, str, float], ...] = (
    ("en_GB", 0.52, "British", 1.0),
    ("en_IE", 0.05, "Irish", 0.5),
    ("en_IN", 0.07, "Indian", 0.7),
    ("en_PK", 0.07, "Pakistani", 0.8),
    ("pl_PL", 0.05, "Polish", 0.3),
    ("ro_RO", 0.04, "Romanian", 0.2),
    ("yo_NG", 0.03, "Nigerian", 0.6),
    ("ig_NG", 0.02, "Nigerian", 0.6),
    ("tw_GH", 0.02, "Ghanaian", 0.6),
    ("tr_TR", 0.02, "Turkish", 0.5),
    ("zh_CN", 0.02, "Chinese", 0.5),
    ("lt_LT", 0.02, "Lithuanian", 0.3),
    ("pt_PT", 0.02, "Portuguese", 0.3),
    ("somali_arabic", 0.05, "Somali", 0.7),
)
_SA_MALE = ("Abdi", "Mohamed", "Yusuf", "Omar", "Khalid", "Hamza", "Abdirahman", "Tariq", "Bilal")
_SA_FEMALE = ("Hodan", "Ayaan", "Fatima", "Amina", "Layla", "Nour", "Sagal", "Idil", "Yasmin")
_SA_SURNAMES = (
    "Hassan",
    "Ali",
    "Farah",
    "Abdullahi",
    "Warsame",
    "Osman",
    "Haddad",
    "Mansour",
    "Nasser",
    "Ibrahim",
    "Jama",
    "Aden",
    "Elmi",
    "Khalil",
)

# Force, its towns and their postcode areas: (town, area, lowest district, highest district).
REGIONS: tuple[tuple[str, tuple[tuple[str, str, int, int], ...]], ...] = (
    (
        "West Yorkshire Police",
        (
            ("Leeds", "LS", 1, 29),
            ("Bradford", "BD", 1, 24),
            ("Wakefield", "WF", 1, 17),
            ("Huddersfield", "HD", 1, 9),
            ("Halifax", "HX", 1, 7),
        ),
    ),
    (
        "Greater Manchester Police",
        (
            ("Manchester", "M", 1, 40),
            ("Oldham", "OL", 1, 16),
            ("Bolton", "BL", 1, 9),
            ("Stockport", "SK", 1, 8),
            ("Wigan", "WN", 1, 6),
        ),
    ),
    (
        "West Midlands Police",
        (
            ("Birmingham", "B", 1, 76),
            ("Coventry", "CV", 1, 7),
            ("Wolverhampton", "WV", 1, 14),
            ("Walsall", "WS", 1, 10),
            ("Dudley", "DY", 1, 9),
        ),
    ),
    (
        "South Wales Police",
        (
            ("Cardiff", "CF", 3, 24),
            ("Swansea", "SA", 1, 9),
            ("Bridgend", "CF", 31, 35),
            ("Merthyr Tydfil", "CF", 47, 48),
        ),
    ),
    (
        "Merseyside Police",
        (
            ("Liverpool", "L", 1, 36),
            ("Birkenhead", "CH", 41, 43),
            ("St Helens", "WA", 9, 11),
            ("Bootle", "L", 20, 30),
        ),
    ),
)
_STREET_STEMS = (
    "Station",
    "Church",
    "Victoria",
    "Albert",
    "Oak",
    "Elm",
    "Beech",
    "Mill",
    "Park",
    "Queens",
    "Kings",
    "Chapel",
    "Manor",
    "Hawthorn",
    "Cavendish",
    "Ashfield",
    "Moorland",
    "Granby",
    "Clarendon",
    "Brunswick",
    "Rosebery",
    "Windsor",
    "Grange",
    "Springfield",
    "Laburnum",
    "Woodland",
    "Meadow",
)
_STREET_KINDS = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Grove",
    "Crescent",
    "Drive",
    "Way",
    "Terrace",
    "Gardens",
    "Court",
    "Walk",
    "Mount",
    "View",
)
_PUB_NAMES = (
    "Red Lion",
    "White Hart",
    "Royal Oak",
    "Kings Arms",
    "Black Bull",
    "Crown",
    "Plough",
    "Wheatsheaf",
    "Fox and Hounds",
    "Rose and Crown",
    "Station Hotel",
    "Golden Fleece",
    "New Inn",
    "Coach and Horses",
    "Swan",
)
_PARK_KINDS = ("Park", "Recreation Ground", "Playing Fields", "Woods", "Country Park")
_SCHOOL_KINDS = (
    "Primary School",
    "Academy",
    "High School",
    "Catholic Primary School",
    "College",
    "Church of England Junior School",
)
_TITLES_M = ("Mr",)
_TITLES_F = ("Mrs", "Ms", "Miss")
_RANKS = ("PC", "PC", "PC", "DC", "DC", "PS", "DS")


@dataclass(frozen=True, slots=True)
class Address:
    """A one-line postal address and the postcode that ends it."""

    line: str
    town: str
    postcode: str

    @property
    def text(self) -> str:
        return f"{self.line}, {self.town} {self.postcode}"


@dataclass(slots=True)
class Person:
    """One person in the case, with every identifier the bundle may mention."""

    key: str
    role: PartyRole
    first: str
    middle: str
    surname: str
    female: bool
    title: str
    birth: date
    age: int
    nationality: str
    occupation: str
    employer: str
    address: Address
    mobile: str
    landline: str
    email: str
    handle: str
    ni: str
    nhs: str
    passport: str
    licence: str
    pnc: str = ""
    cro: str = ""
    rank: str = ""
    collar: str = ""
    vehicles: list[str] = field(default_factory=list)

    @property
    def forenames(self) -> str:
        return f"{self.first} {self.middle}".strip()


@dataclass(slots=True)
class Places:
    """The named places and organisations a case happens among."""

    force: str
    towns: list[str]
    streets: list[str]
    pubs: list[str]
    parks: list[str]
    schools: list[str]
    employers: list[str]
    hospital: str
    gp: str
    bank: str
    solicitors: str
    towns_meta: tuple[tuple[str, str, int, int], ...]


@dataclass(slots=True)
class Cast:
    """Everyone in the case, by role, and the places; ``incident`` is the day it happened."""

    incident: date
    places: Places
    victim: Person
    suspect: Person
    witnesses: list[Person]
    officers: list[Person]
    professionals: list[Person]

    def everyone(self) -> list[Person]:
        return [self.victim, self.suspect, *self.witnesses, *self.officers, *self.professionals]


class PersonFactory:
    """Draw people from weighted locales with one seeded generator per locale."""

    def __init__(self, rng: random.Random, incident: date, places: Places) -> None:
        self.rng = rng
        self.incident = incident
        self.places = places
        self._fakers: dict[str, Faker] = {}
        self._used: set[str] = set()
        self._seq = 0

    def _faker(self, locale: str) -> Faker:
        if locale not in self._fakers:
            fake = Faker(locale)
            fake.seed_instance(self.rng.randrange(2**32))
            self._fakers[locale] = fake
        return self._fakers[locale]

    def _name(self, female: bool) -> tuple[str, str, str, str]:
        """Return first name, middle name, surname and nationality."""
        weights = [o[1] for o in _ORIGINS]
        locale, _, nationality, british = self.rng.choices(_ORIGINS, weights)[0]
        if locale == "somali_arabic":
            first = self.rng.choice(_SA_FEMALE if female else _SA_MALE)
            middle = self.rng.choice(_SA_MALE) if self.rng.random() < 0.4 else ""
            surname = self.rng.choice(_SA_SURNAMES)
        elif locale == "zh_CN":
            fake = self._faker(locale)
            first, middle, surname = fake.first_romanized_name(), "", fake.last_romanized_name()
        else:
            fake = self._faker(locale)
            pick_first = fake.first_name_female if female else fake.first_name_male
            first = pick_first()
            middle = pick_first() if self.rng.random() < 0.35 else ""
            last = getattr(fake, "last_name_female" if female else "last_name_male", None)
            surname = last() if callable(last) else fake.last_name()
        if self.rng.random() < british:
            nationality = "British"
        return first, middle if middle != first else "", surname, nationality

    def address(self, town_meta: tuple[str, str, int, int] | None = None) -> Address:
        """Return a fresh address in one of the case's towns."""
        town, area, low, high = town_meta or self.rng.choice(self.places.towns_meta)
        number = self.rng.randint(1, 180)
        street = self.rng.choice(self.places.streets)
        line = f"{number} {street}"
        if self.rng.random() < 0.2:
            line = f"Flat {self.rng.randint(1, 24)}, {line}"
        return Address(line, town, ids.postcode(self.rng, area, (low, high)))

    def person(
        self,
        key: str,
        role: PartyRole,
        *,
        age: tuple[int, int] = (18, 70),
        female: bool | None = None,
        occupation: str = "",
        employer: str = "",
    ) -> Person:
        """Return a new person whose identifiers all agree with each other."""
        rng = self.rng
        is_female = rng.random() < 0.5 if female is None else female
        while True:
            first, middle, surname, nationality = self._name(is_female)
            if f"{first} {surname}" not in self._used and len(ids.fold(surname)) > 1:
                break
        self._used.add(f"{first} {surname}")
        years = rng.randint(*age)
        birth = self.incident - timedelta(days=365 * years + rng.randint(1, 360))
        real_age = (
            self.incident.year
            - birth.year
            - ((self.incident.month, self.incident.day) < (birth.month, birth.day))
        )
        self._seq += 1
        handle_base = ids.fold(f"{first}{rng.choice(['_', '.', ''])}{surname}").lower()
        handle_base = "".join(c for c in handle_base if c.isalnum() or c in "._")
        handle = "@" + rng.choice(
            [
                handle_base,
                handle_base[:10] + str(rng.randint(1, 99)),
                ids.fold(first).lower() + "_" + rng.choice(["x", "ldn", "uk", "99", "official"]),
            ]
        )
        local = ids.fold(f"{first}.{surname}").lower().replace(" ", "").replace("'", "")
        domain = rng.choice(("example.com", "example.org", "example.net", "mail.example.com"))
        licence = ids.driving_licence(
            rng, surname=surname, forenames=[first, middle], birth=birth, female=is_female
        )
        person = Person(
            key=key,
            role=role,
            first=first,
            middle=middle,
            surname=surname,
            female=is_female,
            title=rng.choice(_TITLES_F if is_female else _TITLES_M),
            birth=birth,
            age=real_age,
            nationality=nationality,
            occupation=occupation or self._faker("en_GB").job().split(",")[0],
            employer=employer or rng.choice(self.places.employers + self.places.schools),
            address=self.address(),
            mobile=ids.mobile(rng),
            landline=ids.landline(rng),
            email=f"{local}{rng.choice(['', str(rng.randint(1, 99))])}@{domain}",
            handle=handle,
            ni=ids.ni_number(rng),
            nhs=ids.nhs_number(rng),
            passport=ids.passport_number(rng, nationality),
            licence=licence,
        )
        person.pnc = ids.pnc_id(rng, 2000 + rng.randint(3, 23))
        person.cro = ids.cro_number(rng, 2000 + rng.randint(3, 23))
        if role is PartyRole.OFFICER:
            person.rank = rng.choice(_RANKS)
            person.collar = str(rng.randint(100, 9999))
            person.occupation = "police officer"
            person.employer = self.places.force
        if rng.random() < 0.6 or key == "suspect":
            person.vehicles.append(ids.registration_mark(rng, year=rng.randint(2002, 2024)))
        return person


def make_places(rng: random.Random) -> Places:
    """Choose a force area and name its streets, pubs, parks, schools and employers."""
    force, towns_meta = rng.choice(REGIONS)
    fake = Faker("en_GB")
    fake.seed_instance(rng.randrange(2**32))
    streets = sorted(
        {f"{rng.choice(_STREET_STEMS)} {rng.choice(_STREET_KINDS)}" for _ in range(40)}
    )
    rng.shuffle(streets)
    stems = list(_STREET_STEMS)
    rng.shuffle(stems)
    towns = [t[0] for t in towns_meta]
    return Places(
        force=force,
        towns=towns,
        streets=streets,
        pubs=[f"the {name}" for name in rng.sample(_PUB_NAMES, 6)],
        parks=[f"{stem} {rng.choice(_PARK_KINDS)}" for stem in stems[:5]],
        schools=[f"{stem} {rng.choice(_SCHOOL_KINDS)}" for stem in stems[5:10]],
        employers=[fake.company() for _ in range(8)],
        hospital=f"{towns[0]} General Infirmary",
        gp=f"{stems[10]} Medical Practice",
        bank=rng.choice(
            (
                "Northern Counties Bank",
                "Albion Savings Bank",
                "Kestrel Bank plc",
                "Pennine Building Society",
                "Severn Mutual Bank",
            )
        ),
        solicitors=f"{fake.last_name()} & {fake.last_name()} Solicitors",
        towns_meta=towns_meta,
    )


def make_cast(rng: random.Random, pages: int) -> Cast:
    """Return a domestic-abuse case: victim, suspect, witnesses, officers and professionals."""
    incident = date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))
    places = make_places(rng)
    factory = PersonFactory(rng, incident, places)
    female_victim = rng.random() < 0.8
    victim = factory.person("victim", PartyRole.VICTIM, age=(19, 55), female=female_victim)
    suspect = factory.person(
        "suspect",
        PartyRole.SUSPECT,
        age=(21, 58),
        female=not female_victim if rng.random() < 0.9 else female_victim,
    )
    witnesses = [
        factory.person(f"w{i}", PartyRole.WITNESS, age=(15, 80))
        for i in range(3 + min(pages // 30, 40))
    ]
    officers = [
        factory.person(f"o{i}", PartyRole.OFFICER, age=(23, 55))
        for i in range(4 + min(pages // 80, 12))
    ]
    jobs = (
        ("doctor", places.hospital),
        ("independent domestic violence adviser", "Safe Spaces Trust"),
        ("solicitor", places.solicitors),
        ("social worker", f"{towns_of(places)} Council"),
        ("general practitioner", places.gp),
        ("call handler", places.force),
    )
    professionals = [
        factory.person(f"p{i}", PartyRole.PROFESSIONAL, age=(26, 64), occupation=job, employer=org)
        for i, (job, org) in enumerate(jobs)
    ]
    return Cast(incident, places, victim, suspect, witnesses, officers, professionals)


def towns_of(places: Places) -> str:
    """Return the main town of the force area (its council names itself after it)."""
    return places.towns[0]
