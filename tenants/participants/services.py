"""Writes of participants: register, change, delete. Every rule is in `validation`."""
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from regionet.platform.extensions import db
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed

from .communes import CommuneCatalogue
from .models import Participant
from .pseudonym import pseudonym_for
from .queries import enrolment_count, participant_with_pesel_for_tenant
from .validation import FIELDS, check_participant, duplicate_pesel_message


@dataclass
class DuplicatePesel(ValidationFailed):
    """The PESEL belongs to a participant the institution already has (`existing_id`)."""

    existing_id: uuid.UUID | None = None
    existing_name: str = ""
    errors: dict = field(default_factory=dict)


def checked_values(data: Mapping, communes: CommuneCatalogue, except_id: uuid.UUID | None = None,
                   already_failed: frozenset[str] = frozenset()) -> dict:
    """The cleaned values of a participant, or ValidationFailed with every problem found."""
    result = check_participant(data, communes, today_in_poland(), already_failed)
    pesel = result.values["pesel"]
    if pesel and "pesel" not in result.errors:
        existing = participant_with_pesel_for_tenant(pesel, except_id)
        if existing is not None:
            result.fail("pesel", duplicate_pesel_message())
            raise DuplicatePesel(errors=result.errors, existing_id=existing.id, existing_name=existing.full_name)
    if result.errors or already_failed:  # an unreadable field already shows its own message
        raise ValidationFailed(result.errors)
    return result.values


def apply_values(participant: Participant, values: Mapping, region_code: str) -> None:
    """Copy checked values onto a participant; the pseudonym follows the PESEL."""
    for name in FIELDS:
        setattr(participant, name, values[name])
    participant.pseudonym = pseudonym_for(values["pesel"], region_code)


def participant_row(values: Mapping, region_code: str) -> dict:
    """What `apply_values` sets, as a table row (set-based inserts: the imports)."""
    return {**{name: values[name] for name in FIELDS}, "pseudonym": pseudonym_for(values["pesel"], region_code)}


def do_register_participant(data: Mapping, communes: CommuneCatalogue, user_id: int | None,
                            already_failed: frozenset[str] = frozenset()) -> Participant:
    values = checked_values(data, communes, already_failed=already_failed)
    participant = Participant(created_by_id=user_id)
    apply_values(participant, values, communes.region_code)
    db.session.add(participant)
    _commit_or_duplicate(values["pesel"])
    return participant


def do_update_participant(participant: Participant, data: Mapping, communes: CommuneCatalogue,
                          already_failed: frozenset[str] = frozenset()) -> Participant:
    values = checked_values(data, communes, except_id=participant.id, already_failed=already_failed)
    apply_values(participant, values, communes.region_code)
    _commit_or_duplicate(values["pesel"], participant.id)
    return participant


def do_delete_participant(participant: Participant) -> None:
    """Only a person with no enrolments may be deleted (their project records must stay whole).

    Their PESEL, name, address... then leave every table, the change history and the access trail
    too (tenants/privacy/erasure.py): the entries keep what was done, when and by whom, with the
    values replaced by a marker, in the same transaction."""
    enrolled = enrolment_count(participant)
    if enrolled:
        raise ValidationFailed.single("participant", _(
            "This person cannot be deleted: they are enrolled in projects (%(n)s). "
            "Remove the enrolments first.", n=enrolled))
    from regionet.tenants.privacy.erasure import delete_person  # privacy builds on participants

    delete_person(participant)
    db.session.commit()


def _commit_or_duplicate(pesel: str | None, except_id: uuid.UUID | None = None) -> None:
    """Commit; if someone registered the same PESEL a moment ago, say so instead of failing."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = participant_with_pesel_for_tenant(pesel, except_id) if pesel else None
        if existing is None:
            raise
        raise DuplicatePesel(errors={"pesel": [duplicate_pesel_message()]}, existing_id=existing.id,
                             existing_name=existing.full_name) from None
