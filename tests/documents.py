"""Real little documents of every allowed type (and impostors) for the attachment tests."""
import io
import zipfile

from PIL import Image
from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "Porozumienie o współpracy") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (29, 78, 137)).save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes(extra_entries_first: int = 0) -> bytes:
    """A minimal WordprocessingML package; `extra_entries_first` pushes word/ past the first zip entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        for n in range(extra_entries_first):
            archive.writestr(f"customXml/item{n}.xml", "<x/>" * 500)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as the standard requires
        archive.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("porozumienie.txt", "to nie jest dokument")
    return buffer.getvalue()


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
