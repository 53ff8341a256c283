"""The project list as spreadsheet rows (CSV/XLSX through platform.exports)."""
from flask_babel import gettext as _

from .catalogues import FUNDING_SOURCES
from .rules import share


def project_rows(projects) -> tuple[list[str], list[list]]:
    headers = [_("Code"), _("Title"), _("Funding source"), _("Start date"), _("End date"), _("Project budget"),
               _("EU co-financing"), _("EU share (%)"), _("Own contribution"), _("Own share (%)"), _("Partners"),
               _("Participants")]
    rows = []
    for p in projects:
        source = FUNDING_SOURCES.get(p.funding_source)
        eu_share, own_share = share(p.eu_cofinancing, p.budget_total), share(p.own_contribution, p.budget_total)
        rows.append([
            p.code, p.title, source.label if source else p.funding_source, p.start_date, p.end_date, p.budget_total,
            p.eu_cofinancing, round(eu_share, 2) if eu_share is not None else None, p.own_contribution,
            round(own_share, 2) if own_share is not None else None, ", ".join(x.name for x in p.partners),
            p.enrolment_count,
        ])
    return headers, rows
