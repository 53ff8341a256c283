"""Reads of consent records (the institution's own; the ORM scope applies)."""
import uuid

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404

from .models import ConsentRecord


def access_consent(consent_id: uuid.UUID) -> ConsentRecord:
    return get_for_tenant_or_404(ConsentRecord, consent_id)


def consents_of_participant(participant_id: uuid.UUID) -> list[ConsentRecord]:
    return list(db.session.execute(select(ConsentRecord).where(ConsentRecord.participant_id == participant_id)
                                   .order_by(ConsentRecord.given_on.desc(), ConsentRecord.id)).scalars())
