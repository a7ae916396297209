"""Placement: known optima, exact against brute force, the greedy's gap, signatures."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from casework.dfr import demo
from casework.dfr.placement import Method, covered_weight, exact, greedy, signatures
from casework.dfr.planning import place
from casework.errors import InvalidInput


def _within(rows: list[list[int]], incidents: int) -> csr_matrix:
    """Sites x incidents from each site's list of covered incidents."""
    dense = np.zeros((len(rows), incidents), dtype=np.int8)
    for site, covered in enumerate(rows):
        dense[site, covered] = 1
    return csr_matrix(dense)


# A covers x1 x2 y1 y2; B covers x1 x2 x3; C covers y1 y2 y3 (incidents 0-5 = x1 x2 x3 y1 y2 y3).
TRAP = _within([[0, 1, 3, 4], [0, 1, 2], [3, 4, 5]], 6)


def test_greedy_falls_into_the_trap_and_the_exact_solver_does_not() -> None:
    sig = signatures(TRAP, np.ones(6))
    found_greedy = greedy(sig, 2)
    found_exact = exact(sig, 2)
    assert found_greedy.docks[0] == 0 and found_greedy.objective == 5.0
    assert found_exact.docks == [1, 2] and found_exact.objective == 6.0
    assert found_exact.optimal and not found_greedy.optimal


def test_weights_change_the_optimum() -> None:
    heavy_x3 = np.array([1, 1, 10, 1, 1, 1], dtype=np.float64)
    assert exact(signatures(TRAP, heavy_x3), 1).docks == [1]
    assert exact(signatures(TRAP, np.ones(6)), 1).docks == [0]


def test_incidents_covered_by_the_same_sites_share_one_signature() -> None:
    within = _within([[0, 1, 2], [2, 3]], 5)  # incident 4 is covered by no site
    sig = signatures(within, np.array([1.0, 2.0, 4.0, 8.0, 16.0]))
    assert sig.cover.shape == (2, 3)
    assert sorted(sig.weight.tolist()) == [3.0, 4.0, 8.0]
    assert sig.incidents == 4


def _brute_force(sig: object, count: int, sites: int) -> float:
    return max(
        covered_weight(sig, list(combo))  # type: ignore[arg-type]
        for combo in itertools.combinations(range(sites), count)
    )


@pytest.mark.parametrize("seed", range(12))
def test_exact_matches_brute_force_and_greedy_never_beats_it(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sites, incidents = 9, 40
    dense = (rng.random((sites, incidents)) < 0.25).astype(np.int8)
    weight = rng.choice([0.5, 1.0, 2.0, 4.0], incidents)
    sig = signatures(csr_matrix(dense), weight)
    for count in (1, 3, 4):
        best = _brute_force(sig, count, sites)
        found = exact(sig, count)
        assert found.objective == pytest.approx(best)
        assert len(found.docks) == count
        assert greedy(sig, count).objective <= best + 1e-9
        assert greedy(sig, count).objective >= (1 - 1 / np.e) * best - 1e-9


def test_kept_docks_are_in_every_answer() -> None:
    sig = signatures(TRAP, np.ones(6))
    assert 0 in exact(sig, 2, keep=[0]).docks
    assert greedy(sig, 2, keep=[2]).docks[0] == 2


@pytest.mark.parametrize("count", [0, 4])
def test_a_count_outside_the_candidates_is_refused(count: int) -> None:
    with pytest.raises(InvalidInput, match="count"):
        exact(signatures(TRAP, np.ones(6)), count)


def test_placement_on_demoshire_reports_both_methods_and_their_gap() -> None:
    inputs = demo.demo_inputs(1_500, 30)
    result = place(inputs, count=4, target_s=120, method=Method.BOTH)
    methods = [s.method for s in result.solutions]
    assert methods == [Method.GREEDY, Method.EXACT]
    greedy_found, exact_found = result.solutions
    assert exact_found.objective >= greedy_found.objective
    assert result.greedy_gap is not None and 0 <= result.greedy_gap < 0.37
    shown = result.as_dict()
    assert shown["chosen"]["docks"] == [inputs.sites[j].id for j in exact_found.docks]  # type: ignore[index]
    assert 0 < shown["chosen"]["within_target_share"] <= 1  # type: ignore[index]


def test_placement_refuses_unknown_kept_sites_and_bad_targets() -> None:
    inputs = demo.demo_inputs(200, 10)
    with pytest.raises(InvalidInput, match="keep: unknown site"):
        place(inputs, count=2, target_s=120, keep=["NOPE"])
    with pytest.raises(InvalidInput, match="target"):
        place(inputs, count=2, target_s=0)


def test_a_gap_lets_the_solver_stop_early_and_never_claims_proof() -> None:
    sig = signatures(TRAP, np.ones(6))
    found = exact(sig, 2, gap=0.2)
    assert found.objective >= 0.8 * 6.0
    assert found.mip_gap is not None and found.mip_gap <= 0.2
    assert found.optimal is (found.mip_gap <= 1e-9)
    with pytest.raises(InvalidInput, match="gap"):
        exact(sig, 2, gap=1.5)
