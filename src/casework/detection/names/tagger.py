"""A small averaged-perceptron token tagger: "is this token part of a person's name?".

Trained by ``tools/train_person_tagger.py`` on the Broad Twitter Corpus train split (CC BY 4.0)
and shipped as ``detection/data/person_tagger.json``. Inference is pure Python: a sum of the
weights of about fifteen string features, so it costs a few microseconds per candidate token and
needs no third-party package. The features are readable, so each decision can be explained.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from casework.detection.names.lexicon import RANKS, TITLES, Lexicon, shape

BOUNDARY = frozenset('.!?:;"“”()[]|•')

FEATURE_WORDS = {
    "f": "forename in gazetteer",
    "s": "surname in gazetteer",
    "c": "common English word",
    "pl": "place name",
    "pt": "title before it",
    "sst": "sentence start",
    "pf": "forename before it",
    "ns": "surname after it",
    "nc": "capitalised word after it",
    "pc": "capitalised word before it",
}


def features(i: int, words: list[str], lowers: list[str], lex: Lexicon) -> list[str]:
    """Return the feature strings of token ``i`` (its word, shape, gazetteers, neighbours)."""
    w = words[i]
    lw = lowers[i]
    n = len(words)
    prev = words[i - 1] if i > 0 else "<s>"
    nxt = words[i + 1] if i + 1 < n else "</s>"
    lprev = lowers[i - 1] if i > 0 else "<s>"
    lnext = lowers[i + 1] if i + 1 < n else "</s>"
    sh = shape(w)
    feats = [
        "b",
        "w=" + lw,
        "sh=" + sh,
        "p=" + lprev,
        "n=" + lnext,
        "psh=" + shape(prev),
        "nsh=" + shape(nxt),
        "suf=" + lw[-3:],
    ]
    in_f = lw in lex.forenames
    in_s = lw in lex.surnames
    in_c = lw in lex.common
    if in_f:
        feats.append("f")
        feats.append("f|" + sh)
    if in_s:
        feats.append("s")
        feats.append("s|" + sh)
    if in_c:
        feats.append("c")
        feats.append("c|" + sh)
    if lw in lex.places:
        feats.append("pl")
    if lprev in TITLES or lprev in RANKS:
        feats.append("pt")
    if i == 0 or prev in BOUNDARY:
        feats.append("sst")
        feats.append("sst|" + sh)
    if lprev in lex.forenames:
        feats.append("pf")
    if lnext in lex.surnames and lnext not in lex.common:
        feats.append("ns")
    if nxt[:1].isupper():
        feats.append("nc")
    if prev[:1].isupper():
        feats.append("pc")
    return feats


class PersonTagger:
    """Scores tokens with the shipped perceptron weights (positive means 'part of a name')."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def score(self, feats: list[str]) -> float:
        get = self.weights.get
        return sum(get(f, 0.0) for f in feats)

    def explain(self, feats: list[str], top: int = 3) -> str:
        """Name the features that pushed hardest towards 'name', in words."""
        get = self.weights.get
        ranked = sorted(feats, key=lambda f: -get(f, 0.0))
        parts = []
        for f in ranked[:top]:
            if get(f, 0.0) <= 0:
                break
            key = f.split("|")[0]
            if key in FEATURE_WORDS:
                parts.append(FEATURE_WORDS[key])
            elif f.startswith("sh="):
                parts.append("shape " + f[3:])
            elif f.startswith("p="):
                parts.append(f"after '{f[2:]}'")
            elif f.startswith("n="):
                parts.append(f"before '{f[2:]}'")
            elif f.startswith("w="):
                parts.append("word seen as a name in training")
            else:
                parts.append(f)
        return ", ".join(dict.fromkeys(parts)) or "combined weak evidence"


@cache
def person_tagger() -> PersonTagger | None:
    """Load the shipped weights, or None when the data file is absent (rules still work)."""
    path = resources.files("casework.detection.data").joinpath("person_tagger.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return PersonTagger({str(k): float(v) for k, v in data["weights"].items()})
