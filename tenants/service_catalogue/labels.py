"""Labels of the services catalogue."""
from flask_babel import lazy_gettext as _l

from regionet.tenants.support.labels import INSTRUMENT_LABELS
from regionet.tenants.support.models import Instrument

from .models import DataItem, ReferralBasis, ServiceStatus, ServiceType

SERVICE_TYPE_LABELS = {
    **{ServiceType(instrument.value): label for instrument, label in INSTRUMENT_LABELS.items()
       if instrument is not Instrument.OTHER},
    ServiceType.JOB_PLACEMENT: _l("Job placement (pośrednictwo pracy)"),
    ServiceType.CAREER_GUIDANCE: _l("Career guidance (poradnictwo zawodowe)"),
    ServiceType.TRAINING_VOUCHER: _l("Training voucher (bon szkoleniowy)"),
    ServiceType.EMPLOYMENT_GRANT: _l("Grant for starting a business or a job position"),
    ServiceType.SOCIAL_ENTERPRISE_ADVICE: _l("Advice for social enterprises (OWES)"),
    ServiceType.SOCIAL_ENTERPRISE_GRANT: _l("Grant for a social enterprise job (OWES)"),
    ServiceType.SOCIAL_WORK: _l("Social work (praca socjalna)"),
    ServiceType.OTHER: _l("Other service"),
}

STATUS_LABELS = {
    ServiceStatus.ACTIVE: _l("Active"),
    ServiceStatus.INACTIVE: _l("Inactive"),
    ServiceStatus.TEMPORARILY_CLOSED: _l("Temporarily closed"),
    ServiceStatus.DEFUNCT: _l("No longer offered"),
}

BASIS_LABELS = {
    ReferralBasis.STATUTE: _l("A statute (named below)"),
    ReferralBasis.CONSENT: _l("The person's consent to this referral"),
}

DATA_ITEM_LABELS = {
    DataItem.NAME: _l("First and last name"),
    DataItem.PESEL: _l("PESEL"),
    DataItem.BIRTH_DATE: _l("Date of birth"),
    DataItem.CONTACT: _l("Phone and e-mail"),
    DataItem.ADDRESS: _l("Address"),
    DataItem.LABOUR_STATUS: _l("Labour market status"),
    DataItem.ELIGIBILITY: _l("Eligibility category (as stated by the sender)"),
}
