"""Registration marks: current marks alone, older forms only with vehicle words."""

from __future__ import annotations

import pytest

from casework.detection.recognizers.vehicles import UkVehicleRegRecognizer
from tests.detection.conftest import found

MARKS = [
    ("a grey car AB12 CDE parked", ["AB12 CDE"]),
    ("AB12CDE", ["AB12CDE"]),
    ("YX68 ZZA", ["YX68 ZZA"]),
    ("LT51 KFN", ["LT51 KFN"]),
    ("registration A123 BCD", ["A123 BCD"]),
    ("the vehicle, ABC 123D, drove off", ["ABC 123D"]),
    ("number plate ABC 123", ["ABC 123"]),
    ("Previous marks: J366 ZYR, XDR 62V", ["J366 ZYR", "XDR 62V"]),
    # near-misses
    ("ZZ99 ZZZ", []),  # no memory tag starts with Z
    ("AB99 CDE", []),  # age identifier not issued yet
    ("AB00 CDE", []),
    ("IQ12 ABC", []),
    ("A123 BCD", []),  # prefix form without vehicle words
    ("ABC 123D", []),
    ("the car was seen by PC 1234", []),  # a collar number, not a mark
    ("the car in 2019", []),
    ("SECTION 12 ACT", []),
]


@pytest.mark.parametrize(("text", "expected"), MARKS)
def test_vehicle_reg(text: str, expected: list[str]) -> None:
    assert found(UkVehicleRegRecognizer(), text) == expected
