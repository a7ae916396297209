"""SQL implementation of ``domain.missing.MissingRepository``.

Log rows are only ever inserted; the one ``update_*`` for a log is the hypothesis status.
A number taken twice at once (two officers writing the same entry number) hits the unique
constraint and becomes a ``Conflict`` to retry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.domain.missing import (
    DecisionEntry,
    DecisionKind,
    Grading,
    Handover,
    Hypothesis,
    HypothesisStatus,
    MediaAppeal,
    MediaStrategy,
    MissingCase,
    MissingStatus,
    SearchEntry,
)
from casework.errors import Conflict
from casework.store.missing_models import (
    MissingCaseRow,
    MissingDecisionRow,
    MissingGradingRow,
    MissingHandoverRow,
    MissingHypothesisRow,
    MissingMediaRow,
    MissingSearchRow,
)

_Row = TypeVar(
    "_Row",
    MissingDecisionRow,
    MissingGradingRow,
    MissingSearchRow,
    MissingHypothesisRow,
    MissingMediaRow,
    MissingHandoverRow,
)

_CASE_FIELDS = (
    "reference",
    "force",
    "name",
    "date_of_birth",
    "description",
    "home_address",
    "phone",
    "last_seen_at",
    "last_seen_place",
    "circumstances",
    "reported_at",
    "opened_by",
    "opened_at",
    "grade",
    "graded_at",
    "review_due",
    "found_at",
    "found_note",
)


def _case(row: MissingCaseRow) -> MissingCase:
    values: dict[str, Any] = {name: getattr(row, name) for name in _CASE_FIELDS}
    return MissingCase(id=row.id, status=MissingStatus(row.status), **values)


class SqlMissingRepository:
    """Missing-person cases and their logs on one SQLAlchemy session (the unit of work)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def _insert(self, what: str) -> Iterator[None]:
        try:
            with self.session.begin_nested():
                yield
        except IntegrityError as error:
            raise Conflict(f"{what} was written by someone else meanwhile; try again") from error

    def _force_of(self, case_id: uuid.UUID) -> str:
        force = self.session.scalar(
            select(MissingCaseRow.force).where(MissingCaseRow.id == case_id)
        )
        if force is None:
            raise Conflict("the missing-person case is gone")
        return force

    def _rows(self, model: type[_Row], case_id: uuid.UUID) -> list[_Row]:
        query = select(model).where(model.case_id == case_id).order_by(model.number)
        return list(self.session.scalars(query))

    def next_number(self, *, force: str, year: int) -> int:
        last = self.session.scalar(
            select(func.max(MissingCaseRow.number)).where(
                MissingCaseRow.force == force, MissingCaseRow.year == year
            )
        )
        return (last or 0) + 1

    def add_case(self, *, case: MissingCase) -> None:
        _, year, number = case.reference.rsplit("-", 2)
        row = MissingCaseRow(
            id=case.id,
            year=int(year),
            number=int(number),
            status=case.status.value,
            **{name: getattr(case, name) for name in _CASE_FIELDS},
        )
        with self._insert(f"case {case.reference}"):
            self.session.add(row)

    def get(self, *, reference: str) -> MissingCase | None:
        row = self.session.scalar(
            select(MissingCaseRow).where(MissingCaseRow.reference == reference.upper())
        )
        return None if row is None else _case(row)

    def list_cases(
        self, *, force: str, status: MissingStatus | None = None, limit: int = 100
    ) -> list[MissingCase]:
        query = select(MissingCaseRow).where(MissingCaseRow.force == force)
        if status is not None:
            query = query.where(MissingCaseRow.status == status.value)
        query = query.order_by(
            MissingCaseRow.review_due.is_(None),
            MissingCaseRow.review_due,
            MissingCaseRow.reference,
        ).limit(limit)
        return [_case(row) for row in self.session.scalars(query)]

    def update_case(self, *, case: MissingCase) -> None:
        row = self.session.get(MissingCaseRow, case.id)
        if row is None:
            raise Conflict(f"{case.reference} is gone")
        row.status = case.status.value
        row.grade = case.grade
        row.graded_at = case.graded_at
        row.review_due = case.review_due
        row.found_at = case.found_at
        row.found_note = case.found_note
        self.session.flush()

    def append_decision(self, *, entry: DecisionEntry) -> None:
        with self._insert(f"decision {entry.number}"):
            self.session.add(
                MissingDecisionRow(
                    force=self._force_of(entry.case_id),
                    **entry.model_dump(mode="python", exclude={"kind"}),
                    kind=entry.kind.value,
                )
            )

    def decisions(self, *, case_id: uuid.UUID) -> list[DecisionEntry]:
        return [
            DecisionEntry(
                case_id=r.case_id,
                number=r.number,
                kind=DecisionKind(r.kind),
                decision=r.decision,
                rationale=r.rationale,
                decided_at=r.decided_at,
                decided_by=r.decided_by,
                entered_at=r.entered_at,
                entered_by=r.entered_by,
            )
            for r in self._rows(MissingDecisionRow, case_id)
        ]

    def append_grading(self, *, grading: Grading) -> None:
        with self._insert(f"grading {grading.number}"):
            self.session.add(
                MissingGradingRow(force=self._force_of(grading.case_id), **grading.model_dump())
            )

    def gradings(self, *, case_id: uuid.UUID) -> list[Grading]:
        return [
            Grading(
                case_id=r.case_id,
                number=r.number,
                grade=r.grade,
                label=r.label,
                scheme=r.scheme,
                rationale=r.rationale,
                graded_by=r.graded_by,
                graded_at=r.graded_at,
                review_due=r.review_due,
            )
            for r in self._rows(MissingGradingRow, case_id)
        ]

    def append_search(self, *, entry: SearchEntry) -> None:
        with self._insert(f"search {entry.number}"):
            self.session.add(
                MissingSearchRow(force=self._force_of(entry.case_id), **entry.model_dump())
            )

    def searches(self, *, case_id: uuid.UUID) -> list[SearchEntry]:
        return [
            SearchEntry(
                case_id=r.case_id,
                number=r.number,
                place=r.place,
                method=r.method,
                result=r.result,
                searched_at=r.searched_at,
                searched_by=r.searched_by,
                recorded_by=r.recorded_by,
                recorded_at=r.recorded_at,
            )
            for r in self._rows(MissingSearchRow, case_id)
        ]

    def add_hypothesis(self, *, hypothesis: Hypothesis) -> None:
        values = hypothesis.model_dump(exclude={"status"})
        with self._insert(f"hypothesis {hypothesis.number}"):
            self.session.add(
                MissingHypothesisRow(
                    force=self._force_of(hypothesis.case_id),
                    status=hypothesis.status.value,
                    **values,
                )
            )

    def update_hypothesis(self, *, hypothesis: Hypothesis) -> None:
        row = self.session.scalar(
            select(MissingHypothesisRow).where(
                MissingHypothesisRow.case_id == hypothesis.case_id,
                MissingHypothesisRow.number == hypothesis.number,
            )
        )
        if row is None:
            raise Conflict(f"hypothesis {hypothesis.number} is gone")
        row.status = hypothesis.status.value
        row.updated_by = hypothesis.updated_by
        row.updated_at = hypothesis.updated_at
        row.note = hypothesis.note
        self.session.flush()

    def hypotheses(self, *, case_id: uuid.UUID) -> list[Hypothesis]:
        return [
            Hypothesis(
                case_id=r.case_id,
                number=r.number,
                text=r.text,
                status=HypothesisStatus(r.status),
                raised_by=r.raised_by,
                raised_at=r.raised_at,
                updated_by=r.updated_by,
                updated_at=r.updated_at,
                note=r.note,
            )
            for r in self._rows(MissingHypothesisRow, case_id)
        ]

    def append_media(self, *, strategy: MediaStrategy) -> None:
        values = strategy.model_dump(exclude={"appeal", "channels"})
        with self._insert(f"media strategy {strategy.number}"):
            self.session.add(
                MissingMediaRow(
                    force=self._force_of(strategy.case_id),
                    appeal=strategy.appeal.value,
                    channels=list(strategy.channels),
                    **values,
                )
            )

    def media(self, *, case_id: uuid.UUID) -> list[MediaStrategy]:
        return [
            MediaStrategy(
                case_id=r.case_id,
                number=r.number,
                appeal=MediaAppeal(r.appeal),
                channels=tuple(r.channels),
                family_consent=r.family_consent,
                notes=r.notes,
                recorded_by=r.recorded_by,
                recorded_at=r.recorded_at,
            )
            for r in self._rows(MissingMediaRow, case_id)
        ]

    def append_handover(self, *, handover: Handover) -> None:
        with self._insert(f"handover {handover.number}"):
            self.session.add(
                MissingHandoverRow(force=self._force_of(handover.case_id), **handover.model_dump())
            )

    def handovers(self, *, case_id: uuid.UUID) -> list[Handover]:
        return [
            Handover(
                case_id=r.case_id,
                number=r.number,
                from_officer=r.from_officer,
                to_officer=r.to_officer,
                summary=r.summary,
                outstanding=r.outstanding,
                grade=r.grade,
                handed_over_at=r.handed_over_at,
                recorded_by=r.recorded_by,
            )
            for r in self._rows(MissingHandoverRow, case_id)
        ]
