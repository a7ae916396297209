"""The victim-blaming language check: a table of sentences that must and must not be flagged."""

from __future__ import annotations

import pytest

from casework.safeguarding.language import Voice, check_text, counts_by_rule, quoted_spans
from casework.safeguarding.language_rules import (
    LanguagePackError,
    default_pack,
    parse_pack,
)

FLAGGED: list[tuple[str, str, str]] = [
    # (sentence, rule, phrase flagged)
    ("She is a child prostitute known to officers.", "CHILD_PROSTITUTION", "child prostitute"),
    ("Concerns about child prostitution in the area.", "CHILD_PROSTITUTION", "child prostitution"),
    (
        "Two teenage prostitutes were seen at the hotel.",
        "CHILD_PROSTITUTION",
        "teenage prostitutes",
    ),
    (
        "He has been prostituting himself in the town centre.",
        "CHILD_PROSTITUTION",
        "prostituting himself",
    ),
    ("She was selling herself for cash.", "CHILD_PROSTITUTION", "selling herself"),
    ("She keeps putting herself at risk.", "PUTTING_THEMSELVES_AT_RISK", "putting herself at risk"),
    ("She put herself at risk by going out.", "PUTTING_THEMSELVES_AT_RISK", "put herself at risk"),
    (
        "They were putting themselves at risk.",
        "PUTTING_THEMSELVES_AT_RISK",
        "putting themselves at risk",
    ),
    (
        "He puts himself in danger most nights.",
        "PUTTING_THEMSELVES_AT_RISK",
        "puts himself in danger",
    ),
    (
        "She placed herself at significant risk.",
        "PUTTING_THEMSELVES_AT_RISK",
        "placed herself at significant risk",
    ),
    (
        "He is placing himself at very high risk.",
        "PUTTING_THEMSELVES_AT_RISK",
        "placing himself at very high risk",
    ),
    (
        "She exposed herself to further exploitation.",
        "PUTTING_THEMSELVES_AT_RISK",
        "exposed herself to further exploitation",
    ),
    ("She put herself in harm's way.", "PUTTING_THEMSELVES_AT_RISK", "put herself in harm's way"),
    (
        "He is at risk due to his own behaviour.",
        "PUTTING_THEMSELVES_AT_RISK",
        "at risk due to his own behaviour",
    ),
    ("PUTTING HERSELF AT RISK again.", "PUTTING_THEMSELVES_AT_RISK", "PUTTING HERSELF AT RISK"),
    ("She was putting\nherself at risk.", "PUTTING_THEMSELVES_AT_RISK", "putting herself at risk"),
    ("The 12-year-old is sexually active.", "SEXUALLY_ACTIVE", "sexually active"),
    (
        "She engaged in sexual activity with an adult.",
        "SEXUAL_ACTIVITY_WITH_ADULT",
        "sexual activity with an adult",
    ),
    (
        "Sexual activity with older men was reported.",
        "SEXUAL_ACTIVITY_WITH_ADULT",
        "Sexual activity with older men",
    ),
    (
        "She had sex with the suspect twice.",
        "SEXUAL_ACTIVITY_WITH_ADULT",
        "had sex with the suspect",
    ),
    (
        "She has been having sex with an older man.",
        "SEXUAL_ACTIVITY_WITH_ADULT",
        "having sex with an older man",
    ),
    ("She has been contacting adults online.", "CONTACTING_ADULTS", "contacting adults"),
    ("He messaged older men on the app.", "CONTACTING_ADULTS", "messaged older men"),
    ("She contacts men through social media.", "CONTACTING_ADULTS", "contacts men"),
    ("She goes looking for older men.", "CONTACTING_ADULTS", "goes looking for older men"),
    ("She was given drugs in return for sex.", "SEX_IN_RETURN", "drugs in return for sex"),
    ("She provided sex in exchange for alcohol.", "SEX_IN_RETURN", "sex in exchange for"),
    ("He traded sex for somewhere to stay.", "SEX_IN_RETURN", "traded sex for"),
    (
        "Money in exchange for sexual favours.",
        "SEX_IN_RETURN",
        "Money in exchange for sexual favours",
    ),
    ("She is involved in CSE.", "INVOLVED_IN_CSE", "involved in CSE"),
    (
        "He was engaging in sexual exploitation.",
        "INVOLVED_IN_CSE",
        "engaging in sexual exploitation",
    ),
    ("She is involved with CSE in the town.", "INVOLVED_IN_CSE", "is involved with CSE"),
    ("She has an older boyfriend.", "RELATIONSHIP_WITH_ABUSER", "older boyfriend"),
    (
        "Her boyfriend aged 24 collects her from school.",
        "RELATIONSHIP_WITH_ABUSER",
        "boyfriend aged 24",
    ),
    (
        "She is in a relationship with an older man.",
        "RELATIONSHIP_WITH_ABUSER",
        "in a relationship with an older man",
    ),
    (
        "He has been associating with older males.",
        "RELATIONSHIP_WITH_ABUSER",
        "associating with older males",
    ),
    ("She consented to sex.", "CONSENT_OF_CHILD", "consented to sex"),
    ("She agreed to meet him at the park.", "CONSENT_OF_CHILD", "She agreed to meet"),
    ("The girl consented to it.", "CONSENT_OF_CHILD", "girl consented to it"),
    ("She agreed to have sex with him.", "CONSENT_OF_CHILD", "agreed to have sex"),
    ("It was a consensual relationship.", "CONSENT_OF_CHILD", "consensual relationship"),
    ("She was a willing participant.", "CONSENT_OF_CHILD", "willing participant"),
    ("She went willingly.", "CONSENT_OF_CHILD", "went willingly"),
    ("Child pornography was found on the laptop.", "CHILD_PORNOGRAPHY", "Child pornography"),
    ("He downloaded child porn.", "CHILD_PORNOGRAPHY", "child porn"),
    ("She is promiscuous.", "BLAMING_BEHAVIOUR", "promiscuous"),
    ("Ongoing risk-taking behaviour.", "BLAMING_BEHAVIOUR", "risk-taking behaviour"),
    ("Risk taking behaviours noted.", "BLAMING_BEHAVIOUR", "Risk taking behaviours"),
    ("It is a lifestyle choice.", "BLAMING_BEHAVIOUR", "lifestyle choice"),
    ("She has chosen this lifestyle.", "BLAMING_BEHAVIOUR", "chosen this lifestyle"),
    ("She was asking for it.", "BLAMING_BEHAVIOUR", "asking for it"),
]

NOT_FLAGGED: list[str] = [
    "She may have been groomed.",
    "She is a sexually exploited child.",
    "This is child sexual exploitation.",
    "Adults have been contacting the child online.",
    "She was sexually abused by an adult.",
    "She is a victim of sexual exploitation.",
    "He is being groomed by an older man.",
    "Indecent images of children were found.",
    "Child sexual abuse material was found on the laptop.",
    "Her vulnerability to exploitation has increased.",
    "Offence: sexual activity with a child (s.9 Sexual Offences Act 2003).",
    "Offence: causing or inciting a child to engage in sexual activity.",
    "A child cannot consent to sex.",
    "She did not consent to any of it.",
    "She didn't consent to sex.",
    "She never consented to sexual activity.",
    "Children are unable to consent to their own abuse.",
    "She is not sexually active.",
    "This is not a lifestyle choice.",
    "Exploitation is never a lifestyle choice.",
    "He consented to a search of his room.",
    "She agreed to give a video-recorded interview.",
    "She consented to the medical examination.",
    "Officers put the risk assessment on the file.",
    "The suspect put her at risk.",
    "He placed the phone on the table.",
    "The boyfriend of her mother attended.",
    "She was at risk of exploitation.",
    "The suspect contacted her on Snapchat.",
    "Officers contacted the adults named in the referral.",
    "She had sex education at school.",
    "Her mother's partner, aged 40, was present.",
    "The prostitution offences were charged against the adult.",
    "He received a pornography warning at work.",
    "Referral to the sexual exploitation team made.",
    "She was involved in a road traffic collision.",
    "He was exposed to domestic abuse at home.",
    "Risk assessment taken; behaviour plan agreed.",
    "The team agreed to meet on Monday.",
    "She is 14 and lives with her grandmother.",
    "A promise was made to the child.",
    "Self-harm risk reviewed by CAMHS.",
]


@pytest.mark.parametrize(("sentence", "rule", "phrase"), FLAGGED, ids=[f[0] for f in FLAGGED])
def test_flagged(sentence: str, rule: str, phrase: str) -> None:
    found = check_text(sentence)
    assert [(f.rule, f.phrase, f.voice) for f in found] == [(rule, phrase, Voice.OFFICER)]
    assert found[0].why and found[0].instead and found[0].source


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_not_flagged(sentence: str) -> None:
    assert check_text(sentence) == []


def test_the_tables_are_large_enough() -> None:
    assert len(FLAGGED) >= 40 and len(NOT_FLAGGED) >= 40
    assert {rule for _, rule, _ in FLAGGED} == {r.id for r in default_pack().rules}


QUOTED = [
    ('He told officers "she consented to it".', "CONSENT_OF_CHILD"),
    (
        "The suspect said: “she was my girlfriend, she wanted it, she is promiscuous”.",
        "BLAMING_BEHAVIOUR",
    ),
    ("Witness A: ‘she was putting herself at risk every weekend’.", "PUTTING_THEMSELVES_AT_RISK"),
    ('In interview he said "it was a consensual relationship".', "CONSENT_OF_CHILD"),
]


@pytest.mark.parametrize(("sentence", "rule"), QUOTED)
def test_quoted_speech_is_evidence_flagged_apart(sentence: str, rule: str) -> None:
    found = check_text(sentence)
    assert [(f.rule, f.voice) for f in found] == [(rule, Voice.QUOTED)]
    assert found[0].advice.startswith("quoted speech")


def test_officer_words_beside_a_quotation_stay_the_officers() -> None:
    text = 'He said "she agreed to meet". She is putting herself at risk.'
    found = check_text(text)
    assert [(f.rule, f.voice) for f in found] == [
        ("CONSENT_OF_CHILD", Voice.QUOTED),
        ("PUTTING_THEMSELVES_AT_RISK", Voice.OFFICER),
    ]


def test_an_apostrophe_does_not_open_or_close_a_quotation() -> None:
    assert quoted_spans("She didn’t say. It’s her older boyfriend.") == []
    found = check_text("It’s her older boyfriend’s car.")
    assert [f.voice for f in found] == [Voice.OFFICER]


def test_a_stray_quote_mark_stops_at_the_paragraph() -> None:
    text = 'He said "she was fine.\n\nShe is putting herself at risk."'
    assert [f.voice for f in check_text(text)] == [Voice.OFFICER]


def test_line_and_column_of_each_finding() -> None:
    text = "Line one is fine.\nShe was a child prostitute.\n\n  Child porn found."
    found = check_text(text)
    assert [(f.line, f.column, f.phrase) for f in found] == [
        (2, 11, "child prostitute"),
        (4, 3, "Child porn"),
    ]
    assert text[found[0].start : found[0].end] == "child prostitute"


def test_counts_by_rule_for_the_data_quality_report() -> None:
    texts = [
        "She is putting herself at risk. She put herself at risk again.",
        'He said "she consented to it".',
        "Nothing to see here.",
    ]
    counts = {c.rule: c for c in counts_by_rule(texts)}
    assert set(counts) == {r.id for r in default_pack().rules}
    at_risk = counts["PUTTING_THEMSELVES_AT_RISK"]
    assert (at_risk.officer, at_risk.texts) == (2, 1)
    assert (counts["CONSENT_OF_CHILD"].officer, counts["CONSENT_OF_CHILD"].quoted) == (0, 1)
    assert counts["CHILD_PORNOGRAPHY"].total == 0


BAD_PACKS = [
    ("version: '1'\nsource: s\nrules: []\n", "rules"),
    (
        "version: '1'\nsource: s\nrules:\n  - id: lower\n    title: t\n    why: w\n    instead: i\n"
        "    source: s\n    patterns: [a]\n",
        "rules.0.id",
    ),
    (
        "version: '1'\nsource: s\nrules:\n  - id: RULE_A\n    title: t\n    why: w\n"
        "    instead: i\n    source: s\n    patterns: ['~nope it']\n",
        "unknown verb '~nope'",
    ),
    (
        "version: '1'\nsource: s\nrules:\n  - id: RULE_A\n    title: t\n    why: w\n"
        "    source: s\n    patterns: [a]\n",
        "rules.0.instead",
    ),
    ("version: [\n", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "named"), BAD_PACKS)
def test_a_bad_rule_pack_is_refused_naming_the_field(text: str, named: str) -> None:
    with pytest.raises(LanguagePackError, match=named.replace(".", r"\.").replace("~", ".")):
        parse_pack(text, "pack.yaml")


def test_the_packaged_pack_has_a_version_and_a_source_per_rule() -> None:
    pack = default_pack()
    assert pack.version and pack.source
    assert all(r.source and r.why and r.instead for r in pack.rules)
