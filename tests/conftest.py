"""Shared fixtures. Factories live in tests/factories.py."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casework.cli.main import run


@dataclass
class CliResult:
    code: int
    out: str
    err: str


Invoke = Callable[..., CliResult]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    """Run the real `casework` entry point in-process: error mapping and exit codes included."""

    def invoke(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["casework", *args])
        with pytest.raises(SystemExit) as exit_info:
            run()
        captured = capsys.readouterr()
        code = exit_info.value.code
        return CliResult(code if isinstance(code, int) else 1, captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic bundle (PDF, DOCX, TXT + ground-truth.json) made by demo-data."""
    from casework.demo import generate_bundle

    out = tmp_path_factory.mktemp("bundle")
    generate_bundle(pages=12, out=out, seed=7)
    return out
