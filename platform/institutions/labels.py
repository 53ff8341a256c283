"""Human names of institution kinds, translated."""
from flask_babel import lazy_gettext as _l

from .models import InstitutionKind

KIND_LABELS = {
    InstitutionKind.OPS: _l("Social assistance centre (OPS/MOPS/GOPS)"),
    InstitutionKind.PCPR: _l("County family support centre (PCPR)"),
    InstitutionKind.PUP: _l("County labour office (PUP)"),
    InstitutionKind.OWES: _l("Social economy support centre (OWES)"),
    InstitutionKind.CIS: _l("Social integration centre (CIS)"),
    InstitutionKind.KIS: _l("Social integration club (KIS)"),
    InstitutionKind.ROPS: _l("Regional social policy centre (ROPS)"),
    InstitutionKind.SOCIAL_COOPERATIVE: _l("Social cooperative"),
    InstitutionKind.OTHER: _l("Other institution"),
}

KIND_SHORT = {
    InstitutionKind.OPS: "OPS", InstitutionKind.PCPR: "PCPR", InstitutionKind.PUP: "PUP",
    InstitutionKind.OWES: "OWES", InstitutionKind.CIS: "CIS", InstitutionKind.KIS: "KIS",
    InstitutionKind.ROPS: "ROPS", InstitutionKind.SOCIAL_COOPERATIVE: _l("Cooperative"),
    InstitutionKind.OTHER: _l("Other"),
}


def institution_kind_label(kind: InstitutionKind) -> str:
    return str(KIND_LABELS[InstitutionKind(kind)])
