"""UK postcodes and street addresses."""

from __future__ import annotations

from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.detection.validators import postcode_ok
from casework.domain.labels import Label

# Outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward code (9AA) with the letters Royal
# Mail allows in each position; GIR 0AA is the one historic exception.
POSTCODE = (
    r"(?i:GIR[ ]?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?)"
    r"[ ]?\d[ABD-HJLNP-UW-Z]{2})"
)

_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Ct|Gardens|Gdns"
    "|Place|Pl|Terrace|Grove|Walk|Mews|Row|Hill|Park|Square|Sq|View|Rise|Parade|Green"
    "|Vale|Boulevard|Approach|Wharf|Yard|Fold|Croft|Gate|Chase|Meadows?|Heights|Passage"
    "|Cottages|Villas|Buildings|Mount|Bank|Brow|End|Side|Wynd|Circus|Embankment|Broadway"
)
_BUILDING_TYPES = "Court|House|Lodge|Tower|Mansions|Apartments|Point|Heights|Building|Hall"
_WORD = r"(?:St\.?[ ]|[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?[ ])"
_UNIT = r"(?:(?:Flat|Apartment|Apt\.?|Unit|Room|Suite)[ ]\d{1,4}[A-Za-z]?,?[ ])"
_TOWN = (
    r"(?:,[ ]?[A-Z][a-z]+"
    r"(?:(?:[ ]upon[ ]|-(?:upon|on|under|in|le|by|the)-)[A-Z][a-z]+|[ -][A-Z][a-z]+){0,2})"
)
_TAIL = rf"(?:{_TOWN}{{0,2}}(?:,?[ ]{POSTCODE}(?![\w]))?)"


class UkPostcodeRecognizer(PatternRecognizer):
    """UK postcodes, with or without the space, in upper or lower case; structure checked."""

    NAME = "UkPostcodeRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.POSTCODE})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "postcode",
            rf"(?<![\w]){POSTCODE}(?![\w])",
            0.8,
            "UK postcode: outward and inward code with letters valid in each position",
        ),
    )
    CONTEXT = ("postcode", "post code", "address", "lives at", "living at", "resides")
    CONTEXT_BOOST = 0.15

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Check every letter's position; a written-out capitalised spaced one is certain."""
        if not postcode_ok(match_text):
            return False
        return True if " " in match_text and match_text.isupper() else None


class UkAddressRecognizer(PatternRecognizer):
    """Street addresses: house number, street name and street type, then town and postcode."""

    NAME = "UkAddressRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.ADDRESS})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "street_address",
            rf"(?<![\w]){_UNIT}?\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?[ ](?:the[ ])?{_WORD}{{1,3}}"
            rf"(?:{_STREET_TYPES})(?![\w]){_TAIL}",
            0.85,
            "house number, street name and street type",
        ),
        Pattern(
            "building_address",
            rf"(?<![\w]){_UNIT}{_WORD}{{1,3}}(?:{_BUILDING_TYPES}|{_STREET_TYPES})(?![\w])"
            rf"(?:,[ ]\d{{1,4}}[A-Za-z]?[ ]{_WORD}{{1,3}}(?:{_STREET_TYPES})(?![\w]))?{_TAIL}",
            0.85,
            "flat or unit number in a named building",
        ),
    )
    CONTEXT = ("address", "lives at", "living at", "resides", "resident", "home")
    CONTEXT_BOOST = 0.1
