"""``/api/network``: people, phones, vehicles and addresses resolved across the cases one may read.

The same operations as ``casework network``. ``network_of`` is the one adapter from storage
to ``safeguarding.network.network_for``: the web's link chart calls it too. It reads only
the cases the caller may read (``security.policy``), and missing-person cases of their
force when they may read those.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.safeguarding.linkage import EntityKind, Mention, ResolvedEntity
from casework.safeguarding.network import Network, network_for
from casework.security.access import case_facts_many
from casework.security.policy import can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store.models import CaseRow
from casework.store.network_queries import PoleMention, case_mentions, missing_mentions

router = APIRouter(prefix="/api/network", tags=["network"])


def as_mentions(rows: list[PoleMention]) -> list[Mention]:
    """Turn stored mentions into the linkage's mentions."""
    return [
        Mention(
            id=r.id,
            kind=EntityKind(r.kind),
            text=r.text,
            case=r.case,
            force=r.force,
            role=r.role,
            date_of_birth=r.date_of_birth,
            postcode=r.postcode,
        )
        for r in rows
    ]


def readable_references(*, session: Session, principal: Principal) -> list[str]:
    """The criminal cases of the caller's force that the caller may read."""
    references = session.scalars(
        select(CaseRow.reference).where(CaseRow.force == principal.force)
    ).all()
    facts = case_facts_many(session=session, principal=principal, references=references)
    return sorted(r for r, f in facts.items() if can(principal, Action.CASE_READ, f))


def network_of(*, session: Session, principal: Principal) -> Network:
    """Return the network of every case ``principal`` may read (their force's).

    ``Network.nodes`` / ``.edges`` draw the link chart; ``.entity(id)`` and
    ``.evidence(id)`` explain a node; ``.around(id, depth=)`` and ``.across_cases()`` cut
    it down. See ``safeguarding.network.network_for``.
    """
    rows = case_mentions(
        session=session,
        force=principal.force,
        references=readable_references(session=session, principal=principal),
    )
    if can(principal, Action.MISSING_READ):
        rows += missing_mentions(session=session, force=principal.force)
    return network_for(as_mentions(rows))


def entity_json(entity: ResolvedEntity) -> dict[str, Any]:
    """A resolved entity with its mentions and the evidence of each link."""
    return {
        "id": entity.id,
        "kind": entity.kind.value,
        "label": entity.label,
        "cases": list(entity.cases),
        "roles": list(entity.roles),
        "mentions": [
            {"id": m.id, "text": m.text, "case": m.case, "role": m.role} for m in entity.mentions
        ],
        "links": [
            {
                "left": link.left,
                "right": link.right,
                "reason": link.reason,
                "matches": [
                    {"field": f.field, "how": f.how, "left": f.left, "right": f.right}
                    for f in link.matches
                ],
            }
            for link in entity.links
        ],
    }


@router.get("", **requires(Action.NETWORK_READ))
def get_network(
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    across_cases: Annotated[
        bool, Query(description="Only entities in more than one case, and their neighbours.")
    ] = True,
    around: Annotated[
        str | None, Query(max_length=300, description="A node id: only its neighbourhood.")
    ] = None,
    depth: Annotated[int, Query(ge=1, le=4, description="Edges from `around`.")] = 2,
) -> dict[str, Any]:
    """The network for the link chart: nodes (resolved entities) and edges (shared cases)."""
    network = network_of(session=store.session, principal=principal)
    if around:
        network = network.around(around, depth=depth)
    elif across_cases:
        network = network.across_cases()
    audit.separately(
        principal,
        action=Action.NETWORK_READ.value,
        target="network",
        detail={"nodes": len(network.nodes), "around": around or ""},
    )
    return network.as_json()


@router.get("/entities/{entity_id}", **requires(Action.NETWORK_READ))
def get_entity(
    entity_id: str, principal: Authorized, store: SessionDep, audit: AuditDep
) -> dict[str, Any]:
    """One resolved entity: its mentions in each case and why they were linked."""
    network = network_of(session=store.session, principal=principal)
    entity = network.entity(entity_id)
    audit.separately(
        principal,
        action=Action.NETWORK_READ.value,
        target=f"network:{entity_id}"[:200],
        detail={"cases": len(entity.cases)},
    )
    return entity_json(entity)
