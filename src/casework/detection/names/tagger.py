"""A small logistic-regression token tagger: "is this token part of a person's name?".

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
    "ps": "surname before it",
    "nf": "forename after it",
    "ns": "surname after it",
    "nc": "capitalised word after it",
    "pc": "capitalised word before it",
    "cx": "capitals rare in the text around it",
    "hash": "hashtag",
    "poss": "possessive",
    "conj": "joined by 'and' to a name-like word",
}
# Words that join two people's names: "Emma and Kate", "Jay & Trish".
JOINERS = frozenset({"and", "&", "or", "n", "nd", "with"})
_WINDOW = 6


def base(lw: str) -> str:
    """Return ``lw`` without a possessive ending ("smith's" -> "smith")."""
    if len(lw) > 3 and lw[-2] in "'’" and lw[-1] == "s":
        return lw[:-2]
    return lw


def _case_context(i: int, words: list[str]) -> str:
    """Say how capitalised the words around token ``i`` are: capitals mean more in lower case."""
    lo, hi = max(0, i - _WINDOW), min(len(words), i + _WINDOW + 1)
    alpha = caps = upper = 0
    for k in range(lo, hi):
        w = words[k]
        if k == i or not w[0].isalpha() or (k > 0 and words[k - 1] in "@#"):
            continue
        alpha += 1
        if w[0].isupper():
            caps += 1
            if len(w) > 1 and w.isupper():
                upper += 1
    if alpha < 2:
        return "cs"
    if upper * 2 > alpha:
        return "cu"
    if caps * 2 > alpha:
        return "ct"
    return "cx" if caps * 5 < alpha else "cm"


def _word_class(lw: str, lex: Lexicon) -> str:
    """One letter for a neighbour: f forename, s surname, c common, t title, o other."""
    if lw in TITLES or lw in RANKS:
        return "t"
    if lw in lex.common:
        return "c"
    if lw in lex.forenames:
        return "f"
    if lw in lex.surnames:
        return "s"
    return "o"


def features(i: int, words: list[str], lowers: list[str], lex: Lexicon) -> list[str]:
    """Return the feature strings of token ``i`` (its word, shape, gazetteers, neighbours)."""
    w = words[i]
    lw = base(lowers[i])
    n = len(words)
    prev = words[i - 1] if i > 0 else "<s>"
    nxt = words[i + 1] if i + 1 < n else "</s>"
    lprev = lowers[i - 1] if i > 0 else "<s>"
    lnext = lowers[i + 1] if i + 1 < n else "</s>"
    lprev2 = lowers[i - 2] if i > 1 else "<s>"
    lnext2 = lowers[i + 2] if i + 2 < n else "</s>"
    sh = shape(w)
    psh = shape(prev)
    nsh = shape(nxt)
    cx = _case_context(i, words)
    pcl = _word_class(base(lprev), lex) if prev[0].isalpha() else prev[0]
    ncl = _word_class(base(lnext), lex) if nxt[0].isalpha() else nxt[0]
    feats = [
        "b",
        "w=" + lw,
        "sh=" + sh,
        "p=" + lprev,
        "n=" + lnext,
        "pp=" + lprev2,
        "nn=" + lnext2,
        "psh=" + psh,
        "nsh=" + nsh,
        "suf=" + lw[-3:],
        "suf2=" + lw[-2:],
        "suf4=" + lw[-4:],
        "pre=" + lw[:3],
        "len=" + str(min(len(lw), 9)),
        cx,
        cx + "|" + sh,
        "pcl=" + pcl + "|" + sh,
        "ncl=" + ncl + "|" + sh,
        "pn=" + pcl + ncl,
    ]
    in_f = lw in lex.forenames
    in_s = lw in lex.surnames
    in_c = lw in lex.common
    kind = ("f" if in_f else "") + ("s" if in_s else "") + ("c" if in_c else "")
    feats.append("k=" + kind + "|" + sh)
    feats.append("k=" + kind + "|" + cx + "|" + sh)
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
    if lw != lowers[i]:
        feats.append("poss")
    if lprev in TITLES or lprev in RANKS:
        feats.append("pt")
    if i == 0 or prev in BOUNDARY:
        feats.append("sst")
        feats.append("sst|" + sh)
        feats.append("sst|" + kind)
    if prev == "#":
        feats.append("hash")
        feats.append("hash|" + sh)
    if lprev in JOINERS and pcl in "fs":
        feats.append("conj")
    if lnext in JOINERS and i + 2 < n and words[i + 2][0].isalpha():
        feats.append("conjn=" + _word_class(base(lnext2), lex))
    if pcl == "f":
        feats.append("pf")
    if pcl == "s":
        feats.append("ps")
    if ncl == "f":
        feats.append("nf")
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
            elif f.startswith(("suf", "pre=")):
                parts.append("spelling like a name")
            else:
                parts.append("context like a name's")
        return ", ".join(dict.fromkeys(parts)) or "combined weak evidence"


@cache
def person_tagger() -> PersonTagger | None:
    """Load the shipped weights, or None when the data file is absent (rules still work)."""
    path = resources.files("casework.detection.data").joinpath("person_tagger.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return PersonTagger({str(k): float(v) for k, v in data["weights"].items()})
