"""An institution's part in a reporting period: its submission and what happened to it."""
import enum
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.db_types import Timestamp, str_enum
from regionet.platform.extensions import db
from regionet.platform.tenancy import TenantScoped, tenant_foreign_key


class SubmissionStatus(enum.StrEnum):
    OPEN = "open"              # the institution has not submitted yet
    SUBMITTED = "submitted"    # figures frozen, waiting for the coordinator
    RETURNED = "returned"      # sent back with a comment: figures follow the records again
    ACCEPTED = "accepted"      # final: the figures stay as submitted

    @property
    def is_frozen(self) -> bool:
        return self in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class SubmissionAction(enum.StrEnum):
    OPENED = "opened"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class PeriodSubmission(TenantScoped, db.Model):
    __tablename__ = "period_submissions"
    __url_arg__ = "submission_id"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period_id", name="uq_period_submissions_once"),
        Index("ix_period_submissions_period", "period_id", "status"),
    )

    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reporting_periods.id", ondelete="RESTRICT"))
    status: Mapped[SubmissionStatus] = mapped_column(str_enum(SubmissionStatus, "submission_status", 12))
    # The institution's own totals when it submitted (what the coordinator accepted).
    figures: Mapped[dict | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())
    comment: Mapped[str | None] = mapped_column(Text)    # the coordinator's latest comment
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())

    period: Mapped[ReportingPeriod] = relationship(lazy="joined")
    events = relationship("SubmissionEvent", back_populates="submission", cascade="all, delete-orphan",
                          order_by="SubmissionEvent.at")


class SubmissionEvent(TenantScoped, db.Model):
    """Who changed the state of a submission, when, and why."""

    __tablename__ = "submission_events"
    __table_args__ = (
        tenant_foreign_key("submission_id", "period_submissions", ondelete="CASCADE"),
        Index("ix_submission_events_submission", "tenant_id", "submission_id", "at"),
    )

    submission_id: Mapped[uuid.UUID] = mapped_column(db.Uuid)
    action: Mapped[SubmissionAction] = mapped_column(str_enum(SubmissionAction, "submission_action", 12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The name at the time: the record stays readable after an account is removed.
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(20))      # "institution" or "coordinator"
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Timestamp(), default=lambda: datetime.now(UTC),
                                         server_default=func.now())

    submission: Mapped[PeriodSubmission] = relationship(back_populates="events")
