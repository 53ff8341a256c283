"""Uploaded documents are recognised by their content, not by their name (no database needed)."""
import pytest

from regionet.tenants.attachments.files import DOCX, JPEG, ODT, PDF, PNG, detect_document_type, safe_file_name

from .documents import EXECUTABLE, HTML, docx_bytes, image_bytes, odt_bytes, pdf_bytes, plain_zip_bytes


@pytest.mark.parametrize(("make", "expected"), [
    (pdf_bytes, PDF),
    (lambda: image_bytes("JPEG"), JPEG),
    (lambda: image_bytes("PNG"), PNG),
    (docx_bytes, DOCX),
    (lambda: docx_bytes(extra_entries_first=6), DOCX),  # word/ beyond the entries a signature scan reads
    (odt_bytes, ODT),
])
def test_allowed_documents_are_recognised_by_content(make, expected):
    assert detect_document_type(make()) is expected


@pytest.mark.parametrize("data", [
    EXECUTABLE, HTML, b"", b"%PD", plain_zip_bytes(), image_bytes("GIF"),
    odt_bytes("application/vnd.oasis.opendocument.spreadsheet"),  # a spreadsheet, not a text document
    b"PK\x03\x04" + b"\x00" * 100,  # a zip signature and nothing behind it
], ids=["exe", "html", "empty", "truncated-pdf", "zip", "gif", "ods", "broken-zip"])
def test_other_content_is_refused_whatever_the_name(data):
    assert detect_document_type(data) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("Porozumienie MOPS–PUP 2026.pdf", "Porozumienie MOPS–PUP 2026.pdf"),
    ("C:\\Users\\anna\\Pulpit\\umowa.pdf", "umowa.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ('umowa"; filename=evil.html.pdf', "umowa_; filename=evil.html.pdf"),
    ("zał\r\nSet-Cookie: x.pdf", "zał_Set-Cookie_ x.pdf"),
    ("skan", "skan.pdf"),
    ("", "dokument.pdf"),
    ("....pdf", "dokument.pdf"),
])
def test_file_names_lose_paths_and_unsafe_characters_but_keep_polish_letters(raw, expected):
    assert safe_file_name(raw, PDF) == expected


def test_a_long_name_is_shortened_and_keeps_its_extension():
    name = safe_file_name("a" * 400 + ".docx", DOCX)
    assert len(name) <= 200 and name.endswith(".docx")
