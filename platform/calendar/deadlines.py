"""The days of the statutory reporting deadlines, from their data (models.ReportingDeadline)."""
import calendar
from datetime import date

from sqlalchemy import select

from ..extensions import db
from .models import Frequency, ReportingDeadline


def _day(year: int, month: int, day: int) -> date:
    """The deadline's day in that month, the month's last day when it is shorter (31 -> 30 April)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences(deadline: ReportingDeadline, start: date, end: date) -> list[date]:
    """Every day of `deadline` from `start` to `end` inclusive (none without a confirmed day)."""
    if deadline.due_day is None or not deadline.active:
        return []
    days = []
    for year in range(start.year, end.year + 1):
        months = range(1, 13) if deadline.frequency is Frequency.MONTHLY else [deadline.due_month]
        days += [_day(year, month, deadline.due_day) for month in months]
    return [day for day in days if start <= day <= end]


def deadlines_for_kind(kind: str) -> list[ReportingDeadline]:
    """The active deadlines an institution of `kind` (InstitutionKind value) reports to."""
    return list(db.session.execute(
        select(ReportingDeadline).where(ReportingDeadline.active.is_(True),
                                        ReportingDeadline.reporter_kinds.any(kind))
        .order_by(ReportingDeadline.form_code, ReportingDeadline.id)).scalars())


def all_deadlines() -> list[ReportingDeadline]:
    return list(db.session.execute(select(ReportingDeadline).order_by(
        ReportingDeadline.form_code, ReportingDeadline.id)).scalars())
