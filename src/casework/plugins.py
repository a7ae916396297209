"""The plugin manager: built-ins first, then every installed ``casework`` entry point."""

from __future__ import annotations

from functools import cache

import pluggy

from casework import builtins, hookspecs
from casework.detection.base import RecognizerRegistry
from casework.documents import ReaderRegistry


@cache
def plugin_manager() -> pluggy.PluginManager:
    """Return the process-wide plugin manager (hooks are read-only once loaded)."""
    manager = pluggy.PluginManager("casework")
    manager.add_hookspecs(hookspecs)
    manager.register(builtins, name="casework.builtins")
    manager.load_setuptools_entrypoints("casework")
    return manager


def recognizer_registry() -> RecognizerRegistry:
    """Return a registry of every recognizer offered through the hooks (built-ins and plugins)."""
    registry = RecognizerRegistry()
    for offered in plugin_manager().hook.casework_recognizers():
        for recognizer in offered:
            registry.add(recognizer)
    return registry


def reader_registry() -> ReaderRegistry:
    """Return a registry of every document reader offered through the hooks."""
    registry = ReaderRegistry()
    for offered in plugin_manager().hook.casework_readers():
        for reader in offered:
            registry.add(reader)
    return registry
