"""Strip the metadata of pictures inside a package, without touching their pixels.

A photograph carries EXIF (the camera owner's name, a description, GPS), XMP and IPTC
blocks and comments; a PNG carries text chunks. JPEG and PNG are rewritten segment by
segment, keeping only what is needed to draw the picture, so nothing is re-encoded. Any
other binary part cannot be checked and is refused.
"""

from __future__ import annotations

import struct

from casework.errors import UnreadableDocument

_JPEG_KEPT_APP = frozenset({0xE0, 0xEE})
"""JFIF (APP0) and Adobe (APP14, colour transform) say how to decode; other APPn are metadata."""

_PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
     b"sBIT", b"pHYs", b"bKGD", b"hIST", b"acTL", b"fcTL", b"fdAT"}
)
"""Chunks that draw the picture; text (tEXt, zTXt, iTXt), eXIf and tIME are dropped."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class _Malformed(ValueError):
    pass


def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Split a JPEG into (marker, segment bytes) up to the scan, and the scan onwards."""
    if not data.startswith(b"\xff\xd8"):
        raise _Malformed("not a JPEG")
    segments: list[tuple[int, bytes]] = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise _Malformed("bad marker")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            return segments, data[pos:]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            segments.append((marker, data[pos : pos + 2]))
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise _Malformed("segment runs past the end")
        segments.append((marker, data[pos:end]))
        pos = end
    raise _Malformed("no image data")


def _jpeg_metadata(marker: int) -> bool:
    return (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APP) or marker == 0xFE


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_PNG_SIGNATURE):
        raise _Malformed("not a PNG")
    chunks: list[tuple[bytes, bytes]] = []
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise _Malformed("chunk runs past the end")
        chunks.append((kind, data[pos:end]))
        pos = end
        if kind == b"IEND":
            return chunks
    raise _Malformed("no end chunk")


def strip_image_metadata(data: bytes, name: str, source: str) -> bytes:
    """Return a JPEG or PNG without its metadata; refuse any other binary part.

    Raises ``UnreadableDocument`` naming the part: a binary part that is not a picture
    this code can clean may hold anything, and must not be released unchecked.
    """
    try:
        if data.startswith(b"\xff\xd8"):
            segments, scan = _jpeg_segments(data)
            kept = b"".join(seg for marker, seg in segments if not _jpeg_metadata(marker))
            return b"\xff\xd8" + kept + scan
        if data.startswith(_PNG_SIGNATURE):
            chunks = _png_chunks(data)
            return _PNG_SIGNATURE + b"".join(c for kind, c in chunks if kind in _PNG_KEPT)
    except (_Malformed, struct.error) as exc:
        raise UnreadableDocument(source, f"the picture {name} is damaged ({exc})") from exc
    raise UnreadableDocument(
        source,
        f"the part {name} is not XML or a JPEG or PNG picture, so it cannot be checked for "
        "personal data; convert it (pictures to PNG or JPEG) or remove it, then redact again",
    )


def image_is_clean(data: bytes) -> bool:
    """Say whether ``data`` is a JPEG or PNG without metadata (what the writer leaves)."""
    try:
        if data.startswith(b"\xff\xd8"):
            segments, _scan = _jpeg_segments(data)
            return not any(_jpeg_metadata(marker) for marker, _ in segments)
        if data.startswith(_PNG_SIGNATURE):
            return all(kind in _PNG_KEPT for kind, _ in _png_chunks(data))
    except (_Malformed, struct.error):
        return False
    return False
