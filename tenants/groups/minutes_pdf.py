"""The minutes of a meeting with its attendance list, ready to be signed: the typography of the
regional report (platform/pdf: DejaVu, its styles, tables and page furniture); every text from users
goes through platform/pdf/text.py. Small (a few pages), so it is built in the request."""
from flask import Response
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from regionet.platform.pdf.catalogue import data_table, key_value_table
from regionet.platform.pdf.document import build_pdf
from regionet.platform.pdf.text import para, paragraphs
from regionet.platform.ui.formatting import format_datetime, format_day, to_local_time

from .labels import MEMBER_ROLE_LABELS, MINUTES_STATE_LABELS, PRESENCE_LABELS
from .models import MemberRole
from .services import approved_minutes, current_minutes


def _when(meeting) -> str:
    text = format_datetime(meeting.starts_at)
    if meeting.ends_at:
        text += "–" + to_local_time(meeting.ends_at).strftime("%H:%M")
    return text


def _attendance_rows(meeting) -> list[list[str]]:
    rows = [[_("No."), _("Name"), _("Institution or organisation"), _("Presence"), _("Substitute"), _("Signature")]]
    for number, row in enumerate(meeting.attendance, start=1):
        role = MEMBER_ROLE_LABELS[row.member.role] if row.member else MEMBER_ROLE_LABELS[MemberRole.GUEST]
        rows.append([str(number), f"{row.name}\n{role}", row.affiliation, str(PRESENCE_LABELS[row.presence]),
                     row.substitute or "", ""])
    return rows


def _story(meeting) -> list:
    group, minutes = meeting.group, approved_minutes(meeting) or current_minutes(meeting)
    story = [para(_("Minutes of the meeting"), "title"), para(group.name, "subtitle"),
             key_value_table([(_("Meeting"), meeting.title), (_("Date and time"), _when(meeting)),
                              (_("Place"), meeting.place or meeting.online_url or "—"),
                              (_("Minutes"), _("version %(n)s, %(state)s", n=minutes.number,
                                               state=MINUTES_STATE_LABELS[minutes.state]) if minutes else "—")]),
             para(_("Agenda"), "h2")]
    for item in meeting.agenda:
        presenter = f" — {item.presenter}" if item.presenter else ""
        story.append(para(f"{item.position}. {item.title}{presenter}"))
    if not meeting.agenda:
        story.append(para(None))
    story += [para(_("Attendance list"), "h2"),
              data_table(_attendance_rows(meeting), [10 * mm, 38 * mm, 40 * mm, 36 * mm, 26 * mm, 20 * mm])]
    story += [para(_("Course of the meeting"), "h2"), *paragraphs(minutes.body if minutes else None)]
    story += [para(_("Decisions and votes"), "h2"), *(paragraphs(minutes.decisions) if minutes and minutes.decisions
                                                     else [para(None)])]
    actions = [a for a in group.actions if a.meeting_id == meeting.id]
    if actions:
        story += [para(_("Tasks"), "h2"), data_table(
            [[_("Task"), _("Owner"), _("Deadline")]] + [[a.title, a.owner_label, format_day(a.deadline)]
                                                      for a in actions], [90 * mm, 50 * mm, 30 * mm])]
    if minutes and minutes.approved_at:
        story.append(para(_("Approved on %(day)s by %(name)s.", day=format_day(minutes.approved_at),
                            name=minutes.approved_by.full_name if minutes.approved_by else "—"), "italic"))
    story += [Spacer(1, 18 * mm), data_table([[_("Chair"), _("Secretary")], ["\n\n", "\n\n"]], [85 * mm, 85 * mm])]
    return story


def build_minutes_pdf(meeting) -> bytes:
    title = _("Minutes of the meeting") + f": {meeting.group.name}"
    rendered = build_pdf(_story(meeting), title=title, author=meeting.group.name, subject=meeting.title,
                         header=f"{meeting.group.name} · {format_day(meeting.starts_at)}",
                         footer=_("Minutes of the meeting") + f" · {format_day(meeting.starts_at)}",
                         page_label=_("Page {page} of {pages}"))
    return rendered.data


def minutes_response(meeting) -> Response:
    day = to_local_time(meeting.starts_at).date().isoformat()
    return Response(build_minutes_pdf(meeting), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="protokol-{day}.pdf"'})
