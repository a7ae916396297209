"""Settings, each declared once with its default and help; read from CASEWORK_* variables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "casework-development-secret-change-me"  # noqa: S105 (refused in production)


class Environment(StrEnum):
    """Where Casework runs; production refuses unsafe settings."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class UnsafeSettings(ValueError):
    """Settings that must not be used in production (a default secret, no HTTPS)."""


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
    embedded_worker: bool = Field(
        default=True,
        description="`casework serve` also processes uploads (redacted copies) in the "
        "background; set false when `casework worker` runs separately.",
    )
    process_audiences: str = Field(
        default="cps",
        description="Audiences (comma-separated) that every upload gets a redacted copy for.",
    )
    job_lease_seconds: int = Field(
        default=60,
        ge=2,
        le=3600,
        description="How long a worker's claim on an upload lasts unless renewed; a claim of "
        "a worker that died is taken over after it.",
    )
    job_max_attempts: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Attempts at processing an upload before it is marked failed for good.",
    )
    remake_inline_bytes: int = Field(
        default=2_000_000,
        ge=0,
        description="A copy remade after review for an upload up to this size is made while "
        "the reviewer waits; a bigger upload's is a job for the workers, its progress shown.",
    )
    export_keep_days: int = Field(
        default=7,
        ge=0,
        le=3650,
        description="Days a finished export's file (a summary, a disclosure bundle) is kept "
        "after it was made; then the workers remove it and the export shows as expired. "
        "0 keeps them for ever.",
    )
    job_engine: Literal["auto", "local", "procrastinate"] = Field(
        default="auto",
        description="What runs long work: `local` (a process pool on this machine), "
        "`procrastinate` (jobs in PostgreSQL, shared by workers on many machines), or `auto`: "
        "procrastinate on PostgreSQL, local on SQLite.",
    )
    storage_url: str | None = Field(
        default=None,
        description="Where document bytes are kept: a folder (`file:///srv/casework/documents`"
        ", default CASEWORK_HOME/documents) or an S3-compatible bucket "
        "(`s3://bucket/prefix`; endpoint and keys from CASEWORK_S3_ENDPOINT_URL and the usual "
        "AWS_* variables).",
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="Endpoint of an S3-compatible store (MinIO, Ceph, ...); unset for AWS S3.",
    )
    demo_password: str = Field(
        default="casework-demo", description="Password of the demo users made by `casework demo`."
    )

    env: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development or production; production refuses a default secret and "
        "plain HTTP.",
    )
    secret_key: str = Field(
        default=DEFAULT_SECRET_KEY,
        description="Key that signs session cookies; set a long random value in production.",
    )
    https: bool = Field(
        default=False,
        description="Served over HTTPS (directly or behind a TLS proxy): cookies get Secure "
        "and HSTS is sent. Required in production.",
    )
    tls_certfile: Path | None = Field(
        default=None, description="Certificate (PEM) for `casework serve` to speak HTTPS itself."
    )
    tls_keyfile: Path | None = Field(
        default=None, description="Private key (PEM) matching CASEWORK_TLS_CERTFILE."
    )
    session_minutes: int = Field(
        default=8 * 60, ge=5, le=7 * 24 * 60, description="How long a web session lasts."
    )
    token_max_days: int = Field(
        default=90, ge=1, le=366, description="Longest life an API token may be given."
    )
    lockout_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins in a row that lock an account."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="How long an account stays locked after too many failures."
    )
    sign_in_rate_limit: int = Field(
        default=20, ge=1, description="Sign-in attempts allowed from one client per window."
    )
    sign_in_rate_window_s: int = Field(
        default=300, ge=1, description="Window of the sign-in rate limit, in seconds."
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="OpenID Connect issuer URL of the force's identity provider; "
        "unset means OIDC sign-in is off.",
    )
    oidc_client_id: str | None = Field(default=None, description="OIDC client id.")
    oidc_client_secret: str | None = Field(default=None, description="OIDC client secret.")
    oidc_redirect_url: str | None = Field(
        default=None,
        description="Where the identity provider sends users back "
        "(https://HOST/api/auth/oidc/callback).",
    )
    oidc_metadata_url: str | None = Field(
        default=None,
        description="The provider's discovery document; default: "
        "ISSUER/.well-known/openid-configuration.",
    )
    oidc_scopes: str = Field(
        default="openid profile email", description="Scopes asked of the identity provider."
    )
    oidc_username_claim: str = Field(
        default="preferred_username",
        description="ID token claim matched to a Casework username the first time a user "
        "signs in through OIDC (later sign-ins match the subject).",
    )

    @property
    def uses_https(self) -> bool:
        """Served over HTTPS: cookies are Secure and HSTS is sent."""
        return self.https or self.tls_certfile is not None

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    def check_safe(self) -> None:
        """Raise ``UnsafeSettings`` naming every setting production must not run with."""
        if not self.production:
            return
        problems: list[str] = []
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            problems.append(
                "CASEWORK_SECRET_KEY is the default or shorter than 32 characters; set a long "
                "random value (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not self.uses_https:
            problems.append(
                "HTTPS is not configured; set CASEWORK_HTTPS=true (behind a TLS proxy) or "
                "CASEWORK_TLS_CERTFILE and CASEWORK_TLS_KEYFILE"
            )
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            problems.append("CASEWORK_TLS_CERTFILE and CASEWORK_TLS_KEYFILE go together")
        if problems:
            raise UnsafeSettings("refusing to run in production: " + "; ".join(problems))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'casework.sqlite3').resolve()}"


def get_settings() -> Settings:
    """Read the settings afresh (cheap; lets tests change the environment)."""
    return Settings()
