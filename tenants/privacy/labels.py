"""What users read for the privacy domain's values (Polish through the catalog)."""
from flask_babel import lazy_gettext as _l

from .models import ConsentBasis, ConsentPurpose, RequestKind, RequestStatus

PURPOSE_LABELS = {
    ConsentPurpose.PROJECT: _l("Taking part in the project"),
    ConsentPurpose.FOLLOW_UP: _l("Contact about results after leaving"),
    ConsentPurpose.PHOTO: _l("Photo in a good practice"),
    ConsentPurpose.REFERRAL: _l("Referral to another institution"),
    ConsentPurpose.NEWSLETTER: _l("Information about the institution's offer"),
}

# What withdrawing stops, said where consents are given and withdrawn.
PURPOSE_EFFECTS = {
    ConsentPurpose.PROJECT: _l("Without it the person takes no further part; records kept by law stay."),
    ConsentPurpose.FOLLOW_UP: _l("Nobody contacts the person about results: their phone and e-mail are left "
                                 "out of exports and the record shows that contact is not allowed."),
    ConsentPurpose.PHOTO: _l("Photos of the person are not used in good practices."),
    ConsentPurpose.REFERRAL: _l("The person's data is not passed to other institutions."),
    ConsentPurpose.NEWSLETTER: _l("No more information about the offer is sent."),
}

BASIS_LABELS = {
    ConsentBasis.CONSENT: _l("Consent (GDPR art. 6(1)(a), 9(2)(a))"),
    ConsentBasis.LEGAL_OBLIGATION: _l("Legal obligation (GDPR art. 6(1)(c))"),
    ConsentBasis.PUBLIC_TASK: _l("Public task (GDPR art. 6(1)(e))"),
    ConsentBasis.CONTRACT: _l("Contract (GDPR art. 6(1)(b))"),
}

REQUEST_KIND_LABELS = {
    RequestKind.ACCESS: _l("Access to data and a copy (art. 15, 20)"),
    RequestKind.RECTIFICATION: _l("Rectification (art. 16)"),
    RequestKind.ERASURE: _l("Erasure (art. 17)"),
    RequestKind.RESTRICTION: _l("Restriction of processing (art. 18)"),
    RequestKind.OBJECTION: _l("Objection (art. 21)"),
}

REQUEST_STATUS_LABELS = {RequestStatus.OPEN: _l("Open"), RequestStatus.CLOSED: _l("Closed")}
