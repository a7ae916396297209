"""Payment cards, IBANs and UK bank details (sort code and account number)."""

from __future__ import annotations

import re
from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import digits_of, iban_ok, luhn_ok
from casework.domain.labels import Label

_CARD_GROUPS = re.compile(r"\d+")
# What people write between a sort code and its account number: "20-45-77    Account no: ".
_BETWEEN = r"[\s,;]{1,8}(?:(?i:account|acc|a/c)(?:\s(?i:no|number))?\.?[\s:]{1,3})?"


class CardRecognizer(PatternRecognizer):
    """Payment card numbers (13 to 19 digits) that pass the Luhn check."""

    NAME = "CardRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.CARD})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "card",
            r"(?<![\w/.-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\w]|[/.-]\d)",
            0.9,
            "card number passing the Luhn check",
        ),
    )
    CONTEXT = ("card", "visa", "mastercard", "amex", "debit", "credit", "paid", "payment")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Require the Luhn check and separators only between the usual groups."""
        if not luhn_ok(match_text):
            return False
        digits = digits_of(match_text)
        if not 13 <= len(digits) <= 19:
            return False
        groups = [len(g) for g in _CARD_GROUPS.findall(match_text)]
        return len(groups) == 1 or groups in ([4, 6, 5], [4, 6, 4]) or all(
            n == 4 for n in groups[:-1]
        )


class IbanRecognizer(PatternRecognizer):
    """International bank account numbers, checked with the ISO 13616 mod-97 rule."""

    NAME = "IbanRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.IBAN})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "iban",
            r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])",
            0.9,
            "IBAN passing the mod-97 check",
        ),
    )
    CONTEXT = ("iban", "bank", "account")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Keep only IBANs of the right length whose mod-97 remainder is 1."""
        return iban_ok(match_text)


class UkBankAccountRecognizer(PatternRecognizer):
    """UK sort codes and account numbers; a bare six or eight digits needs bank words nearby."""

    NAME = "UkBankAccountRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.BANK})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "sort_code_before_account",
            rf"(?<![\w/.-])(?P<span>\d{{2}}-\d{{2}}-\d{{2}})(?={_BETWEEN}\d{{8}}(?![\w]|[/.-]\d))",
            0.85,
            "UK sort code followed by an 8-digit account number",
        ),
        Pattern(
            "account_after_sort_code",
            rf"(?<![\w/.-])\d{{2}}-\d{{2}}-\d{{2}}{_BETWEEN}(?P<span>\d{{8}})(?![\w]|[/.-]\d)",
            0.85,
            "8-digit account number after a UK sort code",
        ),
        Pattern(
            "sort_code",
            r"(?<![\w/.-])\d{2}[- ]\d{2}[- ]\d{2}(?![\w]|[/.:-]\d)",
            0.3,
            "UK sort code (six digits in pairs) near bank words",
        ),
        Pattern(
            "account_number",
            r"(?<![\w/.-])\d{8}(?![\w]|[/.-]\d)",
            0.25,
            "8-digit UK account number near bank words",
        ),
    )
    CONTEXT = ("sort code", "sort-code", "s/c", "account", "acc", "a/c", "bank", "account no",
               "account number", "barclays", "lloyds", "natwest", "hsbc", "santander", "monzo")
    CONTEXT_BOOST = 0.45
