"""Phone numbers and email addresses."""

from __future__ import annotations

from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import digits_of
from casework.domain.labels import Label

# Country prefix as written: "+44", "0044", "+44 (0)", or the national trunk "0" (maybe "(0").
_INTL = r"(?:\+44|0044)[ ]?(?:\(0\)[ ]?)?"
_END = r"(?![\w/.]\d|\w)"


class UkPhoneRecognizer(PatternRecognizer):
    """UK mobile and landline numbers in the spacings and brackets people actually write."""

    NAME = "UkPhoneRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.PHONE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "mobile_international",
            rf"(?<![\w+]){_INTL}7\d{{3}}[ -]?\d{{3}}[ -]?\d{{3}}{_END}",
            0.9,
            "UK mobile number, +44 7 prefix",
        ),
        Pattern(
            "mobile_national",
            r"(?<![\w+(])\(?07\d{3}\)?[ -]?\d{3}[ -]?\d{3}" + _END,
            0.85,
            "UK mobile number, 07 prefix",
        ),
        Pattern(
            "landline_international",
            rf"(?<![\w+]){_INTL}[1-38]\d(?:[ -]?\d){{7,8}}{_END}",
            0.85,
            "UK landline number, +44 prefix",
        ),
        Pattern(
            "landline_national",
            r"(?<![\w+(])\(?0[1-38]\d{1,4}\)?(?:[ -]?\d){5,8}" + _END,
            0.7,
            "UK landline number, 01/02/03/08 area code",
        ),
    )
    CONTEXT = ("tel", "telephone", "phone", "mobile", "mob", "call", "called", "ring", "rang",
               "text", "texted", "contact", "number", "landline", "whatsapp")
    CONTEXT_BOOST = 0.1

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Check the digit count after the prefix and that brackets pair up."""
        if match_text.count("(") != match_text.count(")"):
            return False
        digits = digits_of(match_text)
        if digits.startswith("0044"):
            digits = "0" + digits[4:]
        elif digits.startswith("44"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):  # "+44 (0)" leaves a doubled trunk zero
            digits = digits[1:]
        if pattern.name.startswith("mobile"):
            return None if len(digits) == 11 else False
        if len(digits) not in (10, 11) or len(set(digits[1:])) == 1:
            return False
        return None


class EmailRecognizer(PatternRecognizer):
    """Email addresses: a local part, an @ and a domain with a top-level domain of letters."""

    NAME = "EmailRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.EMAIL})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "email",
            r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}"
            r"(?:\.[A-Za-z0-9-]{1,63}){0,5}\.[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])",
            0.95,
            "email address: local part, @ and domain",
        ),
    )
    CONTEXT = ("email", "e-mail", "mail")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Drop local parts with doubled or edge dots, which mail systems refuse."""
        local = match_text.split("@", 1)[0]
        if ".." in local or local.endswith("."):
            return False
        return None
