"""What the link chart is drawn from: mentions of people, phones, vehicles and addresses in
the cases a user may see, resolved into a network by ``safeguarding.network.network_for``.

The cases are chosen by the caller (the access policy's ``visible_cases``), so a link into a
case the user may not see is never drawn. Members of the public only: staff (officers,
IDVAs, prosecutors) are on many cases by their work, which is no link between them.
Phones and vehicles come from the objects of a case's events, addresses from its events'
locations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casework.domain.pole import ObjectKind, PoleObject
from casework.domain.repositories import CaseStore
from casework.journey import cases as case_service
from casework.journey.cases import CaseFile
from casework.safeguarding.linkage import EntityKind, Mention
from casework.safeguarding.network import Network, network_for

PHONE_SCHEMES = ("MSISDN", "PHONE", "TEL", "MOBILE", "IMEI")
VEHICLE_SCHEMES = ("VRM", "REG", "REGISTRATION", "VIN")
OBJECT_KINDS = {ObjectKind.PHONE: EntityKind.PHONE, ObjectKind.VEHICLE: EntityKind.VEHICLE}


def _object_text(item: PoleObject) -> str:
    preferred = PHONE_SCHEMES if item.kind is ObjectKind.PHONE else VEHICLE_SCHEMES
    for scheme in preferred:
        for identifier in item.identifiers:
            if identifier.scheme == scheme:
                return identifier.value
    return item.identifiers[0].value if item.identifiers else item.description


def mentions_of(*, store: CaseStore, files: Iterable[CaseFile]) -> list[Mention]:
    """Every mention of a member of the public, phone, vehicle or address in ``files``."""
    found: list[Mention] = []
    for file in files:
        case = file.case
        ref = str(case.reference)
        for index, party in enumerate(case.parties):
            if party.role.is_professional:
                continue
            found.append(
                Mention(
                    id=f"{ref}:p{index}",
                    kind=EntityKind.PERSON,
                    text=party.person.full_name,
                    case=ref,
                    force=case.force,
                    role=party.role.words,
                    date_of_birth=party.person.date_of_birth,
                )
            )
        for event in file.events:
            for object_id in event.object_ids:
                item = store.objects.get(object_id=object_id)
                if item is None or item.kind not in OBJECT_KINDS:
                    continue
                found.append(
                    Mention(
                        id=f"{ref}:o{object_id}:{event.id}",
                        kind=OBJECT_KINDS[item.kind],
                        text=_object_text(item),
                        case=ref,
                        force=case.force,
                    )
                )
            if event.location_id is not None:
                place = store.locations.get(location_id=event.location_id)
                if place is not None:
                    found.append(
                        Mention(
                            id=f"{ref}:l{place.id}:{event.id}",
                            kind=EntityKind.ADDRESS,
                            text=place.description,
                            case=ref,
                            force=case.force,
                            postcode=place.postcode,
                        )
                    )
    return found


@dataclass(frozen=True, slots=True)
class LinkChart:
    """The network to draw, the cases it joins, and the case it is centred on (if any)."""

    network: Network
    cases: tuple[str, ...]
    focus: str | None = None


def link_chart(
    *, store: CaseStore, references: Iterable[str], focus: str | None = None
) -> LinkChart:
    """The entities seen in more than one of the cases; around ``focus`` when given.

    Centred on a case: that case's entities, and every other case one of them is also in.
    """
    files = [case_service.get_case(store=store, reference=r) for r in dict.fromkeys(references)]
    network = network_for(mentions_of(store=store, files=files))
    if focus is None:
        shown = network.across_cases()
        nodes = [n for n in shown.nodes if n.across_cases]
    else:
        nodes = [n for n in network.nodes if focus in n.cases]
    keep = {n.id for n in nodes}
    chosen = Network(
        nodes=tuple(n for n in network.nodes if n.id in keep),
        edges=tuple(e for e in network.edges if e.source in keep and e.target in keep),
        entities=tuple(e for e in network.entities if e.id in keep),
    )
    joined = sorted({c for n in chosen.nodes for c in n.cases} | ({focus} if focus else set()))
    return LinkChart(network=chosen, cases=tuple(joined), focus=focus)
