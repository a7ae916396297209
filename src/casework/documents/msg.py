"""Outlook MSG reader: MAPI properties read straight from the OLE compound file.

A .msg file is a compound file (CFB) whose streams are MAPI properties, named
``__substg1.0_IIIITTTT`` (property id and type in hex) for variable-size values and packed
in ``__properties_version1.0`` for fixed-size ones. Recipients and attachments are
sub-storages with the same layout. We parse this ourselves on top of olefile (BSD) because
the usual library, extract-msg, is GPL. An attached e-mail (an embedded message) is turned
into an RFC 822 message so that the e-mail reader reads it, attachments and all.
"""

from __future__ import annotations

import codecs
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import ClassVar

import olefile

from casework.documents.base import Member, ReadFailure, ReadOptions, extension_of
from casework.documents.mail import message_text, unique_name
from casework.documents.text import html_to_text
from casework.domain.document import Document, Page
from casework.errors import UnreadableDocument

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

PT_LONG = 0x0003
PT_BOOLEAN = 0x000B
PT_OBJECT = 0x000D
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102

SUBJECT = 0x0037
CLIENT_SUBMIT_TIME = 0x0039
SENT_REPRESENTING_NAME = 0x0042
SENT_REPRESENTING_EMAIL = 0x0065
SENDER_NAME = 0x0C1A
SENDER_EMAIL = 0x0C1F
SENDER_SMTP = 0x5D01
RECIPIENT_TYPE = 0x0C15
DISPLAY_CC = 0x0E03
DISPLAY_TO = 0x0E04
DELIVERY_TIME = 0x0E06
BODY = 0x1000
RTF_COMPRESSED = 0x1009
BODY_HTML = 0x1013
DISPLAY_NAME = 0x3001
EMAIL_ADDRESS = 0x3003
SMTP_ADDRESS = 0x39FE
ATTACH_DATA = 0x3701
ATTACH_FILENAME = 0x3704
ATTACH_LONG_FILENAME = 0x3707
INTERNET_CPID = 0x3FDE
MESSAGE_CODEPAGE = 0x3FFD

_PROPS_STREAM = "__properties_version1.0"
_RECIP_PREFIX = "__recip_version1.0_"
_ATTACH_PREFIX = "__attach_version1.0_"
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_TO, _CC = 1, 2


def _codec(codepage: int | None) -> str:
    """Return a Python codec for a Windows code page, cp1252 when unknown."""
    names = {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 1200: "utf-16-le"}
    name = names.get(codepage or 0, f"cp{codepage}")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


@dataclass(slots=True)
class _Storage:
    """The properties of one storage: the message itself, a recipient, an attachment."""

    ole: olefile.OleFileIO
    path: list[str]
    header: int
    codec: str = "cp1252"

    def _children(self) -> list[list[str]]:
        depth = len(self.path)
        return [
            entry[depth:]
            for entry in self.ole.listdir(streams=True, storages=True)
            if entry[:depth] == self.path and len(entry) > depth
        ]

    def _stream(self, name: str) -> bytes | None:
        path = [*self.path, name]
        joined = "/".join(path)
        if self.ole.exists(joined) and self.ole.get_type(joined) == olefile.STGTY_STREAM:
            data: bytes = self.ole.openstream(path).read()
            return data
        return None

    def raw(self, prop: int, kind: int) -> bytes | None:
        return self._stream(f"__substg1.0_{prop:04X}{kind:04X}")

    def text(self, prop: int) -> str:
        """Return a string property, stored as UTF-16 or in the message's code page."""
        data = self.raw(prop, PT_UNICODE)
        if data is not None:
            return data.decode("utf-16-le", errors="replace").rstrip("\x00")
        data = self.raw(prop, PT_STRING8)
        if data is not None:
            return data.decode(self.codec, errors="replace").rstrip("\x00")
        return ""

    def binary(self, prop: int) -> bytes | None:
        return self.raw(prop, PT_BINARY)

    def fixed(self) -> dict[int, tuple[int, bytes]]:
        """Return the fixed-size properties: id -> (type, 8 value bytes)."""
        data = self._stream(_PROPS_STREAM) or b""
        found: dict[int, tuple[int, bytes]] = {}
        for offset in range(self.header, len(data) - 15, 16):
            kind, prop = struct.unpack_from("<HH", data, offset)
            found[prop] = (kind, data[offset + 8 : offset + 16])
        return found

    def long(self, prop: int) -> int | None:
        value = self.fixed().get(prop)
        if value is None or value[0] != PT_LONG:
            return None
        number: int = struct.unpack_from("<i", value[1])[0]
        return number

    def time(self, prop: int) -> datetime | None:
        value = self.fixed().get(prop)
        if value is None or value[0] != PT_SYSTIME:
            return None
        ticks: int = struct.unpack_from("<Q", value[1])[0]
        if not ticks:
            return None
        try:
            return _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
        except OverflowError:
            return None

    def substorages(self, prefix: str) -> list[_Storage]:
        names = sorted({c[0] for c in self._children() if len(c) > 1 and c[0].startswith(prefix)})
        return [_Storage(self.ole, [*self.path, n], header=8, codec=self.codec) for n in names]

    def child(self, name: str, header: int) -> _Storage:
        return _Storage(self.ole, [*self.path, name], header=header, codec=self.codec)


@dataclass(frozen=True, slots=True)
class _Message:
    """What a reader needs of an Outlook message."""

    sender: str
    to: str
    cc: str
    subject: str
    date: datetime | None
    body: str
    html: bool
    warnings: tuple[str, ...]


def _address(name: str, email: str) -> str:
    if name and email and name != email:
        return f"{name} <{email}>"
    return name or email


def _message(storage: _Storage) -> _Message:
    codepage = storage.long(MESSAGE_CODEPAGE) or storage.long(INTERNET_CPID)
    storage.codec = _codec(codepage)
    sender = _address(
        storage.text(SENDER_NAME) or storage.text(SENT_REPRESENTING_NAME),
        storage.text(SENDER_SMTP) or storage.text(SENDER_EMAIL)
        or storage.text(SENT_REPRESENTING_EMAIL),
    )
    to: list[str] = []
    cc: list[str] = []
    for recipient in storage.substorages(_RECIP_PREFIX):
        who = _address(recipient.text(DISPLAY_NAME),
                       recipient.text(SMTP_ADDRESS) or recipient.text(EMAIL_ADDRESS))
        if who:
            (cc if recipient.long(RECIPIENT_TYPE) == _CC else to).append(who)
    warnings: list[str] = []
    body, html = storage.text(BODY), False
    if not body.strip():
        markup = storage.binary(BODY_HTML)
        html_text = (markup.decode(storage.codec, errors="replace") if markup is not None
                     else storage.text(BODY_HTML))
        if html_text.strip():
            body, html = html_to_text(html_text), True
        elif storage.binary(RTF_COMPRESSED) is not None:
            warnings.append("the body is stored only as compressed RTF, which is not read")
    return _Message(
        sender=sender,
        to="; ".join(to) or storage.text(DISPLAY_TO),
        cc="; ".join(cc) or storage.text(DISPLAY_CC),
        subject=storage.text(SUBJECT),
        date=storage.time(CLIENT_SUBMIT_TIME) or storage.time(DELIVERY_TIME),
        body=body,
        html=html,
        warnings=tuple(warnings),
    )


def _open(data: bytes, source: str) -> tuple[olefile.OleFileIO, _Storage]:
    if not data.startswith(CFB_MAGIC):
        raise UnreadableDocument(source, "not an Outlook message (no compound-file header)")
    try:
        # Refuse malformed allocation tables: by default olefile only logs them, and a FAT
        # that loops lets a stream "declare" gigabytes, read sector by sector into memory.
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise UnreadableDocument(source, f"the Outlook message is corrupt ({exc})") from exc
    if not any(e[0].startswith("__substg1.0_") for e in ole.listdir(streams=True)):
        ole.close()
        raise UnreadableDocument(
            source, "a compound file but not an Outlook message (old .doc/.xls are not read)"
        )
    return ole, _Storage(ole, [], header=32)


def _as_email(storage: _Storage) -> EmailMessage:
    """Turn an embedded Outlook message into an RFC 822 message, attachments included."""
    message = _message(storage)
    mail = EmailMessage()
    for name, value in (("From", message.sender), ("To", message.to), ("Cc", message.cc),
                        ("Subject", message.subject)):
        if value:
            mail[name] = value.replace("\r", " ").replace("\n", " ")
    if message.date is not None:
        mail["Date"] = format_datetime(message.date)
    mail.set_content(message.body)
    for name, data in _attachments(storage, set()):
        if isinstance(data, EmailMessage):
            mail.add_attachment(data, filename=name)
        else:
            mail.add_attachment(data, maintype="application", subtype="octet-stream",
                                filename=name)
    return mail


def _attachments(
    storage: _Storage, taken: set[str]
) -> Iterator[tuple[str, bytes | EmailMessage]]:
    for index, attachment in enumerate(storage.substorages(_ATTACH_PREFIX)):
        name = (attachment.text(ATTACH_LONG_FILENAME) or attachment.text(ATTACH_FILENAME)
                or attachment.text(DISPLAY_NAME) or f"attachment-{index}")
        data = attachment.binary(ATTACH_DATA)
        if data is not None:
            yield unique_name(name, taken), data
            continue
        embedded = attachment.child(f"__substg1.0_{ATTACH_DATA:04X}{PT_OBJECT:04X}", header=24)
        if embedded._children():
            if not name.lower().endswith(".eml"):
                name = f"{name.removesuffix('.msg')}.eml"
            yield unique_name(name, taken), _as_email(embedded)


class MsgReader:
    """Read an Outlook .msg: sender, recipients, subject, date and body; attachments as members."""

    NAME: ClassVar[str] = "msg"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".msg"})

    def bid(self, head: bytes, name: str) -> float:
        ole = head.startswith(CFB_MAGIC)
        if extension_of(name) in self.EXTENSIONS:
            return 1.0 if ole else 0.4
        return 0.2 if ole else 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        ole, storage = _open(data, source)
        with ole:
            message = _message(storage)
        date = format_datetime(message.date) if message.date else ""
        headers = [("From", message.sender), ("To", message.to), ("Cc", message.cc),
                   ("Subject", message.subject), ("Date", date)]
        text = message_text(headers, message.body)
        return [
            Document(
                source=source,
                format="msg",
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                metadata={name.lower(): value for name, value in headers if value},
                warnings=message.warnings,
            )
        ]

    def members(
        self, data: bytes, source: str, options: ReadOptions
    ) -> Iterator[Member | ReadFailure]:
        ole, storage = _open(data, source)
        with ole:
            _message(storage)  # sets the code page used by string properties
            found = list(_attachments(storage, set()))
        for name, payload in found:
            yield Member(name, payload if isinstance(payload, bytes) else payload.as_bytes())
