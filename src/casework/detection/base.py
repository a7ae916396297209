"""What a recognizer is, and the registry that holds them.

Two kinds exist. A ``PatternRecognizer`` only declares regular expressions (plus an
optional validator and context words); the engine compiles the patterns of every pattern
recognizer into one pass over the text. Any other ``Recognizer`` (names, organisations)
implements ``find(text)`` itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

from casework.domain.findings import Finding
from casework.domain.labels import Label


@runtime_checkable
class Recognizer(Protocol):
    """Anything that finds labelled spans in a text and says why."""

    NAME: ClassVar[str]
    VERSION: ClassVar[str]
    LABELS: ClassVar[frozenset[Label]]

    def find(self, text: str) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression of a pattern recognizer.

    ``regex`` uses Python ``re`` syntax; ``score`` is the confidence before context;
    ``reason`` is shown to the officer (for example "UK postcode, outward and inward code").
    """

    name: str
    regex: str
    score: float
    reason: str
    label: Label | None = None  # defaults to the recognizer's only label


class PatternRecognizer:
    """A recognizer that is nothing but patterns, a validator and context words.

    Subclasses set the class attributes and may override ``validate`` (return False to drop
    a match, True to keep it at full confidence, None to keep the pattern score). To report
    only part of a match, put that part in a group named ``span`` (see the engine).
    """

    NAME: ClassVar[str]
    VERSION: ClassVar[str] = "1"
    LABELS: ClassVar[frozenset[Label]]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    CONTEXT_BOOST: ClassVar[float] = 0.2

    def validate(self, match_text: str, pattern: Pattern) -> bool | None:
        return None

    def find(self, text: str) -> list[Finding]:
        """Run this recognizer alone (tests, plugins); the engine batches all of them."""
        from casework.detection.engine import DetectionEngine  # local: engine imports us

        registry = RecognizerRegistry()
        registry.add(self)
        return DetectionEngine(registry).detect(text)


class RecognizerRegistry:
    """The recognizers one engine runs. An instance, never a global: tests build their own."""

    def __init__(self) -> None:
        self._by_name: dict[str, Recognizer] = {}

    def add(self, recognizer: Recognizer) -> None:
        if recognizer.NAME in self._by_name:
            raise ValueError(f"a recognizer named {recognizer.NAME!r} is already registered")
        self._by_name[recognizer.NAME] = recognizer

    def remove(self, name: str) -> None:
        if name not in self._by_name:
            raise KeyError(f"no recognizer named {name!r}")
        del self._by_name[name]

    def get(self, name: str) -> Recognizer:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Recognizer]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def labels(self) -> frozenset[Label]:
        return frozenset(label for r in self for label in r.LABELS)
