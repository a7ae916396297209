"""A plugin is exactly as capable as the built-ins: it adds recognizers and audiences by hooks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from casework.detection.base import Pattern, PatternRecognizer
from casework.domain.labels import Label
from casework.hookspecs import hookimpl
from casework.plugins import audience_registry, plugin_manager, recognizer_registry
from casework.redaction import Audience
from tests.conftest import Invoke


class CustodyNumberRecognizer(PatternRecognizer):
    NAME = "ExampleCustodyNumberRecognizer"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.PNC_ID})
    PATTERNS = (Pattern("custody", r"\bCU-\d{6}\b", 0.9, "example custody number"),)


class ExamplePlugin:
    @hookimpl
    def casework_recognizers(self) -> list[Any]:
        return [CustodyNumberRecognizer()]

    @hookimpl
    def casework_audiences(self) -> list[Any]:
        return [
            Audience(
                name="press", version="1", default="remove", rationale="example", source="test"
            )
        ]


@pytest.fixture
def plugin() -> Iterator[ExamplePlugin]:
    example = ExamplePlugin()
    plugin_manager().register(example, name="example")
    yield example
    plugin_manager().unregister(name="example")


def test_builtins_come_through_the_hooks() -> None:
    assert "UkPostcodeRecognizer" in recognizer_registry()
    assert {"cps", "defence", "public"} <= set(audience_registry().names())


@pytest.mark.usefixtures("plugin")
def test_a_plugin_adds_a_recognizer_and_an_audience(cli: Invoke, tmp_path: Path) -> None:
    assert "ExampleCustodyNumberRecognizer" in recognizer_registry()
    assert "press" in audience_registry().names()
    note = tmp_path / "note.txt"
    note.write_text("Detained under CU-123456 at 10:00.", encoding="utf-8")

    found = cli("detect", str(note), "--workers", "1")
    redacted = cli("redact", str(note), "--audience", "press", "--out", str(tmp_path / "out"))

    assert found.code == 0, found.err
    rows = [json.loads(line) for line in found.out.splitlines()]
    assert [r["recognizer"] for r in rows] == ["ExampleCustodyNumberRecognizer"]
    assert redacted.code == 0, redacted.err
    assert "CU-123456" not in (tmp_path / "out" / "note.txt").read_text(encoding="utf-8")
