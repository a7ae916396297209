"""E-mail (EML) reader: headers and body as text; attachments are read as further documents."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage, Message
from typing import ClassVar

from casework.documents.base import Member, ReadFailure, ReadOptions, extension_of
from casework.documents.text import decode_text, html_to_text
from casework.domain.document import Document, Page
from casework.errors import UnreadableDocument

HEADERS = ("From", "To", "Cc", "Subject", "Date")
_MAIL_STARTS = (
    b"from:", b"to:", b"subject:", b"date:", b"received:", b"return-path:", b"message-id:",
    b"mime-version:", b"delivered-to:", b"x-", b"reply-to:", b"cc:", b"content-type:",
)


def message_text(headers: list[tuple[str, str]], body: str) -> str:
    """Lay out a message for reading: one ``Name: value`` line per header, a blank line, body."""
    lines = [f"{name}: {value}" for name, value in headers if value]
    return "\n".join(lines) + "\n\n" + body if lines else body


def unique_name(name: str, taken: set[str]) -> str:
    """Return ``name``, or ``name (2)`` and so on, so two attachments never share a source."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
    taken.add(candidate)
    return candidate


def _part_text(part: Message) -> str:
    """Decode a text part using its declared charset, falling back like text files do."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    return decode_text(payload, encoding=charset)[0]


def _parse(data: bytes, source: str) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableDocument(source, "not an e-mail message (no headers found)")
    return message


def _is_attachment(part: Message) -> bool:
    if part.is_multipart():
        return False
    if part.get_content_type() == "message/rfc822":
        return True
    return part.get_content_disposition() == "attachment" or (
        part.get_filename() is not None and part.get_content_maintype() != "text"
    )


class EmlReader:
    """Read an RFC 822 e-mail: From, To, Cc, Subject and Date, then the body as plain text."""

    NAME: ClassVar[str] = "eml"
    EXTENSIONS: ClassVar[frozenset[str]] = frozenset({".eml"})

    def bid(self, head: bytes, name: str) -> float:
        if extension_of(name) in self.EXTENSIONS:
            return 0.9
        first = head.lstrip()[:32].lower()
        if first.startswith(_MAIL_STARTS) and b"\x00" not in head:
            return 0.3
        return 0.0

    def read(self, data: bytes, source: str, options: ReadOptions) -> list[Document]:
        message = _parse(data, source)
        headers = [(name, str(message.get(name, "") or "")) for name in HEADERS]
        body = self._body(message)
        text = message_text(headers, body)
        metadata = {name.lower(): value for name, value in headers if value}
        return [
            Document(
                source=source,
                format="eml",
                text=text,
                pages=(Page(1, 0, len(text)),),
                data=data,
                metadata=metadata,
            )
        ]

    def _body(self, message: EmailMessage) -> str:
        """Prefer the plain-text body; else turn the HTML body into text."""
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        text = _part_text(part)
        return html_to_text(text) if part.get_content_subtype() == "html" else text

    def members(
        self, data: bytes, source: str, options: ReadOptions
    ) -> Iterator[Member | ReadFailure]:
        message = _parse(data, source)
        taken: set[str] = set()
        for index, part in enumerate(message.walk()):
            if not _is_attachment(part):
                continue
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                inner_msg = inner[0] if isinstance(inner, list) and inner else inner
                payload = (
                    inner_msg.as_bytes(policy=email.policy.default)
                    if isinstance(inner_msg, Message) else b""
                )
                default = f"attachment-{index}.eml"
            else:
                raw = part.get_payload(decode=True)
                payload = raw if isinstance(raw, bytes) else b""
                default = f"attachment-{index}"
            name = unique_name(part.get_filename() or default, taken)
            yield Member(name, payload)
