"""Writes of attachments: store an uploaded document (checked by content), remove one."""
import hashlib

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from regionet.platform.extensions import db
from regionet.platform.validation import ValidationFailed

from .files import DocumentType, detect_document_type, extension_of, safe_file_name
from .models import Attachment


def check_document(upload: FileStorage, max_bytes: int) -> tuple[bytes, DocumentType]:
    """The bytes and the real type of an uploaded document, or a message for the user (ValueError)."""
    data = upload.read(max_bytes + 1)
    if not data:
        raise ValueError(_("The file is empty. Choose the signed document."))
    if len(data) > max_bytes:
        raise ValueError(_("The file is larger than %(limit)s MB. Choose a smaller file.",
                           limit=max_bytes // (1024 * 1024)))
    kind = detect_document_type(data)
    if kind is None:
        raise ValueError(_("This file is not a PDF, DOCX, ODT, JPEG or PNG document: its content was checked, "
                           "not only its name."))
    extension = extension_of(upload.filename or "")
    if extension and extension not in kind.extensions:
        raise ValueError(_("The file is named .%(ext)s but its content is %(kind)s. Rename it or choose the right "
                           "file.", ext=extension, kind=kind.label))
    return data, kind


def do_store_attachment(upload: FileStorage, uploaded_by_id: int | None, max_bytes: int,
                        field_name: str = "document") -> Attachment:
    """A new attachment (added to the session, not committed) from a checked upload."""
    upload.stream.seek(0)
    try:
        data, kind = check_document(upload, max_bytes)
    except ValueError as problem:
        raise ValidationFailed.single(field_name, str(problem)) from None
    attachment = Attachment(
        file_name=safe_file_name(upload.filename, kind), content_type=kind.mimetype, size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=uploaded_by_id)
    db.session.add(attachment)
    return attachment


def do_delete_attachment(attachment: Attachment) -> None:
    db.session.delete(attachment)
