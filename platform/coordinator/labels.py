"""Names of measures, dimensions and categories on the coordinator's pages and exports."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from regionet.tenants.support.labels import INSTRUMENT_LABELS, OUTCOME_LABELS, SEX_LABELS

from ..institutions.labels import KIND_LABELS, KIND_SHORT
from ..institutions.models import InstitutionKind
from ..ui.formatting import current_language
from ..ui.polish import sort_key
from .dimensions import AGE_BANDS

MEASURE_LABELS = {
    "people": _l("Unique people"),
    "participations": _l("Participations (people per institution)"),
    "episodes": _l("Support episodes"),
    "outcomes": _l("Outcomes"),
    "exits": _l("Participations ended"),
    "employed": _l("Employed within 4 weeks of leaving"),
    # the region's network (dimensions.NETWORK_MEASURES)
    "ref_sent": _l("Referrals sent"),
    "ref_accepted": _l("Accepted"),
    "ref_declined": _l("Declined"),
    "ref_started": _l("Started"),
    "ref_completed": _l("Completed with a result"),
    "grp_groups": _l("Working groups"),
    "grp_meetings": _l("Meetings"),
    "att_recorded": _l("Attendance recorded"),
    "att_present": _l("Marked present"),
    "act_due": _l("Action items due"),
    "act_on_time": _l("Done on time"),
}

DIM_LABELS = {
    "inst_kind": _l("Institution type"),
    "institution": _l("Institution"),
    "inst_county": _l("County of the institution"),
    "inst_commune": _l("Commune of the institution"),
    "county": _l("Participant's county"),
    "commune": _l("Participant's commune"),
    "sex": _l("Sex"),
    "age_band": _l("Age band"),
    "disability": _l("Disability"),
    "kinds": _l("Types of institutions that supported the person"),
    "instrument": _l("Instrument"),
    "outcome": _l("Outcome type"),
    "ref_from": _l("Type of the sending institution"),
    "ref_to": _l("Type of the receiving institution"),
    "ref_service": _l("Type of service"),
    "ref_county": _l("County of the sending institution"),
    "grp_kind": _l("Type of the institutions taking part"),
    "grp_county": _l("County of the institutions taking part"),
    "att_kind": _l("Attendee's institution type"),
    "act_kind": _l("Owner's institution type"),
}
# Network dimensions read as the institution dimensions they are made of.
KIND_DIMS = frozenset({"inst_kind", "ref_from", "ref_to", "grp_kind", "att_kind", "act_kind"})
COUNTY_DIMS = frozenset({"county", "inst_county", "ref_county", "grp_county"})

FIXED = {
    "sex": {sex.value: label for sex, label in SEX_LABELS.items()},
    "disability": {"yes": _l("With disabilities"), "no": _l("Without disabilities"),
                   "refused": _l("Refused to answer")},
    "age_band": {"0-17": _l("Under 18"), "18-29": "18–29", "30-49": "30–49", "50-64": "50–64",
                 "65+": _l("65 and over")},
    # The support catalogues' own labels (one map of each, tenants/support/labels.py).
    "instrument": {kind.value: label for kind, label in INSTRUMENT_LABELS.items()},
    "outcome": {kind.value: label for kind, label in OUTCOME_LABELS.items()},
}
FIXED_ORDER = {
    "sex": ("female", "male"),
    "disability": ("yes", "no", "refused"),
    "age_band": AGE_BANDS,
    "instrument": tuple(FIXED["instrument"]),
    "outcome": tuple(FIXED["outcome"]),
}
NOT_RECORDED = _l("Not recorded")
NO_INSTITUTION = _l("Guests and no institution of the region")
COUNTY_LEVEL = _l("County-level institution")


@dataclass
class LabelBook:
    """The region's institutions and TERYT units, read once per page through the coordinator role."""

    institutions: dict = field(default_factory=dict)   # id (str) -> (short name, kind)
    units: dict = field(default_factory=dict)          # TERYT code -> (name, kind label)
    counties: list = field(default_factory=list)       # the region's county codes, by name
    # A page asks for the same labels many times (rows, sorting, charts); translating is not free.
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def label(self, dim: str, key: str) -> str:
        memo_key = (dim, key, current_language())
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = self._label(dim, key)
        return found

    def _label(self, dim: str, key: str) -> str:
        if dim in FIXED:
            return str(FIXED[dim].get(key, key))
        if dim in KIND_DIMS:
            if not key:
                return str(NO_INSTITUTION)
            return str(KIND_LABELS.get(key, key)) if key in InstitutionKind._value2member_map_ else key
        if dim == "ref_service":
            from regionet.tenants.service_catalogue.labels import SERVICE_TYPE_LABELS
            from regionet.tenants.service_catalogue.models import ServiceType

            return str(SERVICE_TYPE_LABELS[ServiceType(key)]) if key in ServiceType._value2member_map_ else key
        if dim == "kinds":
            return kinds_label(key)
        if dim == "institution":
            return self.institutions.get(key, (key, None))[0]
        if dim in COUNTY_DIMS or dim in ("commune", "inst_commune"):
            if not key:
                return str(COUNTY_LEVEL if dim == "inst_commune" else NOT_RECORDED)
            name, kind = self.units.get(key, (key, ""))
            if len(key) == 4:
                return f"{kind} {name}" if kind == "powiat" else f"{name} ({kind})" if kind else name
            return f"{name} ({kind})" if kind else name
        return key

    def short_label(self, dim: str, key: str) -> str:
        if dim in KIND_DIMS and key in InstitutionKind._value2member_map_:
            return str(KIND_SHORT[InstitutionKind(key)])
        return self.label(dim, key)

    def categories(self, dim: str, present: set) -> list[str]:
        """The rows a breakdown shows: the whole catalogue for small dimensions, what exists otherwise."""
        if dim in FIXED_ORDER:
            order = list(FIXED_ORDER[dim])
            return order + sorted(present - set(order))
        if dim in KIND_DIMS:
            kinds = {kind for _name, kind in self.institutions.values()} | present
            return [k.value for k in InstitutionKind if k.value in kinds] + ([""] if "" in present else [])
        if dim == "institution":
            keys = set(self.institutions) | present
            return sorted(keys, key=lambda k: sort_key(self.label(dim, k)))
        if dim in COUNTY_DIMS:
            keys = set(self.counties) | present
            return sorted(keys, key=lambda k: (k == "", sort_key(self.label(dim, k))))
        if dim == "kinds":
            return sorted(present, key=lambda k: (k.count("+"), [_KIND_INDEX.get(p, 99) for p in k.split("+")]))
        return sorted(present, key=lambda k: (k == "", sort_key(self.label(dim, k))))


_KIND_INDEX = {k.value: i for i, k in enumerate(InstitutionKind)}


def kinds_label(key: str) -> str:
    kinds = [k for k in key.split("+") if k]
    shorts = [str(KIND_SHORT.get(InstitutionKind(k), k)) if k in _KIND_INDEX else k for k in kinds]
    if len(shorts) == 1:
        return str(_l("%(kind)s only", kind=shorts[0]))
    return " + ".join(shorts)
