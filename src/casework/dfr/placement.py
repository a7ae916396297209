"""Choose N docks to maximise the priority-weighted incidents reached within a target time.

The maximal covering location problem (Church and ReVelle, 1974), solved exactly as a
mixed-integer programme with HiGHS (through SciPy's ``milp``) and by the classic greedy
(add the site with the largest weighted gain, N times; at least 1 - 1/e of the optimum).
Incidents reached by the same set of sites share a coverage signature: the programme
has one variable per signature, not per incident, which keeps it small.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_matrix, csr_matrix, hstack, vstack
from scipy.sparse import eye as sparse_eye

from casework.errors import InvalidInput

Floats = npt.NDArray[np.float64]


class Method(StrEnum):
    EXACT = "exact"
    GREEDY = "greedy"
    BOTH = "both"


@dataclass(frozen=True)
class Signatures:
    """Sites x signatures (1 where the site covers it) and each signature's total weight."""

    cover: csr_matrix
    weight: Floats
    incidents: int
    """Incidents with at least one covering site."""


@dataclass(frozen=True, slots=True)
class Solution:
    method: Method
    docks: list[int]
    objective: float
    seconds: float
    optimal: bool
    """Proven optimal: the solver closed the gap (the greedy never claims it)."""
    mip_gap: float | None = None


def signatures(within: csr_matrix, weight: Floats) -> Signatures:
    """Group incidents by the set of sites that cover them, summing their weights."""
    by_incident = within.T.tocsr()
    by_incident.sort_indices()
    counts = np.diff(by_incident.indptr)
    covered = np.flatnonzero((counts > 0) & (weight > 0))
    if len(covered) == 0:
        return Signatures(csr_matrix((within.shape[0], 0), dtype=np.int8), np.zeros(0), 0)
    index: dict[bytes, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    totals: list[float] = []
    indptr, indices = by_incident.indptr, by_incident.indices
    for i in covered:
        sites = indices[indptr[i] : indptr[i + 1]]
        key = sites.tobytes()
        k = index.get(key)
        if k is None:
            k = index[key] = len(totals)
            totals.append(0.0)
            rows.extend(sites.tolist())
            cols.extend([k] * len(sites))
        totals[k] += float(weight[i])
    cover = csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(within.shape[0], len(totals))
    )
    return Signatures(cover, np.asarray(totals), len(covered))


def _check(count: int, sites: int) -> None:
    if count < 1:
        raise InvalidInput(f"count: {count} docks; choose at least 1")
    if count > sites:
        raise InvalidInput(f"count: {count} docks but only {sites} candidate sites")


def greedy(sig: Signatures, count: int, keep: list[int] | None = None) -> Solution:
    """Add the site with the most uncovered weight, ``count`` times (ties: the first site)."""
    _check(count, sig.cover.shape[0])
    began = time.perf_counter()
    by_column = csc_matrix(sig.cover, dtype=np.float64)
    gains = np.asarray(sig.cover @ sig.weight, dtype=np.float64)
    covered = np.zeros(len(sig.weight), dtype=bool)
    chosen: list[int] = []
    taken = np.zeros(sig.cover.shape[0], dtype=bool)
    objective = 0.0
    for step in range(count):
        if keep and step < len(keep):
            j = keep[step]
        else:
            masked = np.where(taken, -np.inf, gains)
            j = int(np.argmax(masked))
        chosen.append(j)
        taken[j] = True
        row = sig.cover.indices[sig.cover.indptr[j] : sig.cover.indptr[j + 1]]
        newly = row[~covered[row]]
        if len(newly):
            covered[newly] = True
            objective += float(sig.weight[newly].sum())
            gains -= by_column[:, newly] @ sig.weight[newly]
    return Solution(Method.GREEDY, chosen, objective, time.perf_counter() - began, optimal=False)


def exact(
    sig: Signatures,
    count: int,
    *,
    keep: list[int] | None = None,
    time_limit_s: float = 120.0,
    gap: float = 0.0,
) -> Solution:
    """The optimal ``count`` docks by HiGHS branch and bound (``keep``: sites forced in).

    ``gap`` > 0 stops once the answer is proven within that share of the optimum (on a
    hard instance, most of the time goes on closing the last fraction of a percent).
    """
    if not 0 <= gap < 1:
        raise InvalidInput(f"gap: {gap:g}; give a share from 0 (proven optimal) to below 1")
    _check(count, sig.cover.shape[0])
    began = time.perf_counter()
    # Variables: x (one per site, binary), then y (one per signature reached by two or more
    # sites, in [0, 1]). With x integral, y_k = min(1, sum of x over k's sites) at the
    # optimum, so y needs no integrality. A signature reached by one site only is that
    # site's own gain: its weight goes on x directly, with no y and no row.
    per_signature = np.diff(sig.cover.tocsc().indptr)
    single = per_signature == 1
    shared = np.flatnonzero(~single)
    own_gain = np.asarray(sig.cover[:, np.flatnonzero(single)] @ sig.weight[single]).ravel()
    cover = sig.cover[:, shared]
    sites, groups = cover.shape
    cost = np.concatenate([-own_gain, -sig.weight[shared]])
    choose = csr_matrix(np.concatenate([np.ones(sites), np.zeros(groups)])[None, :])
    link = hstack([-cover.T.astype(np.float64), sparse_eye(groups, format="csr")]).tocsr()
    a = vstack([choose, link]).tocsr()
    lower = np.concatenate([[count], np.full(groups, -np.inf)])
    upper = np.concatenate([[count], np.zeros(groups)])
    low_x = np.zeros(sites + groups)
    for j in keep or []:
        low_x[j] = 1.0
    result = milp(
        cost,
        constraints=LinearConstraint(a, lower, upper),
        integrality=np.concatenate([np.ones(sites), np.zeros(groups)]),
        bounds=Bounds(low_x, np.ones(sites + groups)),
        options={"time_limit": time_limit_s, "mip_rel_gap": gap},
    )
    if result.x is None:
        raise InvalidInput(f"placement: the solver found no solution ({result.message})")
    docks = sorted(int(j) for j in np.flatnonzero(result.x[:sites] > 0.5))
    objective = _covered_weight(sig, docks)
    reached = getattr(result, "mip_gap", None)
    reached_gap = float(reached) if reached is not None else None
    return Solution(
        Method.EXACT,
        docks,
        objective,
        time.perf_counter() - began,
        optimal=result.status == 0 and reached_gap is not None and reached_gap <= 1e-9,
        mip_gap=reached_gap,
    )


def _covered_weight(sig: Signatures, docks: list[int]) -> float:
    if not docks:
        return 0.0
    hit = np.asarray(sig.cover[docks].sum(axis=0)).ravel() > 0
    return float(sig.weight[hit].sum())


def covered_weight(sig: Signatures, docks: list[int]) -> float:
    """The weight of the incidents that ``docks`` reach within the target."""
    return _covered_weight(sig, docks)
