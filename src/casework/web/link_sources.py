"""What the link chart is drawn from: the network of the cases a user may read, from
``api.routes.network.network_of`` (the one adapter from storage to
``safeguarding.network.network_for``), cut down to what one chart shows.

A link into a case the user may not read is never drawn: ``network_of`` reads only those.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.domain.cases import CaseReference
from casework.safeguarding.network import Network


@dataclass(frozen=True, slots=True)
class LinkChart:
    """The network to draw, the cases it joins, and the case it is centred on (if any)."""

    network: Network
    cases: tuple[str, ...]
    focus: str | None = None


def link_chart(network: Network, *, focus: str | None = None) -> LinkChart:
    """The entities seen in more than one case; around ``focus`` when given.

    Centred on a case: that case's entities, and every other case one of them is also in.
    """
    if focus is None:
        keep = {n.id for n in network.nodes if n.across_cases}
    else:
        keep = {n.id for n in network.nodes if focus in n.cases}
    chosen = Network(
        nodes=tuple(n for n in network.nodes if n.id in keep),
        edges=tuple(e for e in network.edges if e.source in keep and e.target in keep),
        entities=tuple(e for e in network.entities if e.id in keep),
    )
    joined = sorted({c for n in chosen.nodes for c in n.cases} | ({focus} if focus else set()))
    return LinkChart(network=chosen, cases=tuple(joined), focus=focus)


def case_href(reference: str) -> str:
    """Where a case of the chart opens: a criminal case, or a missing-person case."""
    try:
        CaseReference.parse(reference)
    except ValueError:
        return f"/missing/{reference}"
    return f"/cases/{reference}"
