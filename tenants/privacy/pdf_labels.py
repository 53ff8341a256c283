"""What the access file's PDF prints for stored keys: field names and values as people read them."""
from flask import g
from flask_babel import gettext as _

from regionet.platform.ui.labels import LabelMap
from regionet.tenants.participants.communes import CommuneCatalogue
from regionet.tenants.participants.display import display_value
from regionet.tenants.participants.labels import FIELD_LABELS
from regionet.tenants.support.labels import INSTRUMENT_LABELS, OUTCOME_LABELS

from .labels import BASIS_LABELS, PURPOSE_LABELS, REQUEST_KIND_LABELS


def _by_value(labels: dict):
    mapped = LabelMap(labels).translated()
    by_value = {getattr(key, "value", key): text for key, text in mapped.items()}
    return lambda value: by_value.get(value, value)


def access_file_labels() -> dict:
    communes = CommuneCatalogue.for_region(g.institution.region_code)
    return {
        "fields": {**LabelMap(FIELD_LABELS).translated(), "registered_at": _("Registered"),
                   "restricted_at": _("Processing restricted since"), "restriction_reason": _("Why restricted")},
        "value": lambda name, value: display_value(name, value, communes) or "—",
        "instrument": _by_value(INSTRUMENT_LABELS), "outcome": _by_value(OUTCOME_LABELS),
        "purpose": _by_value(PURPOSE_LABELS), "basis": _by_value(BASIS_LABELS),
        "request": _by_value(REQUEST_KIND_LABELS),
    }
