"""The printable plan (PDF, the platform's typography), to be signed by both sides."""
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from regionet.platform.institutions.models import Institution
from regionet.platform.pdf import FONT, Heading, build_pdf, para, paragraphs
from regionet.platform.ui.formatting import format_day, today_in_poland

from .models import IndividualPlan
from .services import plan_title

GRID = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c4ccd8")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
])


def build_plan_pdf(plan: IndividualPlan, institution: Institution) -> bytes:
    person = plan.participant
    title = plan_title(plan)
    story = [
        para(title, "title"),
        para(_("Version %(version)s · %(start)s – %(end)s", version=plan.version, start=format_day(plan.start_date),
               end=format_day(plan.planned_end_date)), "subtitle"),
        Heading(_("Parties"), 1),
        _facts([
            (_("Institution"), institution.name),
            (_("Case worker"), plan.case_worker.full_name if plan.case_worker else "—"),
            (_("The person"), f"{person.full_name}, PESEL {person.pesel}" if person.pesel else person.full_name),
            (_("Other parties"), plan.other_parties or "—"),
            (_("Project"), plan.enrolment.project.title if plan.enrolment else "—"),
        ]),
        Heading(_("Goals"), 1), *paragraphs(plan.goals),
        Heading(_("Obligations of the institution"), 1), *paragraphs(plan.institution_obligations),
        Heading(_("Obligations of the person"), 1), *paragraphs(plan.participant_obligations),
        Heading(_("Steps"), 1),
        _grid([_("Step"), _("Who does it"), _("Due")],
              [[s.description, s.owner, format_day(s.due_on)] for s in plan.steps], [95 * mm, 45 * mm, 30 * mm]),
        Heading(_("Review dates"), 1),
        para(", ".join(format_day(r.due_on) for r in plan.reviews) or "—"),
    ]
    if plan.amendments:
        story += [Heading(_("Amendments"), 1),
                  _grid([_("Version"), _("Date"), _("Reason for the amendment")],
                        [[str(a.version), format_day(a.made_on), a.reason] for a in plan.amendments],
                        [20 * mm, 30 * mm, 120 * mm])]
    story.append(KeepTogether([Spacer(1, 18 * mm), _signatures(person.full_name, institution.name)]))
    rendered = build_pdf(story, title=title, author=institution.name, subject=title,
                         header=f"{institution.short_name} · {title}",
                         footer=_("Printed %(day)s", day=format_day(today_in_poland())), page_label=_("Page {page} of {pages}"))
    return rendered.data


def _facts(rows: list[tuple[str, str]]) -> Table:
    table = Table([[para(key, "cell_key"), para(value, "cell")] for key, value in rows], colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _grid(headers: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    body = [[para(h, "cell_bold") for h in headers]] + [[para(c, "cell") for c in row] for row in rows]
    if not rows:
        body.append([para("—", "cell")] + [para("", "cell") for _h in headers[1:]])
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def _signatures(person: str, institution: str) -> Table:
    line = "_" * 34
    table = Table([[para(line, "cell"), para(line, "cell")],
                   [para(_("Signature of the person: %(name)s", name=person), "small"),
                    para(_("Signature for the institution: %(name)s", name=institution), "small")]],
                  colWidths=[85 * mm, 85 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
    return table
