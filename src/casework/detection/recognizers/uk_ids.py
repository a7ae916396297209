"""UK identity and police reference numbers: NI, NHS, PNC, CRO, passport, driving licence."""

from __future__ import annotations

from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import (
    cro_number_ok,
    driving_licence_ok,
    nhs_number_ok,
    ni_number_ok,
    pnc_id_ok,
)
from casework.domain.labels import Label

_NUM_START = r"(?<![\w/.-])"
_NUM_END = r"(?![\w]|[/.-]\d)"


class UkNiNumberRecognizer(PatternRecognizer):
    """National Insurance numbers, only with prefixes that HMRC issues and a suffix A-D."""

    NAME = "UkNiNumberRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.NI_NUMBER})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "ni_number",
            r"(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]"
            r"(?![\w])",
            0.85,
            "NI number with a valid prefix",
        ),
    )
    CONTEXT = ("national insurance", "ni number", "ni no", "nino", "ni")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Refuse the prefixes that are never issued (BG, GB, KN, NK, NT, TN, ZZ)."""
        return ni_number_ok(match_text)


class NhsNumberRecognizer(PatternRecognizer):
    """NHS numbers: ten digits whose last is the modulus-11 check digit."""

    NAME = "NhsNumberRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.NHS_NUMBER})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "nhs_spaced",
            _NUM_START + r"\d{3}[ -]\d{3}[ -]\d{4}" + _NUM_END,
            0.6,
            "NHS number in 3-3-4 groups with a valid mod-11 check digit",
        ),
        Pattern(
            "nhs_plain",
            _NUM_START + r"\d{10}" + _NUM_END,
            0.3,
            "10-digit NHS number with a valid mod-11 check digit",
        ),
    )
    CONTEXT = ("nhs", "nhs number", "nhs no", "health", "gp", "hospital", "patient")
    CONTEXT_BOOST = 0.35

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Check the mod-11 digit."""
        return None if nhs_number_ok(match_text) else False


class PncIdRecognizer(PatternRecognizer):
    """Police National Computer IDs: year (2 or 4 digits) / serial / check letter."""

    NAME = "PncIdRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.PNC_ID})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "pnc_id",
            r"(?<![\w/])(?:19|20)?\d{2}/\d{3,7}[A-Z](?![\w]|/\d)",
            0.8,
            "PNC ID: year / serial number / check letter",
        ),
    )
    CONTEXT = ("pnc", "pnc id", "pncid", "pnc number", "pnc no")
    CONTEXT_BOOST = 0.15

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """A correct check letter gives full confidence; a wrong one keeps the format score."""
        return True if pnc_id_ok(match_text) else None


class CroNumberRecognizer(PatternRecognizer):
    """Criminal Records Office numbers such as ``123456/09A``: serial / year / check letter."""

    NAME = "CroNumberRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.CRO_NUMBER})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "cro_number",
            r"(?<![\w/])(?:SF[ ]?)?\d{1,6}/\d{2}[A-Z](?![\w]|/\d)",
            0.7,
            "CRO number: serial / year / check letter",
        ),
    )
    CONTEXT = ("cro", "cro number", "cro no", "criminal records office", "fingerprint")
    CONTEXT_BOOST = 0.25

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """A correct check letter gives full confidence; a wrong one keeps the format score."""
        return True if cro_number_ok(match_text) else None


class UkPassportRecognizer(PatternRecognizer):
    """Passport numbers: UK 9 digits, or letters and digits; always with passport words near."""

    NAME = "UkPassportRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.PASSPORT})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "uk_passport",
            _NUM_START + r"\d{9}" + _NUM_END,
            0.2,
            "9-digit UK passport number",
        ),
        Pattern(
            "passport_like",
            r"(?<![\w])[A-Z]{1,2}\d{6,8}(?![\w])",
            0.2,
            "passport number (letters and digits)",
        ),
    )
    CONTEXT = ("passport", "passport no", "passport number", "travel document")
    CONTEXT_BOOST = 0.5


class UkDrivingLicenceRecognizer(PatternRecognizer):
    """DVLA driving licence numbers (16 characters), structure checked field by field."""

    NAME = "UkDrivingLicenceRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.DRIVING_LICENCE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "dvla",
            r"(?<![\w])[A-Z][A-Z9]{4}[ ]?\d[0156]\d[0-3]\d{2}[ ]?[A-Z][A-Z9]\d[A-Z0-9]{2}(?![\w])",
            0.85,
            "DVLA driving licence number: surname, birth date and initials fields valid",
        ),
    )
    CONTEXT = ("driving licence", "licence", "license", "dvla", "driver")

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Check the surname padding, month (women +50), day and initials fields."""
        return driving_licence_ok(match_text)
