"""Human names for the practices' states, target groups and partners (instruments: tenants/support/labels.py)."""
from flask_babel import lazy_gettext as _l

from regionet.tenants.partners.models import PartnerKind

from .models import SourceKind, TargetGroup, VersionState

STATE_LABELS = {
    VersionState.DRAFT: _l("Draft"),
    VersionState.SUBMITTED: _l("Submitted for review"),
    VersionState.RETURNED: _l("Returned for revision"),
    VersionState.PUBLISHED: _l("Published"),
    VersionState.SUPERSEDED: _l("Replaced by a newer version"),
    VersionState.WITHDRAWN: _l("Withdrawn from the catalogue"),
}

TARGET_GROUP_LABELS = {
    TargetGroup.LONG_TERM_UNEMPLOYED: _l("Long-term unemployed people"),
    TargetGroup.UNEMPLOYED: _l("Unemployed people"),
    TargetGroup.AGED_50_PLUS: _l("People aged 50 or over"),
    TargetGroup.YOUNG_PEOPLE: _l("Young people"),
    TargetGroup.PEOPLE_WITH_DISABILITIES: _l("People with disabilities"),
    TargetGroup.SOCIAL_ASSISTANCE_CLIENTS: _l("Clients of social assistance"),
    TargetGroup.FAMILIES: _l("Families"),
    TargetGroup.HOMELESS: _l("Homeless people"),
    TargetGroup.CARE_LEAVERS: _l("Young people leaving care"),
    TargetGroup.WORKSHOP_PARTICIPANTS: _l("Participants of occupational therapy workshops (WTZ)"),
    TargetGroup.LOCAL_COMMUNITY: _l("Local community"),
    TargetGroup.OTHER: _l("Other group"),
}

PARTNER_KIND_LABELS = {
    PartnerKind.PLATFORM_INSTITUTION: _l("Institution on the platform"),
    PartnerKind.PUBLIC_INSTITUTION: _l("Public institution"),
    PartnerKind.NGO: _l("Non-governmental organisation"),
    PartnerKind.EMPLOYER: _l("Employer"),
    PartnerKind.SCHOOL: _l("School"),
    PartnerKind.SOCIAL_ECONOMY_ENTITY: _l("Social economy entity"),
    PartnerKind.OTHER: _l("Other organisation"),
}

SOURCE_KIND_LABELS = {
    SourceKind.GROUP: _l("Working group"),
    SourceKind.MEETING: _l("Meeting"),
    SourceKind.AGREEMENT: _l("Agreement"),
}


def label_of(mapping: dict, key: str) -> str:
    """The label of a stored value, or the value itself when the catalogue no longer has it."""
    for member, label in mapping.items():
        if member.value == key:
            return str(label)
    return key
