"""Helpers for recognizer tables: run one recognizer, or the default pattern engine."""

from __future__ import annotations

import pytest

from casework.detection.base import PatternRecognizer, RecognizerRegistry
from casework.detection.engine import DetectionEngine
from casework.detection.recognizers import default_pattern_recognizers


def found(recognizer: PatternRecognizer, text: str) -> list[str]:
    """Return the texts that ``recognizer`` alone finds in ``text``, in order."""
    return [f.text for f in recognizer.find(text)]


@pytest.fixture(scope="session")
def engine() -> DetectionEngine:
    registry = RecognizerRegistry()
    for recognizer in default_pattern_recognizers():
        registry.add(recognizer)
    return DetectionEngine(registry)
