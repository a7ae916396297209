"""PDQ matching: the multi-index hash against a brute-force NumPy scan, in the same run.

Usage: python bench/pdq.py [DATA_DIR] [--known 1000000] [--queries 10000] [--images 300]

DATA_DIR (default: a temporary folder) holds ``known.hex`` and ``queries.hex`` (one PDQ
hash of 64 hex characters a line); when they are missing they are generated there first:

- ``--images`` synthetic pictures (random shapes on noise; never real material) are drawn
  and hashed with ``pdqhash``; their hashes go into the known list, and edited copies of
  them (noise, a crop, brightness, a resize) are hashed as queries that should match;
- further queries are known hashes with k random bits flipped, k from 0 to 40 (both sides
  of the match distance of 31), and the rest of the known list and the queries are random
  256-bit hashes (the hashes of unrelated pictures are about that far apart).

Then every query is searched in ``PdqIndex`` (``casework.safeguarding.pdq``) and by the
brute-force scan; the results must be identical. Prints both times, queries per second and
the speed-up (target: at least 10x).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

from casework.safeguarding.pdq import (
    MATCH_DISTANCE,
    PdqIndex,
    brute_force_matches,
    to_words,
)


def synthetic_image(rng: np.random.Generator, size: int = 256) -> Image.Image:
    """Random coloured shapes on a noisy background (test pictures only)."""
    noise = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    image = Image.fromarray(noise // 4 + 96)
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(3, 9))):
        x0, y0 = (int(v) for v in rng.integers(0, size - 40, size=2))
        x1, y1 = x0 + int(rng.integers(20, 120)), y0 + int(rng.integers(20, 120))
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        shape = int(rng.integers(0, 3))
        if shape == 0:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif shape == 1:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=colour)
    return image


def edited(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A copy as a platform might re-encode it: noise, crop, brightness or a resize."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        pixels = np.asarray(image).astype(np.int16)
        noisy = pixels + rng.integers(-12, 13, size=pixels.shape)
        return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    if kind == 1:
        w, h = image.size
        return image.crop((6, 6, w - 6, h - 6))
    if kind == 2:
        return ImageEnhance.Brightness(image).enhance(float(rng.uniform(0.8, 1.2)))
    return image.resize((180, 180)).resize(image.size)


def pdq_of(image: Image.Image) -> tuple[bytes, int]:
    import pdqhash

    bits, quality = pdqhash.compute(np.asarray(image.convert("RGB")))
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes(), int(quality)


def flipped(value: bytes, bits: int, rng: np.random.Generator) -> bytes:
    out = bytearray(value)
    for bit in rng.choice(256, size=bits, replace=False):
        out[int(bit) // 8] ^= 1 << (int(bit) % 8)
    return bytes(out)


def generate(folder: Path, *, known: int, queries: int, images: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    known_hashes: list[bytes] = []
    query_hashes: list[bytes] = []
    started = time.perf_counter()
    for _ in range(images):
        picture = synthetic_image(rng)
        value, _quality = pdq_of(picture)
        known_hashes.append(value)
        query_hashes.append(pdq_of(edited(picture, rng))[0])
    print(f"hashed {2 * images} synthetic pictures in {time.perf_counter() - started:.1f} s")
    random_known = rng.integers(0, 256, size=(known - len(known_hashes), 32), dtype=np.uint8)
    known_hashes.extend(row.tobytes() for row in random_known)
    near = min(queries - len(query_hashes), queries // 2)
    for _ in range(near):
        source = known_hashes[int(rng.integers(0, len(known_hashes)))]
        query_hashes.append(flipped(source, int(rng.integers(0, 41)), rng))
    rest = rng.integers(0, 256, size=(queries - len(query_hashes), 32), dtype=np.uint8)
    query_hashes.extend(row.tobytes() for row in rest)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "known.hex").write_text("\n".join(h.hex() for h in known_hashes) + "\n")
    (folder / "queries.hex").write_text("\n".join(h.hex() for h in query_hashes) + "\n")


def read_hashes(path: Path) -> list[bytes]:
    return [bytes.fromhex(line) for line in path.read_text().split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help="folder of known.hex and queries.hex")
    parser.add_argument("--known", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="pdq-bench-"))
    if not (folder / "known.hex").exists() or not (folder / "queries.hex").exists():
        generate(folder, known=args.known, queries=args.queries, images=args.images, seed=args.seed)
    known = read_hashes(folder / "known.hex")
    queries = read_hashes(folder / "queries.hex")
    print(f"{len(known):,} known PDQ hashes, {len(queries):,} queries ({folder})")

    started = time.perf_counter()
    index = PdqIndex(known)
    built = time.perf_counter() - started
    started = time.perf_counter()
    indexed = [sorted((m.index, m.distance) for m in found) for found in index.search_many(queries)]
    index_seconds = time.perf_counter() - started

    started = time.perf_counter()
    brute = brute_force_matches(to_words(queries), index.words)
    brute_seconds = time.perf_counter() - started

    same = indexed == [sorted(found) for found in brute]
    matched = sum(1 for found in brute if found)
    pairs = sum(len(found) for found in brute)
    print(f"matches within {MATCH_DISTANCE} bits: {matched:,} queries, {pairs:,} pairs")
    print(f"index build:  {built:.2f} s")
    print(f"index search: {index_seconds:.2f} s ({len(queries) / index_seconds:,.0f} queries/s)")
    print(f"brute force:  {brute_seconds:.2f} s ({len(queries) / brute_seconds:,.0f} queries/s)")
    print(f"speed-up:     {brute_seconds / index_seconds:.1f}x (target >= 10x)")
    print(f"identical results: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
