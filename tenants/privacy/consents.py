"""Consents by purpose: record, withdraw, and what a purpose allows today.

A withdrawal is a change of the consent record (so the history has it, with who and when) and
stops what the purpose covered from that day: `allowed(person, purpose)` is what other modules ask
(the referrals' legal basis, exports of contact data, photos in good practices).
"""
import uuid
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed
from regionet.tenants.attachments.services import do_store_attachment

from .models import Consent, ConsentBasis, ConsentPurpose


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
                      evidence: FileStorage | None, user_id: int | None) -> Consent:
    errors = {}
    if given_on is not None and given_on > today_in_poland():
        errors["given_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationFailed(errors)
    consent = Consent(participant_id=participant_id, purpose=ConsentPurpose(purpose), basis=ConsentBasis(basis),
                      given_on=given_on, recorded_by_id=user_id)
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
