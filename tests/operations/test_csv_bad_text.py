"""CSV text the csv module cannot read is bad input naming the file, never a crash."""

from __future__ import annotations

import pytest

from casework.errors import InvalidInput
from casework.operations.templates import read_csv

HUGE_FIELD = "force,knives_removed\n" + "x" * 200_000 + ",1\n"


def test_a_return_file_over_the_field_limit_is_bad_input() -> None:
    with pytest.raises(InvalidInput, match=r"returns\.csv: not readable as CSV"):
        read_csv(HUGE_FIELD, source="returns.csv")

