"""A piece of personal data found in a text, with the reason it was found."""

from __future__ import annotations

from dataclasses import dataclass, replace

from casework.domain.labels import Label, PartyRole


@dataclass(frozen=True, slots=True)
class Finding:
    """A typed span of a text.

    Offsets are characters of the document's extracted text, end exclusive. A finding
    always says which recognizer produced it and why, so an officer can explain it.
    """

    start: int
    end: int
    label: Label
    text: str
    score: float
    recognizer: str
    reason: str
    recognizer_version: str = "1"
    role: PartyRole | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end} for {self.label}")

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Finding:
        """Return the finding moved by ``offset`` characters (a chunk's position in its text)."""
        return replace(self, start=self.start + offset, end=self.end + offset)
