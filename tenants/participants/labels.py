"""What users read for the participant record's values and fields (Polish through the catalog)."""
from flask_babel import lazy_gettext as _l

from .models import Citizenship, Isced, LabourStatus, LegalBasis, SensitiveAnswer, Sex

SEX_LABELS = {Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male")}

ISCED_LABELS = {
    Isced.NONE: _l("Below primary (ISCED 0)"),
    Isced.PRIMARY: _l("Primary (ISCED 1)"),
    Isced.LOWER_SECONDARY: _l("Lower secondary (ISCED 2)"),
    Isced.UPPER_SECONDARY: _l("Upper secondary (ISCED 3)"),
    Isced.POST_SECONDARY: _l("Post-secondary (ISCED 4)"),
    Isced.TERTIARY: _l("Tertiary (ISCED 5–8)"),
}

LABOUR_STATUS_LABELS = {
    LabourStatus.REGISTERED_UNEMPLOYED: _l("Unemployed, registered at the labour office"),
    LabourStatus.LONG_TERM_UNEMPLOYED: _l("Long-term unemployed"),
    LabourStatus.UNREGISTERED_UNEMPLOYED: _l("Unemployed, not registered"),
    LabourStatus.INACTIVE: _l("Economically inactive"),
    LabourStatus.EMPLOYED: _l("Employed"),
}

SENSITIVE_LABELS = {
    SensitiveAnswer.YES: _l("Yes"),
    SensitiveAnswer.NO: _l("No"),
    SensitiveAnswer.REFUSED: _l("Refused to answer"),
}

LEGAL_BASIS_LABELS = {
    LegalBasis.CONSENT: _l("Consent of the person (GDPR art. 6(1)(a), 9(2)(a))"),
    LegalBasis.LEGAL_OBLIGATION: _l("Legal obligation (GDPR art. 6(1)(c))"),
    LegalBasis.PUBLIC_TASK: _l("Public task (GDPR art. 6(1)(e))"),
}

SENSITIVE_FIELDS = ("disability", "migrant_or_minority", "homeless", "jobless_household")
# ESF+ 2021-27's questions asked apart; optional (empty = not asked yet), the sensitive ones yes/no/refused.
ESF_PLUS_FIELDS = ("foreign_origin", "third_country_national", "minority")
# Every special-category answer (health, ethnic origin, ...): shown and changed only by members granted it.
SPECIAL_ANSWER_FIELDS = (*SENSITIVE_FIELDS, *ESF_PLUS_FIELDS)
CITIZENSHIP_LABELS = {
    Citizenship.POLISH: _l("Polish"),
    Citizenship.OTHER_EU: _l("Another EU country"),
    Citizenship.THIRD_COUNTRY: _l("A country outside the EU"),
    Citizenship.STATELESS: _l("Stateless"),
}

FIELD_LABELS = {
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "pesel": _l("PESEL"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "street": _l("Street and number"),
    "postal_code": _l("Postal code"),
    "locality": _l("Locality"),
    "commune_code": _l("Commune (TERYT)"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "education": _l("Education (ISCED)"),
    "labour_status": _l("Labour-market status at entry"),
    "disability": _l("Person with disabilities"),
    "migrant_or_minority": _l("Migrant, person of foreign origin or minority"),
    "homeless": _l("Homeless or excluded from housing"),
    "jobless_household": _l("Living in a jobless household"),
    "citizenship": _l("Citizenship"),
    "foreign_origin": _l("Person of foreign origin"),
    "third_country_national": _l("Third-country national"),
    "minority": _l("Member of a national or ethnic minority (including marginalised communities)"),
    "legal_basis": _l("Legal basis of processing"),
    "legal_basis_date": _l("Legal basis date"),
    "consent_given": _l("Consent given"),
    "consent_date": _l("Consent date"),
    "notes": _l("Notes"),
    "created_by_id": _l("Registered by"),
}

VALUE_LABELS = {
    "citizenship": CITIZENSHIP_LABELS, **{name: SENSITIVE_LABELS for name in ESF_PLUS_FIELDS},
    "sex": SEX_LABELS, "education": ISCED_LABELS, "labour_status": LABOUR_STATUS_LABELS,
    "legal_basis": LEGAL_BASIS_LABELS, **{name: SENSITIVE_LABELS for name in SENSITIVE_FIELDS},
}
