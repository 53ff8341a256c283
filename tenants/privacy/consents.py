"""Consents by purpose: record, withdraw, and what a purpose allows today.

A withdrawal is a change of the consent record (so the history has it, with who and when) and
stops what the purpose covered from that day: `allowed(person, purpose)` is what other modules ask
(the referrals' legal basis, exports of contact data, photos in good practices).
"""
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased
from werkzeug.datastructures import FileStorage

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed
from regionet.tenants.attachments.services import do_store_attachment
from regionet.tenants.participants.models import Participant

from .models import Consent, ConsentBasis, ConsentPurpose

Renewal = aliased(Consent)
EXPIRED_GRACE = timedelta(days=31)   # an expired consent stays on the list for a month


def consents_of(participant_id: uuid.UUID) -> list[Consent]:
    return list(db.session.execute(select(Consent).where(Consent.participant_id == participant_id)
                                   .order_by(Consent.given_on.desc(), Consent.id.desc())).scalars())


def allowed(participant_id: uuid.UUID, purpose: ConsentPurpose, day: date | None = None) -> bool:
    """Whether a record for `purpose` covers the person on `day` (today): given and not withdrawn."""
    day = day or today_in_poland()
    return any(c.purpose is purpose and c.active_on(day) for c in consents_of(participant_id))


def withdrawn(participant_id: uuid.UUID, purpose: ConsentPurpose, day: date | None = None) -> Consent | None:
    """The withdrawn consent for `purpose` when the person has withdrawn it and given no newer one."""
    day = day or today_in_poland()
    mine = [c for c in consents_of(participant_id) if c.purpose is purpose]
    if not mine or any(c.active_on(day) for c in mine):
        return None
    return next((c for c in mine if c.withdrawn_on is not None), None)


def people_without(purpose: ConsentPurpose, day: date | None = None) -> set[uuid.UUID]:
    """The institution's people who withdrew their consent for `purpose` and gave no newer one."""
    day = day or today_in_poland()
    by_person: dict[uuid.UUID, list[Consent]] = {}
    for consent in db.session.execute(select(Consent).where(Consent.purpose == purpose)).scalars():
        by_person.setdefault(consent.participant_id, []).append(consent)
    return {person for person, mine in by_person.items()
            if any(c.withdrawn_on is not None for c in mine) and not any(c.active_on(day) for c in mine)}


def do_record_consent(participant_id: uuid.UUID, purpose: str, basis: str, given_on: date | None,
                      evidence: FileStorage | None, user_id: int | None, valid_until: date | None = None) -> Consent:
    errors = {}
    if given_on is not None and given_on > today_in_poland():
        errors["given_on"] = [_("The date cannot be in the future.")]
    if valid_until is not None and given_on is not None and valid_until < given_on:
        errors["valid_until"] = [_("A consent cannot end before it was given (%(day)s).",
                                   day=given_on.strftime("%d.%m.%Y"))]
    if errors:
        raise ValidationFailed(errors)
    consent = Consent(participant_id=participant_id, purpose=ConsentPurpose(purpose), basis=ConsentBasis(basis),
                      given_on=given_on, valid_until=valid_until, recorded_by_id=user_id)
    if evidence is not None and evidence.filename:
        attachment = do_store_attachment(evidence, user_id, current_app.config["MAX_CONTENT_LENGTH"], "evidence")
        db.session.flush()
        consent.evidence_id = attachment.id
    db.session.add(consent)
    db.session.commit()
    return consent


def do_withdraw_consent(consent: Consent, withdrawn_on: date, note: str | None) -> None:
    if consent.withdrawn_on is not None:
        raise ValidationFailed.single("withdrawn_on", _("This consent was already withdrawn on %(day)s.",
                                                        day=consent.withdrawn_on.strftime("%d.%m.%Y")))
    if withdrawn_on > today_in_poland():
        raise ValidationFailed.single("withdrawn_on", _("The date cannot be in the future."))
    if withdrawn_on < consent.given_on:
        raise ValidationFailed.single("withdrawn_on", _("A consent cannot be withdrawn before it was given (%(day)s).",
                                                        day=consent.given_on.strftime("%d.%m.%Y")))
    consent.withdrawn_on, consent.withdrawal_note = withdrawn_on, (note or "").strip() or None
    if consent.purpose is ConsentPurpose.PHOTO and not allowed(consent.participant_id, ConsentPurpose.PHOTO):
        from .photos import remove_photos_of

        db.session.flush()
        remove_photos_of(consent.participant_id)   # out of the practices and the catalogue
    db.session.commit()


@dataclass(frozen=True)
class DueConsent:
    participant_id: uuid.UUID
    name: str
    purpose: ConsentPurpose
    valid_until: date


def consents_expiring_for_tenant(today: date, horizon: date, limit: int) -> tuple[list[DueConsent], int]:
    """Consents not withdrawn whose validity ends by `horizon` (or ended within the last month) and
    that no later record of the same person and purpose renews: the first `limit`, soonest first,
    and how many there are."""
    renewed = exists().where(
        Renewal.participant_id == Consent.participant_id, Renewal.purpose == Consent.purpose,
        Renewal.id != Consent.id, Renewal.withdrawn_on.is_(None), Renewal.given_on <= Consent.valid_until + 1,
        or_(Renewal.valid_until.is_(None), Renewal.valid_until > Consent.valid_until))
    statement = (select(Consent.participant_id, Participant.last_name, Participant.first_name, Consent.purpose,
                        Consent.valid_until)
                 .join(Participant, Participant.id == Consent.participant_id)
                 .where(Consent.withdrawn_on.is_(None), Consent.valid_until.is_not(None),
                        Consent.valid_until >= today - EXPIRED_GRACE, Consent.valid_until <= horizon,
                        Participant.anonymised_at.is_(None), ~renewed))
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.execute(statement.order_by(Consent.valid_until, Participant.name_key, Consent.id)
                              .limit(limit)).all()
    return [DueConsent(r.participant_id, f"{r.last_name} {r.first_name}", r.purpose, r.valid_until)
            for r in rows], total
