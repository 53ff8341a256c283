"""Pages of a group's meetings: the meeting with its agenda, invitations (RSVP) and attendance, the
minutes (draft -> approved, versioned), the tasks decided at it, the invitation as an ICS file and
the minutes with the attendance list as a PDF."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import to_local_time, today_in_poland
from regionet.tenants.partners.forms import ConfirmForm

from . import calendar_files, group_pages, minutes_pdf
from .forms import PRESENCE_CHOICES, ActionForm, AgendaItemForm, GuestForm, MeetingForm, MinutesForm, RsvpForm
from .group_pages import commit_or_show, form_status, save_meeting
from .queries import access_agenda_item, access_document, access_group, access_meeting, open_actions
from .services import (
    approved_minutes,
    current_minutes,
    do_add_guest,
    do_approve_minutes,
    do_delete_agenda_item,
    do_record_attendance,
    do_remove_document,
    do_save_minutes,
    do_send_invitations,
    do_set_rsvp,
    may_approve,
)
from .views import is_admin, require_group_member

bp = TenantBlueprint("tenant_meetings", __name__, url_prefix="/groups", template_folder="templates")


@bp.route("/<uuid:group_id>/meetings/new", methods=["GET", "POST"])
@require_writer
def create(group_id):
    group = access_group(group_id)
    require_group_member(group)
    return group_pages.plan_meeting(group, ".detail", lambda form: render_template(
        "groups/meeting_form.html", form=form, group=group, meeting=None))


@bp.route("/meetings/<uuid:meeting_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        starts = to_local_time(meeting.starts_at)
        form.day.data, form.starts_at.data = starts.date(), starts.time()
        form.ends_at.data = to_local_time(meeting.ends_at).time() if meeting.ends_at else None
    if form.validate_on_submit():
        save_meeting(meeting.group, meeting, form)
        db.session.commit()
        return redirect(url_for(".detail", meeting_id=meeting.id))
    return render_template("groups/meeting_form.html", form=form, group=meeting.group, meeting=meeting), form_status()


def _meeting_page(meeting, agenda_form=None, guest_form=None, action_form=None, minutes_form=None, status=200,
                  document_errors=None):
    group = meeting.group
    minutes = current_minutes(meeting)
    if minutes_form is None:
        minutes_form = MinutesForm(obj=minutes) if minutes else MinutesForm()
    action_form = group_pages.with_owners(action_form or ActionForm(), group)
    mine = next((a for a in meeting.attendance if a.member and a.member.user_id == current_user.id), None)
    return render_template(
        "groups/meeting.html", meeting=meeting, group=group, minutes=minutes, approved=approved_minutes(meeting),
        agenda_form=agenda_form or AgendaItemForm(), guest_form=guest_form or GuestForm(), action_form=action_form,
        minutes_form=minutes_form, rsvp_form=RsvpForm(rsvp=mine.rsvp.value if mine else None), my_attendance=mine,
        presence_choices=PRESENCE_CHOICES, confirm=ConfirmForm(), carried_over=open_actions(group),
        can_approve=may_approve(group, current_user, current_institution().id, is_admin()),
        today=today_in_poland(), document_errors=document_errors or {}), status


@bp.route("/meetings/<uuid:meeting_id>")
def detail(meeting_id):
    return _meeting_page(access_meeting(meeting_id))


@bp.route("/meetings/<uuid:meeting_id>/agenda", methods=["POST"])
@require_writer
def add_agenda_item(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    return group_pages.add_agenda_item(meeting, ".detail", _meeting_page)


@bp.route("/agenda/<uuid:agenda_item_id>/delete", methods=["POST"])
@require_writer
def delete_agenda_item(agenda_item_id):
    item = access_agenda_item(agenda_item_id)
    meeting = item.meeting
    require_group_member(meeting.group)
    if ConfirmForm().validate_on_submit():
        do_delete_agenda_item(item)
        db.session.commit()
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#agenda")


@bp.route("/agenda/<uuid:agenda_item_id>/documents", methods=["POST"])
@require_writer
def attach_document(agenda_item_id):
    item = access_agenda_item(agenda_item_id)
    require_group_member(item.meeting.group)
    return group_pages.attach_document(item, current_institution().id, ".detail", _meeting_page)


@bp.route("/agenda-documents/<uuid:document_id>")
def document(document_id):
    return group_pages.document_response(access_document(document_id, with_data=True))


@bp.route("/agenda-documents/<uuid:document_id>/delete", methods=["POST"])
@require_writer
def remove_document(document_id):
    found = access_document(document_id)
    meeting_id = found.item.meeting_id
    require_group_member(found.item.meeting.group)
    if ConfirmForm().validate_on_submit():
        do_remove_document(found)
        db.session.commit()
    return redirect(url_for(".detail", meeting_id=meeting_id) + "#agenda")


@bp.route("/meetings/<uuid:meeting_id>/rsvp", methods=["POST"])
@require_writer
def rsvp(meeting_id):
    meeting = access_meeting(meeting_id)
    form = RsvpForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: do_set_rsvp(meeting, current_user, form.rsvp.data)):
        flash(_("Your answer has been saved."), "success")
    else:
        flash(" ".join(form.rsvp.errors or form.form_errors) or _("Choose your answer."), "error")
    return redirect(url_for(".detail", meeting_id=meeting.id))


@bp.route("/meetings/<uuid:meeting_id>/attendance", methods=["POST"])
@require_writer
def attendance(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    if ConfirmForm().validate_on_submit():
        allowed = {value for value, _label in PRESENCE_CHOICES}
        marks = {str(row.id): (request.form.get(f"presence-{row.id}"), request.form.get(f"substitute-{row.id}", "")[:200])
                 for row in meeting.attendance if request.form.get(f"presence-{row.id}") in allowed}
        do_record_attendance(meeting, marks)
        db.session.commit()
        flash(_("The attendance list has been saved."), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#attendance")


@bp.route("/meetings/<uuid:meeting_id>/guests", methods=["POST"])
@require_writer
def add_guest(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    form = GuestForm()
    if form.validate_on_submit():
        do_add_guest(meeting, form.guest_name.data, form.guest_organisation.data)
        db.session.commit()
        return redirect(url_for(".detail", meeting_id=meeting.id) + "#attendance")
    return _meeting_page(meeting, guest_form=form, status=422)


@bp.route("/meetings/<uuid:meeting_id>/minutes", methods=["POST"])
@require_writer
def save_minutes(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    form = MinutesForm()
    if form.validate_on_submit():
        do_save_minutes(meeting, current_user, form.body.data, form.decisions.data)
        db.session.commit()
        flash(_("The draft of the minutes has been saved."), "success")
        return redirect(url_for(".detail", meeting_id=meeting.id) + "#minutes")
    return _meeting_page(meeting, minutes_form=form, status=422)


@bp.route("/meetings/<uuid:meeting_id>/minutes/approve", methods=["POST"])
@require_writer
def approve_minutes(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    if not may_approve(meeting.group, current_user, current_institution().id, is_admin()):
        flash(_("Only the chair of the group approves its minutes."), "error")
        return redirect(url_for(".detail", meeting_id=meeting.id) + "#minutes")
    form = ConfirmForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: do_approve_minutes(meeting, current_user)):
        flash(_("The minutes have been approved."), "success")
    elif form.form_errors:
        flash(" ".join(form.form_errors), "error")
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#minutes")


@bp.route("/meetings/<uuid:meeting_id>/actions", methods=["POST"])
@require_writer
def add_action(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    return group_pages.add_action(meeting.group, meeting, url_for(".detail", meeting_id=meeting.id) + "#actions",
                                  lambda form: _meeting_page(meeting, action_form=form, status=422))


@bp.route("/meetings/<uuid:meeting_id>/invitations", methods=["POST"])
@require_writer
def send_invitations(meeting_id):
    meeting = access_meeting(meeting_id)
    require_group_member(meeting.group)
    if ConfirmForm().validate_on_submit():
        sent = do_send_invitations(meeting)
        db.session.commit()
        flash(_("Invitations sent by e-mail: %(n)s.", n=sent), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#attendance")


@bp.route("/meetings/<uuid:meeting_id>/invitation.ics")
def invitation(meeting_id):
    meeting = access_meeting(meeting_id)
    return calendar_files.meeting_response(meeting)


@bp.route("/meetings/<uuid:meeting_id>/minutes.pdf")
def minutes_file(meeting_id):
    meeting = access_meeting(meeting_id)
    return minutes_pdf.minutes_response(meeting)
