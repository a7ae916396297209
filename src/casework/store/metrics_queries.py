"""The facts of many cases for the journey metrics, read in one query (SQLite and PostgreSQL).

One row per case: the case's own columns, plus correlated subqueries that the indexes on
``case_id`` answer (first charge, last stage change, latest withdrawal, offence codes), so
each table is read once per selected case and no case object is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casework.domain.journey_facts import FactsQuery, JourneyFacts
from casework.domain.stages import Stage
from casework.store.journey_models import VictimWithdrawalRow
from casework.store.models import CaseOffenceRow, CaseRow, StageChangeRow

_SEPARATOR = ","  # offence codes are snake_case: never a comma


def facts_statement(query: FactsQuery) -> Select[tuple[object, ...]]:
    """The SELECT behind ``SqlJourneyFactsRepository.facts`` (exposed for EXPLAIN in tests)."""
    charged = (
        select(func.min(StageChangeRow.at))
        .where(StageChangeRow.case_id == CaseRow.id, StageChangeRow.target == Stage.CHARGED.value)
        .scalar_subquery()
    )
    since = (
        select(func.max(StageChangeRow.at))
        .where(StageChangeRow.case_id == CaseRow.id)
        .scalar_subquery()
    )
    withdrawal = (
        select(VictimWithdrawalRow.stage)
        .where(VictimWithdrawalRow.case_id == CaseRow.id)
        .order_by(VictimWithdrawalRow.recorded_at.desc(), VictimWithdrawalRow.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    offences = (
        select(func.aggregate_strings(CaseOffenceRow.code, _SEPARATOR))
        .where(CaseOffenceRow.case_id == CaseRow.id)
        .scalar_subquery()
    )
    statement = select(
        CaseRow.reference,
        CaseRow.force,
        CaseRow.reported_on,
        CaseRow.stage,
        CaseRow.opened_at,
        since.label("stage_since"),
        charged.label("first_charged_at"),
        offences.label("offences"),
        withdrawal.label("withdrawal_stage"),
    )
    if query.force is not None:
        statement = statement.where(CaseRow.force == query.force.upper())
    if query.reported_from is not None:
        statement = statement.where(CaseRow.reported_on >= query.reported_from)
    if query.reported_to is not None:
        statement = statement.where(CaseRow.reported_on <= query.reported_to)
    return statement.order_by(CaseRow.reported_on, CaseRow.reference)


class SqlJourneyFactsRepository:
    """``JourneyFactsRepository`` in SQL, inside the session of a unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def facts(self, *, query: FactsQuery) -> Iterator[JourneyFacts]:
        rows = self._session.execute(facts_statement(query))
        for row in rows:
            codes = row.offences.split(_SEPARATOR) if row.offences else []
            yield JourneyFacts(
                reference=row.reference,
                force=row.force,
                reported_on=row.reported_on,
                stage=Stage(row.stage),
                stage_since=row.stage_since or row.opened_at,
                first_charged_at=row.first_charged_at,
                offences=tuple(sorted(codes)),
                withdrawal_stage=row.withdrawal_stage,
            )
