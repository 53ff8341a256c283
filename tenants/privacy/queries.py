"""Reads of the privacy domain, scoped to the current tenant."""
import uuid

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.tenants.participants.models import Participant

from .models import Consent, RetentionListing, SubjectRequest


def access_consent(consent_id: uuid.UUID) -> Consent:
    return get_for_tenant_or_404(Consent, consent_id)


def access_request(request_id: uuid.UUID) -> SubjectRequest:
    return get_for_tenant_or_404(SubjectRequest, request_id)


def retention_listings_for_tenant() -> list[tuple[RetentionListing, Participant]]:
    return list(db.session.execute(
        select(RetentionListing, Participant).join(Participant, Participant.id == RetentionListing.participant_id)
        .order_by(RetentionListing.anonymised_at.is_not(None), RetentionListing.listed_at.desc())).all())


def people_choices() -> list[tuple[uuid.UUID, str]]:
    """(id, "Surname First, PESEL") of the institution's people not anonymised, for a request's person."""
    return [(row.id, f"{row.last_name} {row.first_name}" + (f", {row.pesel}" if row.pesel else ""))
            for row in db.session.execute(select(Participant.id, Participant.first_name, Participant.last_name,
                                                 Participant.pesel).where(Participant.anonymised_at.is_(None))
                                          .order_by(Participant.name_key))]


def person_of_document(attachment_id: uuid.UUID) -> uuid.UUID | None:
    """The person a stored document belongs to (a consent's signed form, a plan's signed scan)."""
    from regionet.tenants.plans.models import IndividualPlan

    for model, column in ((Consent, Consent.evidence_id), (IndividualPlan, IndividualPlan.signed_scan_id)):
        owner = db.session.execute(select(model.participant_id).where(column == attachment_id)).scalar_one_or_none()
        if owner is not None:
            return owner
    return None
