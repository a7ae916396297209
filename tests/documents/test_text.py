"""Text, Markdown and HTML readers: offsets of text files are the file's characters, unchanged."""

from __future__ import annotations

import pytest

from casework.documents import ReadOptions, html_to_text, read_bytes
from casework.errors import UnreadableDocument

OPTIONS = ReadOptions(ocr=False)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("plain ascii\nline two\n", "a.txt"),
        ("Zoë Brontë met Łukasz in Kraków – “quoted” 😀 after\n", "b.txt"),
        ("windows\r\nline endings\r\n\r\nkept\r\n", "c.txt"),
        ("\ufeffstarts with a byte order mark", "d.txt"),
        ("# Heading\n\n* list item with **bold**\n", "notes.md"),
        ("  leading and trailing spaces  \n\n\n", "e.txt"),
    ],
)
def test_text_is_the_file_decoded_unchanged(content: str, name: str) -> None:
    data = content.encode("utf-8")
    (document,) = read_bytes(data, name, options=OPTIONS)
    assert document.text == content
    assert document.pages[0].start == 0 and document.pages[0].end == len(content)
    assert document.warnings == ()
    assert document.format == ("markdown" if name.endswith(".md") else "text")
    # Offsets into the text are offsets into the decoded file.
    needle = content.strip().split()[-1]
    assert data.decode("utf-8").index(needle) == document.text.index(needle)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_is_decoded_by_its_byte_order_mark(encoding: str) -> None:
    content = "\ufeffStatement of Mrs Jane Doe, 07700 900123.\n"
    (document,) = read_bytes(content.encode(encoding), "wide.txt", options=OPTIONS)
    assert document.text == content
    assert document.warnings == ()
    assert document.text.index("Jane Doe") == content.index("Jane Doe")


def test_wide_text_without_extension_is_read() -> None:
    content = "\ufeffStatement of Mrs Jane Doe.\n"
    (document,) = read_bytes(content.encode("utf-16-le"), "STATEMENT", options=OPTIONS)
    assert document.text == content


def test_a_text_file_that_is_mostly_nul_bytes_is_refused() -> None:
    data = "Statement of Mrs Jane Doe.".encode("utf-16-le")  # no byte order mark
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, "statement.txt", options=OPTIONS)
    assert "NUL" in caught.value.reason


def test_non_utf8_falls_back_to_cp1252_with_a_warning() -> None:
    data = "Café costs £5 – “so”".encode("cp1252")
    (document,) = read_bytes(data, "old.txt", options=OPTIONS)
    assert document.text == "Café costs £5 – “so”"
    assert document.warnings == ("not valid utf-8; decoded as cp1252",)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    data = b"abc \x81\x8d def \xe9"
    (document,) = read_bytes(data, "odd.txt", options=OPTIONS)
    assert document.text == data.decode("latin-1")
    assert "latin-1" in document.warnings[0]


def test_empty_text_file_is_an_empty_document() -> None:
    (document,) = read_bytes(b"", "empty.txt", options=OPTIONS)
    assert document.text == "" and document.page_count == 1


def test_file_without_extension_is_read_as_text_when_it_looks_like_text() -> None:
    (document,) = read_bytes(b"Just a note about the case.", "README", options=OPTIONS)
    assert document.text == "Just a note about the case."


HTML = """<!DOCTYPE html>
<html><head><title>Incident log</title>
<style>p { color: red }</style><script>var secret = "not shown";</script></head>
<body>
  <h1>Incident   at  the
  address</h1>
  <p>Caller: <b>Jane Doe</b> &amp; neighbour&nbsp;said &lt;help&gt;.</p>
  <table><tr><td>Name</td><td>John Smith</td></tr></table>
  <noscript>enable js</noscript>
  <ul><li>first</li><li>second<br>line</li></ul>
</body></html>"""


def test_html_keeps_visible_text_and_drops_scripts_and_styles() -> None:
    (document,) = read_bytes(HTML.encode(), "log.html", options=OPTIONS)
    assert document.format == "html"
    assert document.text == (
        "Incident log\n"
        "Incident at the address\n"
        "Caller: Jane Doe & neighbour\u00a0said <help>.\n"
        "Name\tJohn Smith\n"
        "first\n"
        "second\n"
        "line"
    )
    assert "secret" not in document.text and "color" not in document.text
    assert "enable js" not in document.text


def test_html_is_recognised_by_content_without_extension() -> None:
    (document,) = read_bytes(HTML.encode(), "download", options=OPTIONS)
    assert document.format == "html"


def test_html_declared_charset_is_honoured() -> None:
    markup = '<html><head><meta charset="windows-1252"></head><body><p>Café £5</p></body></html>'
    (document,) = read_bytes(markup.encode("cp1252"), "page.htm", options=OPTIONS)
    assert document.text == "Café £5"
    assert document.warnings == ()


def test_html_to_text_handles_unclosed_tags() -> None:
    assert html_to_text("<p>one<p>two<div>three") == "one\ntwo\nthree"
