"""Synthetic identifiers: right in form and check digits, drawn from ranges kept for fiction.

Where a range is reserved for drama or documentation we use it, so that a demo bundle can
never point at a real person: Ofcom's drama telephone numbers, ``example.com``/``.org``/
``.net`` (RFC 2606), the IPv4 documentation blocks (RFC 5737) and ``2001:db8::/32``
(RFC 3849), and NHS numbers in the 999 test range. The others (National Insurance, card,
sort code, PNC, CRO, passport, licence, registration marks, postcodes) are random but
valid in structure, with the check digit or letter that real validators compute.
"""

from __future__ import annotations

import random
import string
import unicodedata
from datetime import date

_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_BANNED = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
_POLICE_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"
_REG_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q in the random part of a mark
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # no C, I, K, M, O, V in a postcode's inward code
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "s",
        "æ": "a",
        "Æ": "A",
        "œ": "o",
        "Œ": "O",
        "þ": "t",
        "ð": "d",
    }
)

# Ofcom's numbers for drama: (prefix, how many digits follow).
_DRAMA_LANDLINES = (
    ("020 7946 0", 3),
    ("0113 496 0", 3),
    ("0114 496 0", 3),
    ("0115 496 0", 3),
    ("0116 496 0", 3),
    ("0117 496 0", 3),
    ("0118 496 0", 3),
    ("0121 496 0", 3),
    ("0131 496 0", 3),
    ("0141 496 0", 3),
    ("0151 496 0", 3),
    ("0161 496 0", 3),
    ("028 9649 6", 3),
    ("029 2018 0", 3),
    ("01632 960", 3),
)


def fold(text: str) -> str:
    """Return ``text`` with each letter replaced by its plain Latin letter, one for one.

    The PDF writer uses the standard Helvetica font, which has no glyph for ``ł`` or ``ș``;
    police systems such as the PNC also hold names without diacritics.
    """
    out = []
    for char in text.translate(_FOLD):
        if ord(char) < 128:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        out.append(base if ord(base) < 128 else "?")
    return "".join(out)


def digits(rng: random.Random, n: int) -> str:
    """Return ``n`` random decimal digits."""
    return "".join(rng.choice(string.digits) for _ in range(n))


def ni_number(rng: random.Random) -> str:
    """Return a National Insurance number with a permitted prefix, e.g. ``JT 48 21 93 C``."""
    while True:
        prefix = rng.choice(_NI_FIRST) + rng.choice(_NI_SECOND)
        if prefix not in _NI_BANNED:
            break
    body = digits(rng, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.6:
        return f"{prefix} {body[:2]} {body[2:4]} {body[4:]} {suffix}"
    return f"{prefix}{body}{suffix}"


def nhs_number(rng: random.Random) -> str:
    """Return a 999-range NHS number whose tenth digit is the modulus-11 check, ``999 123 4567``."""
    while True:
        body = "999" + digits(rng, 6)
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            number = body + str(check)
            return f"{number[:3]} {number[3:6]} {number[6:]}"


def luhn_check(number: str) -> int:
    """Return the Luhn check digit for ``number`` (the digits before the check digit)."""
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    return (10 - total % 10) % 10


def card_number(rng: random.Random) -> str:
    """Return a Luhn-valid Visa, Mastercard or Amex number, grouped as printed on a card."""
    kind = rng.random()
    if kind < 0.12:
        body = rng.choice(("34", "37")) + digits(rng, 12)
        number = body + str(luhn_check(body))
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    prefix = "4" if kind < 0.6 else str(rng.randint(51, 55))
    body = prefix + digits(rng, 15 - len(prefix))
    number = body + str(luhn_check(body))
    if rng.random() < 0.2:
        return number
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def sort_code(rng: random.Random) -> str:
    """Return a sort code such as ``20-45-77``."""
    return f"{rng.randint(1, 99):02d}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"


def account_number(rng: random.Random) -> str:
    """Return an eight-digit account number."""
    return str(rng.randint(1, 9)) + digits(rng, 7)


def iban(rng: random.Random, sort: str, account: str) -> str:
    """Return the GB IBAN of a sort code and account, with ISO 13616 mod-97 check digits."""
    bank = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
    bban = bank + sort.replace("-", "") + account
    rearranged = "".join(str(int(c, 36)) for c in bban + "GB00")
    check = 98 - int(rearranged) % 97
    compact = f"GB{check:02d}{bban}"
    if rng.random() < 0.3:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def pnc_id(rng: random.Random, year: int) -> str:
    """Return a PNC ID ``YYYY/NNNNNNNX``; the letter is (YY + serial) mod 23, as the PNC does."""
    serial = f"{rng.randint(1, 999_999):07d}"
    yy = f"{year % 100:02d}"
    check = _POLICE_CHECK[int(yy + serial) % 23]
    if rng.random() < 0.5:
        return f"{year}/{serial}{check}"
    return f"{yy}/{serial.lstrip('0')}{check}"


def cro_number(rng: random.Random, year: int) -> str:
    """Return a CRO number ``NNNNNN/YYX`` with its mod-23 check letter."""
    serial = f"{rng.randint(1, 999_999):06d}"
    yy = f"{year % 100:02d}"
    check = _POLICE_CHECK[int(yy + serial) % 23]
    return f"{serial}/{yy}{check}"


def passport_number(rng: random.Random, nationality: str) -> str:
    """Return a passport number in the shape of the issuing state (UK: nine digits)."""
    if nationality in {"British", "Nigerian", "Indian", "Pakistani"} or rng.random() < 0.3:
        return str(rng.randint(1, 9)) + digits(rng, 8)
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
    return letters + digits(rng, 7)


def driving_licence(
    rng: random.Random, *, surname: str, forenames: list[str], birth: date, female: bool
) -> str:
    """Return a DVLA licence number built from the holder's surname, birth date and initials.

    Characters 1-5 are the surname (``MAC`` read as ``MC``, padded with 9), 6 and 11 the
    decade and year of birth, 7-8 the month (plus 50 for a woman), 9-10 the day, 12-13 the
    initials, 14 an arbitrary digit and 15-16 two check characters.
    """
    letters = "".join(c for c in fold(surname).upper() if c.isalpha())
    if letters.startswith("MAC"):
        letters = "MC" + letters[3:]
    head = (letters + "99999")[:5]
    month = birth.month + (50 if female else 0)
    initials = "".join(fold(n)[0].upper() for n in forenames[:2] if n)
    initials = (initials + "9")[:2]
    tail = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(2))
    return (
        f"{head}{str(birth.year)[2]}{month:02d}{birth.day:02d}{str(birth.year)[3]}{initials}9{tail}"
    )


def registration_mark(rng: random.Random, *, year: int) -> str:
    """Return a registration mark in the format in use in ``year`` (current, prefix, suffix)."""

    def letters(n: int) -> str:
        return "".join(rng.choice(_REG_LETTERS) for _ in range(n))

    if year >= 2001:
        age = year % 100 + 50 if year == 2001 or rng.random() < 0.5 else year % 100
        return f"{letters(2)}{age:02d} {letters(3)}"
    if year >= 1983:
        prefix = "ABCDEFGHJKLMNPRSTVWXY"[min(year - 1983, 20)]
        return f"{prefix}{rng.randint(1, 999)} {letters(3)}"
    suffix = "ABCDEFGHJKLMNPRSTVWXY"[min(max(year - 1963, 0), 20)]
    return f"{letters(3)} {rng.randint(1, 999)}{suffix}"


def postcode(rng: random.Random, area: str, districts: tuple[int, int]) -> str:
    """Return a postcode in ``area``, e.g. ``LS6 2AB``."""
    district = rng.randint(*districts)
    inward = f"{rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{area}{district} {inward}"


def mobile(rng: random.Random) -> str:
    """Return a drama mobile number (07700 900000-900999) in one of the ways people write it."""
    tail = digits(rng, 3)
    style = rng.random()
    if style < 0.55:
        return f"07700 900{tail}"
    if style < 0.75:
        return f"07700900{tail}"
    if style < 0.9:
        return f"+44 7700 900{tail}"
    return f"+447700900{tail}"


def landline(rng: random.Random) -> str:
    """Return a drama landline number, e.g. ``0113 496 0123``."""
    prefix, n = rng.choice(_DRAMA_LANDLINES)
    return prefix + digits(rng, n)


def ipv4(rng: random.Random) -> str:
    """Return an address from one of the three documentation blocks."""
    block = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{block}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    """Return an address in ``2001:db8::/32``, sometimes compressed with ``::``."""
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(6)]
    if rng.random() < 0.5:
        return f"2001:db8:{groups[0]}:{groups[1]}::{groups[2]}"
    return "2001:db8:" + ":".join(groups)
