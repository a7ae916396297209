"""Score detection per label against a demo bundle's ground truth.

Usage: python bench/bundle_accuracy.py BUNDLE_DIR   (made by `casework demo-data`)

Scoring, per label:
- recall: a ground-truth span counts as found when one finding of the same label covers all
  of it (surrounding whitespace and punctuation aside);
- precision: findings of the label that overlap a ground-truth span of the same label,
  divided by all findings of that label. Only planted identifiers are in the ground truth,
  so a finding on something the generator did not plant counts against precision.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from casework.documents import ReadFailure, ReadOptions
from casework.jobs.bundle import DocumentFindings, detect_bundle

TARGET_RECALL = 0.98
TRIM = " \t\r\n.,;:()[]\"'"


@dataclass(frozen=True)
class LabelScore:
    label: str
    gold: int
    found: int
    predicted: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def score_bundle(bundle: Path, *, workers: int = 0) -> list[LabelScore]:
    """Detect over the bundle and score every label against ground-truth.json."""
    truth = json.loads((bundle / "ground-truth.json").read_text(encoding="utf-8"))
    gold: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in truth:
        s, e = _trimmed(row["text"], 0, len(row["text"]))
        gold[(row["file"], row["label"])].append((row["start"] + s, row["start"] + e))
    predicted: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for result in detect_bundle([bundle], options=ReadOptions(ocr=False), workers=workers):
        if isinstance(result, ReadFailure):
            print(f"could not read {result.source}: {result.reason}", file=sys.stderr)
            continue
        assert isinstance(result, DocumentFindings)
        name = str(Path(result.source).relative_to(bundle))
        for f in result.findings:
            s, e = _trimmed(f.text, 0, len(f.text))
            predicted[(name, str(f.label))].append((f.start + s, f.start + e))
    labels = sorted({label for _, label in gold} | {label for _, label in predicted})
    scores = []
    for label in labels:
        n_gold = found = n_pred = correct = 0
        files = {f for f, lab in (*gold, *predicted) if lab == label}
        for file in files:
            g = gold.get((file, label), [])
            p = predicted.get((file, label), [])
            n_gold += len(g)
            n_pred += len(p)
            found += sum(1 for gs, ge in g if any(ps <= gs and ge <= pe for ps, pe in p))
            correct += sum(1 for ps, pe in p if any(ps < ge and gs < pe for gs, ge in g))
        scores.append(LabelScore(label, n_gold, found, n_pred, correct))
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    if not (args.bundle / "ground-truth.json").exists():
        print(f"{args.bundle}: no ground-truth.json (make one with `casework demo-data`)")
        return 2
    scores = score_bundle(args.bundle, workers=args.workers)
    print(f"{'label':<16} {'gold':>6} {'recall':>7} {'predicted':>9} {'precision':>9}")
    for s in scores:
        flag = "" if s.recall >= TARGET_RECALL or not s.gold else "  < target 0.98"
        print(
            f"{s.label:<16} {s.gold:>6} {s.recall:>7.3f} {s.predicted:>9} {s.precision:>9.3f}{flag}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
