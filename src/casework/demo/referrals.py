"""Load the synthetic industry referrals (``safeguarding.referrals_demo``) for ``casework demo``.

One unit of work; the referrals go through the intake, assignment and outcome services, so
repeats, held reports, hash matches, priorities and monthly figures are real.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from casework.safeguarding.referrals_demo import DemoReferralReport, load_demo_referrals
from casework.store.engine import session_factory
from casework.store.referral_repository import SqlReferralRepository


def load_demo_referral_set(engine: Engine) -> DemoReferralReport:
    """Add the demo referrals unless they are there; return what was added."""
    with session_factory(engine)() as session, session.begin():
        return load_demo_referrals(repo=SqlReferralRepository(session), now=datetime.now(UTC))
