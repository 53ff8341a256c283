"""The institution's section menu. Each tenant module adds its own entry here."""
import functools

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l

from regionet.platform.ui.formatting import current_language

# (endpoint, label, endpoints that count as this section)
TENANT_SECTIONS = [
    ("tenant_home.home", _l("Overview"), ("tenant_home.",)),
    ("tenant_participants.index", _l("Participants"), ("tenant_participants.", "tenant_imports.")),
    ("tenant_plans.index", _l("Individual plans"), ("tenant_plans.",)),
    ("tenant_projects.index", _l("Projects"), ("tenant_projects.", "tenant_support.", "tenant_group_sessions.")),
    ("tenant_partners.index", _l("Partners and agreements"), ("tenant_partners.", "tenant_agreements.")),
    ("tenant_practices.index", _l("Good practices"), ("tenant_practices.",)),
    ("tenant_referrals.index", _l("Referrals"), ("tenant_referrals.",)),
    ("tenant_services.index", _l("Services of the region"), ("tenant_services.",)),
    ("tenant_groups.index", _l("Working groups"), ("tenant_groups.", "tenant_meetings.")),
    ("tenant_calendar.month", _l("Calendar"), ("tenant_calendar.",)),
    ("practice_catalogue.index", _l("Regional catalogue"), ("practice_catalogue.",)),
    ("tenant_reports.index", _l("Reports"), ("tenant_reports.",)),
    ("tenant_periods.index", _l("Reporting periods"), ("tenant_periods.",)),
]


@functools.lru_cache(maxsize=4096)
def _menu(slug: str, script_root: str, language: str) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(endpoint, URL, label, prefixes) of every section of one institution, in one language: the
    same for every page, so built once per process instead of with 13 url_for calls per page."""
    return tuple((endpoint, url_for(endpoint, tenant=slug), str(label), prefixes)
                 for endpoint, label, prefixes in TENANT_SECTIONS)


def tenant_menu():
    """The section menu of the current institution (tenant/layout.html)."""
    return _menu(g.institution.slug, request.script_root, current_language())
