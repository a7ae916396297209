"""PDQ perceptual hashes: compute them from images, and find known hashes within a distance.

PDQ (Meta, open source) is a 256-bit hash written as 64 hex characters, with a quality
from 0 to 100; two images match when their hashes differ in 31 bits or fewer, and
low-quality hashes are not matched. Hashes are computed by the ``pdqhash`` package (MIT,
wrapping Meta's BSD reference implementation).
Hex is Meta's own form (``Hash256.toHexString``: bit 255 first), which ``pdqhash``'s
bit vector already follows, so lists exchanged with other PDQ users match as they are.

``PdqIndex`` is an exact multi-index hash: the 256 bits are cut into 16 chunks of 16 bits.
If two hashes differ in at most 31 bits, by pigeonhole at least one chunk differs in at
most 1 bit (16 chunks x 2 bits = 32 > 31). So the candidates of a query are the hashes
whose chunk equals the query's chunk or one of its 16 one-bit neighbours, in any chunk;
each candidate is then checked with a popcount. No match within the distance is missed,
and the results equal a brute-force scan (``brute_force_matches``; see bench/pdq.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from casework.errors import InvalidInput, UnreadableDocument

MATCH_DISTANCE = 31
"""Hamming distance at or under which two PDQ hashes are a match (Meta's threshold)."""
MIN_QUALITY = 50
"""Hashes of lower quality (flat or tiny images) are not matched (Meta's recommendation)."""
HEX_CHARS = 64
CHUNKS = 16
CHUNK_BITS = 16
_FLIPS = np.array([0] + [1 << b for b in range(CHUNK_BITS)], dtype=np.uint16)

Words = NDArray[np.uint64]


def parse_pdq(value: str, field: str = "pdq") -> bytes:
    """A PDQ hash from its 64 hex characters (errors name ``field``)."""
    text = value.strip().lower()
    if len(text) != HEX_CHARS or any(c not in "0123456789abcdef" for c in text):
        raise InvalidInput(f"{field}: a PDQ hash is {HEX_CHARS} hex characters, got {value!r}")
    return bytes.fromhex(text)


def to_words(hashes: Sequence[bytes]) -> Words:
    """Hashes (32 bytes each) as an (n, 4) array of big-endian 64-bit words."""
    if not hashes:
        return np.zeros((0, 4), dtype=np.uint64)
    raw = np.frombuffer(b"".join(hashes), dtype=">u8").reshape(len(hashes), 4)
    return raw.astype(np.uint64)


def distances(query: Words, known: Words) -> NDArray[np.int64]:
    """Hamming distances from one query (4 words) to every known hash."""
    counts = np.bitwise_count(np.bitwise_xor(known, query.reshape(1, 4)))
    total: NDArray[np.int64] = counts.sum(axis=1, dtype=np.int64)
    return total


def brute_force_matches(
    queries: Words, known: Words, max_distance: int = MATCH_DISTANCE
) -> list[list[tuple[int, int]]]:
    """The baseline: for each query, every (known index, distance) within ``max_distance``.

    A full scan, kept as fast as NumPy allows (one contiguous column per word, popcounts
    added in 8 bits), so that the index is measured against a fair baseline.
    """
    columns = [np.ascontiguousarray(known[:, i]) for i in range(4)]
    found = []
    for query in queries:
        d = np.bitwise_count(np.bitwise_xor(columns[0], query[0]))
        for i in range(1, 4):
            d += np.bitwise_count(np.bitwise_xor(columns[i], query[i]))
        hits = np.flatnonzero(d <= max_distance)
        found.append([(int(i), int(d[i])) for i in hits])
    return found


@dataclass(frozen=True, slots=True)
class PdqMatch:
    """A known hash within the match distance of a query."""

    index: int
    """Position of the known hash in the list the index was built from."""
    distance: int


class PdqIndex:
    """An exact index of known PDQ hashes for matches within ``MATCH_DISTANCE`` bits."""

    BATCH = 256
    """Queries looked up together (bounds the memory of their candidate pairs)."""

    def __init__(self, hashes: Sequence[bytes]) -> None:
        self.words = to_words(hashes)
        self._columns = [np.ascontiguousarray(self.words[:, i]) for i in range(4)]
        count = len(hashes)
        joined = b"".join(hashes)
        chunks = np.frombuffer(joined, dtype=">u2").reshape(-1, CHUNKS).astype(np.int64)
        buckets = 1 << CHUNK_BITS
        # one sorted run per chunk, laid end to end: chunk j's bucket v holds the indexes
        # order[starts[j, v]:starts[j, v + 1]]
        self._order = np.empty(CHUNKS * count, dtype=np.int64)
        self._starts = np.empty((CHUNKS, buckets + 1), dtype=np.int64)
        for j in range(CHUNKS):
            column = chunks[:, j]
            self._order[j * count : (j + 1) * count] = np.argsort(column, kind="stable")
            self._starts[j, 0] = j * count
            np.cumsum(np.bincount(column, minlength=buckets), out=self._starts[j, 1:])
            self._starts[j, 1:] += j * count

    def __len__(self) -> int:
        return int(self.words.shape[0])

    def _pairs(self, queries: Sequence[bytes]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(query, known) candidate pairs: within one bit of each other in some chunk."""
        q = np.frombuffer(b"".join(queries), dtype=">u2").reshape(-1, CHUNKS).astype(np.int64)
        keys = np.bitwise_xor(q[:, :, None], _FLIPS.astype(np.int64)[None, None, :])
        rows = np.arange(CHUNKS)[None, :, None]
        lo = self._starts[rows, keys].ravel()
        hi = self._starts[rows, keys + 1].ravel()
        lengths = hi - lo
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ends = np.cumsum(lengths)
        positions = np.arange(total, dtype=np.int64) + np.repeat(lo - (ends - lengths), lengths)
        known = self._order[positions]
        per_query = lengths.reshape(len(queries), -1).sum(axis=1)
        query = np.repeat(np.arange(len(queries), dtype=np.int64), per_query)
        return query, known  # a pair found in several chunks repeats: see search_many

    def search_many(
        self, queries: Sequence[bytes], max_distance: int = MATCH_DISTANCE
    ) -> list[list[PdqMatch]]:
        """For each query, every known hash within ``max_distance`` (at most 31), by index."""
        if max_distance > 2 * CHUNKS - 1:
            raise ValueError(f"the index is exact up to {2 * CHUNKS - 1} bits")
        results: list[list[PdqMatch]] = [[] for _ in queries]
        if not len(self):
            return results
        for first in range(0, len(queries), self.BATCH):
            batch = queries[first : first + self.BATCH]
            query, known = self._pairs(batch)
            mine = to_words(batch)
            d = np.zeros(query.size, dtype=np.int64)
            for word in range(4):  # word by word, dropping pairs already too far apart
                xor = np.bitwise_xor(self._columns[word][known], mine[query, word])
                d += np.bitwise_count(xor)
                near = np.flatnonzero(d <= max_distance)
                query, known, d = query[near], known[near], d[near]
            seen: set[tuple[int, int]] = set()
            for i in range(query.size):
                pair = (first + int(query[i]), int(known[i]))
                if pair not in seen:
                    seen.add(pair)
                    results[pair[0]].append(PdqMatch(pair[1], int(d[i])))
        return results

    def search(self, query: bytes, max_distance: int = MATCH_DISTANCE) -> list[PdqMatch]:
        """Every known hash within ``max_distance`` (at most 31) of ``query``, by index."""
        return self.search_many([query], max_distance)[0]


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """The exact and perceptual hashes of one image file."""

    md5: str
    sha1: str
    pdq: str
    quality: int


def hash_image(path: Path) -> ImageHashes:
    """MD5, SHA-1 and PDQ (with its quality) of an image file."""
    import pdqhash  # the C++ extension is loaded only when images are hashed
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGB"))
    except FileNotFoundError as error:
        raise UnreadableDocument(str(path), "no such file") from error
    except (UnidentifiedImageError, OSError) as error:
        raise UnreadableDocument(str(path), f"not an image Pillow can read ({error})") from error
    bits, quality = pdqhash.compute(pixels)
    packed = np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes()
    return ImageHashes(
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
        sha1=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        pdq=packed.hex(),
        quality=int(quality),
    )
