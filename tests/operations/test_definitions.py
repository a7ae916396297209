"""Operations as data, the force table, validation of returns, templates: pure, no storage."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from casework.errors import InvalidInput
from casework.operations.definitions import find_operation, parse_operation, shipped_operations
from casework.operations.dictionary import CASE_MODELS, case_fields, data_dictionary
from casework.operations.forces import all_forces, find_force, force_table
from casework.operations.returns import RawReturn, validate_return
from casework.operations.templates import csv_template, read_csv, read_xlsx, xlsx_template

SCEPTRE = find_operation("sceptre-2023-11")


def test_both_examples_ship_and_validate() -> None:
    names = {op.name for op in shipped_operations()}
    assert names == {"sceptre-2023-11", "county-lines-2023"}
    lines = find_operation("county-lines-2023")
    assert lines.measure("knife_arrests" if False else "cannabis_kg").part_of == "drugs_class_b_kg"
    assert SCEPTRE.measure("knife_arrests").part_of == "arrests"
    assert SCEPTRE.measure("knives_surrendered_or_recovered").sum_of == (
        "knives_surrendered",
        "knives_recovered",
    )
    keys = {m.key for m in SCEPTRE.measures} | {m.key for m in lines.measures}
    for wanted in (
        "cash_seized_gbp",
        "firearms_seized",
        "bladed_weapons_seized",
        "lines_closed",
        "vulnerable_safeguarded",
        "nrm_referrals",
        "test_purchase_failures",
        "parcel_interceptions",
        "drugs_class_a_kg",
    ):
        assert wanted in keys


def test_the_43_forces_with_their_sources() -> None:
    forces = all_forces()
    assert len(forces) == 43
    assert find_force("Dyfed-Powys").code == "DP"
    assert find_force("wy").area == "West Yorkshire"
    assert find_force("Metropolitan Police Service").code == "MPS"
    assert "British Transport" not in " ".join(f.name for f in forces)
    table = force_table()
    sources = {s.id: s for s in table.population_sources}
    assert sources["ons-mye-2019"].year == 2019 and "ONS" in sources["ons-mye-2019"].source
    assert sources["census-2021"].year == 2021 and "TS009" in sources["census-2021"].source
    # every force has a figure with its basis; Wales (no mid-year estimate offline) on Census 2021
    welsh = {f.code: f.population for f in forces if f.country == "Wales"}
    assert welsh == {"DP": 515_905, "GWE": 587_655, "NWP": 686_893, "SWP": 1_317_036}
    assert sum(welsh.values()) == 3_107_489  # the 22 unitary authorities of Census 2021
    assert all(f.population_source == "census-2021" for f in forces if f.country == "Wales")
    assert all(f.population_source == "ons-mye-2019" for f in forces if f.country == "England")
    basis = table.population_basis()
    assert "Dyfed-Powys" in basis and "39 force areas" in basis


BAD_YAML = [
    ("schema: casework.operation/1\nname: x", "title"),
    (
        "schema: casework.operation/1\nname: op-a\ntitle: Op A\nseries: op-a\nstarts: 2024-01-07\n"
        "ends: 2024-01-01\nmeasures:\n - {key: a, label: A, type: count, unit: x, "
        "definition: a long enough text, part_of: b}\n",
        "ends",
    ),
    (
        "schema: casework.operation/1\nname: op-a\ntitle: Op A\nseries: op-a\nstarts: 2024-01-01\n"
        "ends: 2024-01-07\nmeasures:\n - {key: a, label: A, type: count, unit: x, "
        "definition: a long enough text, part_of: b}\n",
        "part_of: no measure 'b'",
    ),
    ("- just a list", "expected a mapping"),
]


@pytest.mark.parametrize(("text", "said"), BAD_YAML)
def test_a_bad_definition_names_the_field(text: str, said: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_operation(text, source="op.yaml")
    assert "op.yaml" in str(error.value) and said in str(error.value)


def _problems(raw: RawReturn) -> list[str]:
    result = validate_return(SCEPTRE, raw)
    assert isinstance(result, list)
    return [str(p) for p in result]


@pytest.mark.parametrize(
    ("values", "force", "period", "expected"),
    [
        ({"arrests": "lots"}, "WY", None, "arrests: 'lots' is not a whole number"),
        ({"arrests": -3}, "WY", None, "arrests: -3 is negative"),
        ({"arrests": 2.5}, "WY", None, "arrests: 2.5 is not a whole number"),
        (
            {"arrests": 5, "knife_arrests": 9},
            "WY",
            None,
            "knife_arrests: Knife-related arrests (9) is more than Arrests (5)",
        ),
        (
            {"knives_removed": 10, "knives_surrendered": 8, "knives_recovered": 5},
            "WY",
            None,
            "knives_surrendered_or_recovered: Knives surrendered or recovered (13) is more than",
        ),
        ({"arrests": 1}, "Atlantis", None, "force: 'Atlantis' is an unknown force"),
        ({"arrests": 1}, "WY", "2023-11-20", "period_to: 2023-11-20 is outside the operation"),
        ({"bananas": 1}, "WY", None, "bananas: 'bananas' is not a measure of sceptre-2023-11"),
        ({"engagement_total": 4}, "WY", None, "is worked out from"),
    ],
)
def test_validation_names_the_field_and_problem(
    values: dict[str, object], force: str, period: str | None, expected: str
) -> None:
    raw = RawReturn(force=force, values=values, period_to=period)
    assert any(expected in p for p in _problems(raw)), _problems(raw)


def test_a_good_return_passes_and_blanks_are_not_zero() -> None:
    result = validate_return(
        SCEPTRE, RawReturn(force="West Yorkshire", values={"arrests": "1,204", "knife_arrests": ""})
    )
    assert not isinstance(result, list)
    assert result.force.code == "WY" and result.values == {"arrests": 1204.0}


def test_xlsx_template_round_trip_names_cells() -> None:
    data = xlsx_template(SCEPTRE, force="West Yorkshire")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Return"]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    sheet.cell(rows["arrests"], 3, 5)
    sheet.cell(rows["knife_arrests"], 3, 7)
    sheet.cell(rows["stop_searches"], 3, "n/a")
    out = io.BytesIO()
    book.save(out)
    problems = _problems(read_xlsx(out.getvalue(), source="wy.xlsx"))
    assert f"sheet Return cell C{rows['stop_searches']} (Stop and searches): 'n/a' is not" in (
        " ".join(problems)
    )
    assert any(f"cell C{rows['knife_arrests']}" in p and "more than" in p for p in problems)


@pytest.mark.parametrize("data", [b"PK\x03\x04garbage", b"not a zip at all"])
def test_a_fake_xlsx_is_bad_input_naming_the_file(data: bytes) -> None:
    with pytest.raises(InvalidInput, match=r"^fake\.xlsx: not an XLSX workbook"):
        read_xlsx(data, source="fake.xlsx")


def test_an_xlsx_with_too_many_rows_is_bad_input_naming_the_file() -> None:
    book = load_workbook(io.BytesIO(xlsx_template(SCEPTRE, force="West Yorkshire")))
    sheet = book["Return"]
    sheet.protection.sheet = False
    for row in range(sheet.max_row + 1, 600):
        sheet.cell(row, 1, f"extra_{row}")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput, match=r"^big\.xlsx: sheet 'Return' has more than 500 rows"):
        read_xlsx(out.getvalue(), source="big.xlsx")


def test_csv_template_has_every_force_and_reads_back() -> None:
    text = csv_template(SCEPTRE)
    assert text.count("\n") == 44
    filled = "force,arrests,knife_arrests\nWY,4,2\nGMP,x,1\n"
    raws = read_csv(filled, source="f.csv")
    assert [str(p) for p in validate_return(SCEPTRE, raws[1])] == [  # type: ignore[union-attr]
        "row 3, column arrests: 'x' is not a whole number (arrests)"
    ]


def test_the_dictionary_has_every_measure_and_every_case_field_with_a_meaning() -> None:
    entries = data_dictionary(list(shipped_operations()))
    names = {e.name for e in entries}
    assert {m.key for m in SCEPTRE.measures} <= names
    fields = case_fields()
    assert len(fields) == sum(len(m.model_fields) for m in CASE_MODELS)
    assert [f.name for f in fields if not f.meaning] == []


def test_returns_are_submitted_for_your_own_force_or_by_the_coordinator() -> None:
    from uuid import uuid4

    from casework.security.policy import ForceResource, can
    from casework.security.principal import Principal
    from casework.security.roles import Action, UserRole

    def who(role: UserRole) -> Principal:
        return Principal(uuid4(), role.value, role.value.upper(), role, "WY")

    for action in (Action.OPS_SUBMIT, Action.LINES_MANAGE):
        assert can(who(UserRole.SUPERVISOR), action, ForceResource("WY"))
        assert not can(who(UserRole.SUPERVISOR), action, ForceResource("GMP"))
        assert not can(who(UserRole.ANALYST), action, ForceResource("WY"))  # aggregates only
        assert can(who(UserRole.COORDINATOR), action, ForceResource("GMP"))
        assert not can(who(UserRole.INVESTIGATOR), action, ForceResource("WY"))
