"""The network of people, phones, vehicles and addresses across cases, for the link chart.

Built on :func:`casework.safeguarding.linkage.resolve`: each resolved entity is a node, and
two nodes are joined by an edge when they are mentioned in the same case (or the same
``Mention.context``). An edge keeps the cases that join them, so a phone used by suspects
in two different reports shows as one node with edges into both cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from casework.errors import NotFound
from casework.safeguarding.linkage import EntityKind, Link, Mention, ResolvedEntity, resolve


@dataclass(frozen=True)
class NetworkNode:
    """A resolved person, phone, vehicle or address."""

    id: str
    kind: EntityKind
    label: str
    cases: tuple[str, ...]
    roles: tuple[str, ...]
    spellings: tuple[str, ...]
    mentions: int

    @property
    def across_cases(self) -> bool:
        """Whether the entity appears in more than one case: the links worth looking at."""
        return len(self.cases) > 1


@dataclass(frozen=True)
class NetworkEdge:
    """Two entities mentioned together; ``cases`` are the cases where they are."""

    source: str
    target: str
    cases: tuple[str, ...]

    @property
    def weight(self) -> int:
        return len(self.cases)


@dataclass(frozen=True)
class Network:
    """Nodes, edges and the resolved entities behind them (with the evidence of each link)."""

    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]
    entities: tuple[ResolvedEntity, ...]

    def node(self, node_id: str) -> NetworkNode:
        """Return a node by id; NotFound names the id."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise NotFound(f"no entity {node_id!r} in the network")

    def entity(self, node_id: str) -> ResolvedEntity:
        """Return the resolved entity behind a node, with its mentions and links."""
        for entity in self.entities:
            if entity.id == node_id:
                return entity
        raise NotFound(f"no entity {node_id!r} in the network")

    def evidence(self, node_id: str) -> tuple[Link, ...]:
        """Return why the mentions of a node were taken to be one entity."""
        return self.entity(node_id).links

    def around(self, node_id: str, *, depth: int = 1) -> Network:
        """Return the part of the network within ``depth`` edges of a node."""
        self.node(node_id)
        neighbours: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
        keep = {node_id}
        frontier = {node_id}
        for _ in range(max(depth, 0)):
            frontier = {n for f in frontier for n in neighbours[f]} - keep
            keep |= frontier
        return Network(
            nodes=tuple(n for n in self.nodes if n.id in keep),
            edges=tuple(e for e in self.edges if e.source in keep and e.target in keep),
            entities=tuple(e for e in self.entities if e.id in keep),
        )

    def across_cases(self) -> Network:
        """Return only the entities seen in more than one case, and their neighbours."""
        keep = {n.id for n in self.nodes if n.across_cases}
        for edge in self.edges:
            if edge.source in keep or edge.target in keep:
                keep |= {edge.source, edge.target}
        return Network(
            nodes=tuple(n for n in self.nodes if n.id in keep),
            edges=tuple(e for e in self.edges if e.source in keep and e.target in keep),
            entities=tuple(e for e in self.entities if e.id in keep),
        )

    def as_json(self) -> dict[str, Any]:
        """Return the network as plain JSON (the API's and the CLI's ``--format json``)."""
        return {
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind.value,
                    "label": n.label,
                    "cases": list(n.cases),
                    "roles": list(n.roles),
                    "spellings": list(n.spellings),
                    "mentions": n.mentions,
                    "across_cases": n.across_cases,
                }
                for n in self.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "cases": list(e.cases), "weight": e.weight}
                for e in self.edges
            ],
        }


def network_for(mentions: Iterable[Mention]) -> Network:
    """Resolve mentions into entities and join those mentioned in the same case.

    Args:
        mentions: every person, phone, vehicle and address mention to consider, each with
            its case reference (``Mention.case``) and, if finer than the case, the context
            it was mentioned in (``Mention.context``, e.g. an event id).

    Returns:
        ``Network(nodes, edges, entities)``. ``nodes`` are ``NetworkNode(id, kind, label,
        cases, roles, spellings, mentions)`` with ``across_cases`` true when seen in more
        than one case; ``edges`` are ``NetworkEdge(source, target, cases)`` between node
        ids (source < target), ``weight`` the number of cases; ``entities`` are the
        ``ResolvedEntity`` clusters with ``links`` (``Link.matches``: which fields matched
        and how). ``Network.around(id, depth=)``, ``.across_cases()`` and ``.evidence(id)``
        cut it down; ``.as_json()`` gives plain JSON. Order is deterministic.
    """
    entities = resolve(mentions)
    members: dict[str, set[str]] = defaultdict(set)
    cases_of_group: dict[str, str] = {}
    for entity in entities:
        for mention in entity.mentions:
            members[mention.group].add(entity.id)
            cases_of_group[mention.group] = mention.case
    edge_cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for group, ids in members.items():
        for source, target in combinations(sorted(ids), 2):
            edge_cases[(source, target)].add(cases_of_group[group])
    nodes = tuple(
        NetworkNode(
            id=e.id,
            kind=e.kind,
            label=e.label,
            cases=e.cases,
            roles=e.roles,
            spellings=e.spellings,
            mentions=len(e.mentions),
        )
        for e in entities
    )
    edges = tuple(
        NetworkEdge(source=s, target=t, cases=tuple(sorted(c)))
        for (s, t), c in sorted(edge_cases.items())
    )
    return Network(nodes=nodes, edges=edges, entities=tuple(entities))
