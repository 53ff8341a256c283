"""Reading the tallies (models.py) of the current institution."""
import functools

from sqlalchemy import bindparam, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id

from .models import PARTICIPANTS, RECORDS_VERSION, Tally


def _tally_statement(name: str):
    # Row-level security scopes the read as well; the tenant condition says what is meant.
    return select(Tally.value).where(Tally.tenant_id == current_tenant_id(), Tally.name == name)


def _tally(name: str) -> int:
    return db.session.execute(_tally_statement(name)).scalar_one_or_none() or 0


@functools.cache
def participant_total_column():
    """The institution's number of participants as a scalar subquery, to be read along with
    another statement (NULL when the institution has none yet). Built once: the institution is
    the execution parameter `tenant_id`."""
    return select(Tally.value).where(Tally.tenant_id == bindparam("tenant_id"), Tally.name == PARTICIPANTS) \
        .scalar_subquery()


def participant_total_for_tenant() -> int:
    """The institution's number of participants."""
    return _tally(PARTICIPANTS)


def records_version_for_tenant() -> int:
    """Changes whenever participants, enrolments, support or outcomes change."""
    return _tally(RECORDS_VERSION)
