"""Writes of the privacy domain: the retention run (consents and requests have their own modules)."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from regionet.platform.extensions import db
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
    ready = db.session.execute(select(RetentionListing).where(
        RetentionListing.anonymised_at.is_(None), RetentionListing.listed_at <= now - notice)).scalars().all()
    anonymised = 0
    for listing in ready:
        participant = db.session.get(Participant, (listing.tenant_id, listing.participant_id))
        if listing.participant_id not in due or participant is None:
            db.session.delete(listing)   # a retention was extended meanwhile: listed again when due
        else:
            do_anonymise_participant(participant)
            listing.anonymised_at = datetime.now(UTC)
            anonymised += 1
        db.session.commit()
    return RetentionRun(len(new), anonymised)
