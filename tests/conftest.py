"""Shared fixtures. Factories live in tests/factories.py."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

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
