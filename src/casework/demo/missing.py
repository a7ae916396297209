"""Load the synthetic missing-person cases (``safeguarding.missing_demo``) for ``casework demo``.

One unit of work for all of them; the episodes themselves are made through the
missing-person services, so that gradings, reviews and the decision log are real.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from casework.safeguarding.missing_demo import MissingDemoReport, load_missing_demo
from casework.store.engine import session_factory
from casework.store.missing_repository import SqlMissingRepository

HOME_FORCE = "WY"


def load_demo_missing(engine: Engine, *, force: str = HOME_FORCE) -> MissingDemoReport:
    """Add the demo missing-person episodes not yet loaded; return what was added."""
    with session_factory(engine)() as session, session.begin():
        return load_missing_demo(
            repo=SqlMissingRepository(session), force=force, now=datetime.now(UTC)
        )
