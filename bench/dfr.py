"""Dock placement at force scale: 100,000 incidents x 500 candidate sites, choose 20.

    .venv/bin/python bench/dfr.py --work /tmp/dfr-bench
    .venv/bin/python bench/dfr.py --incidents FILE --sites FILE [--zones FILE] \
        [--count 20] [--targets 120,180]

Without files, writes Demoshire (``casework dfr demo-data``: 100,000 incidents, 500 sites,
two no-fly zones and a restricted range) to --work and reads it back as a planner would.
Times loading, the reach (every dock x incident flight, round the zones), the coverage
signatures, the greedy and the exact MILP (HiGHS), and prints coverage of each. Baselines
measured in the same run: the exact MILP without signature aggregation (one variable per
incident), and the exact answer for the greedy.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from casework.dfr.demo import write_demo
from casework.dfr.placement import Signatures, exact, greedy, signatures
from casework.dfr.sources import inputs_from_files


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/dfr-bench"))
    parser.add_argument("--incidents", type=Path)
    parser.add_argument("--sites", type=Path)
    parser.add_argument("--zones", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--targets", default="120,180", help="seconds, comma-separated")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--gap", type=float, default=0.0, help="exact: stop within this share")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the unaggregated MILP (slow)"
    )
    return parser.parse_args()


def _per_incident(within: object, weight: np.ndarray) -> Signatures:
    """The baseline: every incident its own row, no aggregation."""
    from scipy.sparse import csr_matrix

    cover = csr_matrix(within, dtype=np.int8)
    keep = np.flatnonzero((np.diff(cover.tocsc().indptr) > 0) & (weight > 0))
    return Signatures(cover[:, keep].tocsr(), weight[keep], len(keep))


def main() -> None:
    args = _args()
    print(f"cpus: {os.cpu_count()}")
    if args.incidents is None or args.sites is None:
        began = time.perf_counter()
        write_demo(args.work, incident_count=100_000, site_count=500)
        print(f"wrote Demoshire to {args.work} in {time.perf_counter() - began:.1f} s")
        args.incidents = args.work / "incidents.csv"
        args.sites = args.work / "sites.csv"
        args.zones = args.work / "zones.geojson"
    began = time.perf_counter()
    inputs = inputs_from_files(incidents=args.incidents, sites=args.sites, zones=args.zones)
    print(
        f"load: {len(inputs.incidents):,} incidents, {len(inputs.sites)} sites, "
        f"{len(inputs.zones)} zones in {time.perf_counter() - began:.2f} s"
    )
    began = time.perf_counter()
    reach = inputs.reach
    print(
        f"reach: {len(reach.incident):,} dock-incident flights within "
        f"{inputs.profile.reach_m:,.0f} m ({reach.detoured:,} round a zone) in "
        f"{time.perf_counter() - began:.2f} s"
    )
    weight = inputs.incidents.weights()
    total = float(weight.sum())
    for target in (float(t) for t in args.targets.split(",")):
        began = time.perf_counter()
        within = reach.within(target)
        sig = signatures(within, weight)
        grouping = time.perf_counter() - began
        print(
            f"\ntarget {target:g} s: {len(sig.weight):,} coverage signatures from "
            f"{sig.incidents:,} coverable incidents in {grouping:.2f} s"
        )
        fast = greedy(sig, args.count)
        best = exact(sig, args.count, time_limit_s=args.time_limit, gap=args.gap)
        for found in (fast, best):
            print(
                f"  {found.method.value:<6} {found.seconds:8.3f} s  weighted coverage "
                f"{found.objective / total * 100:6.2f}%  proven optimal: {found.optimal}"
            )
        gap = (best.objective - fast.objective) / best.objective if best.objective else 0.0
        print(
            f"  greedy gap to exact: {gap * 100:.2f}%; exact/greedy time: "
            f"{best.seconds / max(fast.seconds, 1e-9):.0f}x"
        )
        print(
            f"  exact incl. signatures: {best.seconds + grouping:.2f} s "
            f"(target < 60 s); greedy incl. signatures: {fast.seconds + grouping:.2f} s "
            "(target < 2 s)"
        )
        if not args.no_baseline:
            plain = _per_incident(within, weight)
            baseline = exact(plain, args.count, time_limit_s=args.time_limit)
            print(
                f"  baseline MILP, one row per incident ({len(plain.weight):,}): "
                f"{baseline.seconds:.2f} s, optimal {baseline.optimal}, same objective: "
                f"{abs(baseline.objective - best.objective) < 1e-6 * total}; "
                f"aggregated is {baseline.seconds / max(best.seconds, 1e-9):.1f}x faster"
            )


if __name__ == "__main__":
    main()
