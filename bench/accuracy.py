"""Score person-name detection on public NER corpora (Broad Twitter Corpus, WNUT-17).

Usage: python bench/accuracy.py [DATA_DIR] [--split test|dev]

DATA_DIR defaults to /work/shared/data (see its README); when it is absent the script says so
and exits 0. The default split is ``test``, the one the targets refer to; ``dev`` is the split to
look at while tuning (never tune on test).

Scoring, per corpus (tokens are joined with single spaces to make the text):
- a gold PERSON mention is the token span of a B-/I- person tag sequence. Title tokens
  (Mr, Mrs, Dr, PC, ...) and punctuation are set aside.
- recall: a gold mention counts as found when ONE predicted PERSON or SOCIAL_HANDLE span covers
  all of its remaining characters.
- precision: predicted PERSON and SOCIAL_HANDLE spans that overlap a gold person mention,
  divided by all predicted PERSON and SOCIAL_HANDLE spans.

The detection is the full default detection (every built-in recognizer through the engine) when
``casework.detection.engine`` exists; until then the names recognizers plus an @handle regex.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from casework.domain.findings import Finding
from casework.domain.labels import Label

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "pc", "dc", "ds", "di", "sgt", "prof"}
COUNTED = {Label.PERSON, Label.SOCIAL_HANDLE}
HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
TARGETS = {"btc": (0.80, 0.60), "wnut17": (0.50, 0.50)}


@dataclass(frozen=True)
class Sentence:
    text: str
    gold: list[tuple[int, int]]  # character spans of gold person mentions (titles aside)


def read_conll(path: Path) -> list[Sentence]:
    """Read token<TAB>tag lines into texts and the character spans of their person mentions."""
    out: list[Sentence] = []
    rows: list[tuple[str, str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            token, _, tag = line.partition("\t")
            rows.append((token, tag.strip()))
            continue
        if not rows:
            continue
        pieces, spans, pos = [], [], 0
        mention: list[tuple[int, int, str]] = []
        for token, tag in [*rows, ("", "O")]:
            is_per = tag[2:].lower() in ("per", "person")
            if mention and (not is_per or tag.startswith("B-")):
                core = [
                    (s, e)
                    for s, e, t in mention
                    if t.lower().rstrip(".") not in TITLES and any(c.isalnum() for c in t)
                ]
                if core:
                    spans.append((core[0][0], core[-1][1]))
                mention = []
            if token:
                if is_per:
                    mention.append((pos, pos + len(token), token))
                pieces.append(token)
                pos += len(token) + 1
        out.append(Sentence(" ".join(pieces), spans))
        rows = []
    return out


def detector() -> tuple[str, Callable[[str], list[Finding]]]:
    """Return the full default detection if the engine exists, else names + @handles."""
    try:
        from casework.detection.builtins import default_registry
        from casework.detection.engine import DetectionEngine

        engine = DetectionEngine(default_registry())
        return "full default detection (DetectionEngine)", engine.detect
    except ImportError:
        pass
    from casework.detection.names import default_name_recognizers

    recognizers = default_name_recognizers()

    def detect(text: str) -> list[Finding]:
        found = [f for r in recognizers for f in r.find(text)]
        found += [
            Finding(m.start(), m.end(), Label.SOCIAL_HANDLE, m.group(), 0.9, "bench", "@handle")
            for m in HANDLE.finditer(text)
        ]
        return found

    return "names recognizers + @handle regex (engine not available yet)", detect


def score(sentences: list[Sentence], detect: Callable[[str], list[Finding]]) -> tuple[float, ...]:
    found = gold_total = predicted = correct = 0
    words = 0
    t0 = time.perf_counter()
    for s in sentences:
        spans = [(f.start, f.end) for f in detect(s.text) if f.label in COUNTED]
        words += s.text.count(" ") + 1
        gold_total += len(s.gold)
        found += sum(any(a <= gs and ge <= b for a, b in spans) for gs, ge in s.gold)
        predicted += len(spans)
        correct += sum(any(a < ge and gs < b for gs, ge in s.gold) for a, b in spans)
    elapsed = time.perf_counter() - t0
    recall = found / gold_total if gold_total else 0.0
    precision = correct / predicted if predicted else 0.0
    return recall, precision, float(gold_total), float(predicted), words / max(elapsed, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="/work/shared/data", type=Path)
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    args = parser.parse_args()
    files = {
        "btc": args.data / f"ner/btc/btc.{args.split}.conll",
        "wnut17": args.data / f"ner/wnut17/{args.split}.conll",
    }
    if not any(p.exists() for p in files.values()):
        print(f"skip: no NER corpora under {args.data} (see /work/shared/data/README.md)")
        return 0
    how, detect = detector()
    print(f"person-name accuracy, {args.split} split; detection: {how}")
    for corpus, path in files.items():
        if not path.exists():
            print(f"{corpus}: skip, {path} is absent")
            continue
        recall, precision, gold, predicted, wps = score(read_conll(path), detect)
        want_r, want_p = TARGETS[corpus]
        ok = "meets" if recall >= want_r and precision >= want_p else "BELOW"
        print(
            f"{corpus:7s} recall {recall:.3f} precision {precision:.3f} "
            f"({int(gold)} gold mentions, {int(predicted)} predicted spans, {wps:,.0f} words/s)"
            f"  target recall >= {want_r:.2f} at precision >= {want_p:.2f}: {ok}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
