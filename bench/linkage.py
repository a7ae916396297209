"""Measure entity resolution: pairwise precision and recall on planted duplicates, and speed.

Usage: python bench/linkage.py [DATA.jsonl] [--entities N] [--seed S] [--write FILE]

Without DATA, ``casework.safeguarding.linkage_synthetic.generate`` makes N true entities of
each kind (person, phone, vehicle, address; default 1,000), each mentioned 1-4 times in the
ways officers write them. ``--write FILE`` saves that set as JSON lines (one mention a line,
with its ``truth``) so that a run can be repeated on the same file as DATA.

Scoring: a pair of mentions is predicted when resolution puts them in one entity, and true
when the generator made them from one entity. Targets: precision >= 0.95 and recall >= 0.95.

Baseline, measured in the same run: exact match of the text after case-folding and removing
spaces (what a spreadsheet filter does); the script prints both and the ratio of recalls.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from casework.safeguarding.linkage import EntityKind, Mention, ResolvedEntity, resolve
from casework.safeguarding.linkage_synthetic import SyntheticMentions, generate, score

TARGET_PRECISION = 0.95
TARGET_RECALL = 0.95


def read(path: Path) -> SyntheticMentions:
    """Read mentions written by ``--write`` (one JSON object a line, with ``truth``)."""
    mentions: list[Mention] = []
    truth: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            dob = row.get("date_of_birth")
            mention = Mention(
                id=row["id"],
                kind=EntityKind(row["kind"]),
                text=row["text"],
                case=row["case"],
                date_of_birth=date.fromisoformat(dob) if dob else None,
                postcode=row.get("postcode"),
            )
            truth[mention.id] = row["truth"]
        except (KeyError, ValueError) as error:
            sys.exit(f"{path}:{number}: {error!r}")
        mentions.append(mention)
    return SyntheticMentions(mentions=tuple(mentions), truth=truth)


def write(data: SyntheticMentions, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for m in data.mentions:
            row = {
                "id": m.id,
                "kind": m.kind.value,
                "text": m.text,
                "case": m.case,
                "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else None,
                "postcode": m.postcode,
                "truth": data.truth[m.id],
            }
            out.write(json.dumps(row) + "\n")


def baseline(mentions: tuple[Mention, ...]) -> list[ResolvedEntity]:
    """Group mentions whose text is equal after case-folding and removing spaces."""
    groups: dict[tuple[EntityKind, str, date | None], list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[(m.kind, "".join(m.text.casefold().split()), m.date_of_birth)].append(m)
    return [
        ResolvedEntity(id=f"{k[0]}:{n}", kind=k[0], label=k[1], mentions=tuple(ms))
        for n, (k, ms) in enumerate(groups.items())
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path)
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    data = read(args.data) if args.data else generate(entities=args.entities, seed=args.seed)
    if args.write:
        write(data, args.write)
    print(f"{len(data.mentions):,} mentions of {len(set(data.truth.values())):,} true entities")

    started = time.perf_counter()
    entities = resolve(data.mentions)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    naive = baseline(data.mentions)
    naive_s = time.perf_counter() - started

    ok = True
    print(f"{'kind':<10}{'precision':>10}{'recall':>8}{'baseline P':>12}{'baseline R':>12}")
    for kind in (*EntityKind, None):

        def keep(e: ResolvedEntity, kind: EntityKind | None = kind) -> bool:
            return kind is None or e.kind is kind

        truth = {m: t for m, t in data.truth.items() if kind is None or t.startswith(kind.value)}
        ours = score([e for e in entities if keep(e)], truth)
        base = score([e for e in naive if keep(e)], truth)
        name = kind.value if kind else "all"
        print(
            f"{name:<10}{ours.precision:>10.3f}{ours.recall:>8.3f}"
            f"{base.precision:>12.3f}{base.recall:>12.3f}"
        )
        if kind is None:
            ok = ours.precision >= TARGET_PRECISION and ours.recall >= TARGET_RECALL
            print(f"recall ratio against the baseline: {ours.recall / max(base.recall, 1e-9):.2f}x")
    rate = len(data.mentions) / ours_s
    print(f"resolution: {ours_s:.2f} s ({rate:,.0f} mentions/s); baseline {naive_s:.3f} s")
    print(
        f"targets precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
