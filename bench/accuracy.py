"""Score detection: per label on a demo bundle, and person names on public NER corpora.

Usage: python bench/accuracy.py [DATA_DIR] [--bundle DIR | --pages N] [--split test|dev] [--speed]

1. The demo bundle: recall and precision of every label against the bundle's ground truth
   (``bench/bundle_accuracy.score_bundle``). ``--bundle DIR`` scores a bundle made earlier by
   ``casework demo-data``; otherwise one of ``--pages`` pages (default 800) is generated into a
   temporary folder first. Target: recall 0.98 or more for every label. ``--pages 0`` skips it.
2. Person names on the Broad Twitter Corpus and WNUT-17 under DATA_DIR (default
   /work/shared/data; see its README): targets BTC test recall >= 0.80 at precision >= 0.60,
   WNUT-17 test recall >= 0.50 at precision >= 0.50. When DATA_DIR has no corpora the script
   says so and skips them. The default split is ``test``, the one the targets refer to;
   ``dev`` is the split to look at while tuning (never tune on test).

``--speed`` also times PersonNameRecognizer alone on ~2 MB of generated police-statement-like
text (budget: >= 150,000 words/s on one core).

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
import subprocess
import sys
import tempfile
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


STATEMENT = (
    "On {day} at about {hour}:{minute} hours I, PC {collar} {officer}, was on duty in {town}. "
    "I spoke to the victim {first} {LAST} who told me that her ex-partner {first2} {last2} had "
    'come to the address at {number} Mill Road and shouted at her. She said, "He kept '
    'texting me and saying he would smash the windows." I later saw Mr {last2} outside the '
    "Red Lion pub. He was wearing a black jacket and grey jogging bottoms. "
    "My colleague DC {officer2} obtained CCTV from the shop. {first} was upset and crying. "
    "hi {lfirst} its me, open the door or ill tell everyone. "
    "The witness, Mrs {wlast}, said she heard shouting and called 999 on the landline.\n"
)
_FIRST = ["Jane", "Aoife", "Priya", "Grace", "Amina", "Wojciech", "Darren", "Kyle", "Tomasz"]
_LAST = ["Smith", "Okafor", "Patel", "Nowak", "Hussain", "O'Neill", "Byrne", "Jones", "White"]
_TOWNS = ["Barnsley", "Leeds", "Cardiff", "Luton", "Swansea", "Bradford"]


def statement_text(target_bytes: int = 2_000_000) -> str:
    """Generate police-statement-like text of about ``target_bytes`` (for timing only)."""
    parts: list[str] = []
    size = k = 0
    while size < target_bytes:
        f, g, h = _FIRST[k % 9], _FIRST[(k * 5 + 2) % 9], _LAST[(k * 7 + 3) % 9]
        chunk = STATEMENT.format(
            day=["Monday", "Friday", "Sunday"][k % 3],
            hour=10 + k % 12,
            minute=10 + k % 50,
            collar=1000 + k % 8999,
            officer=_LAST[k % 9],
            officer2=_LAST[(k + 4) % 9],
            town=_TOWNS[k % 6],
            first=f,
            LAST=_LAST[(k * 2) % 9].upper(),
            first2=g,
            last2=h,
            lfirst=f.lower(),
            number=1 + k % 200,
            wlast=_LAST[(k + 1) % 9],
        )
        parts.append(chunk)
        size += len(chunk)
        k += 1
    return "".join(parts)


def speed() -> None:
    """Time PersonNameRecognizer alone on generated statement text, one core."""
    from casework.detection.names import PersonNameRecognizer

    recognizer = PersonNameRecognizer()
    text = statement_text()
    words = len(text.split())
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        recognizer.find(text)
        best = min(best, time.perf_counter() - t0)
    print(
        f"PersonNameRecognizer: {words:,} words ({len(text) / 1e6:.1f} MB) in {best:.2f} s, "
        f"{words / best:,.0f} words/s (budget >= 150,000)"
    )


def bundle_section(bundle: Path | None, pages: int) -> None:
    """Print per-label recall and precision on a demo bundle, generating one if none is given."""
    from bundle_accuracy import TARGET_RECALL, score_bundle

    with tempfile.TemporaryDirectory(prefix="casework-bundle-") as tmp:
        if bundle is None:
            bundle = Path(tmp)
            made = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "casework",
                    "demo-data",
                    "--pages",
                    str(pages),
                    "--out",
                    tmp,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if made.returncode != 0:
                print(f"demo bundle: could not generate one: {made.stderr.strip()[-300:]}")
                return
            print(f"demo bundle: generated {pages} pages into a temporary folder")
        elif not (bundle / "ground-truth.json").exists():
            print(f"demo bundle: {bundle} has no ground-truth.json (make one: casework demo-data)")
            return
        else:
            print(f"demo bundle: {bundle}")
        scores = score_bundle(bundle)
    print(f"{'label':<16} {'gold':>6} {'recall':>7} {'predicted':>9} {'precision':>9}")
    below = []
    for sc in scores:
        if sc.gold and sc.recall < TARGET_RECALL:
            below.append(sc.label)
        flag = "" if sc.recall >= TARGET_RECALL or not sc.gold else f"  < target {TARGET_RECALL}"
        print(
            f"{sc.label:<16} {sc.gold:>6} {sc.recall:>7.3f} {sc.predicted:>9} "
            f"{sc.precision:>9.3f}{flag}"
        )
    verdict = "every label meets" if not below else f"BELOW for {', '.join(below)}"
    print(f"target recall >= {TARGET_RECALL} for every label: {verdict}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="/work/shared/data", type=Path)
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--speed", action="store_true", help="also time the name recognizer")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--bundle", type=Path, help="score this demo bundle (casework demo-data)")
    where.add_argument(
        "--pages", type=int, default=800, help="generate a bundle of N pages (0: skip the bundle)"
    )
    args = parser.parse_args()
    if args.speed:
        speed()
    if args.bundle is not None or args.pages > 0:
        bundle_section(args.bundle, args.pages)
    files = {
        "btc": args.data / f"ner/btc/btc.{args.split}.conll",
        "wnut17": args.data / f"ner/wnut17/{args.split}.conll",
    }
    if not any(p.exists() for p in files.values()):
        print(
            f"person names: skipped, no NER corpora under {args.data} "
            "(see /work/shared/data/README.md)"
        )
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
