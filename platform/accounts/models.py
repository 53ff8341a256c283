"""People who sign in, and where they may act."""
import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, String, false, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import Region


class MembershipRole(enum.StrEnum):
    ADMIN = "admin"        # manages the institution's users and settings
    STAFF = "staff"        # records and edits the institution's work
    READONLY = "readonly"  # reads only

    @property
    def can_write(self) -> bool:
        return self is not MembershipRole.READONLY


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    # Part of the login cookie: changing it (password change, disabling) ends every session.
    session_token: Mapped[str] = mapped_column(String(64), default=_new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")
    coordinated_regions: Mapped[list["RegionCoordinator"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def rotate_session_token(self) -> None:
        self.session_token = _new_session_token()

    def membership_in(self, institution_id: int) -> "Membership | None":
        return next((m for m in self.memberships if m.institution_id == institution_id), None)

    def coordinates(self, region_code: str) -> bool:
        return any(c.region_code == region_code for c in self.coordinated_regions)


class Membership(db.Model):
    """A user's role in one institution. One person may belong to several."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[MembershipRole] = mapped_column(
        Enum(MembershipRole, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e],
             validate_strings=True, create_constraint=True, name="membership_role"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(back_populates="memberships")
    institution: Mapped[Institution] = relationship(lazy="joined")


class RegionCoordinator(db.Model):
    """A regional coordinator (ROPS) belongs to a region, not to an institution."""

    __tablename__ = "region_coordinators"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code", ondelete="CASCADE"),
                                             primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(back_populates="coordinated_regions")
    region: Mapped[Region] = relationship(lazy="joined")
