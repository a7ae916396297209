"""Deterministic normalisers of what links cases: phones, VRMs, postcodes, addresses.

Two officers write the same thing differently ("07700 900123" and "+447700900123", "AB12 CDE"
and "ab12cde", "12 High St" and "12 High Street"); entity resolution compares these keys,
never the raw text, so that an exact key match is explainable in one line.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from casework.detection.recognizers.addresses import POSTCODE
from casework.detection.validators import postcode_ok

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_SPACES = re.compile(r"\s+")
_POSTCODE_IN_TEXT = re.compile(rf"(?<![\w]){POSTCODE}(?![\w])")
_UK_NATIONAL_DIGITS = 10
"""Every UK number has ten digits after the country code (+44): shorter ones are not numbers."""

STREET_WORDS: dict[str, str] = {
    "RD": "ROAD",
    "ST": "STREET",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "LN": "LANE",
    "DR": "DRIVE",
    "CL": "CLOSE",
    "CRES": "CRESCENT",
    "CT": "COURT",
    "PL": "PLACE",
    "GDNS": "GARDENS",
    "GRN": "GREEN",
    "GR": "GROVE",
    "GRV": "GROVE",
    "TCE": "TERRACE",
    "TER": "TERRACE",
    "SQ": "SQUARE",
    "PDE": "PARADE",
    "HSE": "HOUSE",
    "APT": "FLAT",
    "APARTMENT": "FLAT",
}
"""Royal Mail's common street-type abbreviations, written out so both forms share one key."""


def fold(text: str) -> str:
    """Strip accents and tidy spaces: "Zoë  O'Brien" -> "Zoe O'Brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip()


def phone_key(text: str) -> tuple[str, str]:
    """Return a phone number's key and how it was made.

    UK numbers in any common spelling (spaces, brackets, ``+44``, ``0044``, ``+44 (0)``) become
    E.164 (``+447700900123``); text that is not a possible number keeps its digits only, and
    says so, so that a partial number never silently matches a full one.
    """
    digits = re.sub(r"\D", "", text)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return digits, "digits only (not a possible phone number)"
    national = str(number.national_number)
    if not phonenumbers.is_possible_number(number) or (
        number.country_code == 44 and len(national) != _UK_NATIONAL_DIGITS
    ):
        return digits, "digits only (not a possible phone number)"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), "E.164"


def vrm_key(text: str) -> str:
    """Return a vehicle registration mark without spaces or punctuation, upper case."""
    return _NOT_ALNUM.sub("", fold(text)).upper()


def postcode_key(text: str) -> str | None:
    """Return a UK postcode in its standard form (``LS1 4AB``), or None if it is not one."""
    compact = _NOT_ALNUM.sub("", text).upper()
    if not postcode_ok(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def find_postcode(text: str) -> str | None:
    """Return the last postcode written in an address, in standard form."""
    found = [postcode_key(m.group(0)) for m in _POSTCODE_IN_TEXT.finditer(text)]
    keys = [k for k in found if k]
    return keys[-1] if keys else None


def address_key(text: str) -> str:
    """Return an address's words, upper case, abbreviations written out, postcode removed.

    "Flat 2, 12 High St., Leeds LS1 4AB" -> "FLAT 2 12 HIGH STREET LEEDS".
    """
    without_postcode = _POSTCODE_IN_TEXT.sub(" ", fold(text))
    words = _NOT_ALNUM.sub(" ", without_postcode).upper().split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)


def address_numbers(key: str) -> frozenset[str]:
    """Return the house and flat numbers of an address key: two addresses must share them all."""
    return frozenset(word for word in key.split() if any(c.isdigit() for c in word))


NAME_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohd"),
    ("aisha", "ayesha", "aysha", "aishah"),
    ("siobhan", "shivaun", "shevaun"),
    ("sean", "shaun", "shawn"),
    ("yusuf", "yousef", "yusuff", "youssef", "yousuf"),
    ("oluwaseun", "oluwaseyi"),
    ("kieran", "ciaran"),
    ("stephen", "steven"),
    ("catherine", "katherine", "kathryn", "catharine"),
    ("hussain", "hussein", "husain", "hossain"),
    ("ahmed", "ahmad"),
    ("rahman", "rehman"),
)
"""Spellings of one name that neither phonetic code nor edit distance reliably joins.

Mostly transliterations (Arabic, Irish): written out, because a list can be checked by an
officer and a rule that would join "Siobhan" and "Shivaun" would join much else.
"""

_VARIANT_OF = {spelling: group[0] for group in NAME_VARIANTS for spelling in group}


def name_variant(word: str) -> str:
    """Return the first spelling of a name's variant group, or the word itself."""
    return _VARIANT_OF.get(word, word)
