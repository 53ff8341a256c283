"""The institution's section menu. Each tenant module adds its own entry here."""
from flask_babel import lazy_gettext as _l

# (endpoint, label, endpoints that count as this section)
TENANT_SECTIONS = [
    ("tenant_home.home", _l("Overview"), ("tenant_home.",)),
    ("tenant_reports.index", _l("Reports"), ("tenant_reports.",)),
    ("tenant_periods.index", _l("Reporting periods"), ("tenant_periods.",)),
]
