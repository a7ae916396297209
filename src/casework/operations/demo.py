"""Synthetic force returns whose national totals are the published Op Sceptre figures.

The split between forces is made up (in proportion to population, with noise); only the
national totals are real
(/work/shared/reference/operations.md). Used by ``casework demo``, the tests and the bench.
"""

from __future__ import annotations

import random

from casework.operations.definitions import Operation
from casework.operations.forces import Force
from casework.operations.returns import RawReturn

SCEPTRE_2023_11 = {
    "knives_removed": 13_272,
    "knives_surrendered_or_recovered": 12_149,
    "arrests": 1_625,
    "knife_arrests": 970,
    "school_engagement_visits": 2_071,
    "retailers_visited": 1_804,
    "test_purchases": 663,
    "test_purchase_failures": 109,
}
"""Published national results of Operation Sceptre, 13-19 November 2023."""


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole numbers in proportion to ``weights`` (largest remainder).

    A share never exceeds its weight when the weights are whole numbers at least ``total``
    in sum, so a part split by its whole's shares stays within the whole.
    """
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def sceptre_returns(operation: Operation, *, seed: int = 2023) -> list[RawReturn]:
    """43 returns whose totals reproduce ``SCEPTRE_2023_11``."""
    rng = random.Random(seed)
    forces: list[Force] = list(operation.taking_part)
    weights = [f.population * rng.uniform(0.7, 1.3) for f in forces]
    figures = SCEPTRE_2023_11
    removed = apportion(figures["knives_removed"], weights)
    kept = apportion(figures["knives_surrendered_or_recovered"], [float(x) for x in removed])
    surrendered = [round(k * rng.uniform(0.6, 0.8)) for k in kept]
    arrests = apportion(figures["arrests"], weights)
    knife = apportion(figures["knife_arrests"], [float(x) for x in arrests])
    purchases = apportion(figures["test_purchases"], weights)
    failures = apportion(figures["test_purchase_failures"], [float(x) for x in purchases])
    schools = apportion(figures["school_engagement_visits"], weights)
    retailers = apportion(figures["retailers_visited"], weights)
    found = []
    for i, force in enumerate(forces):
        found.append(
            RawReturn(
                force=force.code,
                values={
                    "knives_removed": removed[i],
                    "knives_surrendered": surrendered[i],
                    "knives_recovered": kept[i] - surrendered[i],
                    "arrests": arrests[i],
                    "knife_arrests": knife[i],
                    "school_engagement_visits": schools[i],
                    "retailers_visited": retailers[i],
                    "test_purchases": purchases[i],
                    "test_purchase_failures": failures[i],
                },
            )
        )
    return found
