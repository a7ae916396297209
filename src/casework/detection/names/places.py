"""Organisations that identify a person (a school, an employer) and places (towns, pubs, parks).

Both work on runs of capitalised words, like the name recognizer, and fire only with evidence:
a suffix that says what the run is ("Oakfield Primary School", "the Red Lion pub"), a cue that
ties it to a person ("pupil at", "works at"), or a gazetteer of UK towns and counties.
"""

from __future__ import annotations

from typing import ClassVar

from casework.detection.names.lexicon import (
    NEVER_NAME,
    TITLES,
    Lexicon,
    _set,
    lexicon,
    tokenize,
)
from casework.domain.findings import Finding
from casework.domain.labels import Label

# Suffixes that make a capitalised run an organisation a person belongs to.
SCHOOL_SUFFIXES = _set("school academy college university nursery primary infants juniors sixth")
EMPLOYER_SUFFIXES = _set(
    """ltd limited plc llp llc inc group services solutions company co partners associates
    surgery practice clinic hospital trust garage motors"""
)
# Cues that tie an organisation to a person: "pupil at", "works at", "employed by".
ORG_CUES = _set(
    """pupil student attends attended attending works worked working employed employer
    employee job manager staff teacher studies studying enrolled"""
)
ORG_CUE_LINKS = frozenset({"at", "for", "by", "of", "in", "with"})
# Suffixes of places ("the Red Lion pub", "Hillside Park", "Meadowhall Shopping Centre").
PLACE_SUFFIXES = _set(
    """pub inn arms tavern hotel park station centre center estate common fields field wood
    woods bridge market mall retail precinct square hospital"""
)
PLACE_CUES = _set("in at near outside inside from to towards behind opposite around into through")
_ORG_STOP = frozenset({"police", "court", "crown", "magistrates", "cps", "constabulary"})


def _runs(words: list[str], lowers: list[str], stop: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words, allowing inner 'of', 'and', '&', "'s" ("Bank of England")."""
    out = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        if not (w[0].isupper() and lowers[i] not in stop):
            i += 1
            continue
        j = i + 1
        while j < n:
            wj = words[j]
            if (wj[0].isupper() and lowers[j] not in stop) or (
                lowers[j] in ("of", "and", "&", "'", "’", "s")
                and j + 1 < n
                and words[j + 1][0].isupper()
            ):
                j += 1
            elif wj in ("'", "’") and j + 1 < n and lowers[j + 1] == "s":
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


class OrganisationRecognizer:
    """Finds schools and employers: organisations that tell who a person is."""

    NAME: ClassVar[str] = "OrganisationRecognizer"
    VERSION: ClassVar[str] = "1"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.ORGANISATION})

    def __init__(self) -> None:
        self._lex: Lexicon = lexicon()

    def find(self, text: str) -> list[Finding]:
        """Return ORGANISATION findings: a school or employer suffix, or a 'works at' cue."""
        starts, ends, words = tokenize(text)
        lowers = [w.lower() for w in words]
        out = []
        stop = (NEVER_NAME | TITLES) - SCHOOL_SUFFIXES - {"co"}
        for a, b in _runs(words, lowers, stop):
            if lowers[a] in _ORG_STOP or any(lowers[i] in _ORG_STOP for i in range(a, b)):
                continue
            last = lowers[b - 1]
            reason = None
            score = 0.0
            if last in SCHOOL_SUFFIXES and b - a >= 2:
                reason, score = f"name ending in '{words[b - 1]}': a school or college", 0.85
            elif last in EMPLOYER_SUFFIXES and b - a >= 2:
                reason, score = f"name ending in '{words[b - 1]}': an employer", 0.75
            else:
                cue = self._cue(a, lowers)
                if cue is not None and " ".join(lowers[a:b]) not in self._lex.places:
                    reason, score = f"capitalised name after '{cue}'", 0.7
            if reason is not None:
                s, e = starts[a], ends[b - 1]
                out.append(
                    Finding(
                        s, e, Label.ORGANISATION, text[s:e], score, self.NAME, reason, self.VERSION
                    )
                )
        return out

    @staticmethod
    def _cue(a: int, lowers: list[str]) -> str | None:
        """'works at', 'pupil at', 'employed by' just before token ``a``."""
        if a >= 2 and lowers[a - 1] in ORG_CUE_LINKS and lowers[a - 2] in ORG_CUES:
            return f"{lowers[a - 2]} {lowers[a - 1]}"
        if (
            a >= 3
            and lowers[a - 1] == "the"
            and lowers[a - 2] in ORG_CUE_LINKS
            and (lowers[a - 3] in ORG_CUES)
        ):
            return f"{lowers[a - 3]} {lowers[a - 2]} the"
        return None


class LocationRecognizer:
    """Finds towns, districts and named places (pubs, parks, estates) where things happened."""

    NAME: ClassVar[str] = "LocationRecognizer"
    VERSION: ClassVar[str] = "1"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.LOCATION})

    def __init__(self) -> None:
        self._lex: Lexicon = lexicon()

    def find(self, text: str) -> list[Finding]:
        """Return LOCATION findings: a gazetteer place, or a named pub, park or estate."""
        starts, ends, words = tokenize(text)
        lowers = [w.lower() for w in words]
        places = self._lex.places
        out = []
        stop = NEVER_NAME - {"park", "station", "estate"}
        for a, b in _runs(words, lowers, stop):
            reason = None
            score = 0.0
            s, e = a, b
            # a following lower-case suffix: "the Red Lion pub"
            if b < len(words) and lowers[b] in PLACE_SUFFIXES and words[b].islower():
                e = b + 1
                reason, score = f"named place followed by '{words[b]}'", 0.8
            elif lowers[b - 1] in PLACE_SUFFIXES and b - a >= 2:
                reason, score = f"name ending in '{words[b - 1]}': a named place", 0.75
            else:
                # the longest gazetteer place inside the run ("in Milton Keynes")
                for i in range(a, b):
                    for j in range(b, i, -1):
                        if " ".join(lowers[i:j]) in places:
                            s, e = i, j
                            break
                    else:
                        continue
                    break
                if (s, e) != (a, b) or " ".join(lowers[a:b]) in places:
                    cue = lowers[s - 1] if s > 0 and lowers[s - 1] in PLACE_CUES else None
                    reason = "UK town or county in gazetteer" + (f" after '{cue}'" if cue else "")
                    score = 0.85 if cue else 0.7
            if reason is not None:
                cs, ce = starts[s], ends[e - 1]
                out.append(
                    Finding(
                        cs, ce, Label.LOCATION, text[cs:ce], score, self.NAME, reason, self.VERSION
                    )
                )
        return out
