"""Invitations to join an institution's staff (the institution's own rows, under row-level security)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.accounts.models import MembershipRole, User
from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped


class StaffInvitation(TenantScoped, db.Model):
    """An e-mailed, single-use, expiring link that makes its holder a member with `role`."""

    __tablename__ = "staff_invitations"
    __url_arg__ = "invitation_id"
    __table_args__ = (Index("ix_staff_invitations_token_hash", "token_hash", unique=True),)

    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[MembershipRole] = mapped_column(str_enum(MembershipRole, "invitation_role", 10))
    token_hash: Mapped[str] = mapped_column(String(64))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp())
    expires_at: Mapped[datetime] = mapped_column(Timestamp())
    accepted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp())

    inviter: Mapped[User | None] = relationship(foreign_keys=[invited_by], lazy="joined")
