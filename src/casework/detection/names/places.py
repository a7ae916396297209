"""Organisations that identify a person (a school, an employer) and places (towns, pubs, parks).

Both work on runs of capitalised words, like the name recognizer, and fire only with evidence:
a suffix that says what the run is ("Oakfield Primary School", "the Red Lion pub", "Granby
Drive"), a cue that ties it to a person ("pupil at", "works at"), or a gazetteer of UK towns
and counties.

The two recognizers and the person recognizer look at the same text one after another, so
the analysis is done once per text (``analyse``) and shared: the person recognizer leaves the
words of an organisation or a place alone unless it has strong evidence of a person (a title,
an ALL-CAPS surname), and a place inside an organisation's name ("Cardiff General Infirmary")
is not reported as a place of its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from casework.detection.names.lexicon import (
    NEVER_NAME,
    STREET_SUFFIXES,
    TITLES,
    Lexicon,
    Tokens,
    _set,
    lexicon,
    tokens_of,
)
from casework.domain.findings import Finding
from casework.domain.labels import Label

# Suffixes that make a capitalised run an organisation a person belongs to.
SCHOOL_SUFFIXES = _set("school academy college university nursery primary infants juniors sixth")
EMPLOYER_SUFFIXES = _set(
    """ltd limited plc llp llc inc group services solutions company co partners associates
    surgery practice clinic hospital infirmary trust garage motors bank society solicitors
    council pharmacy partnership"""
)
_LEGAL_TAILS = _set("plc ltd llp llc inc limited")
# Cues that tie an organisation to a person: "pupil at", "works at", "employed by", "account at".
ORG_CUES = _set(
    """pupil student attends attended attending work works worked working employed employer
    employee job manager staff teacher studies studying enrolled account banks banked solicitor
    solicitors cctv footage"""
)
ORG_CUE_LINKS = frozenset({"at", "for", "by", "of", "with", "from"})
# Form fields whose value is an organisation: "Place of work: Page-Moore", "School: ...".
ORG_FIELDS = _set("work workplace employer employment school college university bank")
_CUE_REACH = 8  # tokens back from the link word ("I work as a data processor at X")
# Suffixes of places ("Hillside Park", "Meadowhall Shopping Centre", "Station Recreation Ground").
PLACE_SUFFIXES = _set(
    """pub inn arms tavern hotel park station centre center estate common fields field wood
    woods bridge market mall retail precinct square ground grounds meadows reservoir
    allotments playground rec"""
)
# What a pub is called after "the" ("the Kings Arms", "the New Inn", "the Station Hotel").
PUB_SUFFIXES = _set("arms inn tavern hotel")
# The commonest English pub names (written after "the" and a place cue: "outside the Crown").
PUB_NAMES = frozenset(
    """red lion|crown|royal oak|white hart|swan|plough|bell|new inn|kings arms|kings head|
    queens head|wheatsheaf|rose and crown|fox and hounds|coach and horses|black horse|
    white horse|star|george|ship|bull|black bull|golden fleece|railway|anchor|cross keys|
    green man|nags head|bay horse|white lion|red cow|victoria|albion|feathers|globe|
    rising sun|half moon|three horseshoes|white swan|black swan|greyhound|fleece|lamb|
    crown and anchor|masons arms|red house|woolpack|hare and hounds|cricketers|dog and duck|
    blue bell|bluebell|royal|angel|falcon|eagle|plough and harrow|boot|wagon and horses|
    spread eagle|queens arms|kings arms|station|brewery tap|beehive|windmill""".replace(
        "\n", ""
    ).split("|")
)
PLACE_CUES = _set(
    "in at near outside inside from to towards behind opposite around into through on by past"
)
# A run of capitalised words followed by one of these is part of an organisation's name.
_ORG_TRAILS = _set("police constabulary council police's fire ambulance")
_ORG_STOP = frozenset({"police", "court", "crown", "magistrates", "cps", "constabulary"})
# "Crown Court", "Magistrates Court": courts, not streets.
_NOT_STREET_STEMS = _set("crown magistrates county high supreme family youth coroners coroner's")
_BOUNDARY = frozenset(".!?;")
_HEDGES = _set("maybe perhaps probably possibly like")  # "maybe the Crown", in speech


@dataclass(frozen=True, slots=True)
class Span:
    """A found organisation or place, as a token range, with its score and reason."""

    start_tok: int
    end_tok: int  # exclusive
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """The organisations and places of one text, and the tokens they were found in."""

    tokens: Tokens
    orgs: tuple[Span, ...]
    places: tuple[Span, ...]

    def blocked(self) -> set[int]:
        """Token indices that belong to an organisation or a place."""
        out: set[int] = set()
        for s in (*self.orgs, *self.places):
            out.update(range(s.start_tok, s.end_tok))
        return out


def _runs(t: Tokens, stop: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words on one line, inner 'of', 'and', '&', "'s" ("Bank of England")."""
    out = []
    words, lowers, text, starts, ends = t.words, t.lowers, t.text, t.starts, t.ends
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        if not (w[0].isupper() and lowers[i] not in stop):
            i += 1
            continue
        j = i + 1
        while j < n and _joined(text[ends[j - 1] : starts[j]]):
            wj = words[j]
            if (wj[0].isupper() and lowers[j] not in stop) or (
                lowers[j] in ("of", "and", "&", "'", "’", "s", "-")
                and j + 1 < n
                and words[j + 1][0].isupper()
                and lowers[j + 1] not in stop
            ):
                j += 1
            elif wj in ("'", "’") and j + 1 < n and lowers[j + 1] == "s":
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


def _joined(gap: str) -> bool:
    """Whether two tokens are in one run: one space or none (a line break or column gap splits)."""
    return len(gap) <= 1 and gap != "\n" and gap != "\t"


# Street and place words may open a school's or an employer's name ("Park Academy").
_ORG_RUN_STOP = (NEVER_NAME | TITLES) - SCHOOL_SUFFIXES - STREET_SUFFIXES - {"co", "bank"}
# "solicitor Jane Doe of Archer-Howell": a role, a person, 'of', the firm.
_ROLE_NOUNS = _set("solicitor solicitors manager teacher staff employee student pupil")
_LOC_RUN_STOP = NEVER_NAME - {"park", "station", "estate", "crown"}


class _Analyser:
    def __init__(self, t: Tokens, lex: Lexicon) -> None:
        self.t, self.lex = t, lex
        self.words, self.lowers, self.n = t.words, t.lowers, len(t.words)

    # -- organisations -------------------------------------------------------------------------

    def orgs(self) -> list[Span]:
        words, lowers, n = self.words, self.lowers, self.n
        out: list[Span] = []
        taken: set[int] = set()
        for a, b in self.firms():
            out.append(Span(a, b, 0.75, "surnames joined as 'X, Y and Z': a firm's name"))
            taken.update(range(a, b))
        for a, b in _runs(self.t, _ORG_RUN_STOP):
            if a in taken or self.t.glued(a):
                continue
            if any(lowers[i] in _ORG_STOP for i in range(a, b)):
                continue
            if b < n and lowers[b] in _LEGAL_TAILS:
                b += 1  # "Kestrel Bank plc"
            if lowers[a] in self.lex.forenames and lowers[a] not in self.lex.common:
                of = [k for k in range(a + 1, b - 1) if lowers[k] == "of"]
                if of:
                    a = of[0] + 1  # "Bethan Flahive of Parker PLC": a person, then the firm
            last = lowers[b - 1]
            if last in SCHOOL_SUFFIXES and b - a >= 2:
                out.append(Span(a, b, 0.85, f"name ending in '{words[b - 1]}': a school"))
            elif last in EMPLOYER_SUFFIXES and b - a >= 2:
                out.append(Span(a, b, 0.8, f"name ending in '{words[b - 1]}': an employer"))
            else:
                cue = self._cue(a)
                if cue is None and self._double_barrelled_at(a, b):
                    cue = "at"
                if cue is None or " ".join(lowers[a:b]) in self.lex.places:
                    continue
                if words[a].isupper() and len(words[a]) > 1 and self.t.caps_line(a):
                    continue
                b = self._firm_tail(b)
                out.append(Span(a, b, 0.7, f"capitalised name after '{cue}'"))
            taken.update(range(a, b))
        return out

    def firms(self) -> list[tuple[int, int]]:
        """'Taylor, Johnston and Abbott': three title-case names, a comma and 'and' or '&'."""
        words, lowers, n = self.words, self.lowers, self.n
        out = []
        i = 0
        while i + 4 < n:
            if (
                words[i + 1] == ","
                and lowers[i + 3] in ("and", "&")
                and all(self._firm_word(k) for k in (i, i + 2, i + 4))
                and not (i > 0 and (lowers[i - 1] in TITLES or words[i - 1] == ","))
            ):
                out.append((i, i + 5))
                i += 5
            else:
                i += 1
        return out

    def _firm_word(self, k: int) -> bool:
        w, lw = self.words[k], self.lowers[k]
        return (
            w[0].isupper()
            and w[1:].islower()
            and len(w) > 2
            and lw not in self.lex.common
            and lw not in NEVER_NAME
            and lw not in self.lex.places
        )

    def _firm_tail(self, b: int) -> int:
        """Extend an employer's name over ', Johnston and Abbott' after its first word."""
        lowers, n = self.lowers, self.n
        while b + 1 < n and lowers[b] in (",", "and", "&") and self._firm_word(b + 1):
            b += 2
        return b

    def _double_barrelled_at(self, a: int, b: int) -> bool:
        """'at Miller-Bennett': people are not 'at' a double-barrelled name, firms are."""
        if b - a != 1 or a == 0 or self.lowers[a - 1] != "at":
            return False
        parts = self.words[a].split("-")
        lex = self.lex
        return len(parts) == 2 and all(
            len(p) > 2 and p[0].isupper() and p[1:].islower() and p.lower() not in lex.common
            for p in parts
        )

    def _cue(self, a: int) -> str | None:
        """'works at', 'pupil at', 'employed by', 'I work as a nurse at' before token ``a``."""
        lowers = self.lowers
        k = a - 1
        if k >= 1 and lowers[k] == ":" and lowers[k - 1] in ORG_FIELDS:
            return f"{self.words[k - 1]}:"
        if k >= 0 and lowers[k] == "the":
            k -= 1
        if k < 0 or lowers[k] not in ORG_CUE_LINKS:
            return None
        link = k
        for j in range(link - 1, max(-1, link - 1 - _CUE_REACH), -1):
            lw = lowers[j]
            if lw in _BOUNDARY:  # a PDF breaks lines mid-sentence: only punctuation stops
                return None
            if lw in ORG_CUES and (j == link - 1 or lowers[link] != "of" or lw in _ROLE_NOUNS):
                if j < link - 1:
                    return f"{self.words[j]} ... {lowers[link]}"
                return f"{lw} {lowers[link]}"
        return None

    # -- places --------------------------------------------------------------------------------

    def places(self, orgs: list[Span]) -> list[Span]:
        lowers, n = self.lowers, self.n
        in_org: set[int] = set()
        for s in orgs:
            in_org.update(range(s.start_tok, s.end_tok))
        out: list[Span] = []
        taken = set(in_org)
        for pub in self.pubs():
            if pub.start_tok not in taken:
                out.append(pub)
                taken.update(range(pub.start_tok, pub.end_tok))
        for a, b in _runs(self.t, _LOC_RUN_STOP):
            if a in taken or self.t.glued(a) or self.t.glued(b - 1):
                continue
            if b < n and lowers[b] in _ORG_TRAILS:
                continue  # "South Wales Police", "Cardiff Council"
            span = self._place(a, b)
            if span is None or any(i in taken for i in range(span.start_tok, span.end_tok)):
                continue
            out.append(span)
            taken.update(range(span.start_tok, span.end_tok))
        return out

    def pubs(self) -> list[Span]:
        """'the Kings Arms', 'the Rose and Crown', 'at the Crown': pubs and hotels."""
        words, lowers, n = self.words, self.lowers, self.n
        out = []
        for i in range(n - 1):
            if lowers[i] != "the" or not words[i + 1][0].isupper():
                continue
            j = i + 1
            while j < n and (
                (words[j][0].isupper() and not words[j].isupper())
                or (lowers[j] in ("and", "&") and j + 1 < n and words[j + 1][0].isupper())
            ):
                j += 1
                if j - i > 5:
                    break
            if j - i > 5:
                continue
            if j - 1 > i + 1 and lowers[j - 1] in PUB_SUFFIXES:
                out.append(Span(i, j, 0.8, f"'the ... {words[j - 1]}': a pub or hotel"))
                continue
            cue = lowers[i - 1] if i > 0 else ""
            if cue not in PLACE_CUES and cue not in _HEDGES:
                continue
            for k in range(j, i + 1, -1):
                if " ".join(lowers[i + 1 : k]) in PUB_NAMES:
                    if k < n and words[k][0].isupper():
                        break  # "the Crown Prosecution Service", "the Victoria Road"
                    if k < n and lowers[k] in PLACE_SUFFIXES and words[k].islower():
                        k += 1  # "the Red Lion pub"
                    out.append(Span(i, k, 0.75, f"pub name after '{cue} the'"))
                    break
        return out

    def _place(self, a: int, b: int) -> Span | None:
        words, lowers, n, lex = self.words, self.lowers, self.n, self.lex
        # a lower-case place word after the run: "the Red Lion pub"
        if b < n and lowers[b] in PLACE_SUFFIXES and words[b].islower():
            return Span(a, b + 1, 0.8, f"named place followed by '{words[b]}'")
        if lowers[b - 1] in PLACE_SUFFIXES and b - a >= 2 and not (b < n and words[b] == ":"):
            return Span(a, b, 0.75, f"name ending in '{words[b - 1]}': a named place")
        # streets named without a house number: "parked on Station Terrace", "near Granby Drive"
        street_end = None
        if (
            b < n
            and lowers[b] in STREET_SUFFIXES
            and words[b][0].isupper()
            and not words[b].isupper()
        ):
            street_end = b + 1
        elif b - a >= 2 and lowers[b - 1] in STREET_SUFFIXES and not words[b - 1].isupper():
            street_end = b
        if street_end is not None and not any(
            lowers[k] in _NOT_STREET_STEMS for k in range(a, street_end - 1)
        ):
            if a > 0 and (words[a - 1].isdigit() or lowers[a - 1] in ("flat", "unit")):
                return None  # a house number: the address recognizer has it
            if not words[a].isupper():
                return Span(a, street_end, 0.75, f"street name ending in '{words[street_end - 1]}'")
        # the longest gazetteer place inside the run ("in Milton Keynes")
        places = lex.places
        for i in range(a, b):
            for j in range(b, i, -1):
                if " ".join(lowers[i:j]) not in places:
                    continue
                cue = lowers[i - 1] if i > 0 and lowers[i - 1] in PLACE_CUES else None
                if j - i == 1 and self._ambiguous(i) and (cue is None or (i, j) != (a, b)):
                    break  # "Barry", "Stanley", "Nelson": a name unless the text says place
                if words[i].isupper() and len(words[i]) > 2 and not self.t.caps_line(i):
                    break  # "Mandy HILL": capitals in a sentence are a surname
                reason = "UK town or county in gazetteer" + (f" after '{cue}'" if cue else "")
                return Span(i, j, 0.85 if cue else 0.7, reason)
        return None

    def _ambiguous(self, i: int) -> bool:
        lw, lex = self.lowers[i], self.lex
        return lw in lex.forenames or lw in lex.surnames or lw in lex.common


_CACHE = threading.local()


def analyse(text: str) -> Analysis:
    """Find the organisations and places of ``text`` (the last text's result is reused)."""
    last: Analysis | None = getattr(_CACHE, "last", None)
    if last is not None and last.tokens.text is text:
        return last
    tokens = tokens_of(text)
    worker = _Analyser(tokens, lexicon())
    orgs = worker.orgs()
    result = Analysis(tokens, tuple(orgs), tuple(worker.places(orgs)))
    _CACHE.last = result
    return result


def _findings(
    text: str, tokens: Tokens, spans: tuple[Span, ...], label: Label, name: str, version: str
) -> list[Finding]:
    out = []
    for s in spans:
        cs, ce = tokens.starts[s.start_tok], tokens.ends[s.end_tok - 1]
        out.append(Finding(cs, ce, label, text[cs:ce], s.score, name, s.reason, version))
    out.sort(key=lambda f: f.start)
    return out


class OrganisationRecognizer:
    """Finds schools, employers, banks and GP surgeries: organisations that tell who a person is."""

    NAME: ClassVar[str] = "OrganisationRecognizer"
    VERSION: ClassVar[str] = "2"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.ORGANISATION})

    def find(self, text: str) -> list[Finding]:
        """Return ORGANISATION findings: a school or employer suffix, a firm, a 'works at' cue."""
        a = analyse(text)
        return _findings(text, a.tokens, a.orgs, Label.ORGANISATION, self.NAME, self.VERSION)


class LocationRecognizer:
    """Finds towns, streets and named places (pubs, parks, estates) where things happened."""

    NAME: ClassVar[str] = "LocationRecognizer"
    VERSION: ClassVar[str] = "2"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.LOCATION})

    def find(self, text: str) -> list[Finding]:
        """Return LOCATION findings: a gazetteer place, a street, a named pub, park or estate."""
        a = analyse(text)
        return _findings(text, a.tokens, a.places, Label.LOCATION, self.NAME, self.VERSION)
