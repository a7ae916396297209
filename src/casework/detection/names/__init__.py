"""Recognizers for people's names, and the organisations and places that identify them."""

from __future__ import annotations

from casework.detection.base import Recognizer
from casework.detection.names.person import PersonNameRecognizer
from casework.detection.names.places import LocationRecognizer, OrganisationRecognizer


def default_name_recognizers() -> list[Recognizer]:
    """Return one instance of each names recognizer, in the order the engine should run them."""
    return [PersonNameRecognizer(), OrganisationRecognizer(), LocationRecognizer()]


__all__ = [
    "LocationRecognizer",
    "OrganisationRecognizer",
    "PersonNameRecognizer",
    "default_name_recognizers",
]
