"""The institution's project report: its projects with their figures, and its good practices.

Built by the same machinery as the regional catalogue: the data is collected (in the
institution's scope, person counts suppressed) and hashed when the report is requested,
stored with the report row, and rendered by a worker from that data alone.
"""
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer
from sqlalchemy import select

from regionet.platform.coordinator.disclosure import RegionRules, cell_text
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.pdf import Heading, build_pdf, table_of_contents
from regionet.platform.pdf.catalogue import data_table, key_value_table, para
from regionet.platform.pdf.document import RenderedPdf
from regionet.platform.regional_reports.dataset import dataset_sha256
from regionet.platform.regional_reports.pdf import results_flowables
from regionet.platform.ui.formatting import format_datetime, format_day, format_money, format_number, today_in_poland
from regionet.platform.ui.polish import polish_order
from regionet.tenants.practices.figures import project_indicators_for_tenant, publishable_figures
from regionet.tenants.practices.labels import PARTNER_KIND_LABELS, STATE_LABELS, label_of
from regionet.tenants.practices.presentation import funding_label
from regionet.tenants.practices.queries import practices_for_tenant
from regionet.tenants.practices.snapshot import institution_facts
from regionet.tenants.projects.models import Project

WIDTH = 170 * mm


def collect_projects_dataset(institution: Institution, today: date | None = None) -> dict:
    """The report's data, in the current tenant's scope; every person count suppressed."""
    today = today or today_in_poland()
    rule = RegionRules.for_region(institution.region)
    projects = list(db.session.execute(select(Project).order_by(Project.start_date.desc(), polish_order(Project.title))).scalars())
    raw = project_indicators_for_tenant([p.id for p in projects], today)
    return {
        "format": 1, "kind": "institution_projects", "institution": institution_facts(institution),
        "as_of": today.isoformat(), "rule": rule.to_json(),
        "projects": [{
            "title": p.title, "code": p.code, "funding_source": p.funding_source,
            "start": p.start_date.isoformat(), "end": p.end_date.isoformat(),
            "total": f"{p.budget_total:.2f}", "eu": f"{p.eu_cofinancing:.2f}", "own": f"{p.own_contribution:.2f}",
            "partners": [{"name": partner.name, "kind": partner.kind.value} for partner in p.partners],
            "figures": publishable_figures(raw.get(p.id), rule, today),
        } for p in projects],
        "practices": [{
            "title": practice.latest.title, "version": practice.latest.number, "state": practice.latest.state.value,
            "published_version": practice.published.number if practice.published else None,
        } for practice in practices_for_tenant()],
    }


def _day(value: str) -> str:
    return format_day(date.fromisoformat(value))


def render_projects_report(dataset: dict, *, data_taken_at: datetime,
                           progress: Callable[[int], None] = lambda p: None) -> RenderedPdf:
    sha256 = dataset_sha256(dataset)
    institution = dataset["institution"]
    rule = RegionRules.from_json(dataset["rule"])
    with force_locale("pl"):
        title = _("Projects and good practices: %(name)s", name=institution["name"])
        story = [Spacer(1, 40 * mm), para(_("Projects and good practices"), "cover_title"),
                 para(institution["name"], "cover_line"),
                 para(_("Data as of %(day)s", day=_day(dataset["as_of"])), "cover_line"),
                 PageBreak(), para(_("Contents"), "h1"), table_of_contents(), PageBreak(),
                 Heading(_("Projects"), 1, running=True)]
        rows = [[_("Project"), _("Period"), _("Total value"), _("Participants")]]
        for project in dataset["projects"]:
            participants = next((r["cell"] for r in (project["figures"] or {}).get("rows", [])
                                 if r["key"] == "participants_total"), None)
            rows.append([f"{project['title']} ({project['code']})",
                         f"{_day(project['start'])} – {_day(project['end'])}",
                         format_money(Decimal(project["total"])), cell_text(participants)])
        story.append(data_table(rows, [70 * mm, 42 * mm, 33 * mm, 25 * mm], align_right=(2, 3)) if dataset["projects"]
                     else para(_("The institution has no projects yet."), "italic"))
        progress(20)
        for number, project in enumerate(dataset["projects"], start=1):
            story += [PageBreak(), Heading(project["title"], 2, running=True),
                      key_value_table([(_("Code"), project["code"]),
                                       (_("Period"), f"{_day(project['start'])} – {_day(project['end'])}"),
                                       (_("Source"), funding_label(project["funding_source"])),
                                       (_("Total value"), format_money(Decimal(project["total"]))),
                                       (_("EU funds"), format_money(Decimal(project["eu"]))),
                                       (_("Own contribution"), format_money(Decimal(project["own"])))], 45 * mm, WIDTH)]
            if project["partners"]:
                story += [para(_("Partners"), "h3"), data_table(
                    [[_("Partner"), _("Type")]] + [[p["name"], label_of(PARTNER_KIND_LABELS, p["kind"])]
                                                   for p in project["partners"]], [110 * mm, 60 * mm])]
            story += [para(_("Results"), "h3")] + results_flowables(project["figures"], None)
            progress(20 + int(50 * number / max(1, len(dataset["projects"]))))
        story += [PageBreak(), Heading(_("Good practices"), 1, running=True)]
        if dataset["practices"]:
            story.append(data_table([[_("Title"), _("Latest version"), _("In the catalogue")]] + [
                [p["title"], f"{p['version']} · {label_of(STATE_LABELS, p['state'])}",
                 _("yes, version %(n)s", n=p["published_version"]) if p["published_version"] else _("no")]
                for p in dataset["practices"]], [95 * mm, 45 * mm, 30 * mm]))
        else:
            story.append(para(_("No practices yet."), "italic"))
        story += [PageBreak(), Heading(_("About this report"), 1, running=True), key_value_table([
            (_("Institution"), f"{institution['name']} (TERYT {institution['teryt_code']})"),
            (_("Data taken"), format_datetime(data_taken_at)),
            (_("Records as of"), _day(dataset["as_of"])),
            (_("Projects in the report"), format_number(len(dataset["projects"]))),
            (_("SHA-256 of the data"), " ".join(sha256[i:i + 16] for i in range(0, 64, 16))),
            (_("Small-number rule"), rule.text()),
            (_("Generated"), format_datetime(datetime.now(UTC)))], 50 * mm, WIDTH)]
        rendered = build_pdf(story, title=title, author=institution["name"], subject=_("Projects and good practices"),
                             keywords=f"sha256:{sha256}", header=f"{institution['short_name']} · {_('Projects')}",
                             footer=_("Data as of %(day)s · SHA-256 %(hash)s…", day=_day(dataset["as_of"]),
                                      hash=sha256[:12]),
                             page_label=_("Page {page} of {pages}"))
        progress(95)
    return rendered
