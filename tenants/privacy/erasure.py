"""Anonymising and erasing a person: every place the platform keeps their data.

* the participant row: identifying fields emptied, the keyed pseudonym removed (the search
  columns `search_text` and `name_key` are computed from the name, so they follow);
* free text of their support and outcomes; their consents and the scanned forms (attachments);
* the requests they made (who asked, details and answer become the marker);
* the coordinator's facts: the person key (the pseudonym) becomes the record's own id, so what
  is left cannot be linked to the person even with the platform's keys, and the counts of frozen
  (submitted, accepted) periods stay as they are;
* import batches whose file or error list mentions them (file removed, values replaced);
* the change history and the access trail, through `history_api` (SECURITY DEFINER, migration 0020).

`do_erase_participant` decides what an erasure request can do: delete (no project holds the
records), anonymise (every retention ended) or restrict (a retention still runs: the reason says
until when).
"""
import enum
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, text, update

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.polish import fold
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.audit.models import REDACTED
from regionet.tenants.audit.services import do_redact_person_history
from regionet.tenants.figures.models import FigureParticipation
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.participants.models import Participant
from regionet.tenants.plans.services import do_delete_plans_of
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode

from .models import Consent, SubjectRequest
from .retention import retention_of

ANONYMOUS_NAME = REDACTED
IDENTIFYING_FIELDS = ("pesel", "pseudonym", "street", "postal_code", "locality", "phone", "email", "notes")
ACTIVE_IMPORTS = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ErasureOutcome(enum.StrEnum):
    DELETED = "deleted"
    ANONYMISED = "anonymised"
    RESTRICTED = "restricted"


def identifying_terms(participant: Participant) -> list[str]:
    """What would identify the person in free text: PESEL, each part of their names (a search
    types one), also without diacritics, address, contact."""
    names = re.split(r"[\s-]+", f"{participant.first_name} {participant.last_name}")
    values = [participant.pesel, *names, *(fold(name) for name in names), participant.full_name,
              participant.street, participant.phone, participant.email]
    return [value for value in dict.fromkeys(values) if value and len(value) >= 3 and value != ANONYMOUS_NAME]


def do_erase_participant(participant: Participant, reason: str) -> ErasureOutcome:
    """Erasure on request (GDPR art. 17): delete, anonymise or restrict, then commit."""
    today = today_in_poland()
    retention = retention_of(participant, today)
    if retention.applies:
        project, until = retention.running[0]
        participant.restricted_at = datetime.now(UTC)
        participant.restriction_reason = _(
            "Erasure requested (%(reason)s): the records of %(project)s must be kept until %(until)s, "
            "so the data are restricted until then and anonymised afterwards.",
            reason=reason, project=project.code, until=until.strftime("%d.%m.%Y"))
        db.session.commit()
        return ErasureOutcome.RESTRICTED
    if retention.ended_on is not None:
        do_anonymise_participant(participant)
        db.session.commit()
        return ErasureOutcome.ANONYMISED
    delete_person(participant)
    db.session.commit()
    return ErasureOutcome.DELETED


def delete_person(participant: Participant) -> None:
    """Delete a person enrolled nowhere and every trace of them, in the caller's transaction."""
    terms = identifying_terms(participant)
    _scrub_traces(participant, terms)
    db.session.execute(update(SubjectRequest).where(SubjectRequest.participant_id == participant.id)
                       .values(participant_id=None))   # the request stays, answered, about nobody
    db.session.delete(participant)
    do_redact_person_history(participant)
    _redact_terms(terms)


def do_anonymise_participant(participant: Participant) -> None:
    """Remove everything that identifies the person and keep what the figures need (sex, a birth
    year, commune, statuses, their support and outcomes). In the caller's transaction."""
    terms = identifying_terms(participant)
    _scrub_traces(participant, terms)
    episodes = select(Enrolment.id).where(Enrolment.participant_id == participant.id).scalar_subquery()
    for episode in db.session.execute(select(SupportEpisode).where(SupportEpisode.enrolment_id.in_(episodes))
                                      ).scalars():
        episode.notes = None
    for outcome in db.session.execute(select(Outcome).where(Outcome.enrolment_id.in_(episodes))).scalars():
        outcome.evidence = None
    for name in IDENTIFYING_FIELDS:
        setattr(participant, name, None)
    participant.first_name = participant.last_name = ANONYMOUS_NAME
    participant.birth_date = date(participant.birth_date.year, 7, 1)
    participant.consent_date = None
    participant.restriction_reason = None
    participant.anonymised_at = datetime.now(UTC)
    # The pseudonym leaves the coordinator's facts too; a frozen period keeps its counts.
    db.session.execute(update(FigureParticipation).where(
        FigureParticipation.tenant_id == current_tenant_id(), FigureParticipation.participant_id == participant.id,
    ).values(person_key="p:" + str(participant.id)))
    do_redact_person_history(participant)
    _redact_terms(terms)


def _scrub_traces(participant: Participant, terms: list[str]) -> None:
    from .photos import remove_photos_of

    remove_photos_of(participant.id)
    consents = db.session.execute(select(Consent).where(Consent.participant_id == participant.id)).scalars().all()
    evidence = [consent.evidence_id for consent in consents if consent.evidence_id]
    for consent in consents:
        db.session.delete(consent)
    db.session.flush()
    if evidence:
        db.session.execute(delete(Attachment).where(Attachment.id.in_(evidence)))
    for request in db.session.execute(select(SubjectRequest).where(
            SubjectRequest.participant_id == participant.id)).scalars():
        request.requester = REDACTED
        request.details = REDACTED if request.details else None
        request.answer = REDACTED if request.answer else None
    _scrub_imports(terms)
    do_delete_plans_of(participant)
    from regionet.tenants.referrals.services import do_forget_person_in_referrals  # referrals import privacy

    do_forget_person_in_referrals(participant, lambda content: _mentions(content, terms))


def _scrub_imports(terms: list[str]) -> None:
    """Finished imports whose file or error list mentions the person: file gone, values replaced."""
    if not terms:
        return
    for batch in db.session.execute(select(ImportBatch).where(ImportBatch.status.not_in(ACTIVE_IMPORTS))).scalars():
        if batch.errors and _mentions(json.dumps(batch.errors, ensure_ascii=False), terms):
            batch.errors = [{key: (REDACTED if isinstance(value, str) and _mentions(value, terms) else value)
                             for key, value in error.items()} for error in batch.errors]
        if batch.file_data and _mentions(file_text(batch.file_data), terms):
            batch.file_data = b""
            if batch.status in (ImportStatus.NEEDS_DECISION, ImportStatus.FAILED):
                batch.status = ImportStatus.CANCELLED


def _mentions(content: str, terms: list[str]) -> bool:
    folded = content.casefold()
    return any(term.casefold() in folded for term in terms)


def file_text(data: bytes) -> str:
    """The text of an uploaded spreadsheet: every XML part of an XLSX, or the bytes of a CSV."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return " ".join(archive.read(name).decode("utf-8", "replace")
                                for name in archive.namelist() if name.endswith(".xml"))
        except (zipfile.BadZipFile, OSError):
            pass
    for encoding in ("utf-8", "cp1250"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _redact_terms(terms: list[str]) -> None:
    if terms:
        db.session.execute(text("SELECT history_api.redact_terms(:tenant, :terms)"),
                           {"tenant": current_tenant_id(), "terms": terms})
