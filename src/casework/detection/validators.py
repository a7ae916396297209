"""Check digits and structural rules that turn a regex match into a trustworthy finding.

Each function takes the matched text as written (spaces, hyphens, any case) and answers
True or False; recognizers turn that into keep, drop or keep-at-full-confidence. They are
plain functions so that other capabilities (a data-quality check, a form validator) can
reuse them without the engine.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NON_DIGIT = re.compile(r"\D")


def digits_of(text: str) -> str:
    """Return only the digits of ``text`` (numbers are written with spaces and hyphens)."""
    return _NON_DIGIT.sub("", text)


def compact(text: str) -> str:
    """Return ``text`` upper-cased with every character that is not a letter or digit removed."""
    return _NON_ALNUM.sub("", text).upper()


def luhn_ok(text: str) -> bool:
    """Return whether the digits of ``text`` pass the Luhn check used by payment cards."""
    digits = digits_of(text)
    if len(digits) < 12:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ISO 13616 lengths for the countries officers meet most; others only need 15..34.
_IBAN_LENGTHS = {
    "GB": 22, "IE": 22, "DE": 22, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "BE": 16,
    "PL": 28, "PT": 25, "RO": 24, "LT": 20, "LV": 21, "SK": 24, "CZ": 24, "BG": 22,
    "AT": 20, "CH": 21, "SE": 24, "NO": 15, "DK": 18, "FI": 18, "GR": 27, "HU": 28,
}


def iban_ok(text: str) -> bool:
    """Return whether ``text`` is an IBAN with the right length for its country and mod-97 = 1."""
    iban = compact(text)
    if not 15 <= len(iban) <= 34 or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def nhs_number_ok(text: str) -> bool:
    """Return whether ``text`` is ten digits whose last is the NHS modulus-11 check digit."""
    digits = digits_of(text)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# Postcode letters that may appear in each position (Royal Mail PAF rules).
_PC_FIRST = set("ABCDEFGHIJKLMNOPRSTUWYZ")
_PC_SECOND = set("ABCDEFGHKLMNOPQRSTUVWXY")
_PC_THIRD = set("ABCDEFGHJKPSTUW")  # the letter of A9A
_PC_FOURTH = set("ABEHMNPRVWXY")  # the letter of AA9A
_PC_INWARD = set("ABDEFGHJLNPQRSTUWXYZ")


def postcode_ok(text: str) -> bool:
    """Return whether ``text`` is a structurally valid UK postcode (GIR 0AA included)."""
    pc = compact(text)
    if pc == "GIR0AA":
        return True
    if not 5 <= len(pc) <= 7:
        return False
    outward, inward = pc[:-3], pc[-3:]
    if not (inward[0].isdigit() and inward[1] in _PC_INWARD and inward[2] in _PC_INWARD):
        return False
    if outward[0] not in _PC_FIRST or not outward[-1].isalnum():
        return False
    shape = "".join("9" if c.isdigit() else "A" for c in outward)
    if shape in ("A9", "A99"):
        return True
    if shape == "A9A":
        return outward[2] in _PC_THIRD
    if shape in ("AA9", "AA99"):
        return outward[1] in _PC_SECOND
    if shape == "AA9A":
        return outward[1] in _PC_SECOND and outward[3] in _PC_FOURTH
    return False


_NI_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_BAD_LETTERS = frozenset("DFIQUV")


def ni_number_ok(text: str) -> bool:
    """Return whether ``text`` is a National Insurance number with a prefix HMRC issues."""
    ni = compact(text)
    if len(ni) != 9 or not (ni[:2].isalpha() and ni[2:8].isdigit() and ni[8] in "ABCD"):
        return False
    first, second = ni[0], ni[1]
    if first in _NI_BAD_LETTERS or second in _NI_BAD_LETTERS or second == "O":
        return False
    return ni[:2] not in _NI_BAD_PREFIXES


_DVLA_SURNAME = re.compile(r"[A-Z][A-Z]*9*")
_DVLA_INITIALS = re.compile(r"[A-Z][A-Z9]")


def driving_licence_ok(text: str) -> bool:
    """Return whether ``text`` has the structure of a DVLA licence number (16 characters).

    Surname (5, padded with 9s), decade, month (+50 for women), day, year digit,
    initials (2, padded with 9), a digit and two check characters.
    """
    dl = compact(text)
    if len(dl) != 16:
        return False
    surname, digits, initials, tail = dl[:5], dl[5:11], dl[11:13], dl[13:]
    if not _DVLA_SURNAME.fullmatch(surname) or not digits.isdigit():
        return False
    if not _DVLA_INITIALS.fullmatch(initials):
        return False
    if not (tail[0].isdigit() and tail[1:].isalnum()):
        return False
    month = int(digits[1:3])
    day = int(digits[3:5])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31


_PNC_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_check_letter(year: str, serial: str) -> str:
    """Return the PNC check letter: (two-digit year + serial padded to 7 digits) mod 23."""
    return _PNC_CHECK[int(year[-2:] + serial.zfill(7)) % 23]


def pnc_id_ok(text: str) -> bool:
    """Return whether a PNC ID such as ``09/123456A`` carries its correct check letter."""
    year, _, rest = compact_slash(text).partition("/")
    serial, letter = rest[:-1], rest[-1:]
    if not (year.isdigit() and serial.isdigit() and letter.isalpha()):
        return False
    return pnc_check_letter(year, serial) == letter.upper()


def cro_number_ok(text: str) -> bool:
    """Return whether a CRO number such as ``123456/09A`` carries its correct check letter."""
    serial, _, rest = compact_slash(text).removeprefix("SF").partition("/")
    year, letter = rest[:-1], rest[-1:]
    if not (serial.isdigit() and year.isdigit() and len(year) == 2 and letter.isalpha()):
        return False
    return _PNC_CHECK[int(year + serial.zfill(6)) % 23] == letter.upper()


def compact_slash(text: str) -> str:
    """Return ``text`` without spaces (PNC and CRO numbers keep their slash)."""
    return text.replace(" ", "")


def ipv4_ok(text: str) -> bool:
    """Return whether ``text`` is a dotted IPv4 address (each octet 0..255, no leading zeros)."""
    parts = text.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or int(part) > 255 or (len(part) > 1 and part[0] == "0"):
            return False
    return True


def ipv6_ok(text: str) -> bool:
    """Return whether ``text`` is an IPv6 address with at least three groups written out."""
    if text.count(":") < 2 or sum(1 for g in text.split(":") if g) < 3:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_DATE_NUMBERS = re.compile(r"\d+")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")


def parse_date(text: str) -> date | None:
    """Return the calendar date written in ``text`` (day-first, as in the UK), or None.

    Understands ``12/03/1987``, ``12.03.87``, ``12 March 1987``, ``12th of Mar 1987`` and
    ``March 12, 1987``. Two-digit years are read as 19xx when they are after this year's.
    """
    numbers = [int(n) for n in _DATE_NUMBERS.findall(text)]
    month_word = next(
        (m for m in _MONTH_WORD.findall(text) if m[:3].lower() in _MONTHS), None
    )
    if month_word is not None and len(numbers) == 2:
        day, year, month = numbers[0], numbers[1], _MONTHS[month_word[:3].lower()]
    elif month_word is None and len(numbers) == 3:
        day, month, year = numbers
    else:
        return None
    if year < 100:
        this_year = date.today().year % 100
        year += 1900 if year > this_year else 2000
    if not 1880 <= year <= date.today().year + 1:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
