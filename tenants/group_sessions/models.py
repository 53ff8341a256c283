"""Group sessions: one meeting of an instrument (a KIS workshop, a CIS class) and who attended.

Each attendance owns the attendee's support episode (one day, the session's hours and topic),
so the project's indicators and the coordinator's figures count group work like any support.
"""
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Instrument, SupportEpisode


class GroupSession(TenantScoped, db.Model):
    __tablename__ = "group_sessions"
    __url_arg__ = "group_session_id"
    __audited__ = True
    __table_args__ = (
        tenant_foreign_key("project_id", "projects", ondelete="RESTRICT"),
        CheckConstraint("hours > 0", name="hours_positive"),
        Index("ix_group_sessions_tenant_project_day", "tenant_id", "project_id", "held_on"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, "group_session_instrument"))
    held_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    place: Mapped[str | None] = mapped_column(String(200))
    instructor: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    project: Mapped[Project] = relationship(lazy="joined")
    attendance = relationship("SessionAttendance", back_populates="session", cascade="all, delete-orphan",
                              overlaps="enrolment,episode")


class SessionAttendance(TenantScoped, db.Model):
    """One person at one session; the episode is theirs and goes with the attendance."""

    __tablename__ = "group_session_attendance"
    __table_args__ = (
        tenant_foreign_key("group_session_id", "group_sessions", ondelete="CASCADE"),
        tenant_foreign_key("enrolment_id", "enrolments", ondelete="CASCADE"),
        # An episode deleted from the enrolment's page takes the attendance with it.
        tenant_foreign_key("episode_id", "support_episodes", ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "group_session_id", "enrolment_id", name="uq_attendance_once_per_session"),
        UniqueConstraint("tenant_id", "episode_id", name="uq_attendance_episode"),
        Index("ix_group_session_attendance_enrolment", "tenant_id", "enrolment_id"),
    )

    group_session_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    episode_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)

    session: Mapped[GroupSession] = relationship(back_populates="attendance", overlaps="enrolment,episode")
    enrolment: Mapped[Enrolment] = relationship(lazy="joined", overlaps="session,episode,attendance")
    episode: Mapped[SupportEpisode] = relationship(lazy="joined", overlaps="session,enrolment,attendance")
