from flask_babel import lazy_gettext as _l

from .catalogues import FUNDING_SOURCES

PROJECT_FIELD_LABELS = {
    "title": _l("Title"), "code": _l("Code"), "funding_source": _l("Funding source"),
    "start_date": _l("Start date"), "end_date": _l("End date"), "budget_total": _l("Project budget"),
    "eu_cofinancing": _l("EU co-financing"), "own_contribution": _l("Own contribution"),
    "description": _l("Description"),
}

PROJECT_STATE_LABELS = {"active": _l("Running now"), "finished": _l("Finished"), "planned": _l("Not started yet")}


def funding_label(key: str) -> str:
    source = FUNDING_SOURCES.get(key)
    return source.short if source else key
