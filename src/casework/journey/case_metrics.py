"""Journey metrics over the cases in storage: read their facts, make records, compute.

``journey.metrics`` computes over plain ``CaseRecord``s; this module says how a stored case
becomes one. The definitions, so that a number can be explained:

- charged on: the London date of the case's first move to ``charged`` (a case charged and
  later discontinued still counts as charged);
- outcome: the stage the case ends at, when it is a decision that ends the journey
  (convicted, acquitted, discontinued, no further action, out-of-court resolution); its
  date is the day the case reached that stage. A case reopened after no further action
  has no outcome until it ends again;
- withdrawal stage: the stage recorded with the victim's latest withdrawal of support.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from casework.domain.journey_facts import FactsQuery, JourneyFacts, JourneyFactsRepository
from casework.domain.rules.victims_code import london_date
from casework.domain.stages import OUTCOMES, Stage
from casework.journey.cases import validated
from casework.journey.metrics import CaseMetrics, CaseRecord, compute_metrics

ENDING_STAGES = OUTCOMES | {Stage.NO_FURTHER_ACTION, Stage.OUT_OF_COURT_RESOLUTION}
"""Stages at which the journey ends with a decision: the outcomes the metrics count."""


def record_of(facts: JourneyFacts) -> CaseRecord:
    """Return the metrics record of one case's stored facts."""
    ended = facts.stage in ENDING_STAGES
    return CaseRecord(
        reference=facts.reference,
        force=facts.force,
        offences=facts.offences,
        reported_on=facts.reported_on,
        charged_on=_day(facts.first_charged_at, facts.reported_on),
        outcome=facts.stage.value if ended else None,
        outcome_on=_day(facts.stage_since, facts.reported_on) if ended else None,
        withdrawal_stage=facts.withdrawal_stage,
    )


def _day(moment: datetime | None, reported_on: date) -> date | None:
    """The London date of ``moment``, never before the report (a case may be opened late)."""
    if moment is None:
        return None
    return max(london_date(moment), reported_on)


def metrics_query(
    *, force: str | None = None, reported_from: date | None = None, reported_to: date | None = None
) -> FactsQuery:
    """Build the query; a bad force code or dates out of order are ``InvalidInput``."""
    return validated(
        FactsQuery,
        force=force.strip().upper() if force else None,
        reported_from=reported_from,
        reported_to=reported_to,
    )


def case_metrics(*, facts: JourneyFactsRepository, query: FactsQuery) -> CaseMetrics:
    """Compute the journey metrics over the stored cases that ``query`` selects."""
    return compute_metrics(records_of(facts.facts(query=query)))


def records_of(rows: Iterable[JourneyFacts]) -> Iterable[CaseRecord]:
    """Turn stored facts into metrics records, one at a time."""
    return (record_of(row) for row in rows)
