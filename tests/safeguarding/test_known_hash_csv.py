"""A known-hash list the csv module cannot read is bad input naming the file, never a crash."""

from __future__ import annotations

import pytest

from casework.errors import InvalidInput
from casework.safeguarding.referrals import parse_known_hashes


def test_a_known_hash_list_over_the_field_limit_is_bad_input() -> None:
    text = "kind,value\n" + "x" * 200_000 + ",1\n"
    with pytest.raises(InvalidInput, match=r"hashes\.csv: not readable as CSV"):
        parse_known_hashes(text, list_name="test", source="hashes.csv")
