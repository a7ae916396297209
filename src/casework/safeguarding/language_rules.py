"""The rule pack of victim-blaming language: a versioned data file, validated and compiled.

The pack (``safeguarding/data/language_rules.yaml``) is data so that it can follow the
guidance as it changes without a code change; each rule keeps its source, why the words
harm and what to write instead. Patterns are written in a small word syntax (see the
file's header) and compiled here into one regular expression per pattern.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PACK_FILE = "language_rules.yaml"
REFLEXIVES = ("herself", "himself", "themselves", "themself", "yourself", "myself")
_GAP = re.compile(r"^\*(\d)$")
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9_]{2,59}$")


class LanguagePackError(ValueError):
    """The rule pack is malformed: a missing field, an unknown verb, a bad pattern."""


class LanguageRule(BaseModel):
    """One kind of harmful wording, with why it harms and what to write instead."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str = Field(min_length=1)
    why: str = Field(min_length=1)
    instead: str = Field(min_length=1)
    source: str = Field(min_length=1)
    negatable: bool = False
    """Not flagged just after a negation ("did not consent", "a child cannot consent")."""
    patterns: tuple[str, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _upper_snake(cls, value: str) -> str:
        if not _RULE_ID.match(value):
            raise ValueError(f"{value!r} is not an UPPER_SNAKE rule id")
        return value


class LanguagePack(BaseModel):
    """The whole file: version, source, verb forms and rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(min_length=1)
    source: str = Field(min_length=1)
    verbs: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    rules: tuple[LanguageRule, ...] = Field(min_length=1)


class CompiledRule:
    """A rule with its patterns compiled (one alternation, case-insensitive)."""

    __slots__ = ("pattern", "rule")

    def __init__(self, rule: LanguageRule, pattern: re.Pattern[str]) -> None:
        self.rule = rule
        self.pattern = pattern


def _alternative(word: str) -> str:
    """A written alternative as a regex: ``_`` a space, ``-`` optional, ``'`` any apostrophe."""
    parts = []
    for char in word:
        if char == "_":
            parts.append(r"\s+")
        elif char == "-":
            parts.append(r"[-\s]?")
        elif char in "'’":
            parts.append("['’]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _token(token: str, verbs: dict[str, tuple[str, ...]], where: str) -> tuple[str, bool]:
    """A pattern token as a regex group, and whether it is optional."""
    optional = token.endswith("?") and len(token) > 1
    token = token.removesuffix("?") if optional else token
    words: list[str] = []
    for alternative in token.split("|"):
        if alternative.startswith("~"):
            forms = verbs.get(alternative[1:])
            if not forms:
                raise LanguagePackError(f"{where}: unknown verb {alternative!r} (add it to verbs)")
            words.extend(forms)
        elif alternative == "{self}":
            words.extend(REFLEXIVES)
        elif alternative and re.fullmatch(r"[\w'’-]+", alternative):
            words.append(alternative)
        else:
            raise LanguagePackError(f"{where}: bad word {alternative!r} in {token!r}")
    longest_first = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(_alternative(w) for w in longest_first) + ")", optional


def compile_pattern(pattern: str, verbs: dict[str, tuple[str, ...]], where: str) -> str:
    """Compile one pattern of the word syntax into a regular expression (not anchored)."""
    pieces: list[str] = []
    for token in pattern.split():
        gap = _GAP.match(token)
        if gap:
            if not pieces:
                raise LanguagePackError(f"{where}: a pattern cannot start with a gap")
            pieces.append(rf"(?:\s+[\w'’-]+){{0,{gap.group(1)}}}")
            continue
        regex, optional = _token(token, verbs, where)
        if not pieces:
            pieces.append(regex if not optional else f"(?:{regex})?")
        else:
            pieces.append(rf"(?:\s+{regex})?" if optional else rf"\s+{regex}")
    if not pieces:
        raise LanguagePackError(f"{where}: empty pattern")
    return r"(?<![\w'’-])" + "".join(pieces) + r"(?![\w-])"


def compile_pack(pack: LanguagePack) -> tuple[CompiledRule, ...]:
    """Compile every rule; duplicate rule ids are refused."""
    seen: set[str] = set()
    compiled = []
    for rule in pack.rules:
        if rule.id in seen:
            raise LanguagePackError(f"rule {rule.id}: defined twice")
        seen.add(rule.id)
        regexes = [
            compile_pattern(p, pack.verbs, f"rule {rule.id}, pattern {i + 1}")
            for i, p in enumerate(rule.patterns)
        ]
        try:
            pattern = re.compile("|".join(f"(?:{r})" for r in regexes), re.IGNORECASE)
        except re.error as error:  # pragma: no cover (the syntax above makes valid regexes)
            raise LanguagePackError(f"rule {rule.id}: {error}") from error
        compiled.append(CompiledRule(rule, pattern))
    return tuple(compiled)


def parse_pack(text: str, source: str = PACK_FILE) -> LanguagePack:
    """Validate a rule pack given as YAML text; errors name the file and the field."""
    try:
        raw: Any = yaml.safe_load(text)
        pack = LanguagePack.model_validate(raw)
    except yaml.YAMLError as error:
        raise LanguagePackError(f"{source}: not valid YAML: {error}") from error
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise LanguagePackError(f"{source}: {field}: {first['msg']}") from error
    compile_pack(pack)
    return pack


@cache
def default_pack() -> LanguagePack:
    """The packaged rule pack, validated once per process."""
    text = resources.files("casework.safeguarding.data").joinpath(PACK_FILE).read_text("utf-8")
    return parse_pack(text)


@cache
def default_rules() -> tuple[CompiledRule, ...]:
    """The packaged rules, compiled once per process."""
    return compile_pack(default_pack())
