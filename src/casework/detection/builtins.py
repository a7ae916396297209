"""The recognizers Casework ships, assembled into a registry."""

from __future__ import annotations

from casework.detection.base import Recognizer, RecognizerRegistry


def default_recognizers() -> list[Recognizer]:
    """Return one instance of every built-in recognizer: patterns first, then names."""
    from casework.detection.names import default_name_recognizers
    from casework.detection.recognizers import default_pattern_recognizers

    return [*default_pattern_recognizers(), *default_name_recognizers()]


def default_registry() -> RecognizerRegistry:
    """Return a fresh registry holding the built-in recognizers (no plugins)."""
    registry = RecognizerRegistry()
    for recognizer in default_recognizers():
        registry.add(recognizer)
    return registry
