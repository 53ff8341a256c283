"""What an uploaded document really is, judged by its content, and a name safe to keep.

The extension and the type the browser claims are only hints: a file is accepted when
its first bytes (and, for the zip-based office formats, its inner structure) say it is
one of the allowed kinds, and when its extension agrees with that.
"""
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype


@dataclass(frozen=True)
class DocumentType:
    mimetype: str
    extensions: tuple[str, ...]
    label: str  # what the user knows it as


PDF = DocumentType("application/pdf", ("pdf",), "PDF")
DOCX = DocumentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "DOCX")
ODT = DocumentType("application/vnd.oasis.opendocument.text", ("odt",), "ODT")
JPEG = DocumentType("image/jpeg", ("jpg", "jpeg"), "JPEG")
PNG = DocumentType("image/png", ("png",), "PNG")

DOCUMENT_TYPES = (PDF, DOCX, ODT, JPEG, PNG)
ALLOWED_EXTENSIONS = tuple(ext for kind in DOCUMENT_TYPES for ext in kind.extensions)
_ZIP_MIMETYPES = {"application/zip", DOCX.mimetype, ODT.mimetype}


def detect_document_type(data: bytes) -> DocumentType | None:
    """The allowed type `data` is, by content; None for anything else (including a renamed file)."""
    guessed = filetype.guess_mime(data[:8192])
    if guessed == PDF.mimetype:
        return PDF
    if guessed == JPEG.mimetype:
        return JPEG
    if guessed == PNG.mimetype:
        return PNG
    if guessed in _ZIP_MIMETYPES:
        # filetype looks at the first zip entries only; the archive's directory is the real answer.
        return _office_document(data)
    return None


def _office_document(data: bytes) -> DocumentType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.mimetype.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):  # RuntimeError: encrypted entries
        return None
    return None


def extension_of(file_name: str) -> str:
    return os.path.splitext(file_name)[1].lower().lstrip(".")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_file_name(raw: str | None, kind: DocumentType) -> str:
    """The user's file name without any path, control or reserved characters, at most 200 characters.

    Polish letters stay (the download sends them encoded per RFC 6266); a name with
    nothing left becomes "dokument.<ext>".
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]  # some browsers send a full path
    name = _UNSAFE.sub("_", name).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() not in kind.extensions:
        stem, ext = name, kind.extensions[0]
    stem = stem.strip(" ._")[:190] or "dokument"
    return f"{stem}.{ext}"
