"""The institution summary PDF: who the institution is, its team and its reports."""
from collections.abc import Callable
from datetime import UTC

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from regionet.platform.accounts.models import MembershipRole
from regionet.platform.institutions.labels import institution_kind_label
from regionet.platform.institutions.models import Institution
from regionet.platform.pdf import FONT, Heading, build_pdf, para
from regionet.platform.run_status import RUN_STATUS_LABELS
from regionet.platform.ui.formatting import format_datetime, format_number

from .queries import reports_for_tenant
from .summary_data import SummaryData, collect_summary_data


def build_summary_pdf(institution: Institution, progress: Callable[[int], None] = lambda p: None,
                      locale: str = "pl") -> tuple[bytes, int]:
    """Return (PDF bytes, page count) for `institution`, reporting progress 0–100."""
    with force_locale(locale):
        progress(10)
        data = collect_summary_data(institution)
        progress(40)
        story = _story(data)
        progress(60)
        title = _("Institution summary: %(name)s", name=institution.name)
        rendered = build_pdf(
            story, title=title, author=institution.name, subject=_("Institution summary"),
            header=f"{institution.short_name} · {_('Institution summary')}",
            footer=_("Generated %(when)s", when=format_datetime(data.generated_at)),
            page_label=_("Page {page} of {pages}"),
        )
        progress(90)
    return rendered.data, rendered.pages


def _table(rows: list[list], widths: list[float]) -> Table:
    body = [[para(str(cell), "cell_bold" if i == 0 else "cell") for cell in row]
            for i, row in enumerate(rows)]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c4ccd8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fc")]),
    ]))
    return table


def _story(data: SummaryData) -> list:
    inst = data.institution
    story = [
        para(inst.name, "title"),
        para(_("Institution summary"), "subtitle"),
        Heading(_("Institution"), 1),
        _table([
            [_("Field"), _("Value")],
            [_("Type"), institution_kind_label(inst.kind)],
            [_("Region"), inst.region.name],
            [_("Commune or county (TERYT)"), f"{inst.teryt_unit.name} ({inst.teryt_code})"],
            [_("NIP"), inst.nip or "—"],
            [_("REGON"), inst.regon or "—"],
        ], [60 * mm, 110 * mm]),
        Spacer(1, 6 * mm),
        Heading(_("Team"), 1),
        _table([[_("Role"), _("People")]] + [
            [label, format_number(data.members_by_role.get(role, 0))]
            for role, label in ((MembershipRole.ADMIN, _("Administrators")),
                                (MembershipRole.STAFF, _("Staff")),
                                (MembershipRole.READONLY, _("Read-only")))
        ], [110 * mm, 60 * mm]),
        Spacer(1, 6 * mm),
        Heading(_("Generated reports"), 1),
    ]
    reports = reports_for_tenant(limit=20)
    if reports:
        story.append(_table([[_("Requested"), _("Status"), _("Pages")]] + [
            [format_datetime(r.requested_at), str(RUN_STATUS_LABELS[r.status]), format_number(r.page_count) if r.page_count else "—"]
            for r in reports
        ], [70 * mm, 60 * mm, 40 * mm]))
    else:
        story.append(para(_("No reports yet."), "body"))
    story += [Spacer(1, 8 * mm), para(
        _("Data as of %(when)s.", when=format_datetime(data.generated_at.astimezone(UTC))), "small")]
    return story


