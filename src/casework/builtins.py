"""Casework's own recognizers and readers, registered through the public plugin hooks."""

from __future__ import annotations

from typing import Any

from casework.hookspecs import hookimpl


@hookimpl
def casework_recognizers() -> list[Any]:
    from casework.detection.builtins import default_recognizers

    return list(default_recognizers())


@hookimpl
def casework_readers() -> list[Any]:
    from casework.documents import default_readers

    registry = default_readers()
    return [registry.get(name) for name in registry.names]


@hookimpl
def casework_audiences() -> list[Any]:
    from casework.redaction.audiences import builtin_audiences

    return list(builtin_audiences())
