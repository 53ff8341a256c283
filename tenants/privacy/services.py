"""Writes of the privacy domain: the retention run (consents and requests have their own modules)."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant

from .erasure import do_anonymise_participant
from .models import RetentionListing
from .retention import people_due


@dataclass(frozen=True)
class RetentionRun:
    listed: int         # newly listed today
    anonymised: int


def do_apply_retention(now: datetime | None = None) -> RetentionRun:
    """The current institution's retention: list the people whose every retention has ended,
    then anonymise those listed at least RETENTION_NOTICE_DAYS ago (one commit per person)."""
    now = now or datetime.now(UTC)
    due = people_due(today_in_poland())
    listed = {row.participant_id: row for row in db.session.execute(select(RetentionListing)).scalars()}
    new = [RetentionListing(participant_id=person, retention_ended_on=day, listed_at=now)
           for person, day in due.items() if person not in listed]
    db.session.add_all(new)
    db.session.commit()
    notice = timedelta(days=current_app.config["RETENTION_NOTICE_DAYS"])
    ready = db.session.execute(select(RetentionListing.id, RetentionListing.participant_id).where(
        RetentionListing.anonymised_at.is_(None), RetentionListing.listed_at <= now - notice)).all()
    anonymised = 0
    for listing_id, participant_id in ready:
        # One person a commit, with nothing else kept in the session: a commit expires every object
        # the session holds, and thousands of them would make each commit cost more than the last.
        db.session.expunge_all()
        listing = db.session.get(RetentionListing, (current_tenant_id(), listing_id))
        participant = db.session.get(Participant, (current_tenant_id(), participant_id))
        if participant_id not in due or participant is None:
            db.session.delete(listing)   # a retention was extended meanwhile: listed again when due
        else:
            do_anonymise_participant(participant)
            listing.anonymised_at = datetime.now(UTC)
            anonymised += 1
        db.session.commit()
    return RetentionRun(len(new), anonymised)
