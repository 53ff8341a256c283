"""Files attached to records (signed agreements, photos), stored in the database."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, func
from sqlalchemy.orm import Mapped, deferred, mapped_column

from regionet.platform.db_types import Timestamp
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped


class Attachment(TenantScoped, db.Model):
    __tablename__ = "attachments"
    __url_arg__ = "attachment_id"

    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
