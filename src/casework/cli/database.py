"""Open the configured database for a command: one place for the URL checks and their errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from casework.config import get_settings
from casework.errors import DatabaseUnavailable, InvalidInput
from casework.store import UnsupportedDatabase, open_engine


@contextmanager
def configured_engine() -> Iterator[Engine]:
    """Open CASEWORK_DATABASE_URL (or the SQLite default), migrating it if behind.

    Errors name the setting and never show a password.
    """
    url = get_settings().resolved_database_url
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError as error:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: {url!r} is not a database URL") from error
    try:
        engine = open_engine(url)
    except UnsupportedDatabase as error:
        raise InvalidInput(f"CASEWORK_DATABASE_URL: {error}") from error
    except OperationalError as error:
        raise DatabaseUnavailable(
            f"cannot open the database {shown}: {error.orig or error}"
        ) from error
    try:
        yield engine
    finally:
        engine.dispose()
