"""The free text officers write on case and missing-person records, for the language report.

Every table here has a ``force`` column, so a force's report reads only its own rows. The
text is yielded one value at a time and never kept: the report holds counts only.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from casework.store.journey_models import (
    ChargingDecisionRow,
    CpsActionItemRow,
    CustodyRecordRow,
    EvidenceItemRow,
    RiskAssessmentRow,
    SupportReferralRow,
    VictimContactRow,
    VictimWishesRow,
    VictimWithdrawalRow,
)
from casework.store.missing_models import (
    MissingCaseRow,
    MissingDecisionRow,
    MissingGradingRow,
    MissingHandoverRow,
    MissingHypothesisRow,
    MissingMediaRow,
    MissingSearchRow,
)
from casework.store.models import EventRow, StageChangeRow

Column = InstrumentedAttribute[str]

FREE_TEXT: tuple[tuple[str, tuple[Column, ...]], ...] = (
    ("case events", (EventRow.description,)),
    ("stage changes", (StageChangeRow.reason,)),
    ("victim contacts", (VictimContactRow.summary, VictimContactRow.agreed)),
    ("victim wishes", (VictimWishesRow.outcome_notes, VictimWishesRow.cautions)),
    ("support referrals", (SupportReferralRow.notes,)),
    ("victim withdrawals", (VictimWithdrawalRow.details,)),
    ("risk judgements", (RiskAssessmentRow.judgement_reason,)),
    ("evidence notes", (EvidenceItemRow.notes,)),
    ("charging decisions", (ChargingDecisionRow.reasons,)),
    ("CPS action responses", (CpsActionItemRow.response,)),
    ("custody release notes", (CustodyRecordRow.release_note,)),
    (
        "missing-person cases",
        (MissingCaseRow.description, MissingCaseRow.circumstances, MissingCaseRow.found_note),
    ),
    ("missing-person decisions", (MissingDecisionRow.decision, MissingDecisionRow.rationale)),
    ("missing-person gradings", (MissingGradingRow.rationale,)),
    ("missing-person searches", (MissingSearchRow.result,)),
    ("missing-person hypotheses", (MissingHypothesisRow.text, MissingHypothesisRow.note)),
    ("missing-person media", (MissingMediaRow.notes,)),
    ("missing-person handovers", (MissingHandoverRow.summary, MissingHandoverRow.outstanding)),
)
"""Where officers' own words are kept: (what it is, the text columns of one table)."""


def free_texts(session: Session, *, force: str | None) -> Iterator[tuple[str, str]]:
    """Yield (source, text) for every non-empty free-text value, of one force or all."""
    for source, columns in FREE_TEXT:
        table = columns[0].class_
        for column in columns:
            statement = select(column).where(column.is_not(None), column != "")
            if force is not None:
                statement = statement.where(table.force == force)
            for (text,) in session.execute(statement.execution_options(yield_per=1000)):
                yield source, text
