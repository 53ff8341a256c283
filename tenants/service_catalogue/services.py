"""Writes of the services catalogue: one place that saves a service of the institution."""
from dataclasses import dataclass, fields

from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.validation import ValidationFailed
from regionet.tenants.audit.recording import acting_user_id

from .models import DataItem, ReferralBasis, Service, ServiceStatus, ServiceType
from .queries import area_choices


@dataclass
class ServiceFields:
    name: str
    service_type: str
    description: str
    status: str = ServiceStatus.ACTIVE.value
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    required_documents: str | None = None
    application_process: str | None = None
    area_codes: list[str] | None = None
    location_name: str | None = None
    address: str | None = None
    schedule: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    capacity: int | None = None
    waiting_days: int | None = None
    accepts_referrals: bool = True
    referral_basis: str = ReferralBasis.CONSENT.value
    legal_reference: str | None = None
    data_set: list[str] | None = None
    accept_within_days: int = 7
    assured_date: object = None
    published: bool = False

    @classmethod
    def from_form(cls, form) -> "ServiceFields":
        return cls(**{f.name: getattr(form, f.name).data for f in fields(cls)})


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def do_save_service(service: Service | None, values: ServiceFields, institution: Institution) -> Service:
    """Create or update a service of `institution`; its region is the institution's, always."""
    allowed = {code for _group, choices in area_choices(institution.region_code) for code, _label in choices}
    unknown = [code for code in values.area_codes or [] if code not in allowed]
    if unknown:
        raise ValidationFailed.single("area_codes", _("Choose counties or communes of your region."))
    data_set = [item.value for item in DataItem if item.value in (values.data_set or [])]
    if service is None:
        service = Service(created_by_id=acting_user_id())
        db.session.add(service)
    for field in fields(values):
        setattr(service, field.name, _clean(getattr(values, field.name)))
    service.name = values.name.strip()
    service.description = values.description.strip()
    service.service_type = ServiceType(values.service_type)
    service.status = ServiceStatus(values.status)
    service.referral_basis = ReferralBasis(values.referral_basis)
    service.area_codes = sorted(set(values.area_codes or []))
    service.data_set = data_set
    service.accepts_referrals = bool(values.accepts_referrals)
    service.published = bool(values.published)
    service.region_code = institution.region_code
    db.session.flush()
    return service
