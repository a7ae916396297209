"""Read the POLE entities that cases mention, for entity resolution across cases.

One row per mention: a member of the public named on a case (professionals are left out:
an officer on twenty cases links nothing), a phone or vehicle in one of its events, an
event's location, and from missing-person cases the person, their phone and home address.
The faces turn these into ``safeguarding.linkage.Mention`` (store may not import it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.domain.cases import PROFESSIONAL_ROLES
from casework.domain.pole import ObjectKind
from casework.store.missing_models import MissingCaseRow
from casework.store.models import (
    CasePartyRow,
    CaseRow,
    EventObjectRow,
    EventRow,
    LocationRow,
    ObjectRow,
    PersonRow,
)

PHONE_SCHEMES = ("PHONE", "MSISDN", "TEL")
VEHICLE_SCHEMES = ("VRM", "REG", "VEHICLE_REG")


@dataclass(frozen=True, slots=True)
class PoleMention:
    """An entity as one case mentions it. ``kind``: person, phone, vehicle or address."""

    id: str
    kind: str
    text: str
    case: str
    force: str
    role: str = ""
    date_of_birth: date | None = None
    postcode: str | None = None


def _identifier(row: ObjectRow, schemes: tuple[str, ...]) -> str:
    for identifier in row.identifiers:
        if identifier.scheme in schemes:
            return identifier.value
    return ""


def case_mentions(
    *, session: Session, force: str, references: Collection[str] | None = None
) -> list[PoleMention]:
    """Return the mentions in a force's criminal cases (only ``references``, when given)."""
    cases = select(CaseRow.id).where(CaseRow.force == force)
    if references is not None:
        cases = cases.where(CaseRow.reference.in_(list(references)))
    case_ids = cases.scalar_subquery()
    found: list[PoleMention] = []
    staff = [r.value for r in PROFESSIONAL_ROLES]
    parties = session.execute(
        select(CasePartyRow.id, CasePartyRow.role, CaseRow.reference, PersonRow)
        .join(CaseRow, CaseRow.id == CasePartyRow.case_id)
        .join(PersonRow, PersonRow.id == CasePartyRow.person_id)
        .where(CasePartyRow.case_id.in_(case_ids), CasePartyRow.role.not_in(staff))
        .order_by(CaseRow.reference, CasePartyRow.position)
    )
    for party_id, role, reference, person in parties:
        found.append(
            PoleMention(
                id=f"party:{party_id}",
                kind="person",
                text=f"{person.given_names} {person.family_name}".strip(),
                case=reference,
                force=force,
                role=role,
                date_of_birth=person.date_of_birth,
            )
        )
    objects = session.execute(
        select(EventObjectRow.event_id, CaseRow.reference, ObjectRow)
        .join(EventRow, EventRow.id == EventObjectRow.event_id)
        .join(CaseRow, CaseRow.id == EventRow.case_id)
        .join(ObjectRow, ObjectRow.id == EventObjectRow.object_id)
        .where(
            EventRow.case_id.in_(case_ids),
            ObjectRow.kind.in_([ObjectKind.PHONE.value, ObjectKind.VEHICLE.value]),
        )
        .order_by(CaseRow.reference, EventObjectRow.event_id, EventObjectRow.position)
    )
    for event_id, reference, item in objects:
        phone = item.kind == ObjectKind.PHONE.value
        value = _identifier(item, PHONE_SCHEMES if phone else VEHICLE_SCHEMES)
        found.append(
            PoleMention(
                id=f"object:{event_id}:{item.id}",
                kind="phone" if phone else "vehicle",
                text=value or item.description,
                case=reference,
                force=force,
            )
        )
    places = session.execute(
        select(EventRow.id, CaseRow.reference, LocationRow)
        .join(CaseRow, CaseRow.id == EventRow.case_id)
        .join(LocationRow, LocationRow.id == EventRow.location_id)
        .where(EventRow.case_id.in_(case_ids))
        .order_by(CaseRow.reference, EventRow.occurred_at)
    )
    for event_id, reference, place in places:
        found.append(
            PoleMention(
                id=f"location:{event_id}",
                kind="address",
                text=place.description,
                case=reference,
                force=force,
                postcode=place.postcode,
            )
        )
    return found


def missing_mentions(*, session: Session, force: str) -> list[PoleMention]:
    """Return the person, phone and home address of each missing-person case of a force."""
    found: list[PoleMention] = []
    rows = session.scalars(
        select(MissingCaseRow)
        .where(MissingCaseRow.force == force)
        .order_by(MissingCaseRow.reference)
    )
    for row in rows:
        found.append(
            PoleMention(
                id=f"missing:{row.id}",
                kind="person",
                text=row.name,
                case=row.reference,
                force=force,
                role="missing person",
                date_of_birth=row.date_of_birth,
            )
        )
        if row.phone:
            found.append(
                PoleMention(f"missing-phone:{row.id}", "phone", row.phone, row.reference, force)
            )
        if row.home_address:
            found.append(
                PoleMention(
                    f"missing-home:{row.id}", "address", row.home_address, row.reference, force
                )
            )
    return found
