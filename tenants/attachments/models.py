"""Files attached to records (signed agreements, photos), stored in the database.

A file belongs to the institution that stored it. A file of a shared record (the signed document
of an agreement of several parties) names the record's party set in `party_set_id`: the parties
read it too (`PartySetShared`, platform/tenancy/sharing.py); with no party set only the owner does.
"""
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Uuid, func
from sqlalchemy.orm import Mapped, deferred, mapped_column

from regionet.platform.db_types import Timestamp
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped
from regionet.platform.tenancy.sharing import PartySetShared


class Attachment(PartySetShared, TenantScoped, db.Model):
    __tablename__ = "attachments"
    __url_arg__ = "attachment_id"
    __party_set__ = "party_set_id"

    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    party_set_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
