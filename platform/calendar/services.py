"""Writes of the calendar: the operator's deadlines, the users' feeds."""
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import update

from ..accounts.tokens import new_token, token_digest
from ..extensions import db
from .models import CalendarFeed, Frequency, ReportingDeadline


@dataclass
class DeadlineFields:
    form_code: str
    name: str
    reporter_kinds: list[str]
    recipient: str
    frequency: str
    due_month: int | None
    due_day: int | None
    period_note: str | None
    source: str | None
    verified_on: object
    active: bool

    @classmethod
    def from_form(cls, form) -> "DeadlineFields":
        return cls(**{f.name: getattr(form, f.name).data for f in fields(cls)})


def do_save_deadline(deadline: ReportingDeadline | None, values: DeadlineFields) -> ReportingDeadline:
    if deadline is None:
        deadline = ReportingDeadline()
        db.session.add(deadline)
    for field in fields(values):
        value = getattr(values, field.name)
        setattr(deadline, field.name, (value.strip() or None) if isinstance(value, str) else value)
    deadline.form_code, deadline.name = values.form_code.strip(), values.name.strip()
    deadline.recipient = values.recipient.strip()
    deadline.frequency = Frequency(values.frequency)
    if deadline.frequency is Frequency.MONTHLY:
        deadline.due_month = None
    deadline.active = bool(values.active)
    db.session.flush()
    return deadline


def do_create_feed(user_id: int) -> str:
    """A new secret feed address for the user; the previous one stops working. Returns the token."""
    do_revoke_feeds(user_id)
    token, digest = new_token()
    db.session.add(CalendarFeed(user_id=user_id, token_hash=digest))
    db.session.flush()
    return token


def do_revoke_feeds(user_id: int) -> None:
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
                       .values(revoked_at=datetime.now(UTC)))


def active_feed(user_id: int) -> CalendarFeed | None:
    return db.session.execute(db.select(CalendarFeed).where(
        CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))).scalar_one_or_none()


def feed_user_id(token: str) -> int | None:
    return db.session.execute(db.select(CalendarFeed.user_id).where(
        CalendarFeed.token_hash == token_digest(token), CalendarFeed.revoked_at.is_(None))).scalar_one_or_none()
