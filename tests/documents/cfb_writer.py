"""A small writer of compound files (CFB v3) and of minimal Outlook MSG files, for tests only.

Outlook messages are compound files, and no permissively licensed library writes them, so
the tests build their own: storages and streams in, bytes out. Streams under 4096 bytes
go in the mini stream as the format requires; directory trees are balanced and all black.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

Tree = dict[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN


def _sort_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def _flatten(tree: Tree) -> list[_Entry]:
    entries = [_Entry("Root Entry", 5)]

    def add(parent: int, items: Tree) -> None:
        for name, value in items.items():
            index = len(entries)
            if isinstance(value, dict):
                entries.append(_Entry(name, 1))
                entries[parent].children.append(index)
                add(index, value)
            else:
                entries.append(_Entry(name, 2, data=value))
                entries[parent].children.append(index)

    add(0, tree)
    for entry in entries:
        ordered = sorted(entry.children, key=lambda i: _sort_key(entries[i].name))
        entry.child = _balance(entries, ordered)
    return entries


def _balance(entries: list[_Entry], ordered: Sequence[int]) -> int:
    """Link ``ordered`` siblings as a balanced binary search tree; return its root."""
    if not ordered:
        return NOSTREAM
    middle = len(ordered) // 2
    root = ordered[middle]
    entries[root].left = _balance(entries, ordered[:middle])
    entries[root].right = _balance(entries, ordered[middle + 1 :])
    return root


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def write_cfb(tree: Tree) -> bytes:
    """Return a compound file holding ``tree`` (name -> bytes for a stream, dict for a storage)."""
    entries = _flatten(tree)
    mini_stream = bytearray()
    mini_fat: list[int] = []
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != 2 or not entry.data:
            continue
        if len(entry.data) < MINI_CUTOFF:
            first = len(mini_fat)
            count = _sectors(len(entry.data), MINI_SECTOR)
            mini_fat.extend(range(first + 1, first + count))
            mini_fat.append(ENDOFCHAIN)
            entry.start = first
            mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\x00")
        else:
            big.append(entry)

    dir_count = _sectors(len(entries) * 128, SECTOR)
    minifat_count = _sectors(len(mini_fat) * 4, SECTOR)
    ministream_count = _sectors(len(mini_stream), SECTOR)
    big_counts = [_sectors(len(e.data), SECTOR) for e in big]
    others = dir_count + minifat_count + ministream_count + sum(big_counts)
    fat_count = 1
    while fat_count * (SECTOR // 4) < fat_count + others:
        fat_count += 1
    assert fat_count <= 109, "this writer keeps the FAT in the header's DIFAT"

    fat: list[int] = [FATSECT] * fat_count
    body = bytearray()

    def chain(count: int) -> int:
        first = len(fat)
        fat.extend(range(first + 1, first + count))
        fat.append(ENDOFCHAIN)
        return first

    dir_start = chain(dir_count)
    minifat_start = chain(minifat_count) if minifat_count else ENDOFCHAIN
    if ministream_count:
        entries[0].start = chain(ministream_count)
    for entry, count in zip(big, big_counts, strict=True):
        entry.start = chain(count)
    fat.extend([FREESECT] * (fat_count * (SECTOR // 4) - len(fat)))

    body += struct.pack(f"<{len(fat)}I", *fat)
    directory = bytearray()
    for index, entry in enumerate(entries):
        name = entry.name.encode("utf-16-le") + b"\x00\x00"
        assert len(name) <= 64, f"name too long: {entry.name}"
        size = len(mini_stream) if index == 0 else len(entry.data)
        directory += name.ljust(64, b"\x00")
        directory += struct.pack("<HBB3I", len(name), entry.kind, 1, entry.left, entry.right,
                                 entry.child)
        directory += bytes(16) + bytes(4) + bytes(16)
        directory += struct.pack("<IQ", entry.start if size else ENDOFCHAIN, size)
    for _ in range(dir_count * SECTOR // 128 - len(entries)):
        directory += bytes(64) + struct.pack("<HBB3I", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM)
        directory += bytes(36) + struct.pack("<IQ", 0, 0)
    body += directory
    body += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(minifat_count * SECTOR, b"\xff")
    body += bytes(mini_stream).ljust(ministream_count * SECTOR, b"\x00")
    for entry, count in zip(big, big_counts, strict=True):
        body += entry.data.ljust(count * SECTOR, b"\x00")

    difat = list(range(fat_count)) + [FREESECT] * (109 - fat_count)
    header = MAGIC + bytes(16) + struct.pack(
        "<HHHHH6sIIIIIIIII",
        0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, fat_count, dir_start, 0, MINI_CUTOFF,
        minifat_start, minifat_count, ENDOFCHAIN, 0,
    ) + struct.pack("<109I", *difat)
    assert len(header) == SECTOR
    return header + bytes(body)


# --- Outlook messages -------------------------------------------------------------------

PT_LONG = 0x0003
PT_OBJECT = 0x000D
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102


@dataclass
class MsgAttachment:
    """A file attached to a test message, or an embedded message when ``message`` is set."""

    name: str
    data: bytes = b""
    message: Msg | None = None


@dataclass
class Msg:
    """The parts of an Outlook message that the tests set."""

    subject: str = ""
    sender_name: str = ""
    sender_email: str = ""
    to: list[tuple[str, str]] = field(default_factory=list)
    cc: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    html: bytes | None = None
    sent: datetime | None = None
    attachments: list[MsgAttachment] = field(default_factory=list)
    unicode: bool = True
    codepage: int = 1252


def _string(tree: Tree, prop: int, value: str, unicode: bool, codepage: int) -> None:
    if unicode:
        tree[f"__substg1.0_{prop:04X}{PT_UNICODE:04X}"] = value.encode("utf-16-le")
    else:
        tree[f"__substg1.0_{prop:04X}{PT_STRING8:04X}"] = value.encode(f"cp{codepage}")


def _fixed(header: int, values: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(header)
    for prop, kind, value in values:
        out += struct.pack("<HHI", kind, prop, 6) + value.ljust(8, b"\x00")
    return bytes(out)


def _filetime(moment: datetime) -> bytes:
    delta = moment - datetime(1601, 1, 1, tzinfo=UTC)
    ticks = (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10
    return struct.pack("<Q", ticks)


def _message_tree(msg: Msg, header: int) -> Tree:
    tree: Tree = {}
    u, cp = msg.unicode, msg.codepage
    fixed: list[tuple[int, int, bytes]] = [(0x3FFD, PT_LONG, struct.pack("<i", cp))]
    if msg.subject:
        _string(tree, 0x0037, msg.subject, u, cp)
    if msg.sender_name:
        _string(tree, 0x0C1A, msg.sender_name, u, cp)
    if msg.sender_email:
        _string(tree, 0x5D01, msg.sender_email, u, cp)
    if msg.body is not None:
        _string(tree, 0x1000, msg.body, u, cp)
    if msg.html is not None:
        tree[f"__substg1.0_1013{PT_BINARY:04X}"] = msg.html
    if msg.sent is not None:
        fixed.append((0x0039, PT_SYSTIME, _filetime(msg.sent)))
    recipients = [(n, e, 1) for n, e in msg.to] + [(n, e, 2) for n, e in msg.cc]
    for index, (name, address, kind) in enumerate(recipients):
        recip: Tree = {"__properties_version1.0": _fixed(8, [(0x0C15, PT_LONG,
                                                              struct.pack("<i", kind))])}
        _string(recip, 0x3001, name, u, cp)
        _string(recip, 0x39FE, address, u, cp)
        tree[f"__recip_version1.0_#{index:08X}"] = recip
    for index, attachment in enumerate(msg.attachments):
        attach: Tree = {"__properties_version1.0": _fixed(8, [])}
        _string(attach, 0x3707, attachment.name, u, cp)
        if attachment.message is not None:
            attach[f"__substg1.0_3701{PT_OBJECT:04X}"] = _message_tree(attachment.message, 24)
        else:
            attach[f"__substg1.0_3701{PT_BINARY:04X}"] = attachment.data
        tree[f"__attach_version1.0_#{index:08X}"] = attach
    tree["__properties_version1.0"] = _fixed(header, fixed)
    tree["__nameid_version1.0"] = {"__substg1.0_00020102": b"", "__substg1.0_00030102": b""}
    return tree


def write_msg(msg: Msg) -> bytes:
    """Return the bytes of an Outlook .msg holding ``msg``."""
    return write_cfb(_message_tree(msg, 32))
