"""The statutory reporting calendar as data, and the users' calendar feeds.

`ReportingDeadline` is one report an institution type owes (form, reporter types, recipient, how
often, the deadline's month and day, what period it covers), with the source it was taken from and
the day someone last checked it against the law: dates drift (MRPiPS-03's yearly deadline was
20 January in 2017 and 9 February for 2023), so the operator corrects them on
/operator/deadlines instead of a release. A deadline without a day is listed as "to be confirmed"
and is not put on a day of the calendar.

`CalendarFeed` is a user's secret ICS address (only its SHA-256 is stored); a new one or a
revocation ends the previous one.
"""
import enum
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import Timestamp, str_enum
from ..extensions import db


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    YEARLY = "yearly"


class ReportingDeadline(db.Model):
    __tablename__ = "reporting_deadlines"
    __table_args__ = (
        CheckConstraint("due_day IS NULL OR due_day BETWEEN 1 AND 31", name="ck_reporting_deadlines_day"),
        CheckConstraint("due_month IS NULL OR due_month BETWEEN 1 AND 12", name="ck_reporting_deadlines_month"),
        CheckConstraint("frequency = 'monthly' OR due_day IS NULL OR due_month IS NOT NULL",
                        name="ck_reporting_deadlines_yearly_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(250))
    reporter_kinds: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    recipient: Mapped[str] = mapped_column(String(250))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "reporting_deadline_frequency", 10))
    due_month: Mapped[int | None] = mapped_column(SmallInteger)
    due_day: Mapped[int | None] = mapped_column(SmallInteger)
    period_note: Mapped[str | None] = mapped_column(String(250))
    source: Mapped[str | None] = mapped_column(Text)
    verified_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now(),
                                                 onupdate=func.now())


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp())
