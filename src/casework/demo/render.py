"""Turn sentence templates such as ``"I saw {s.full} outside {pub}"`` into marked segments.

A placeholder names a person bound for the template (``me``, ``v`` victim, ``s`` suspect,
``w`` a witness, ``o`` an officer, ``d`` a professional) and the form of the mention, or a
place or thing of the case. PERSON marks cover the name only: a title (``Mrs``) and a rank
and collar number (``PC 4521``) stay outside the span, as a redaction keeps them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from casework.demo import ids
from casework.demo.marked import Block, Mark, Segment, marked, plain
from casework.demo.people import Cast, Person
from casework.domain.labels import Label

_PLACEHOLDER = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PRONOUNS = {
    "he": ("she", "he"),
    "He": ("She", "He"),
    "him": ("her", "him"),
    "his": ("her", "his"),
}
_URL_PATHS = (
    "invite/{code}",
    "p/{code}",
    "photos/2024/img_{num}.jpg",
    "u/{user}",
    "watch?v={code}",
    "s/{code}",
    "profile/{user}",
    "listing/{num}",
)
_URL_HOSTS = (
    "https://www.example.com",
    "https://chat.example.org",
    "http://example.net",
    "https://pics.example.com",
    "www.example.org",
    "https://maps.example.net",
)


@dataclass
class Renderer:
    """Render templates for one case; ``bind`` sets who ``me``, ``w``, ``o`` and ``d`` are."""

    rng: random.Random
    cast: Cast
    people: dict[str, Person] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.people = {
            "v": self.cast.victim,
            "s": self.cast.suspect,
            "me": self.cast.victim,
            "w": self.cast.witnesses[0],
            "o": self.cast.officers[0],
            "d": self.cast.professionals[0],
        }

    def bind(self, **people: Person) -> None:
        """Set the people that placeholders name (``me=witness``, ``o=officer``...)."""
        self.people.update(people)

    def para(self, *templates: str, style: str = "para") -> Block:
        """Render templates into one block, separated by single spaces."""
        segments: list[Segment] = []
        for i, template in enumerate(templates):
            if i:
                segments.append(plain(" "))
            segments.extend(self.segments(template))
        return Block(style, segments)

    def line(self, template: str, style: str = "field") -> Block:
        """Render one template as a block of its own."""
        return Block(style, self.segments(template))

    def segments(self, template: str) -> list[Segment]:
        """Render a template into segments."""
        out: list[Segment] = []
        pos = 0
        for match in _PLACEHOLDER.finditer(template):
            if match.start() > pos:
                out.append(plain(template[pos : match.start()]))
            out.extend(self._resolve(match.group(1), match.group(2)))
            pos = match.end()
        if pos < len(template):
            out.append(plain(template[pos:]))
        return out

    # -- placeholders -------------------------------------------------------------------

    def _resolve(self, name: str, form: str | None) -> list[Segment]:
        if form is not None:
            return self.person(self.people[name], form)
        rng, places = self.rng, self.cast.places
        simple: dict[str, tuple[str, Label] | tuple[str, None]] = {
            "pub": (rng.choice(places.pubs), Label.LOCATION),
            "park": (rng.choice(places.parks), Label.LOCATION),
            "town": (rng.choice(places.towns), Label.LOCATION),
            "hometown": (places.towns[0], Label.LOCATION),
            "street": (rng.choice(places.streets), Label.LOCATION),
            "school": (rng.choice(places.schools), Label.ORGANISATION),
            "employer": (rng.choice(places.employers), Label.ORGANISATION),
            "hospital": (places.hospital, Label.ORGANISATION),
            "gp": (places.gp, Label.ORGANISATION),
            # the force and the CPS identify nobody: not personal data, not marked
            "force": (places.force, None),
            "bank": (places.bank, Label.ORGANISATION),
            "cps": ("Crown Prosecution Service", None),
            "url": (self.url(), Label.URL),
            "ip": (ids.ipv4(rng), Label.IP_ADDRESS),
            "ip6": (ids.ipv6(rng), Label.IP_ADDRESS),
            "time": (f"{rng.randint(0, 23):02d}:{rng.choice(range(0, 60, 5)):02d}", None),
            "hours": (f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}", None),
            "n": (str(rng.randint(2, 9)), None),
            "money": (f"£{rng.randint(5, 900)}.{rng.choice(['00', '50', '99', '20'])}", None),
            "day": (self.day(), None),
        }
        text, label = simple[name]
        return [marked(text, label) if label is not None else plain(text)]

    def person(self, p: Person, form: str) -> list[Segment]:
        """Return a mention of ``p`` in ``form``, or one of their identifiers."""
        role = p.role.value
        name_forms = {
            "full": f"{p.first} {p.surname.upper()}",
            "fullest": f"{p.forenames} {p.surname.upper()}",
            "plain": f"{p.first} {p.surname}",
            "first": p.first,
            "sur": p.surname,
            "SUR": p.surname.upper(),
            "inv": f"{p.surname.upper()}, {p.forenames}",
            "lower": p.first.lower(),
            "initial": f"{p.first[0]}. {p.surname.upper()}",
        }
        if form in name_forms:
            return [marked(name_forms[form], Label.PERSON, role)]
        if form in _PRONOUNS:
            she, he = _PRONOUNS[form]
            return [plain(she if p.female else he)]
        if form == "formal":
            return [
                plain(p.title + " "),
                marked(f"{p.first[0]}. {p.surname.upper()}", Label.PERSON, role),
            ]
        if form == "tsur":
            return [plain(p.title + " "), marked(p.surname, Label.PERSON, role)]
        if form == "rank":
            return [plain(f"{p.rank} {p.collar} "), marked(p.surname.upper(), Label.PERSON, role)]
        if form == "rankfull":
            return [
                plain(f"{p.rank} {p.collar} "),
                marked(f"{p.first} {p.surname.upper()}", Label.PERSON, role),
            ]
        if form == "addr":
            return [self.address(p)]
        if form == "vrm" and not p.vehicles:
            p.vehicles.append(ids.registration_mark(self.rng, year=self.rng.randint(2002, 2024)))
        values: dict[str, tuple[str, Label]] = {
            "age": (str(p.age), Label.AGE),
            "dob": (self.dob(p), Label.DATE_OF_BIRTH),
            "pc": (p.address.postcode, Label.POSTCODE),
            "mob": (p.mobile, Label.PHONE),
            "tel": (p.landline, Label.PHONE),
            "email": (p.email, Label.EMAIL),
            "handle": (p.handle, Label.SOCIAL_HANDLE),
            "vrm": (p.vehicles[0] if p.vehicles else "", Label.VEHICLE_REG),
            "employer": (p.employer, Label.ORGANISATION),
            "ni": (p.ni, Label.NI_NUMBER),
            "nhs": (p.nhs, Label.NHS_NUMBER),
            "passport": (p.passport, Label.PASSPORT),
            "licence": (p.licence, Label.DRIVING_LICENCE),
            "pnc": (p.pnc, Label.PNC_ID),
            "cro": (p.cro, Label.CRO_NUMBER),
        }
        if form == "job":
            return [plain(p.occupation)]
        if form == "employer" and p.employer == self.cast.places.force:
            return [plain(p.employer)]  # an officer's force identifies nobody
        text, label = values[form]
        return [marked(text, label)]

    def address(self, p: Person) -> Segment:
        """Return the address as one unbreakable segment holding an ADDRESS and a POSTCODE mark."""
        text = p.address.text
        pc_start = len(text) - len(p.address.postcode)
        return Segment(
            text, (Mark(0, len(text), Label.ADDRESS), Mark(pc_start, len(text), Label.POSTCODE))
        )

    def dob(self, p: Person) -> str:
        """Return the birth date in one of the ways police forms write it."""
        b = p.birth
        style = self.rng.random()
        if style < 0.6:
            return f"{b.day:02d}/{b.month:02d}/{b.year}"
        if style < 0.85:
            return f"{b.day} {_MONTHS[b.month - 1]} {b.year}"
        return f"{b.day:02d}.{b.month:02d}.{b.year}"

    def day(self) -> str:
        """Return an incident-period date such as ``Saturday 14 June 2024`` (not an identifier)."""
        from datetime import timedelta

        d = self.cast.incident + timedelta(days=self.rng.randint(-90, 30))
        return f"{d:%A} {d.day} {d:%B %Y}"

    def url(self) -> str:
        """Return a URL on a reserved example domain."""
        rng = self.rng
        code = "".join(
            rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789")
            for _ in range(rng.randint(6, 11))
        )
        user = ids.fold(rng.choice(self.cast.everyone()[:8]).first).lower() + str(
            rng.randint(1, 99)
        )
        path = rng.choice(_URL_PATHS).format(code=code, num=rng.randint(1000, 9999), user=user)
        return f"{rng.choice(_URL_HOSTS)}/{path}"
