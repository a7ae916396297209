"""Settings, each declared once with its default and help; read from CASEWORK_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Casework's settings. The environment wins over defaults."""

    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    home: Path = Field(
        default=Path("casework-data"),
        description="Folder of the embedded default: SQLite file, stored documents, settings.",
    )
    database_url: str | None = Field(
        default=None,
        description="Database URL (sqlite:///... or postgresql+psycopg://...); "
        "default: a SQLite file in CASEWORK_HOME.",
    )
    max_document_bytes: int = Field(
        default=200 * 1024 * 1024,
        description="Largest file (or container member) the readers accept, in bytes.",
    )
    max_pages: int = Field(default=20_000, description="Most pages accepted in one document.")
    workers: int = Field(
        default=0, description="Processes used for a bundle; 0 means one per CPU core."
    )
    demo_password: str = Field(
        default="casework-demo", description="Password of the demo users made by `casework demo`."
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'casework.sqlite3').resolve()}"


def get_settings() -> Settings:
    """Read the settings afresh (cheap; lets tests change the environment)."""
    return Settings()
