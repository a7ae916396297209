from __future__ import annotations

from pathlib import Path

import pytest

from casework.domain.labels import Label, PartyRole
from casework.errors import InvalidInput
from casework.redaction import Audience, AudienceRegistry, load_audience_file


def test_builtins_are_versioned_with_a_source(registry: AudienceRegistry) -> None:
    assert {"cps", "defence", "public"} <= set(registry.names())
    for audience in registry:
        assert audience.version and audience.rationale and audience.source


def test_cps_keeps_officers_and_drops_victim_address(cps: Audience) -> None:
    assert not cps.removes(Label.PERSON, PartyRole.OFFICER)
    assert cps.removes(Label.ADDRESS, PartyRole.VICTIM)
    assert cps.removes(Label.POSTCODE, PartyRole.VICTIM)
    assert cps.removes(Label.PHONE, PartyRole.VICTIM)
    assert cps.removes(Label.PERSON, None), "a person of unknown role is a third party"
    assert cps.removes(Label.PERSON, PartyRole.OTHER)


@pytest.mark.parametrize("label", list(Label))
@pytest.mark.parametrize("role", [*PartyRole, None])
def test_public_removes_every_label_officers_included(
    public: Audience, label: Label, role: PartyRole | None
) -> None:
    assert public.removes(label, role)


def test_defence_never_gets_a_victim_address(registry: AudienceRegistry) -> None:
    defence = registry.get("defence")
    assert defence.removes(Label.ADDRESS, PartyRole.VICTIM)
    assert defence.removes(Label.PHONE, PartyRole.WITNESS)
    assert not defence.removes(Label.PERSON, PartyRole.OFFICER)


def test_unknown_audience_lists_known_names(registry: AudienceRegistry) -> None:
    with pytest.raises(InvalidInput, match=r"unknown audience .press.*cps, defence, public"):
        registry.get("press")


def test_custom_policy_folder(tmp_path: Path) -> None:
    (tmp_path / "mash.yaml").write_text(
        "name: mash\nversion: '1'\nrationale: multi-agency safeguarding hub\n"
        "source: local information-sharing agreement\ndefault: keep\n"
        "remove: [ADDRESS, POSTCODE, BANK]\n",
        encoding="utf-8",
    )
    registry = AudienceRegistry.with_builtins(tmp_path)
    mash = registry.get("mash")
    assert not mash.removes(Label.PERSON, PartyRole.VICTIM)
    assert mash.removes(Label.BANK, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("keep_roles:\n  PERSON: [officer, janitor]\n", "keep_roles.PERSON"),
        ("remove: [PERSON, SHOE_SIZE]\n", "remove"),
        ("colour: blue\n", "colour"),
        ("default: keep\n", "(file)"),  # keeps addresses, which never leave for victims
        ("keep_roles:\n  ADDRESS: [victim]\n", "(file)"),
    ],
)
def test_malformed_policy_error_names_file_and_field(tmp_path: Path, body: str, field: str) -> None:
    path = tmp_path / "press.yaml"
    path.write_text(f"name: press\nversion: '1'\nrationale: r\nsource: s\n{body}", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_audience_file(path)
    assert str(path) in caught.value.message
    assert f"field '{field}" in caught.value.message


def test_policy_name_must_match_file(tmp_path: Path) -> None:
    path = tmp_path / "press.yaml"
    path.write_text("name: media\nversion: '1'\nrationale: r\nsource: s\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="field 'name'"):
        load_audience_file(path)


def test_registry_refuses_duplicates(registry: AudienceRegistry, cps: Audience) -> None:
    with pytest.raises(InvalidInput, match="already registered"):
        registry.add(cps)
