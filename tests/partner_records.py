"""Partners and agreements written straight into one institution, for the tests that need some."""
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.polish import sort_key as polish_key
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.partners.models import Agreement, AgreementKind, AgreementParty, PartnerKind, PartnerOrganisation

from .test_isolation import _institution_id

TENANT = "mops-skarzysko-kamienna"
BASE = f"/i/{TENANT}"


def tenant_of(app, slug: str = TENANT) -> int:
    return _institution_id(app, slug)


def add_partner(app, tenant_id: int, name: str, kind: PartnerKind = PartnerKind.NGO, **fields) -> uuid.UUID:
    with app.app_context(), tenant_scope(tenant_id):
        partner = PartnerOrganisation(name=name, kind=kind, **fields)
        db.session.add(partner)
        db.session.commit()
        return partner.id


def add_agreement(app, tenant_id: int, title: str, party_ids: list[uuid.UUID], valid_from: date,
                  valid_to: date | None = None, kind: AgreementKind = AgreementKind.COOPERATION,
                  **fields) -> uuid.UUID:
    with app.app_context(), tenant_scope(tenant_id):
        partners = list(db.session.execute(
            select(PartnerOrganisation).where(PartnerOrganisation.id.in_(party_ids))).scalars())
        agreement = Agreement(title=title, kind=kind, scope=fields.pop("scope", "Współpraca"), valid_from=valid_from,
                              valid_to=valid_to, parties=parties_of(tenant_id, partners), **fields)
        db.session.add(agreement)
        db.session.commit()
        return agreement.id


def parties_of(tenant_id: int, partners) -> list[AgreementParty]:
    """The owner (confirmed) and the partners as parties, by name (none of them shares the agreement)."""
    owner = db.session.get(Institution, tenant_id)
    return [AgreementParty(institution_id=tenant_id, name=owner.name, position=0, confirmed_at=datetime.now(UTC))] + [
        AgreementParty(partner_id=p.id, name=p.name, position=n)
        for n, p in enumerate(sorted(partners, key=lambda p: polish_key(p.name)), start=1)]


def count(app, tenant_id: int, model) -> int:
    with app.app_context(), tenant_scope(tenant_id):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def load(app, tenant_id: int, model, object_id):
    """The object with its attributes loaded (usable after the session closes)."""
    with app.app_context(), tenant_scope(tenant_id):
        obj = db.session.execute(select(model).where(model.id == object_id)).unique().scalar_one_or_none()
        if obj is not None:
            db.session.refresh(obj)
            if isinstance(obj, Agreement):
                _ = [p.name for p in obj.parties], obj.document and obj.document.file_name
            db.session.expunge(obj)
        return obj


def attachment_count(app, tenant_id: int) -> int:
    return count(app, tenant_id, Attachment)
