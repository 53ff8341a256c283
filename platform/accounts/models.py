"""People who sign in, and where they may act."""
import enum
from datetime import datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Index, String, false, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import Timestamp
from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import Region


class MembershipRole(enum.StrEnum):
    ADMIN = "admin"        # manages the institution's users and settings
    STAFF = "staff"        # records and edits the institution's work
    READONLY = "readonly"  # reads only
    IOD = "iod"            # data-protection officer: the access trail and the requests, no files

    @property
    def can_write(self) -> bool:
        return self not in (MembershipRole.READONLY, MembershipRole.IOD)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")
    coordinated_regions: Mapped[list["RegionCoordinator"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    # Set on the instance when it is signed in or loaded from a cookie (user_sessions.py): the
    # cookie names a server-side session, never the user alone.
    session_cookie_id: ClassVar[str | None] = None
    current_session: ClassVar["UserSession | None"] = None

    def get_id(self) -> str:
        if not self.session_cookie_id:
            raise RuntimeError("a user is signed in through user_sessions.sign_in only")
        return self.session_cookie_id

    @property
    def is_active(self) -> bool:
        return self.is_enabled

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
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    # Suspended by the institution's administrator: the membership stays, entering does not work.
    suspended_at: Mapped[datetime | None] = mapped_column(Timestamp())
    # Sees special-category answers (disability, origin, homelessness...): the admin decides.
    special_categories: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="memberships")
    institution: Mapped[Institution] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.suspended_at is None and self.institution.is_active


class RegionCoordinator(db.Model):
    """A regional coordinator (ROPS) belongs to a region, not to an institution."""

    __tablename__ = "region_coordinators"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.teryt_code", ondelete="CASCADE"),
                                             primary_key=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    user: Mapped[User] = relationship(back_populates="coordinated_regions")
    region: Mapped[Region] = relationship(lazy="joined")


class SessionEnd(enum.StrEnum):
    """Why a server-side session ended (expiry is not stored: it is read from the times)."""

    SIGNED_OUT = "signed_out"          # the user signed out
    ENDED_BY_USER = "ended_by_user"    # ended from the user's list of sessions
    EVERYWHERE = "everywhere"          # "sign out everywhere"
    PASSWORD_CHANGED = "password"      # a new password ends every other session
    ACCOUNT_CHANGED = "account"        # disabled, suspended, second factor reset, new requirement


class UserSession(db.Model):
    """One signed-in browser. The cookie holds `<id>:<secret>`; only the secret's SHA-256 is stored.

    A session is valid while it has not ended, its absolute lifetime has not passed and it has
    been used within the idle timeout (both configurable, longer for "keep me signed in").
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64))
    remember: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    second_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(Timestamp())
    # Written at most once per SESSION_TOUCH_INTERVAL_SECONDS, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(Timestamp())
    expires_at: Mapped[datetime] = mapped_column(Timestamp())
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ended_at: Mapped[datetime | None] = mapped_column(Timestamp())
    end_reason: Mapped[str | None] = mapped_column(String(20))
