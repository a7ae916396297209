"""DOCX content a casual reader never sees is still read, redacted and checked.

Each test builds an adversarial package (python-docx, then XML surgery) hiding a name
where the old reader or writer did not look, and asserts that no part of the released
copy still holds it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import replace

import pytest
from docx import Document as DocxDocument
from PIL import Image

from casework.domain.labels import Label, PartyRole
from casework.errors import LeakDetected, UnreadableDocument
from casework.redaction import Audience, PlaceholderBook, RedactionPlan, plan_redactions
from casework.redaction.docx_writer import redacted_docx
from casework.redaction.verify_docx import verify_docx
from tests.redaction.conftest import Spec, findings_for, read_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAME = "Henrietta Lovelace"
PHONE = "07700 900456"
SPECS: list[Spec] = [(NAME, Label.PERSON, PartyRole.VICTIM), (PHONE, Label.PHONE, None)]


def base(*lines: str, picture: bytes | None = None) -> bytes:
    doc = DocxDocument()
    for line in lines:
        doc.add_paragraph(line)
    if picture is not None:
        doc.add_picture(io.BytesIO(picture))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


Patch = Callable[[str], str]


def patch(
    data: bytes,
    parts: Mapping[str, Patch] | None = None,
    extra: Mapping[str, bytes] | None = None,
    rename: Mapping[str, str] | None = None,
) -> bytes:
    """Return ``data`` with parts edited as text, parts added and parts renamed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if parts and info.filename in parts:
                body = parts[info.filename](body.decode()).encode()
            target.writestr((rename or {}).get(info.filename, info.filename), body)
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def add_rel(kind: str, target: str, rid: str, external: bool = False) -> Patch:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{RELS}/{kind}" Target="{target}"{mode}/>'
    return lambda xml: xml.replace("</Relationships>", rel + "</Relationships>")


def add_override(part: str, content_type: str) -> Patch:
    over = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    return lambda xml: xml.replace("</Types>", over + "</Types>")


def redact(
    data: bytes, audience: Audience, specs: list[Spec] = SPECS
) -> tuple[bytes, RedactionPlan]:
    document = read_docx(data)
    plan = plan_redactions(
        document=document,
        findings=findings_for(document, specs),
        audience=audience,
        book=PlaceholderBook(),
    )
    out = redacted_docx(plan)
    verify_docx(out, plan)
    return out, plan


def everything(data: bytes) -> str:
    """Every part's bytes and its tag-stripped text, as one string (what a snooper gets)."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            raw = package.read(name).decode("latin-1")
            texts += [name, raw, re.sub(r"<[^>]+>", "", raw)]
    return "\n".join(texts)


def assert_gone(data: bytes, *secrets: str) -> None:
    text = everything(data).casefold()
    for secret in secrets:
        assert secret.casefold() not in text, secret


def test_block_content_control_is_read_and_redacted(public: Audience) -> None:
    sdt = (
        '<w:sdt><w:sdtPr><w:alias w:val="Witness name"/></w:sdtPr><w:sdtContent>'
        f"<w:p><w:r><w:t>Witness: Mrs {NAME}, tel {PHONE}</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    data = patch(base("Statement."), {"word/document.xml": lambda x: x.replace(
        "<w:body>", "<w:body>" + sdt, 1)})
    assert NAME in read_docx(data).text
    out, _ = redact(data, public)
    assert_gone(out, NAME, "Lovelace", "900456")


def test_text_box_and_table_cell_split_name_are_redacted(public: Audience) -> None:
    doc = DocxDocument()
    cell = doc.add_table(rows=1, cols=2).cell(0, 1)
    cell.paragraphs[0].text = "Mrs Henrietta"
    cell.add_paragraph("Lovelace")
    buffer = io.BytesIO()
    doc.save(buffer)
    document = read_docx(buffer.getvalue())
    assert "Mrs Henrietta Lovelace" in document.text
    out, _ = redact(buffer.getvalue(), public)
    assert_gone(out, "Henrietta", "Lovelace")


def test_footnotes_and_endnotes_are_read_and_redacted(public: Audience) -> None:
    notes = {}
    patches: dict[str, Patch] = {}
    rels: list[Patch] = []
    types: list[Patch] = []
    for kind, tag, text in (("footnotes", "footnote", NAME), ("endnotes", "endnote", PHONE)):
        notes[f"word/{kind}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w:{kind} xmlns:w="{W_NS}">'
            f'<w:{tag} w:id="1"><w:p><w:r><w:t>Contact {text}</w:t></w:r></w:p></w:{tag}>'
            f"</w:{kind}>"
        ).encode()
        rels.append(add_rel(kind, f"{kind}.xml", f"rId{kind}"))
        types.append(add_override(
            f"word/{kind}.xml",
            f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml",
        ))
    patches["word/_rels/document.xml.rels"] = lambda x: rels[1](rels[0](x))
    patches["[Content_Types].xml"] = lambda x: types[1](types[0](x))
    data = patch(base("See the notes."), patches, notes)
    text = read_docx(data).text
    assert NAME in text and PHONE in text
    out, _ = redact(data, public)
    assert_gone(out, NAME, "Lovelace", "900456")


def test_comments_found_by_relationship_type_are_dropped(public: Audience) -> None:
    comments = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}">'
        '<w:comment w:id="0" w:author="DC Ian Fairweather" w:initials="IF"><w:p><w:r>'
        "<w:t>Check 3 Lark Lane</w:t></w:r></w:p></w:comment></w:comments>"
    )
    data = patch(
        base(f"Statement of {NAME}."),
        {
            "word/_rels/document.xml.rels": add_rel("comments", "notes1.xml", "rIdC"),
            "[Content_Types].xml": add_override(
                "word/notes1.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
            ),
        },
        {"word/notes1.xml": comments.encode()},
    )
    out, _ = redact(data, public)
    assert_gone(out, "Fairweather", "Lark Lane", "notes1.xml")


def test_alt_text_is_read_and_redacted(public: Audience) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    data = patch(
        base("Photograph:", picture=picture.getvalue()),
        {"word/document.xml": lambda x: re.sub(
            r'<wp:docPr id="(\d+)" name="([^"]*)"',
            rf'<wp:docPr id="\1" name="\2" descr="Photo of {NAME}" title="{NAME}"', x)},
    )
    assert f"Photo of {NAME}" in read_docx(data).text
    out, _ = redact(data, public)
    assert_gone(out, NAME, "Lovelace")
    assert "Photo of [PERSON 1]" in everything(out)


@pytest.mark.parametrize(
    ("part", "kind"),
    [("word/embeddings/Microsoft_Word_Document1.docx", None), ("word/afchunk.htm", "aFChunk")],
)
def test_embedded_files_and_alt_chunks_are_refused(
    public: Audience, part: str, kind: str | None
) -> None:
    patches = (
        {"word/_rels/document.xml.rels": add_rel(kind, part.rsplit("/", 1)[1], "rIdX")}
        if kind else {}
    )
    data = patch(base(f"Statement of {NAME}."), patches, {part: f"<p>{NAME}</p>".encode()})
    with pytest.raises(UnreadableDocument) as caught:
        redact(data, public)
    assert "cannot be redacted" in caught.value.reason
    assert NAME not in caught.value.message


def test_picture_metadata_is_stripped(public: Audience) -> None:
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010E] = f"Injury to {NAME}"  # ImageDescription
    jpeg = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(jpeg, "JPEG", exif=exif.tobytes(), comment=NAME)
    data = base(f"Statement of {NAME}.", picture=jpeg.getvalue())
    assert NAME.encode() in data or NAME.encode() in zipfile.ZipFile(io.BytesIO(data)).read(
        next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "media" in n))
    out, _ = redact(data, public)
    assert_gone(out, NAME, "Lovelace")
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert Image.open(io.BytesIO(package.read(media[0]))).size == (16, 16)


def test_main_part_with_an_upper_case_suffix_is_redacted(public: Audience) -> None:
    data = patch(
        base(f"Statement of {NAME}, {PHONE}."),
        {
            "[Content_Types].xml": lambda x: x.replace("/word/document.xml", "/word/document.XML"),
            "_rels/.rels": lambda x: x.replace("word/document.xml", "word/document.XML"),
        },
        rename={"word/document.xml": "word/document.XML"},
    )
    out, _ = redact(data, public)
    assert_gone(out, NAME, "900456")


def test_authors_initials_and_external_links_are_removed(public: Audience) -> None:
    template = "file:///C:/Users/henrietta.lovelace/Templates/Henrietta%20Lovelace%20MG11.dotm"

    def document(xml: str) -> str:
        return xml.replace(
            "<w:r><w:t>Second.</w:t></w:r>",
            '<w:ins w:id="9" w:author="PC Sarah Connor" w:date="2024-01-02T10:00:00Z">'
            '<w:r><w:t>Second.</w:t></w:r></w:ins>',
        )

    settings_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT" '
        f'Type="{RELS}/attachedTemplate" Target="{template}" TargetMode="External"/>'
        "</Relationships>"
    )
    data = patch(
        base(f"Statement of {NAME}.", "Second."),
        {
            "word/document.xml": document,
            "word/settings.xml": lambda x: x.replace(
                "<w:zoom", '<w:attachedTemplate r:id="rIdT"/><w:zoom', 1),
        },
        {"word/_rels/settings.xml.rels": settings_rels.encode()},
    )
    assert "Sarah Connor" in everything(data)
    out, _ = redact(data, public)
    assert_gone(out, NAME, "Sarah Connor", "henrietta.lovelace", "Henrietta%20Lovelace")
    assert "attachedTemplate" not in everything(out)
    DocxDocument(io.BytesIO(out))  # still a valid package


@pytest.mark.parametrize(
    "joiner",
    ["<w:noBreakHyphen/>", "<w:softHyphen/>", "<w:tab/>", "<w:br/>", "<w:cr/>"],
)
def test_inline_characters_inside_a_name_read_the_same_everywhere(
    public: Audience, joiner: str
) -> None:
    """Reader, writer and verifier build one text, so a name joined by them is redacted."""
    data = patch(
        base("Statement of Mrs Mary Jones-Smith taken today."),
        {"word/document.xml": lambda x: x.replace(
            "Jones-Smith", f"Jones</w:t>{joiner}<w:t>Smith")},
    )
    document = read_docx(data)
    value = document.text.split("Mrs ", 1)[1].split(" taken")[0]
    assert value.startswith("Mary Jones") and value.endswith("Smith")
    out, plan = redact(data, public, [(value, Label.PERSON, PartyRole.VICTIM)])
    assert len(plan.redactions) == 1
    assert_gone(out, "Jones", "Smith")
    assert "Statement of Mrs [PERSON 1] taken today." in read_docx(out).text


def _officer_and_neighbour(cps: Audience) -> tuple[bytes, RedactionPlan]:
    """An officer kept for the CPS, and a neighbour of the same name who is removed."""
    data = base(
        "PC 1234 Sarah Connor attended the scene.",
        "I was also told that Sarah Connor from next door saw it.",
    )
    document = read_docx(data)
    first, second = (m.start() for m in re.finditer("Sarah Connor", document.text))
    roles = {first: PartyRole.OFFICER, second: None}  # as the name recognizer reports them
    findings = [
        replace(f, role=roles[f.start])
        for f in findings_for(document, [("Sarah Connor", Label.PERSON, None)])
    ]
    plan = plan_redactions(document=document, findings=findings, audience=cps,
                           book=PlaceholderBook())
    return data, plan


def test_a_removed_mention_reading_like_a_kept_one_is_replaced(cps: Audience) -> None:
    _data, plan = _officer_and_neighbour(cps)
    out = redacted_docx(plan)
    verify_docx(out, plan)
    text = read_docx(out).text
    assert text.count("Sarah Connor") == 1
    assert "PC 1234 Sarah Connor attended" in text
    assert "told that [PERSON 1] from next door" in text


def test_verifier_counts_a_kept_text_against_its_kept_findings(cps: Audience) -> None:
    data, plan = _officer_and_neighbour(cps)
    with pytest.raises(LeakDetected):
        verify_docx(data, plan)  # the unredacted file: two mentions, only one kept


def test_verifier_refuses_a_binary_part_it_cannot_read(public: Audience) -> None:
    data = base(f"Statement of {NAME}.")
    out, plan = redact(data, public)
    sneaky = patch(out, extra={"word/media/blob.bin": b"\x00\x01" + NAME.encode("utf-16-le")})
    with pytest.raises(LeakDetected) as caught:
        verify_docx(sneaky, plan)
    assert "blob.bin" in caught.value.message


def test_verifier_reads_xml_parts_whatever_the_case_of_their_suffix(public: Audience) -> None:
    data = base(f"Statement of {NAME}.")
    out, plan = redact(data, public)
    sneaky = patch(out, extra={"customXml/item9.XML": f"<a>{NAME}</a>".encode()})
    with pytest.raises(LeakDetected):
        verify_docx(sneaky, plan)
