"""Name pools for the synthetic demo cases: diverse, and marked so that nobody takes them as real.

Given names and family names come from many of the communities of England and Wales; every
family name carries the suffix ``-Demo`` ("Amina Hassan-Demo"), so a demo person can never
be mistaken for, or merged with, a real one. The pools are fixed lists in this module (not
drawn from a library whose data may change between versions) so that the same seed makes
the same people on every installation: ``casework demo`` relies on that to recognise the
cases it has already loaded.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from casework.domain.pole import PersonDetails

DEMO_SUFFIX = "-Demo"

FEMALE = (
    "Amina", "Hodan", "Priya", "Aisha", "Siobhan", "Bronwen", "Chiamaka", "Abena", "Agnieszka",
    "Ioana", "Mei", "Zeynep", "Grace", "Chloe", "Megan", "Sophie", "Fatima", "Nadia", "Rhiannon",
    "Niamh", "Kelechi", "Yaa", "Katarzyna", "Elena", "Xiu", "Elif", "Jade", "Shanice", "Harpreet",
    "Zainab", "Lowri", "Aoife", "Folake", "Ama", "Magdalena", "Andreea", "Lin", "Ayse", "Keisha",
    "Olivia", "Emily", "Saima", "Ruth", "Deborah", "Maryam", "Sagal", "Ifeoma", "Gintare",
    "Beatriz", "Tamsin",
)  # fmt: skip
MALE = (
    "Abdi", "Imran", "Rajesh", "Tariq", "Declan", "Rhys", "Chinedu", "Kwame", "Piotr", "Andrei",
    "Wei", "Mehmet", "Jack", "Liam", "Connor", "Darren", "Omar", "Bilal", "Gethin", "Ciaran",
    "Emeka", "Kofi", "Tomasz", "Mihai", "Jun", "Emre", "Jordan", "Tyrone", "Gurpreet", "Yusuf",
    "Dylan", "Padraig", "Tunde", "Kwabena", "Marek", "Bogdan", "Hao", "Burak", "Marcus", "Callum",
    "Ryan", "Asif", "Samuel", "Daniel", "Hamza", "Khalid", "Obinna", "Mindaugas", "Joao", "Craig",
)  # fmt: skip
FAMILY = (
    "Hassan", "Warsame", "Sharma", "Khan", "O'Brien", "Pritchard", "Okafor", "Mensah",
    "Kowalska", "Popescu", "Zhang", "Yilmaz", "Smith", "Jones", "Williams", "Taylor", "Brown",
    "Davies", "Evans", "Thomas", "Roberts", "Patel", "Begum", "Hussain", "Ali", "Ahmed", "Singh",
    "Kaur", "Murphy", "Kelly", "Byrne", "Adeyemi", "Okonkwo", "Boateng", "Asante", "Nowak",
    "Wisniewski", "Ionescu", "Chen", "Wang", "Demir", "Kaya", "Campbell", "Clarke", "Robinson",
    "Walker", "Wright", "Green", "Hughes", "Lewis", "Morgan", "Griffiths", "Chowdhury", "Mahmood",
    "Farah", "Abdullahi", "Nwosu", "Owusu", "Kazlauskas", "Silva", "Fernandes", "Lee",
    "Thompson", "Edwards", "Parry", "Rahman", "Iqbal", "Mistry", "Nolan", "Doherty",
)  # fmt: skip
RANKS = ("PC", "PC", "DC", "DC", "DC", "PS", "DS")

_BORN_FROM = date(1950, 1, 1)
_BORN_UNTIL = date(2004, 12, 31)


def demo_person(rng: random.Random, *, female: bool, born: bool = True) -> PersonDetails:
    """Draw one synthetic person; members of the public get a date of birth, staff do not."""
    given = rng.choice(FEMALE if female else MALE)
    family = rng.choice(FAMILY) + DEMO_SUFFIX
    date_of_birth = None
    if born:
        span = (_BORN_UNTIL - _BORN_FROM).days
        date_of_birth = _BORN_FROM + timedelta(days=rng.randint(0, span))
    return PersonDetails(given_names=given, family_name=family, date_of_birth=date_of_birth)


def staff_name(rng: random.Random) -> PersonDetails:
    """Draw a member of staff (officer, prosecutor, IDVA): no date of birth is recorded."""
    return demo_person(rng, female=rng.random() < 0.5, born=False)


def actor_name(person: PersonDetails, rank: str = "") -> str:
    """How a member of staff signs a change: ``DC Amina Hassan-Demo``."""
    return f"{rank} {person.full_name}".strip()
