"""Pages of a group's meetings: the meeting with its agenda, invitations (RSVP) and attendance, the
minutes (draft -> approved, versioned), the tasks decided at it, the invitation as an ICS file and
the minutes with the attendance list as a PDF."""
import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import to_local_time, today_in_poland
from regionet.platform.validation import ValidationFailed
from regionet.tenants.partners.forms import ConfirmForm

from . import calendar_files, minutes_pdf
from .forms import PRESENCE_CHOICES, ActionForm, AgendaItemForm, GuestForm, MeetingForm, MinutesForm, RsvpForm
from .queries import access_agenda_item, access_document, access_group, access_meeting, open_actions
from .services import (
    approved_minutes,
    current_minutes,
    do_add_agenda_item,
    do_add_guest,
    do_approve_minutes,
    do_attach_document,
    do_delete_agenda_item,
    do_record_attendance,
    do_remove_document,
    do_save_action,
    do_save_meeting,
    do_save_minutes,
    do_send_invitations,
    do_set_rsvp,
    may_approve,
    owner_choices,
)
from .views import commit_or_show, is_admin, require_group_member

bp = TenantBlueprint("tenant_meetings", __name__, url_prefix="/groups", template_folder="templates")


def _status():
    return 422 if request.method == "POST" else 200


@bp.route("/<uuid:group_id>/meetings/new", methods=["GET", "POST"])
@require_writer
def create(group_id):
    group = access_group(group_id)
    require_group_member(group)
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = do_save_meeting(group, None, current_user, form.title.data, form.day.data, form.starts_at.data,
                                  form.ends_at.data, form.place.data, form.online_url.data)
        db.session.commit()
        flash(_("The meeting has been planned and the members invited."), "success")
        return redirect(url_for(".detail", meeting_id=meeting.id))
    return render_template("groups/meeting_form.html", form=form, group=group, meeting=None), _status()


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
        do_save_meeting(meeting.group, meeting, current_user, form.title.data, form.day.data, form.starts_at.data,
                        form.ends_at.data, form.place.data, form.online_url.data)
        db.session.commit()
        return redirect(url_for(".detail", meeting_id=meeting.id))
    return render_template("groups/meeting_form.html", form=form, group=meeting.group, meeting=meeting), _status()


def _meeting_page(meeting, agenda_form=None, guest_form=None, action_form=None, minutes_form=None, status=200,
                  document_errors=None):
    group = meeting.group
    minutes = current_minutes(meeting)
    if minutes_form is None:
        minutes_form = MinutesForm(obj=minutes) if minutes else MinutesForm()
    action_form = action_form or ActionForm()
    action_form.owner.choices = owner_choices(group)
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
    form = AgendaItemForm()
    if form.validate_on_submit():
        do_add_agenda_item(meeting, form.title.data, form.presenter.data, form.duration_minutes.data, form.notes.data)
        db.session.commit()
        return redirect(url_for(".detail", meeting_id=meeting.id) + "#agenda")
    return _meeting_page(meeting, agenda_form=form, status=422)


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
    meeting = item.meeting
    require_group_member(meeting.group)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            do_attach_document(item, request.files.get("document"), current_user, current_institution().id,
                               current_app.config["MAX_CONTENT_LENGTH"])
            db.session.commit()
            flash(_("The document has been attached."), "success")
        except ValidationFailed as failure:
            db.session.rollback()
            return _meeting_page(access_meeting(meeting.id), document_errors={str(agenda_item_id): [
                str(m) for messages in failure.errors.values() for m in messages]}, status=422)
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#agenda")


@bp.route("/agenda-documents/<uuid:document_id>")
def document(document_id):
    """Download only (never shown inline), as every attachment is."""
    found = access_document(document_id, with_data=True)
    response = send_file(io.BytesIO(found.data), mimetype=found.content_type, as_attachment=True,
                         download_name=found.file_name, max_age=0, etag=found.sha256, last_modified=found.uploaded_at)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response


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
    group = meeting.group
    require_group_member(group)
    form = ActionForm()
    form.owner.choices = owner_choices(group)
    if form.validate_on_submit() and commit_or_show(form, lambda: do_save_action(
            group, None, meeting, form.title.data, form.owner.data, form.deadline.data)):
        flash(_("The task has been added."), "success")
        return redirect(url_for(".detail", meeting_id=meeting.id) + "#actions")
    return _meeting_page(meeting, action_form=form, status=422)


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
