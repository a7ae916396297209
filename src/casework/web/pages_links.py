"""The link chart: people, phones, vehicles and addresses linked across cases.

``/network`` draws the entities seen in more than one of the cases you may see;
``/cases/{ref}/links`` those of one case and the other cases they lead to. Both resolve the
mentions with ``safeguarding.network.network_for`` (names spelt differently, phone numbers
and registrations written differently) over cases chosen by the access policy
(``visible_cases``), so a link into a case you may not see is never drawn.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from casework.api.deps import AuditDep, Authorized, CaseInScope, SessionDep, requires
from casework.domain.cases import CaseQuery
from casework.journey import cases as case_service
from casework.safeguarding.network import Network
from casework.security.access import visible_cases
from casework.security.principal import Principal
from casework.security.roles import Action
from casework.store import SqlCaseStore
from casework.web.deps import PageCsrf
from casework.web.link_sources import LinkChart, link_chart
from casework.web.link_svg import link_svg
from casework.web.render import page

router = APIRouter(include_in_schema=False)

NETWORK_CASES = 300
"""How many of the newest cases you may see the chart is drawn over."""


def _visible(store: SqlCaseStore, principal: Principal) -> list[str]:
    found = visible_cases(
        session=store.session,
        principal=principal,
        query=CaseQuery(limit=NETWORK_CASES),
        search=lambda q: case_service.list_cases(store=store, query=q),
    )
    return [str(c.reference) for c in found]


def _rows(network: Network) -> list[dict[str, object]]:
    """One row per entity: what it is, the cases, roles, spellings and why it was linked."""
    rows = []
    for node in sorted(network.nodes, key=lambda n: (n.kind.value, n.label.casefold())):
        evidence = sorted({str(m) for link in network.evidence(node.id) for m in link.matches})
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
    )


@router.get("/network", **requires(Action.CASE_LIST))
def network(
    request: Request,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """Every person, phone, vehicle and address seen in more than one case you may see."""
    references = _visible(store, principal)
    chart = link_chart(store=store, references=references)
    store.rollback()
    audit.separately(
        principal,
        action=Action.CASE_LIST.value,
        target="network",
        detail={"cases": len(references), "linked": len(chart.network.nodes)},
    )
    return _render(
        request,
        chart=chart,
        principal=principal,
        csrf=csrf,
        title="Links across cases",
        reference=None,
    )


@router.get("/cases/{reference}/links", **requires(Action.CASE_READ))
def case_links(
    request: Request,
    reference: str,
    case: CaseInScope,
    principal: Authorized,
    store: SessionDep,
    audit: AuditDep,
    csrf: PageCsrf,
) -> Response:
    """This case's people, phones, vehicles and addresses, and the other cases they are in."""
    references = [case.reference, *_visible(store, principal)]
    chart = link_chart(store=store, references=references, focus=case.reference)
    store.rollback()
    audit.separately(
        principal,
        action=Action.CASE_READ.value,
        case_reference=case.reference,
        target="links",
        detail={"cases": len(chart.cases)},
    )
    return _render(
        request,
        chart=chart,
        principal=principal,
        csrf=csrf,
        title=f"Link chart, case {case.reference}",
        reference=case.reference,
    )
