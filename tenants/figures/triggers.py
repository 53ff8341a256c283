"""Refresh an institution's figures after its participants or their support change.

Changes are noted per tenant during flushes and a refresh is requested once the
transaction has committed (never for work that was rolled back). Bulk writes that
bypass the ORM should call `request_tenant_refresh` themselves.
"""
from contextlib import contextmanager
from itertools import chain

from flask_sqlalchemy.session import Session
from sqlalchemy import event

from regionet.tenants.groups.models import ActionItem, Attendance, GroupInstitution, Meeting, WorkingGroup
from regionet.tenants.participants.models import Participant
from regionet.tenants.referrals.models import Referral
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode

# The network's records (referrals, working groups) count in the region's figures too
# (figures_api.refresh_region_network): a change to them recounts the owner's region.
WATCHED = (Participant, Enrolment, SupportEpisode, Outcome,
           Referral, WorkingGroup, GroupInstitution, Meeting, Attendance, ActionItem)
_KEY = "regionet.figures_dirty"
_PAUSED = "regionet.figures_paused"


@contextmanager
def refresh_deferred(session):
    """Writes in bulk that request no refresh: the caller recounts afterwards (the demo seed,
    followed by `flask coordinator refresh-figures`), so nothing is queued, even with no Redis."""
    session.info[_PAUSED] = True
    try:
        yield
    finally:
        session.info.pop(_PAUSED, None)
        session.info.pop(_KEY, None)


def note_bulk_change(session, tenant_id: int) -> None:
    """Writes that bypass the ORM (imports): the tenant's figures are refreshed once they commit."""
    if not session.info.get(_PAUSED):
        session.info.setdefault(_KEY, set()).add(tenant_id)


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context) -> None:
    if session.info.get(_PAUSED):
        return
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, WATCHED) and obj.tenant_id is not None:
            session.info.setdefault(_KEY, set()).add(obj.tenant_id)


@event.listens_for(Session, "after_commit")
def _request_refresh(session) -> None:
    tenants = session.info.pop(_KEY, None)
    if tenants:
        from regionet.platform.coordinator.refresh import request_tenant_refresh

        for tenant_id in sorted(tenants):
            request_tenant_refresh(tenant_id)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop(_KEY, None)
