"""Every message the platform sends, kept until it is delivered (and after, without a secret body)."""
import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp, str_enum
from ..extensions import db


class MailStatus(enum.StrEnum):
    QUEUED = "queued"      # written; a worker will send it
    RETRYING = "retrying"  # the SMTP server did not take it yet; RQ tries again
    SENT = "sent"
    FAILED = "failed"      # refused for good, or out of retries: the operator can send it again


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # the template's name, e.g. "accounts/password_reset"
    to_address: Mapped[str] = mapped_column(String(254))
    from_address: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    # Cleared once sent when it carries a secret (a sign-in or reset link).
    body_text: Mapped[str | None] = mapped_column(Text)
    contains_secret: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus, "mail_status", 10), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp())
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp())
