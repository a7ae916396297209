"""The link chart: people, phones, vehicles and addresses linked across cases.

``/network`` draws the entities seen in more than one of the cases you may read;
``/cases/{ref}/links`` those of one case and the other cases they lead to. Both take the
network ``GET /api/network`` gives (``network_of``: entity resolution over the cases the
policy lets you read), under the same permission (``network.read``) and audit entry.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, Authorized, SessionDep, requires
from casework.api.routes.network import network_of
from casework.errors import NotFound
from casework.safeguarding.network import Network
from casework.security.access import case_facts
from casework.security.audit import Outcome
from casework.security.policy import can
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.web.deps import PageCsrf
from casework.web.link_sources import LinkChart, case_href, link_chart
from casework.web.link_svg import link_svg
from casework.web.render import page

router = APIRouter(include_in_schema=False)


def _rows(network: Network) -> list[dict[str, object]]:
    """One row per entity: what it is, the cases, roles, spellings and why it was linked."""
    rows = []
    for node in sorted(network.nodes, key=lambda n: (n.kind.value, n.label.casefold())):
        evidence = sorted(  # which fields matched and how; the values are in "Written as"
            {f"{m.field}: {m.how}" for link in network.evidence(node.id) for m in link.matches}
        )
        rows.append({"node": node, "evidence": evidence})
    return rows


def _render(
    request: Request,
    *,
    chart: LinkChart,
    principal: Principal,
    csrf: str,
    title: str,
    reference: str | None,
) -> Response:
    return page(
        request,
        "links/links.html",
        principal=principal,
        csrf=csrf,
        title=title,
        reference=reference,
        chart=chart,
        picture=link_svg(chart, title=title),
        rows=_rows(chart.network),
        case_href=case_href,
    )


@router.get("/network", **requires(Action.NETWORK_READ))
def network(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Every person, phone, vehicle and address seen in more than one case you may read."""
    chart = link_chart(network_of(session=store.session, principal=principal))
    store.rollback()
    audit.separately(  # what GET /api/network writes
        principal,
        action=Action.NETWORK_READ.value,
        target="network",
        detail={"nodes": len(chart.network.nodes), "around": ""},
    )
    return _render(
        request,
        chart=chart,
        principal=principal,
        csrf=csrf,
        title="Links across cases",
        reference=None,
    )


@router.get("/cases/{reference}/links", **requires(Action.NETWORK_READ))
def case_links(
    request: Request,
    reference: str,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """This case's people, phones, vehicles and addresses, and the other cases they are in."""
    key = reference.strip().upper()
    facts = case_facts(session=store.session, principal=principal, reference=key)
    if facts is None or not can(principal, Action.CASE_READ, facts):
        store.rollback()
        audit.separately(
            principal,
            action=Action.CASE_READ.value,
            outcome=Outcome.DENIED,
            case_reference=key[:24],
            detail={"exists": facts is not None},
        )
        raise NotFound(f"no case {key}")  # the same answer as a case that does not exist
    chart = link_chart(network_of(session=store.session, principal=principal), focus=key)
    store.rollback()
    audit.separately(
        principal,
        action=Action.NETWORK_READ.value,
        case_reference=key,
        target="network",
        detail={"nodes": len(chart.network.nodes), "around": key},
    )
    return _render(
        request,
        chart=chart,
        principal=principal,
        csrf=csrf,
        title=f"Link chart, case {key}",
        reference=key,
    )
