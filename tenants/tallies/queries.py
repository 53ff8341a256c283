"""Reading the tallies (models.py) of the current institution."""
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id

from .models import PARTICIPANTS, RECORDS_VERSION, Tally


def _tally(name: str) -> int:
    # Row-level security scopes the read as well; the tenant condition says what is meant.
    value = db.session.execute(select(Tally.value).where(Tally.tenant_id == current_tenant_id(),
                                                         Tally.name == name)).scalar_one_or_none()
    return value or 0


def participant_total_for_tenant() -> int:
    """The institution's number of participants."""
    return _tally(PARTICIPANTS)


def records_version_for_tenant() -> int:
    """Changes whenever participants, enrolments, support or outcomes change."""
    return _tally(RECORDS_VERSION)
