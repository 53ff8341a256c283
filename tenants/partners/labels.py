"""Human names of partner kinds, agreement kinds and statuses, and of the fields in the history."""
from flask_babel import lazy_gettext as _l

from .models import AgreementKind, PartnerKind
from .validity import AgreementStatus

PARTNER_KIND_LABELS = {
    PartnerKind.PLATFORM_INSTITUTION: _l("Institution on the platform"),
    PartnerKind.PUBLIC_INSTITUTION: _l("Public institution"),
    PartnerKind.NGO: _l("Non-governmental organisation"),
    PartnerKind.EMPLOYER: _l("Employer"),
    PartnerKind.SCHOOL: _l("School or training provider"),
    PartnerKind.SOCIAL_ECONOMY_ENTITY: _l("Social economy entity"),
    PartnerKind.OTHER: _l("Other organisation"),
}

# The kinds a user picks for an outside organisation (a platform institution is chosen from a list).
EXTERNAL_KINDS = [kind for kind in PartnerKind if kind is not PartnerKind.PLATFORM_INSTITUTION]

AGREEMENT_KIND_LABELS = {
    AgreementKind.COOPERATION: _l("Cooperation agreement"),
    AgreementKind.PARTNERSHIP: _l("Partnership agreement"),
    AgreementKind.EMPLOYMENT_PACT: _l("Employment pact"),
    AgreementKind.OTHER: _l("Other agreement"),
}

AGREEMENT_STATUS_LABELS = {
    AgreementStatus.VALID: _l("In force"),
    AgreementStatus.EXPIRED: _l("Expired"),
    AgreementStatus.FUTURE: _l("Not yet in force"),
}

PARTNER_FIELD_LABELS = {
    "name": _l("Name"), "kind": _l("Type"), "institution_id": _l("Institution on the platform"),
    "nip": _l("NIP"), "address": _l("Address"), "contact_person": _l("Contact person"),
    "email": _l("E-mail address"), "phone": _l("Phone"), "notes": _l("Notes"),
}

AGREEMENT_FIELD_LABELS = {
    "title": _l("Title"), "number": _l("Number"), "kind": _l("Type of agreement"), "scope": _l("Scope"),
    "signed_on": _l("Signed on"), "valid_from": _l("In force from"), "valid_to": _l("In force until"),
    "document_id": _l("Signed document"), "parties": _l("Parties"),
}
