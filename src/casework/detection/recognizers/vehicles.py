"""UK vehicle registration marks: current, prefix, suffix and dateless forms."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from casework.detection.base import Pattern, PatternRecognizer
from casework.domain.labels import Label

# DVLA never uses I or Q; no memory tag starts with Z (so "ZZ99 ZZZ", a common dummy, is not
# a mark). Unused region letters (J, T, U, X) are still accepted: imported and trade plates.
_NOT_WORD = r"(?![\w])"
_POLICE_RANKS = frozenset({"PC", "DC", "DS", "DI", "PS", "DCI", "DSU", "SGT", "INS", "CI", "SU"})


class UkVehicleRegRecognizer(PatternRecognizer):
    """UK registration marks; the older forms look like ordinary codes, so they need context."""

    NAME = "UkVehicleRegRecognizer"
    VERSION = "1"
    LABELS = frozenset({Label.VEHICLE_REG})
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "current",
            r"(?<![\w])[A-HJ-PR-Y][A-HJ-PR-Z]\d{2}[ ]?[A-HJ-PR-Z]{3}" + _NOT_WORD,
            0.85,
            "UK registration mark, current format (2001 onwards)",
        ),
        Pattern(
            "prefix",
            r"(?<![\w])[A-HJ-NPR-TV-Y]\d{1,3}[ ]?[A-HJ-PR-Z]{3}" + _NOT_WORD,
            0.35,
            "UK registration mark, prefix format (1983-2001), with vehicle words nearby",
        ),
        Pattern(
            "suffix",
            r"(?<![\w])[A-HJ-PR-Z]{3}[ ]?\d{1,3}[ ]?[A-HJ-NPR-TV-Y]" + _NOT_WORD,
            0.35,
            "UK registration mark, suffix format (1963-1983), with vehicle words nearby",
        ),
        Pattern(
            "dateless",
            r"(?<![\w])(?:[A-HJ-PR-Y]{1,3}[ ]?\d{1,4}|\d{1,4}[ ]?[A-HJ-PR-Y]{1,3})" + _NOT_WORD,
            0.2,
            "UK dateless registration mark, with vehicle words nearby",
        ),
    )
    CONTEXT = ("vehicle", "registration", "reg", "vrm", "index", "car", "van", "plate", "mark",
               "marks", "registration mark", "keeper", "dvla",
               "number plate", "registered", "motorbike", "motorcycle", "taxi", "anpr")
    CONTEXT_BOOST = 0.4

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        """Check the age identifier of current marks; refuse police ranks with collar numbers."""
        if pattern.name == "current":
            age = int(match_text[2:4])
            this_year = date.today().year % 100
            valid = 2 <= age <= this_year + 1 or 51 <= age <= this_year + 50
            return None if valid else False
        if pattern.name == "dateless":
            letters = "".join(c for c in match_text if c.isalpha())
            digits = "".join(c for c in match_text if c.isdigit())
            if letters in _POLICE_RANKS or (len(digits) == 4 and digits.startswith(("19", "20"))):
                return False
        return None
