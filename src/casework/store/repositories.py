"""SQL implementations of the journey's repository protocols (``domain.repositories``).

Each repository works inside the session of one ``SqlCaseStore`` (a unit of work): it
flushes, never commits, so that a service's changes land together or not at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload

from casework.domain.case_deadlines import CaseDeadline, DeadlineKind
from casework.domain.cases import (
    Case,
    CaseOffence,
    CaseParty,
    CaseQuery,
    CaseReference,
    CaseSummary,
    Role,
)
from casework.domain.pole import (
    Confirmation,
    Event,
    EventKind,
    EventPhase,
    EventSource,
    Identifier,
    Location,
    ObjectKind,
    Person,
    PoleObject,
    name_key,
)
from casework.domain.repositories import ConcurrentChange, DueDeadline
from casework.domain.stages import Agency, Stage, StageChange
from casework.store.engine import session_factory
from casework.store.journey_models import RiskAssessmentRow
from casework.store.models import (
    CaseCounterRow,
    CaseDeadlineRow,
    CaseOffenceRow,
    CasePartyRow,
    CaseRow,
    EventObjectRow,
    EventPersonRow,
    EventRow,
    LocationRow,
    ObjectIdentifierRow,
    ObjectRow,
    PersonRow,
    StageChangeRow,
)

_NOT_KEY = re.compile(r"[^0-9A-Z]+")


def identifier_key(value: str) -> str:
    """Return the matching form of an identifier: upper case, letters and digits only."""
    return _NOT_KEY.sub("", value.upper())


@contextmanager
def _sqlite_busy_is_a_conflict(session: Session, what: str) -> Iterator[None]:
    """Turn SQLite's "database is locked" into ``ConcurrentChange``.

    In WAL mode a transaction that has read and then finds another writer committed first
    cannot write (its snapshot is stale) and fails at once, without waiting; that is the
    same situation as a PostgreSQL row that changed meanwhile, so callers see one error.
    """
    try:
        yield
    except OperationalError as error:
        if session.get_bind().dialect.name == "sqlite" and "locked" in str(error.orig):
            raise ConcurrentChange(
                f"{what}: someone else changed it meanwhile; try again"
            ) from error
        raise


def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        force=row.force,
        given_names=row.given_names,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        created_at=row.created_at,
    )


def _reference(row: CaseRow) -> CaseReference:
    return CaseReference(row.force, row.year, row.number)


class SqlPersonRepository:
    """Persons in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, person: Person) -> None:
        self._session.add(
            PersonRow(
                id=person.id,
                force=person.force,
                given_names=person.given_names,
                family_name=person.family_name,
                name_key=person.name_key,
                date_of_birth=person.date_of_birth,
                created_at=person.created_at,
            )
        )
        self._session.flush()

    def get(self, *, person_id: UUID) -> Person | None:
        row = self._session.get(PersonRow, person_id)
        return _person(row) if row is not None else None

    def find(self, *, force: str, name_key: str, date_of_birth: date | None) -> list[Person]:
        query = select(PersonRow).where(PersonRow.force == force, PersonRow.name_key == name_key)
        if date_of_birth is not None:
            query = query.where(PersonRow.date_of_birth == date_of_birth)
        rows = self._session.scalars(query.order_by(PersonRow.created_at, PersonRow.id))
        return [_person(r) for r in rows]

    def cases_of(self, *, person_id: UUID) -> list[tuple[CaseReference, Role]]:
        rows = self._session.execute(
            select(CaseRow, CasePartyRow.role)
            .join(CasePartyRow, CasePartyRow.case_id == CaseRow.id)
            .where(CasePartyRow.person_id == person_id)
            .order_by(CaseRow.opened_at, CaseRow.reference)
        )
        return [(_reference(case), Role(role)) for case, role in rows]


def _cases_at_risk(level: str) -> Any:
    """Ids of the cases whose latest risk assessment (the one in force) is at ``level``."""
    latest = select(
        RiskAssessmentRow.case_id,
        RiskAssessmentRow.level,
        func.row_number()
        .over(
            partition_by=RiskAssessmentRow.case_id,
            order_by=(RiskAssessmentRow.assessed_on.desc(), RiskAssessmentRow.recorded_at.desc()),
        )
        .label("n"),
    ).subquery()
    return select(latest.c.case_id).where(latest.c.n == 1, latest.c.level == level)


class SqlCaseRepository:
    """Cases, their offences, parties and stage history in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def next_reference(self, *, force: str, year: int) -> CaseReference:
        """Take the next number from the force's counter for ``year``.

        The counter row is created if missing (insert-or-ignore, so two first cases of a
        year do not collide), then incremented with ``UPDATE ... RETURNING``, which locks
        the row on PostgreSQL until commit: numbers are never given out twice.
        """
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        with _sqlite_busy_is_a_conflict(self._session, f"case numbers of {force}"):
            return self._take_number(insert, force, year)

    def _take_number(self, insert: Any, force: str, year: int) -> CaseReference:
        self._session.execute(
            insert(CaseCounterRow)
            .values(force=force, year=year, last_number=0)
            .on_conflict_do_nothing(index_elements=["force", "year"])
        )
        number = self._session.execute(
            update(CaseCounterRow)
            .where(CaseCounterRow.force == force, CaseCounterRow.year == year)
            .values(last_number=CaseCounterRow.last_number + 1)
            .returning(CaseCounterRow.last_number)
        ).scalar_one()
        return CaseReference(force, year, number)

    def add(self, *, case: Case) -> None:
        row = CaseRow(
            id=case.id,
            reference=str(case.reference),
            force=case.force,
            year=case.reference.year,
            number=case.reference.number,
            stage=case.stage.value,
            reported_on=case.reported_on,
            opened_at=case.opened_at,
            domestic_abuse=case.domestic_abuse,
            restricted=case.restricted,
            enhanced_rights=case.enhanced_rights,
        )
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as error:
            raise ConcurrentChange(f"case {case.reference} already exists") from error
        for offence in case.offences:
            self.add_offence(case=case, offence=offence)
        for party in case.parties:
            self.add_party(
                case=case,
                person_id=party.person.id,
                role=party.role,
                added_by=party.added_by,
                added_at=party.added_at,
            )
        for seq, change in enumerate(case.history, start=1):
            self._session.add(_change_row(case, change, seq))
        self._session.flush()

    def _load(self, condition: ColumnElement[bool]) -> CaseRow | None:
        query = (
            select(CaseRow)
            .where(condition)
            .options(
                selectinload(CaseRow.offences),
                selectinload(CaseRow.parties),
                selectinload(CaseRow.history),
            )
        )
        return self._session.scalars(query).one_or_none()

    def get(self, *, reference: CaseReference) -> Case | None:
        row = self._load(CaseRow.reference == str(reference))
        return _case(row) if row is not None else None

    def _next_position(self, model: type[CaseOffenceRow | CasePartyRow], case_id: UUID) -> int:
        count = self._session.scalar(
            select(func.count()).select_from(model).where(model.case_id == case_id)
        )
        return count or 0

    def add_offence(self, *, case: Case, offence: CaseOffence) -> None:
        self._session.add(
            CaseOffenceRow(
                id=offence.id,
                case_id=case.id,
                force=case.force,
                position=self._next_position(CaseOffenceRow, case.id),
                code=offence.code,
                committed_on=offence.committed_on,
                recorded_by=offence.recorded_by,
                recorded_at=offence.recorded_at,
            )
        )
        self._session.flush()

    def add_party(
        self, *, case: Case, person_id: UUID, role: Role, added_by: str, added_at: datetime
    ) -> None:
        self._session.add(
            CasePartyRow(
                case_id=case.id,
                force=case.force,
                position=self._next_position(CasePartyRow, case.id),
                person_id=person_id,
                role=role.value,
                added_by=added_by,
                added_at=added_at,
            )
        )
        try:
            self._session.flush()
        except IntegrityError as error:
            raise ConcurrentChange(
                f"that person is already {role.words} in case {case.reference}"
            ) from error

    def record_stage_change(self, *, case: Case, change: StageChange) -> None:
        if change.source is None:
            raise ValueError("a stage change after opening must have a source stage")
        with _sqlite_busy_is_a_conflict(self._session, f"case {case.reference}"):
            moved = self._session.execute(
                update(CaseRow)
                .where(CaseRow.id == case.id, CaseRow.stage == change.source.value)
                .values(stage=change.target.value)
            )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentChange(
                f"case {case.reference} is no longer at {change.source.value}; "
                "someone else moved it: look at it again"
            )
        seq = len(case.history) + 1
        self._session.add(_change_row(case, change, seq))
        try:
            self._session.flush()
        except IntegrityError as error:
            raise ConcurrentChange(f"case {case.reference} changed meanwhile") from error
        # The identity map still holds the old stage for this row; refresh it on next read.
        self._session.expire_all()

    def search(self, *, query: CaseQuery) -> list[CaseSummary]:
        # Plain rows, not mapped objects: a list page needs a few columns of each case, and
        # building ORM objects for every party and person of 50 cases cost ~15 ms a page.
        statement = select(
            CaseRow.id,
            CaseRow.force,
            CaseRow.year,
            CaseRow.number,
            CaseRow.stage,
            CaseRow.reported_on,
            CaseRow.domestic_abuse,
            CaseRow.restricted,
        )
        if query.stage is not None:
            statement = statement.where(CaseRow.stage == query.stage.value)
        if query.force is not None:
            statement = statement.where(CaseRow.force == query.force.upper())
        if query.offence is not None:
            statement = statement.where(
                CaseRow.id.in_(
                    select(CaseOffenceRow.case_id).where(CaseOffenceRow.code == query.offence)
                )
            )
        if query.officer is not None:
            statement = statement.where(
                CaseRow.id.in_(
                    select(CasePartyRow.case_id)
                    .join(PersonRow, PersonRow.id == CasePartyRow.person_id)
                    .where(
                        CasePartyRow.role == Role.OFFICER_IN_CASE.value,
                        PersonRow.name_key == name_key(query.officer),
                    )
                )
            )
        if query.risk is not None:
            statement = statement.where(CaseRow.id.in_(_cases_at_risk(query.risk.value)))
        statement = (
            statement.order_by(CaseRow.opened_at.desc(), CaseRow.reference.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        cases = self._session.execute(statement).all()
        if not cases:
            return []
        ids = [c.id for c in cases]
        offences: dict[UUID, list[str]] = defaultdict(list)
        for case_id, code in self._session.execute(
            select(CaseOffenceRow.case_id, CaseOffenceRow.code)
            .where(CaseOffenceRow.case_id.in_(ids))
            .order_by(CaseOffenceRow.case_id, CaseOffenceRow.position)
        ):
            offences[case_id].append(code)
        officers: dict[UUID, list[str]] = defaultdict(list)
        for case_id, given, family in self._session.execute(
            select(CasePartyRow.case_id, PersonRow.given_names, PersonRow.family_name)
            .join(PersonRow, PersonRow.id == CasePartyRow.person_id)
            .where(
                CasePartyRow.case_id.in_(ids),
                CasePartyRow.role == Role.OFFICER_IN_CASE.value,
            )
            .order_by(CasePartyRow.case_id, CasePartyRow.position)
        ):
            officers[case_id].append(f"{given} {family}".strip())
        return [
            CaseSummary(
                reference=CaseReference(c.force, c.year, c.number),
                force=c.force,
                stage=Stage(c.stage),
                reported_on=c.reported_on,
                domestic_abuse=c.domestic_abuse,
                restricted=c.restricted,
                offences=tuple(offences[c.id]),
                officers=tuple(officers[c.id]),
            )
            for c in cases
        ]

    def references(self, *, force: str | None = None) -> list[CaseReference]:
        statement = select(CaseRow.force, CaseRow.year, CaseRow.number)
        if force is not None:
            statement = statement.where(CaseRow.force == force)
        statement = statement.order_by(CaseRow.opened_at, CaseRow.reference)
        return [CaseReference(f, y, n) for f, y, n in self._session.execute(statement)]


def _change_row(case: Case, change: StageChange, seq: int) -> StageChangeRow:
    return StageChangeRow(
        id=change.id,
        case_id=case.id,
        force=case.force,
        seq=seq,
        source=change.source.value if change.source is not None else None,
        target=change.target.value,
        decided_by=change.decided_by.value,
        actor=change.actor,
        reason=change.reason,
        at=change.at,
    )


def _case(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        reference=_reference(row),
        force=row.force,
        reported_on=row.reported_on,
        opened_at=row.opened_at,
        domestic_abuse=row.domestic_abuse,
        restricted=row.restricted,
        enhanced_rights=row.enhanced_rights,
        stage=Stage(row.stage),
        offences=tuple(
            CaseOffence(
                id=o.id,
                code=o.code,
                committed_on=o.committed_on,
                recorded_by=o.recorded_by,
                recorded_at=o.recorded_at,
            )
            for o in row.offences
        ),
        parties=tuple(
            CaseParty(
                person=_person(p.person),
                role=Role(p.role),
                added_by=p.added_by,
                added_at=p.added_at,
            )
            for p in row.parties
        ),
        history=tuple(
            StageChange(
                id=h.id,
                source=Stage(h.source) if h.source is not None else None,
                target=Stage(h.target),
                decided_by=Agency(h.decided_by),
                actor=h.actor,
                reason=h.reason,
                at=h.at,
            )
            for h in row.history
        ),
    )


def _event(row: EventRow) -> Event:
    return Event(
        id=row.id,
        case_id=row.case_id,
        force=row.force,
        kind=EventKind(row.kind),
        phase=EventPhase(row.phase) if row.phase is not None else None,
        description=row.description,
        occurred_at=row.occurred_at,
        location_id=row.location_id,
        person_ids=tuple(p.person_id for p in row.persons),
        object_ids=tuple(o.object_id for o in row.objects),
        source=EventSource(row.source),
        source_document=row.source_document,
        status=Confirmation(row.status),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


class SqlEventRepository:
    """Events in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, event: Event) -> None:
        row = EventRow(
            id=event.id,
            case_id=event.case_id,
            force=event.force,
            kind=event.kind.value,
            phase=event.phase.value if event.phase is not None else None,
            description=event.description,
            occurred_at=event.occurred_at,
            location_id=event.location_id,
            source=event.source.value,
            source_document=event.source_document,
            status=event.status.value,
            recorded_by=event.recorded_by,
            recorded_at=event.recorded_at,
        )
        row.persons = [
            EventPersonRow(person_id=p, force=event.force, position=i)
            for i, p in enumerate(dict.fromkeys(event.person_ids))
        ]
        row.objects = [
            EventObjectRow(object_id=o, force=event.force, position=i)
            for i, o in enumerate(dict.fromkeys(event.object_ids))
        ]
        self._session.add(row)
        self._session.flush()

    def get(self, *, event_id: UUID) -> Event | None:
        row = self._session.get(EventRow, event_id)
        return _event(row) if row is not None else None

    def for_case(self, *, case_id: UUID) -> list[Event]:
        rows = self._session.scalars(
            select(EventRow)
            .where(EventRow.case_id == case_id)
            .order_by(EventRow.occurred_at, EventRow.recorded_at)
        )
        return [_event(r) for r in rows]

    def set_status(self, *, event_id: UUID, status: Confirmation) -> None:
        self._session.execute(
            update(EventRow).where(EventRow.id == event_id).values(status=status.value)
        )
        self._session.expire_all()


class SqlObjectRepository:
    """Objects and their identifiers in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, item: PoleObject) -> None:
        row = ObjectRow(
            id=item.id, force=item.force, kind=item.kind.value, description=item.description
        )
        row.identifiers = [
            ObjectIdentifierRow(
                force=item.force,
                position=i,
                scheme=ident.scheme,
                value=ident.value,
                value_key=identifier_key(ident.value),
            )
            for i, ident in enumerate(item.identifiers)
        ]
        self._session.add(row)
        self._session.flush()

    @staticmethod
    def _object(row: ObjectRow) -> PoleObject:
        return PoleObject(
            id=row.id,
            force=row.force,
            kind=ObjectKind(row.kind),
            description=row.description,
            identifiers=tuple(Identifier(scheme=i.scheme, value=i.value) for i in row.identifiers),
        )

    def get(self, *, object_id: UUID) -> PoleObject | None:
        row = self._session.get(ObjectRow, object_id)
        return self._object(row) if row is not None else None

    def find_by_identifier(self, *, scheme: str, value: str) -> list[PoleObject]:
        rows = self._session.scalars(
            select(ObjectRow)
            .join(ObjectIdentifierRow)
            .where(
                ObjectIdentifierRow.scheme == scheme,
                ObjectIdentifierRow.value_key == identifier_key(value),
            )
            .distinct()
            .order_by(ObjectRow.id)
        )
        return [self._object(r) for r in rows]


class SqlLocationRepository:
    """Locations in SQL."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, location: Location) -> None:
        self._session.add(
            LocationRow(
                id=location.id,
                force=location.force,
                description=location.description,
                postcode=location.postcode,
                latitude=location.latitude,
                longitude=location.longitude,
            )
        )
        self._session.flush()

    def get(self, *, location_id: UUID) -> Location | None:
        row = self._session.get(LocationRow, location_id)
        if row is None:
            return None
        return Location(
            id=row.id,
            force=row.force,
            description=row.description,
            postcode=row.postcode,
            latitude=row.latitude,
            longitude=row.longitude,
        )


def _deadline(row: CaseDeadlineRow) -> CaseDeadline:
    return CaseDeadline(
        kind=DeadlineKind(row.kind),
        about=row.about,
        due=row.due,
        rule_id=row.rule_id,
        rule=row.rule,
        source=row.source,
        started_by=row.started_by,
        start=row.start,
        detail=row.detail,
        rules_version=row.rules_version,
        problem=row.problem,
        settled_on=row.settled_on,
        settled_by=row.settled_by,
    )


class SqlDeadlineRepository:
    """Worked-out deadlines in SQL; "due soon" uses the partial index on open ones."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace_for_case(self, *, case: Case, deadlines: list[CaseDeadline]) -> None:
        existing = self._session.scalars(
            select(CaseDeadlineRow).where(CaseDeadlineRow.case_id == case.id)
        )
        for row in existing:
            self._session.delete(row)
        self._session.flush()
        for position, d in enumerate(deadlines):
            self._session.add(
                CaseDeadlineRow(
                    case_id=case.id,
                    force=case.force,
                    position=position,
                    kind=d.kind.value,
                    about=d.about,
                    due=d.due,
                    rule_id=d.rule_id,
                    rule=d.rule,
                    source=d.source,
                    started_by=d.started_by,
                    start=d.start,
                    detail=d.detail,
                    rules_version=d.rules_version,
                    problem=d.problem,
                    settled_on=d.settled_on,
                    settled_by=d.settled_by,
                )
            )
        self._session.flush()

    def for_case(self, *, case_id: UUID) -> list[CaseDeadline]:
        rows = self._session.scalars(
            select(CaseDeadlineRow)
            .where(CaseDeadlineRow.case_id == case_id)
            .order_by(CaseDeadlineRow.position)
        )
        return [_deadline(r) for r in rows]

    def due(self, *, until: date, force: str | None = None) -> list[DueDeadline]:
        statement = (
            select(CaseDeadlineRow, CaseRow)
            .join(CaseRow, CaseRow.id == CaseDeadlineRow.case_id)
            .where(
                CaseDeadlineRow.settled_on.is_(None),
                CaseDeadlineRow.due.is_not(None),
                CaseDeadlineRow.due <= until,
            )
        )
        if force is not None:
            statement = statement.where(CaseDeadlineRow.force == force)
        statement = statement.order_by(
            CaseDeadlineRow.due, CaseRow.reference, CaseDeadlineRow.position
        )
        return [
            DueDeadline(
                reference=_reference(case),
                force=case.force,
                stage=Stage(case.stage),
                deadline=_deadline(row),
            )
            for row, case in self._session.execute(statement)
        ]

    def count(self) -> int:
        """How many deadlines are stored (for tests and diagnostics)."""
        return self._session.scalar(select(func.count()).select_from(CaseDeadlineRow)) or 0


class SqlCaseStore:
    """A unit of work over one session: commit on a clean exit, roll back on an error.

    ``with SqlCaseStore.open(engine) as store: open_case(store=store, ...)``.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cases = SqlCaseRepository(session)
        self._persons = SqlPersonRepository(session)
        self._events = SqlEventRepository(session)
        self._objects = SqlObjectRepository(session)
        self._locations = SqlLocationRepository(session)
        self._deadlines = SqlDeadlineRepository(session)

    @classmethod
    def open(cls, engine: Engine) -> SqlCaseStore:
        return cls(session_factory(engine)())

    @property
    def cases(self) -> SqlCaseRepository:
        return self._cases

    @property
    def persons(self) -> SqlPersonRepository:
        return self._persons

    @property
    def events(self) -> SqlEventRepository:
        return self._events

    @property
    def objects(self) -> SqlObjectRepository:
        return self._objects

    @property
    def locations(self) -> SqlLocationRepository:
        return self._locations

    @property
    def deadlines(self) -> SqlDeadlineRepository:
        return self._deadlines

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
