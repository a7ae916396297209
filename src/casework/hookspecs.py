"""Plugin hooks (pluggy, entry-point group ``casework``). Public API: add hooks, never change them.

The built-in recognizers and readers register through these same hooks (see
``casework.builtins``), so a plugin is exactly as capable as the core.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("casework")
hookimpl = pluggy.HookimplMarker("casework")


@hookspec
def casework_recognizers() -> list[Any]:  # type: ignore[empty-body]
    """Return recognizers (objects following ``casework.detection.base.Recognizer``) to add."""


@hookspec
def casework_readers() -> list[Any]:  # type: ignore[empty-body]
    """Return document readers (``casework.documents`` reader objects) to add."""


@hookspec
def casework_audiences() -> list[Any]:  # type: ignore[empty-body]
    """Return redaction audiences (``casework.redaction.Audience``) to add."""
