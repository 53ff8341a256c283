"""Tenant-scoped reads of attachments."""
import uuid

from sqlalchemy.orm import undefer

from regionet.platform.tenancy import get_for_tenant_or_404

from .models import Attachment


def access_attachment(attachment_id: uuid.UUID, with_data: bool = False) -> Attachment:
    options = (undefer(Attachment.data),) if with_data else ()
    return get_for_tenant_or_404(Attachment, attachment_id, *options)
