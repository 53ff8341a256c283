"""Whether an agreement is in force, expired or not yet in force on a day, in Python and in SQL.

The status is never stored: it changes with the calendar. The list filter and the
home-page panel use the SQL forms, the pages the Python ones; both say the same.
"""
import enum
from datetime import date, timedelta

from sqlalchemy import and_, or_

from .models import Agreement

EXPIRY_WARNING_DAYS = 60


class AgreementStatus(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    FUTURE = "future"


def status_on(agreement: Agreement, day: date) -> AgreementStatus:
    if agreement.valid_from > day:
        return AgreementStatus.FUTURE
    if agreement.valid_to is not None and agreement.valid_to < day:
        return AgreementStatus.EXPIRED
    return AgreementStatus.VALID


def days_left(agreement: Agreement, day: date) -> int | None:
    """Days until the agreement ends when it is in force and ends within the warning period."""
    if agreement.valid_to is None or status_on(agreement, day) is not AgreementStatus.VALID:
        return None
    left = (agreement.valid_to - day).days
    return left if left <= EXPIRY_WARNING_DAYS else None


def status_clause(status: AgreementStatus, day: date):
    if status is AgreementStatus.FUTURE:
        return Agreement.valid_from > day
    if status is AgreementStatus.EXPIRED:
        return Agreement.valid_to < day
    return and_(Agreement.valid_from <= day, or_(Agreement.valid_to.is_(None), Agreement.valid_to >= day))


def expiring_clause(day: date, within_days: int = EXPIRY_WARNING_DAYS):
    """In force today and ending within `within_days` days (the last day included)."""
    return and_(Agreement.valid_from <= day, Agreement.valid_to >= day,
                Agreement.valid_to <= day + timedelta(days=within_days))
