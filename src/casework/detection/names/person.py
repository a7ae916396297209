"""Find people's names: titles and ranks, police capitals, gazetteers, a small tagger, repeats.

A missed name is a leak, so the recognizer leans towards recall, but a name that is also a word
(Rose, Mark, Will, Grace) needs supporting evidence: a title, a surname, capitals, or an earlier
full mention. Every finding says which rule fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from casework.detection.names.lexicon import (
    ACRONYMS,
    GREETINGS,
    NEVER_NAME,
    ORG_SUFFIXES,
    PARTICLES,
    RANKS,
    RELATION_WORDS,
    ROLE_WORDS,
    STREET_SUFFIXES,
    TITLES,
    Lexicon,
    Tokens,
    lexicon,
)
from casework.detection.names.places import PLACE_CUES, analyse
from casework.detection.names.tagger import (
    BOUNDARY,
    JOINERS,
    PersonTagger,
    base,
    features,
    person_tagger,
)
from casework.domain.findings import Finding
from casework.domain.labels import Label, PartyRole

# Tagger thresholds (log-odds), tuned on BTC dev and WNUT-17 dev (never the test splits).
TAGGER_THRESHOLD = -1.0
TAGGER_THRESHOLD_LOWER = -1.0  # lower-case words need more evidence
TAGGER_THRESHOLD_WORD = 0.0  # a name that is also a word (Rose, Will) standing alone
TAGGER_VETO = -2.5
TAGGER_FLOOR = -2.0  # a weak rule is dropped when the tagger is this sure it is not a name
# A capitalised, uncommon word mid-sentence with no other evidence ("Tanner") is a name only
# when the tagger leans that way: brands, products and films are capitalised too (WNUT dev).
FALLBACK_THRESHOLD = -1.75  # dev: WNUT precision 0.753 -> 0.766 for recall 0.594 -> 0.587
# A word after a determiner is a noun ("as a Buyer", "the Falcon"), not a name by default.
DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "my", "our", "your"})
STRONG = 0.9  # a hit this sure (title, rank, capitals) stands inside an organisation or place
CAMEL = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]{2,})")
ROLE_SKIP = frozenset({",", "the", "-", ":", "(", ")", "a", "an", "is", "was", "named", "called"})
_ROLES = {r.value: r for r in PartyRole}


@dataclass(slots=True)
class _Hit:
    start_tok: int
    end_tok: int  # exclusive
    score: float
    reason: str
    role: PartyRole | None


class PersonNameRecognizer:
    """Finds PERSON spans and, where the text says it, the person's role in the case."""

    NAME: ClassVar[str] = "PersonNameRecognizer"
    VERSION: ClassVar[str] = "1"
    LABELS: ClassVar[frozenset[Label]] = frozenset({Label.PERSON})

    def __init__(self, *, use_tagger: bool = True) -> None:
        self._lex: Lexicon = lexicon()
        self._tagger: PersonTagger | None = person_tagger() if use_tagger else None

    # -- entry point -------------------------------------------------------------------------

    def find(self, text: str) -> list[Finding]:
        """Return the PERSON findings of ``text``, in text order."""
        analysis = analyse(text)
        tokens = analysis.tokens
        starts, ends, words = tokens.starts, tokens.ends, tokens.words
        if not words:
            return []
        doc = _Doc(tokens, self._lex, self._tagger, analysis.blocked())
        hits = doc.scan()
        hits.extend(doc.repeats(hits))
        hits.extend(doc.joined(hits))
        hits.sort(key=lambda h: h.start_tok)
        out = []
        for h in hits:
            s, e = starts[h.start_tok], ends[h.end_tok - 1]
            if h.start_tok > 0 and words[h.start_tok - 1] == "#" and ends[h.start_tok - 1] == s:
                s -= 1  # a hashtag name: redact the tag whole
            out.append(
                Finding(
                    start=s,
                    end=e,
                    label=Label.PERSON,
                    text=text[s:e],
                    score=h.score,
                    recognizer=self.NAME,
                    reason=h.reason,
                    recognizer_version=self.VERSION,
                    role=h.role,
                )
            )
        return out


class _Doc:
    """One text being scanned; holds its tokens so the rules can look around."""

    def __init__(
        self, tokens: Tokens, lex: Lexicon, tagger: PersonTagger | None, blocked: set[int]
    ) -> None:
        self.tokens = tokens
        self.text, self.starts, self.ends = tokens.text, tokens.starts, tokens.ends
        self.words, self.lowers = tokens.words, tokens.lowers
        self.lex, self.tagger = lex, tagger
        self.n = len(self.words)
        self.taken: set[int] = set()
        # words of an organisation or a place: a name there needs strong evidence
        self.blocked = blocked

    # -- token tests ---------------------------------------------------------------------------

    def is_cap(self, i: int) -> bool:
        w = self.words[i]
        if w in ("IP", "DP"):  # injured party, detained person: roles, not names
            return False
        return (
            w[0].isupper()
            and self.lowers[i] not in NEVER_NAME
            and not self.is_title(i)
            and not self.tokens.glued(i)
        )

    def is_title(self, i: int) -> bool:
        """'Mr', 'Dr', 'PC', 'DC', 'Sergeant'; but 'Di' in title case is a forename."""
        lw, w = self.lowers[i], self.words[i]
        if lw in TITLES:
            return True
        return lw in RANKS and (w.isupper() or len(lw) > 3)

    def newline_before(self, i: int) -> bool:
        return i > 0 and "\n" in self.text[self.ends[i - 1] : self.starts[i]]

    def sentence_start(self, i: int) -> bool:
        return i == 0 or self.words[i - 1] in BOUNDARY or self.newline_before(i)

    def caps_line(self, i: int) -> bool:
        """True when the token's whole line is in capitals (a heading: capitals prove nothing)."""
        return self.tokens.caps_line(i)

    def is_allcaps_name(self, i: int) -> bool:
        w = self.words[i]
        if self.tokens.glued(i) or self.lowers[i] in ACRONYMS:
            return False  # "AB12 CDE" is a registration mark, "GP" a doctor
        return (len(w) >= 2 and w.isupper() and w.isalpha()) or (
            ("'" in w or "-" in w) and w.isupper()
        )

    def initial_at(self, i: int) -> bool:
        """'A. COOK', 'C. Brown': a capital letter and a full stop before a surname."""
        j = i + 2
        if not (j < self.n and self.words[i + 1] == "." and len(self.words[i]) == 1):
            return False
        if not self.words[i].isupper() or self.tokens.glued(i):
            return False
        return self.is_allcaps_name(j) or (
            self.words[j][0].isupper() and base(self.lowers[j]) in self.lex.surnames
        )

    def caps_surname_after(self, j: int) -> bool:
        """'Mandy HILL': a word in capitals after a forename is a surname, even a word's."""
        return (
            self.is_allcaps_name(j)
            and self.lowers[j] in self.lex.surnames
            and not self.caps_line(j)
            and j > 0
            and self.words[j - 1][0].isupper()
            and not self.words[j - 1].isupper()
        )

    def kind(self, i: int) -> str:
        """F forename, S surname, A name that is also a word, C common word, I initial, U other."""
        lw = base(self.lowers[i])
        if len(lw) == 1:
            return "I"
        common = lw in self.lex.common
        if lw in self.lex.forenames:
            return "A" if common else "F"
        if lw in self.lex.surnames:
            return "A" if common else "S"
        return "C" if common else "U"

    def tagger_score(self, i: int) -> float:
        if self.tagger is None:
            return 0.0
        return self.tagger.score(features(i, self.words, self.lowers, self.lex))

    # -- context -------------------------------------------------------------------------------

    def title_before(self, a: int) -> tuple[str, bool] | None:
        """Return (title, is_police_rank) written just before token ``a``."""
        k = a - 1
        if k >= 0 and self.words[k] == ".":
            k -= 1
        if k >= 0 and self.words[k].isdigit():  # collar number: "PC 1234 Smith"
            k -= 1
            if k >= 0 and self.lowers[k] in RANKS and self.words[k][0].isupper():
                return self.words[k], True
            return None
        if k < 0 or not self.words[k][0].isupper() or not self.is_title(k):
            return None
        if self.lowers[k] in RANKS:
            return self.words[k], True
        if self.lowers[k] in TITLES:
            return self.words[k], False
        return None

    def role_near(self, a: int, b: int) -> tuple[PartyRole | None, str | None]:
        """Look a few tokens either side for 'the victim', 'suspect', '(IP)', 'my partner'."""
        k, seen = a - 1, 0
        while k >= 0 and seen < 4:
            lw = self.lowers[k]
            role = self._role_word(k)
            if role:
                return role, self.words[k]
            if lw in RELATION_WORDS and k > 0 and self.lowers[k - 1] in ("my", "her", "his"):
                return None, f"{self.words[k - 1]} {self.words[k]}"
            if lw not in ROLE_SKIP and not lw.isdigit() and lw not in TITLES and lw not in RANKS:
                break
            k -= 1
            seen += 1
        k, seen = b, 0
        while k < self.n and seen < 3:
            role = self._role_word(k)
            if role:
                return role, self.words[k]
            if self.lowers[k] not in ROLE_SKIP:
                break
            k += 1
            seen += 1
        return None, None

    def _role_word(self, k: int) -> PartyRole | None:
        lw = self.lowers[k]
        value = ROLE_WORDS.get(lw)
        if value is None:
            if lw == "injured" and k + 1 < self.n and self.lowers[k + 1] == "party":
                return PartyRole.VICTIM
            return None
        if lw in ("ip", "dp") and not self.words[k].isupper():
            return None
        return _ROLES[value]

    # -- the scan ------------------------------------------------------------------------------

    def runs(self) -> list[tuple[int, int]]:
        """Maximal runs of capitalised tokens (with initials' full stops and name particles)."""
        out = []
        i, n, words, lowers = 0, self.n, self.words, self.lowers
        while i < n:
            if not words[i][0].isalpha() or not (self.is_cap(i) or self.initial_at(i)):
                i += 1
                continue
            j = i + 1
            while j < n and not self.newline_before(j):
                w = words[j]
                if w[0].isalpha() and (self.is_cap(j) or self.initial_at(j)):
                    j += 1
                elif w[0].isalpha() and self.caps_surname_after(j):
                    j += 1  # "Mandy HILL"
                elif (
                    w == "."
                    and len(words[j - 1]) == 1
                    and j + 1 < n
                    and (self.is_cap(j + 1) or self.is_allcaps_name(j + 1))
                ):
                    j += 1  # "J. SMITH"
                elif lowers[j] in PARTICLES and j + 1 < n and self.is_cap(j + 1):
                    j += 1  # "van Dijk", "bin Laden"
                else:
                    break
            out.append((i, j))
            i = j
        return out

    def scan(self) -> list[_Hit]:
        hits: list[_Hit] = []
        for a, b in self.runs():
            if a in self.taken:
                continue
            hit = self.judge(a, b)
            if hit is not None:
                hits.append(hit)
                self.taken.update(range(hit.start_tok, hit.end_tok))
        hits.extend(self.lower_case())
        return hits

    def judge(self, a: int, b: int) -> _Hit | None:
        """Decide whether the capitalised run a..b is a person's name, and why."""
        words, lowers = self.words, self.lowers
        title = self.title_before(a)
        names = [i for i in range(a, b) if words[i] != "." and lowers[i] not in PARTICLES]
        if not names:
            return None
        kinds = [self.kind(i) for i in names]
        # never a person: streets (ADDRESS), organisations, known places
        last = lowers[names[-1]]
        caps_last = self.is_allcaps_name(names[-1]) and not self.caps_line(a)
        if (last in STREET_SUFFIXES and len(names) > 1 and not caps_last) or last in ORG_SUFFIXES:
            return None
        if b < self.n and (lowers[b] in STREET_SUFFIXES or lowers[b] in ORG_SUFFIXES):
            return None
        if title is None and " ".join(lowers[i] for i in names) in self.lex.places:
            sole = lowers[names[0]]
            name_too = len(names) == 1 and (sole in self.lex.forenames or sole in self.lex.surnames)
            if not name_too or (a > 0 and lowers[a - 1] in PLACE_CUES):
                return None  # "Cardiff"; "Shirley" only after "in", "at", "near"...
        # trim common words at either end ("Yesterday John Smith", "John Smith Today"), but
        # keep one mid-sentence before a name ("the suspect Will Smith")
        role, cue = self.role_near(a, b)
        while names and kinds[0] == "C" and title is None:
            if len(kinds) > 1 and kinds[1] in "FS" and not self.sentence_start(names[0]):
                kinds[0] = "A"
                break
            names.pop(0)
            kinds.pop(0)
        while names and kinds[-1] == "C":
            names.pop()
            kinds.pop()
        if not names:
            return None
        a, b = names[0], names[-1] + 1
        hit = self._rule(a, b, names, kinds, title, cue)
        if hit is None:
            return None
        if hit.score < STRONG and any(i in self.blocked for i in range(hit.start_tok, hit.end_tok)):
            return None  # an organisation's or a place's words, and no title or capitals
        hit.role = role if role is not None else hit.role
        if cue and hit.role is not None and cue not in hit.reason:
            hit.reason += f"; '{cue}' nearby"
        return hit

    def _rule(
        self,
        a: int,
        b: int,
        names: list[int],
        kinds: list[str],
        title: tuple[str, bool] | None,
        cue: str | None,
    ) -> _Hit | None:
        words = self.words
        if title is not None:
            word, police = title
            if police:
                number = words[a - 1] if words[a - 1].isdigit() else None
                why = f"police rank '{word}'" + (f" and collar number {number}" if number else "")
                return _Hit(a, b, 0.92, why + " before the name", PartyRole.OFFICER)
            return _Hit(a, b, 0.9, f"title '{word}' before capitalised word", None)
        first_cap = words[names[0]][0].isupper() and not words[names[0]].isupper()
        caps_after = [i for i in names[1:] if self.is_allcaps_name(i)]
        if len(names) == 2 and kinds[0] == "I" and self.initial_at(names[0]):
            sur = names[1]
            if base(self.lowers[sur]) in self.lex.surnames or not self.caps_line(a):
                return _Hit(a, b, STRONG, "initial and surname, police statement style", None)
        if len(names) >= 2:
            if first_cap and caps_after and not self.caps_line(a):
                return _Hit(
                    a, b, 0.93, "ALL-CAPS surname after forename, police statement style", None
                )
            if kinds[0] in "FI" and any(k in "FSU" for k in kinds[1:]):
                return _Hit(a, b, 0.85, "forename in gazetteer followed by capitalised word", None)
            if kinds[0] == "A" and any(k in "FS" for k in kinds[1:]):
                return _Hit(a, b, 0.8, "name-like word followed by a surname in gazetteer", None)
            if kinds[-1] == "S" or ("S" in kinds and "C" not in kinds):
                return _Hit(a, b, 0.75, "capitalised words ending in a surname in gazetteer", None)
        sole = names[0]
        if len(names) == 1:
            comma = self._surname_comma_forename(sole)
            if comma is not None:
                return comma
            if cue is not None and kinds[0] in "FSUA":
                return _Hit(a, b, 0.8, f"capitalised word introduced by '{cue}'", None)
            camel = self._camel_name(sole)
            if camel is not None:
                return camel
            weak = None
            if kinds[0] == "F":
                weak = _Hit(a, b, 0.7, "forename in gazetteer", None)
            elif kinds[0] == "S" and not self.sentence_start(sole):
                weak = _Hit(a, b, 0.6, "capitalised surname in gazetteer", None)
            elif self.is_allcaps_name(sole) and kinds[0] in "S" and not self.caps_line(sole):
                weak = _Hit(a, b, 0.7, "ALL-CAPS surname in gazetteer", None)
            if kinds[0] == "A":
                # Rose, Mark, Will alone: a word unless the context says name
                if self.tagger is None or self.sentence_start(sole) or self.caps_line(sole):
                    return None
                score = self.tagger_score(sole)
                if score <= TAGGER_THRESHOLD_WORD:
                    return None
                why = self.tagger.explain(features(sole, self.words, self.lowers, self.lex))
                return _Hit(
                    a, b, 0.55, f"name that is also a word, in a name's context: {why}", None
                )
            if weak is not None:
                if self.tagger is not None and self.tagger_score(sole) < TAGGER_VETO:
                    return None
                return weak
        return self._tagged(a, b, names)

    def _camel_name(self, i: int) -> _Hit | None:
        """'#AlanPardew', 'JohnSmith': a forename and a capitalised word written as one."""
        m = CAMEL.fullmatch(self.words[i])
        if m is None:
            return None
        first, rest = m.group(1).lower(), m.group(2).lower()
        lex = self.lex
        if first not in lex.forenames or first in lex.common or rest in lex.common:
            return None
        return _Hit(i, i + 1, 0.7, "forename and capitalised word written as one word", None)

    def _surname_comma_forename(self, i: int) -> _Hit | None:
        """'SMITH, John': a surname in capitals, a comma, then a forename."""
        j = i + 2
        if not (self.is_allcaps_name(i) and j < self.n and self.words[i + 1] == ","):
            return None
        if self.kind(j) not in "FA" or not self.words[j][0].isupper() or self.words[j].isupper():
            return None
        end = j + 1
        while end < self.n and self.kind(end) in "FI" and self.words[end][0].isupper():
            end += 1
        self.taken.update(range(i, end))
        return _Hit(i, end, 0.9, "surname in capitals, comma, forename (police index style)", None)

    def _tagged(self, a: int, b: int, names: list[int]) -> _Hit | None:
        if self.tagger is None or (
            self.caps_line(a) and all(self.words[i].isupper() for i in names)
        ):
            return None
        scores = [self.tagger_score(i) for i in names]
        if max(scores) <= TAGGER_THRESHOLD:
            sole = names[0]
            word = self.words[sole]
            if (
                len(names) == 1
                and len(word) >= 3
                and word[1:].islower()
                and self.kind(sole) == "U"
                and not self.sentence_start(sole)
                and max(scores) > FALLBACK_THRESHOLD
                and not (sole > 0 and self.lowers[sole - 1] in DETERMINERS)
            ):
                return _Hit(a, b, 0.45, "capitalised mid-sentence and not a common word", None)
            return None
        best = names[scores.index(max(scores))]
        why = self.tagger.explain(features(best, self.words, self.lowers, self.lex))
        score = 0.55 if len(names) == 1 else 0.65
        return _Hit(a, b, score, f"statistical name tagger: {why}", None)

    def lower_case(self) -> list[_Hit]:
        """Names typed in lower case in messages: 'hi jane', 'my ex kyle', tagger-backed."""
        hits = []
        lex, lowers, words = self.lex, self.lowers, self.words
        for i in range(self.n):
            lw = lowers[i]
            if i in self.taken or not words[i].islower() or lw in lex.common or len(lw) < 3:
                continue
            if i in self.blocked or self.tokens.glued(i):
                continue
            if lw not in lex.forenames and lw not in lex.surnames:
                continue
            prev = lowers[i - 1] if i else ""
            if lw in lex.forenames and (prev in GREETINGS or prev in RELATION_WORDS):
                hits.append(
                    _Hit(i, i + 1, 0.6, f"lower-case forename after '{words[i - 1]}'", None)
                )
            elif self.tagger is not None and self.tagger_score(i) > TAGGER_THRESHOLD_LOWER:
                why = self.tagger.explain(features(i, words, lowers, lex))
                hits.append(_Hit(i, i + 1, 0.5, f"statistical name tagger: {why}", None))
        for h in hits:
            self.taken.add(h.start_tok)
        return hits

    def joined(self, hits: list[_Hit]) -> list[_Hit]:
        """A word joined to a found name by 'and' or '&', written the same way: 'emma and kaite'."""
        out = []
        words, lowers, lex = self.words, self.lowers, self.lex
        for h in hits:
            for k, j in ((h.end_tok, h.end_tok + 1), (h.start_tok - 1, h.start_tok - 2)):
                if not (0 <= j < self.n and lowers[k] in JOINERS and lowers[k] != "with"):
                    continue
                if j in self.taken or j in self.blocked:
                    continue
                w, lw = words[j], base(lowers[j])
                near = words[h.start_tok]
                if len(lw) < 3 or not w.isalpha() or lw in lex.common or lw in NEVER_NAME:
                    continue
                if w.islower() != near.islower() or w.isupper() != near.isupper():
                    continue
                out.append(
                    _Hit(j, j + 1, 0.5, f"joined by '{words[k]}' to the name '{near}'", h.role)
                )
                self.taken.add(j)
        return out

    def repeats(self, hits: list[_Hit]) -> list[_Hit]:
        """Other mentions of a found name's words, in any case: 'Smith' after 'John SMITH'.

        Words of a fuller name (or one with a title) pass on their role; a name found alone
        ('abigail:' as a message's sender) is looked for too, case-insensitively, unless it is
        also a common word, so 'what abigail put on' and 'whats janets number' are found.
        """
        known: dict[str, _Hit] = {}
        singles: list[_Hit] = []
        lex = self.lex
        for h in hits:
            parts = [i for i in range(h.start_tok, h.end_tok) if len(self.words[i]) > 1]
            if len(parts) < 2 and not h.reason.startswith(("title", "police rank")):
                singles.append(h)
                continue
            for i in parts:
                known.setdefault(base(self.lowers[i]), h)
        for h in singles:
            lw = base(self.lowers[h.start_tok])
            if len(lw) >= 3 and lw not in lex.common and lw not in lex.places and h.score >= 0.5:
                known.setdefault(lw, h)
        if not known:
            return []
        for h in hits:
            src = known.get(base(self.lowers[h.start_tok]))
            if h.end_tok - h.start_tok == 1 and src is not None and src is not h:
                full = self.text[self.starts[src.start_tok] : self.ends[src.end_tok - 1]]
                where = "earlier" if src.start_tok < h.start_tok else "later"
                h.reason = f"mention of '{full}' found {where} in the text"
                h.role = h.role or src.role
                h.score = max(h.score, min(src.score, 0.85))
        out = []
        blocked, glued = self.blocked, self.tokens.glued
        for i in range(self.n):
            lw = base(self.lowers[i])
            src = known.get(lw)
            w = self.words[i]
            if src is None and w.islower() and lw[-1:] == "s":
                src = known.get(lw[:-1])  # "whats janets number"
            if src is None or i in self.taken or i in blocked or not w[0].isalpha():
                continue
            if lw in lex.common and not (w[0].isupper() and not self.sentence_start(i)):
                continue
            if not w[0].isupper() and lw in NEVER_NAME:
                continue
            if glued(i):
                continue
            full = self.text[self.starts[src.start_tok] : self.ends[src.end_tok - 1]]
            where = "earlier" if src.start_tok < i else "later"
            out.append(
                _Hit(
                    i,
                    i + 1,
                    min(src.score, 0.85),
                    f"mention of '{full}' found {where} in the text",
                    src.role,
                )
            )
            self.taken.add(i)
        return out
