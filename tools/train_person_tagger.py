"""Train the averaged-perceptron person-name token tagger shipped in detection/data.

Trains on the Broad Twitter Corpus train split only (CC BY 4.0, credited in NOTICE) and reports
token precision/recall on BTC dev and WNUT-17 dev for a few thresholds. The test splits are never
read. @handles are left out as examples (the SOCIAL_HANDLE recognizer finds them) but kept as
context.

Run: .venv/bin/python tools/train_person_tagger.py [/work/shared/data]
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from casework.detection.names.lexicon import Lexicon, lexicon
from casework.detection.names.tagger import features

OUT = Path(__file__).resolve().parents[1] / "src/casework/detection/data/person_tagger.json"
EPOCHS = 8
MIN_ABS_WEIGHT = 0.02


def read_conll(path: Path) -> list[tuple[list[str], list[int]]]:
    """Return sentences as (tokens, 1 if the token is part of a person's name else 0)."""
    sentences: list[tuple[list[str], list[int]]] = []
    words: list[str] = []
    gold: list[int] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                sentences.append((words, gold))
            words, gold = [], []
            continue
        token, _, tag = line.partition("\t")
        words.append(token)
        gold.append(1 if tag.lower().endswith("per") or tag.lower().endswith("person") else 0)
    return sentences


def is_candidate(word: str, lex: Lexicon) -> bool:
    """The same test the recognizer applies before asking the tagger."""
    if not word[:1].isalpha() or word.startswith(("@", "#")):
        return False
    if word[0].isupper():
        return True
    lw = word.lower()
    return (lw in lex.forenames or lw in lex.surnames) and lw not in lex.common


def examples(path: Path, lex: Lexicon) -> list[tuple[list[str], int]]:
    out = []
    for words, gold in read_conll(path):
        lowers = [w.lower() for w in words]
        for i, w in enumerate(words):
            if is_candidate(w, lex):
                out.append((features(i, words, lowers, lex), gold[i]))
    return out


def train(data: list[tuple[list[str], int]]) -> dict[str, float]:
    """Averaged perceptron, binary, with the usual lazy averaging."""
    w: dict[str, float] = defaultdict(float)
    totals: dict[str, float] = defaultdict(float)
    stamps: dict[str, int] = defaultdict(int)
    step = 0
    rng = random.Random(13)
    for _ in range(EPOCHS):
        rng.shuffle(data)
        for feats, y in data:
            step += 1
            s = sum(w.get(f, 0.0) for f in feats)
            pred = 1 if s > 0 else 0
            if pred != y:
                delta = 1.0 if y else -1.0
                for f in feats:
                    totals[f] += (step - stamps[f]) * w[f]
                    stamps[f] = step
                    w[f] += delta
    avg = {}
    for f, value in w.items():
        total = totals[f] + (step - stamps[f]) * value
        avg[f] = total / step
    return {f: round(v, 3) for f, v in avg.items() if abs(v) >= MIN_ABS_WEIGHT}


def report(name: str, data: list[tuple[list[str], int]], weights: dict[str, float]) -> None:
    for threshold in (-0.5, -0.25, 0.0, 0.25, 0.5):
        tp = fp = fn = 0
        for feats, y in data:
            pred = sum(weights.get(f, 0.0) for f in feats) > threshold
            tp += pred and y
            fp += pred and not y
            fn += (not pred) and y
        p = tp / max(tp + fp, 1)
        r = tp / max(tp + fn, 1)
        print(f"{name} threshold {threshold:+.2f}: token P {p:.3f} R {r:.3f}")  # noqa: T201


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    lex = lexicon()
    train_data = examples(root / "ner/btc/btc.train.conll", lex)
    weights = train(train_data)
    OUT.write_text(
        json.dumps(
            {
                "source": "averaged perceptron, Broad Twitter Corpus train split (CC BY 4.0)",
                "weights": dict(sorted(weights.items())),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}: {len(weights)} weights from {len(train_data)} examples")  # noqa: T201
    report("btc dev", examples(root / "ner/btc/btc.dev.conll", lex), weights)
    report("wnut17 dev", examples(root / "ner/wnut17/dev.conll", lex), weights)


if __name__ == "__main__":
    main()
