"""PDQ: the index finds exactly what a brute-force scan finds; hashes of generated pictures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from casework.errors import InvalidInput, UnreadableDocument
from casework.safeguarding.pdq import (
    MATCH_DISTANCE,
    PdqIndex,
    brute_force_matches,
    hash_image,
    parse_pdq,
    to_words,
)


def _flip(value: bytes, bits: list[int]) -> bytes:
    out = bytearray(value)
    for bit in bits:
        out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_equals_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    known = [rng.bytes(32) for _ in range(5000)]
    queries = [rng.bytes(32) for _ in range(100)]
    for k in range(0, 41):  # both sides of the match distance
        source = known[int(rng.integers(0, len(known)))]
        queries.append(_flip(source, [int(b) for b in rng.choice(256, size=k, replace=False)]))
    index = PdqIndex(known)
    found = [sorted((m.index, m.distance) for m in hits) for hits in index.search_many(queries)]
    assert found == [sorted(hits) for hits in brute_force_matches(to_words(queries), index.words)]
    assert sum(1 for hits in found if hits) >= 32  # every flip of 0..31 bits at least


def test_31_bits_is_a_match_and_32_is_not() -> None:
    base = bytes(range(32))
    index = PdqIndex([base])
    spread = list(range(0, 256, 8))  # one bit in each byte: two per 16-bit chunk
    assert [m.distance for m in index.search(_flip(base, spread[:31]))] == [31]
    assert index.search(_flip(base, spread[:32])) == []
    assert index.search(_flip(base, spread[:31]), max_distance=10) == []
    assert MATCH_DISTANCE == 31


def test_an_empty_index_finds_nothing() -> None:
    assert PdqIndex([]).search(bytes(32)) == []


@pytest.mark.parametrize("bad", ["abc", "g" * 64, "0" * 63, ""])
def test_a_bad_hash_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput, match=r"files\.0\.pdq"):
        parse_pdq(bad, "files.0.pdq")


def _picture(path: Path, seed: int, *, flat: bool = False) -> Path:
    rng = np.random.default_rng(seed)
    if flat:
        image = Image.new("RGB", (128, 128), (120, 120, 120))
    else:
        noise = rng.integers(0, 256, size=(256, 256, 3), dtype=np.uint8)
        image = Image.fromarray(noise // 4 + 96)
        draw = ImageDraw.Draw(image)
        for _ in range(6):
            x, y = (int(v) for v in rng.integers(0, 180, size=2))
            fill = tuple(int(c) for c in rng.integers(0, 256, size=3))
            draw.ellipse((x, y, x + 70, y + 50), fill=fill)
    image.save(path)
    return path


def test_pdq_of_generated_pictures(tmp_path: Path) -> None:
    original = _picture(tmp_path / "a.png", 1)
    with Image.open(original) as image:
        image.convert("RGB").resize((200, 200)).save(tmp_path / "a-small.jpg", quality=85)
    other = _picture(tmp_path / "b.png", 2)
    a, small, b = (hash_image(p) for p in (original, tmp_path / "a-small.jpg", other))
    assert len(a.pdq) == 64 and len(a.md5) == 32 and len(a.sha1) == 40
    assert a.quality >= 50
    index = PdqIndex([parse_pdq(a.pdq)])
    assert [m.index for m in index.search(parse_pdq(small.pdq))] == [0]  # re-encoded copy
    assert index.search(parse_pdq(b.pdq)) == []
    assert a.md5 != small.md5
    flat = hash_image(_picture(tmp_path / "flat.png", 3, flat=True))
    assert flat.quality < 50


def test_a_file_that_is_not_a_picture_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "note.png"
    path.write_text("not a picture")
    with pytest.raises(UnreadableDocument, match=r"note\.png"):
        hash_image(path)
