"""The offence catalogue: contents, mode of trial, and load-time validation."""

from __future__ import annotations

import json
import re

import pytest

from casework.domain.rules import (
    DomesticAbuseRelevance,
    ModeOfTrial,
    OffenceCatalogue,
    RuleDataError,
    UnknownOffenceError,
    load_offence_catalogue,
    load_rule_data,
)
from casework.domain.rules.data import parse_rule_data

REQUIRED = {
    "common_assault": ("Criminal Justice Act 1988 s.39", ModeOfTrial.SUMMARY_ONLY),
    "battery": ("Criminal Justice Act 1988 s.39", ModeOfTrial.SUMMARY_ONLY),
    "abh": ("Offences Against the Person Act 1861 s.47", ModeOfTrial.EITHER_WAY),
    "gbh_s20": ("Offences Against the Person Act 1861 s.20", ModeOfTrial.EITHER_WAY),
    "gbh_s18": ("Offences Against the Person Act 1861 s.18", ModeOfTrial.INDICTABLE_ONLY),
    "coercive_control": ("Serious Crime Act 2015 s.76", ModeOfTrial.EITHER_WAY),
    "non_fatal_strangulation": ("Serious Crime Act 2015 s.75A", ModeOfTrial.EITHER_WAY),
    "harassment": ("Protection from Harassment Act 1997 s.2", ModeOfTrial.SUMMARY_ONLY),
    "harassment_fear_of_violence": (
        "Protection from Harassment Act 1997 s.4",
        ModeOfTrial.EITHER_WAY,
    ),
    "stalking": ("Protection from Harassment Act 1997 s.2A", ModeOfTrial.SUMMARY_ONLY),
    "stalking_fear_of_violence": (
        "Protection from Harassment Act 1997 s.4A",
        ModeOfTrial.EITHER_WAY,
    ),
    "criminal_damage": ("Criminal Damage Act 1971 s.1(1)", ModeOfTrial.EITHER_WAY),
    "threats_to_kill": ("Offences Against the Person Act 1861 s.16", ModeOfTrial.EITHER_WAY),
    "breach_non_molestation_order": ("Family Law Act 1996 s.42A", ModeOfTrial.EITHER_WAY),
    "breach_dapo": ("Domestic Abuse Act 2021 s.39", ModeOfTrial.EITHER_WAY),
    "disclosing_private_sexual_images": (
        "Criminal Justice and Courts Act 2015 s.33",
        ModeOfTrial.EITHER_WAY,
    ),
    "rape": ("Sexual Offences Act 2003 s.1", ModeOfTrial.INDICTABLE_ONLY),
    "sexual_assault": ("Sexual Offences Act 2003 s.3", ModeOfTrial.EITHER_WAY),
}


@pytest.mark.parametrize(("code", "expected"), sorted(REQUIRED.items()))
def test_required_offences(code: str, expected: tuple[str, ModeOfTrial]) -> None:
    offence = load_offence_catalogue().get(code)
    assert (offence.citation, offence.mode_of_trial) == expected
    assert offence.source


def test_catalogue_is_versioned_with_sources() -> None:
    catalogue = load_offence_catalogue()
    assert catalogue.version
    assert catalogue.effective_from.year >= 2024
    assert catalogue.sources


def test_codes_are_snake_case_and_unique() -> None:
    codes = load_offence_catalogue().codes
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", c) for c in codes)


def test_domestic_abuse_relevance() -> None:
    catalogue = load_offence_catalogue()
    assert catalogue.get("coercive_control").domestic_abuse is DomesticAbuseRelevance.DEFINING
    assert catalogue.get("breach_dapo").domestic_abuse is DomesticAbuseRelevance.DEFINING


def test_unknown_code_suggests_close_matches() -> None:
    with pytest.raises(UnknownOffenceError) as caught:
        load_offence_catalogue().get("comon_assault")
    assert caught.value.suggestions[0] == "common_assault"
    with pytest.raises(UnknownOffenceError, match=r"unknown offence code 'zzz'$"):
        load_offence_catalogue().get("zzz")


def _catalogue_json(**changes: object) -> dict[str, object]:
    offence = {
        "code": "battery",
        "name": "Battery",
        "statute": "Criminal Justice Act 1988",
        "section": "s.39",
        "mode_of_trial": "summary_only",
        "domestic_abuse": "frequent",
        "source": "https://www.legislation.gov.uk/ukpga/1988/33/section/39",
    }
    offence.update(changes)  # type: ignore[arg-type]
    return {"version": "t", "effective_from": "2025-01-01", "sources": ["x"], "offences": [offence]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode_of_trial": "summary"}, "field offences[0].mode_of_trial"),
        ({"code": "Common Assault"}, "field offences[0].code"),
        ({"in_force_from": "2025-02-30"}, "field offences[0].in_force_from"),
        ({"colour": "red"}, "field offences[0].colour"),
    ],
)
def test_bad_catalogue_names_file_and_field(changes: dict[str, object], message: str) -> None:
    text = json.dumps(_catalogue_json(**changes))
    with pytest.raises(RuleDataError, match=re.escape(f"offences.json: {message}")):
        parse_rule_data(text, OffenceCatalogue, name="offences.json")


def test_missing_field_is_named() -> None:
    raw = _catalogue_json()
    del raw["version"]
    with pytest.raises(RuleDataError, match=r"offences\.json: field version: Field required"):
        parse_rule_data(json.dumps(raw), OffenceCatalogue, name="offences.json")


def test_duplicate_code_refused() -> None:
    raw = _catalogue_json()
    raw["offences"] = raw["offences"] * 2  # type: ignore[operator]
    with pytest.raises(RuleDataError, match="'battery' appears more than once"):
        parse_rule_data(json.dumps(raw), OffenceCatalogue, name="offences.json")


def test_not_json_names_file_and_line() -> None:
    with pytest.raises(RuleDataError, match=r"offences.json: not valid JSON at line 2"):
        parse_rule_data('{\n  "version": ,\n}', OffenceCatalogue, name="offences.json")


def test_missing_file_is_named() -> None:
    with pytest.raises(RuleDataError, match=r"casework/domain/data/nope\.json: rule data file not"):
        load_rule_data("nope.json", OffenceCatalogue)
