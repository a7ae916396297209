"""The plugin manager: built-ins first, then every installed ``casework`` entry point."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pluggy

from casework import builtins, hookspecs
from casework.detection.base import RecognizerRegistry
from casework.documents import ReaderRegistry
from casework.redaction import AudienceRegistry


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


def audience_registry(*folders: Path) -> AudienceRegistry:
    """Return every audience offered through the hooks, then those in ``folders`` (YAML)."""
    registry = AudienceRegistry()
    for offered in plugin_manager().hook.casework_audiences():
        for audience in offered:
            registry.add(audience)
    for folder in folders:
        registry.load_folder(folder)
    return registry
