"""Every setting is documented in the README; production refuses unsafe values."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.config import DEFAULT_SECRET_KEY, Settings, UnsafeSettings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"CASEWORK_{name.upper()}" in README.read_text(encoding="utf-8")


def test_development_runs_with_the_defaults() -> None:
    Settings().check_safe()


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"https": True}, "CASEWORK_SECRET_KEY"),
        ({"https": True, "secret_key": "short"}, "CASEWORK_SECRET_KEY"),
        ({"secret_key": "s" * 40}, "HTTPS"),
        ({"secret_key": "s" * 40, "tls_certfile": Path("c.pem")}, "go together"),
    ],
)
def test_production_refuses(values: dict[str, object], problem: str) -> None:
    settings = Settings(env="production", **values)  # type: ignore[arg-type]
    with pytest.raises(UnsafeSettings, match=problem):
        settings.check_safe()


def test_production_runs_with_a_secret_and_https() -> None:
    Settings(env="production", secret_key="s" * 40, https=True).check_safe()
    assert Settings().secret_key == DEFAULT_SECRET_KEY
