"""What an institution's group pages (views.py, meeting_views.py) and the coordinator's regional group
pages (platform/regional_groups/views.py) share: the steps whose logic is one, with what differs passed
in (the page each re-renders, the meeting page's endpoint: the blueprints differ). A group's page is
`.detail` (group_id) in both blueprints; the meeting's page is named by the caller."""
import io

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.extensions import db
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.partners.forms import ConfirmForm

from .forms import ActionForm, AgendaItemForm, InviteForm, MeetingForm
from .queries import access_meeting
from .services import (
    do_add_agenda_item,
    do_attach_document,
    do_create_group,
    do_invite_institution,
    do_save_action,
    do_save_meeting,
    invitable_institutions,
    owner_choices,
)


def form_status() -> int:
    """A form page shown again after a POST was refused: 422; asked for: 200."""
    return 422 if request.method == "POST" else 200


def commit_or_show(form, write):
    """Run `write()` and commit; a ValidationFailed goes next to the form's fields. True when saved."""
    try:
        write()
        db.session.commit()
        return True
    except ValidationFailed as failure:
        db.session.rollback()
        apply_to_form(form, failure)
        return False


def with_invitable(form: InviteForm, group) -> InviteForm:
    """The invitation form offering the institutions the group may still invite."""
    form.institution_id.choices = [(i.id, i.short_name) for i in invitable_institutions(group)]
    return form


def create_group(form, owner, form_page):
    """The group form sent: the group created for `owner()` (called once the form is valid), then its
    page; else `form_page()` again."""
    if form.validate_on_submit():
        group = do_create_group(owner(), current_user, form.name.data, form.kind.data, form.purpose.data,
                                form.link_note.data)
        db.session.commit()
        flash(_("The group %(name)s has been created.", name=group.name), "success")
        return redirect(url_for(".detail", group_id=group.id))
    return form_page(), form_status()


def invite_institution(group, detail_page):
    """The invitation form sent: the institution invited, or `detail_page(invite_form=…, status=422)`."""
    form = with_invitable(InviteForm(), group)
    if form.validate_on_submit() and commit_or_show(form, lambda: do_invite_institution(
            group, form.institution_id.data)):
        flash(_("The institution has been invited to the group."), "success")
        return redirect(url_for(".detail", group_id=group.id))
    return detail_page(group, invite_form=form, status=422)


def with_owners(form: ActionForm, group) -> ActionForm:
    """The task form offering the group's possible owners."""
    form.owner.choices = owner_choices(group)
    return form


def add_action(group, meeting, done_url, form_page):
    """The task form sent (a task of the group, or decided at `meeting`): the task added, then `done_url`;
    else `form_page(form)` again."""
    form = with_owners(ActionForm(), group)
    if form.validate_on_submit() and commit_or_show(form, lambda: do_save_action(
            group, None, meeting, form.title.data, form.owner.data, form.deadline.data)):
        flash(_("The task has been added."), "success")
        return redirect(done_url)
    return form_page(form)


def save_meeting(group, meeting, form: MeetingForm):
    """A meeting planned (`meeting` None: the members invited) or changed, from the sent form."""
    return do_save_meeting(group, meeting, current_user, form.title.data, form.day.data, form.starts_at.data,
                           form.ends_at.data, form.place.data, form.online_url.data)


def plan_meeting(group, meeting_endpoint, form_page):
    """The new meeting's form sent: the meeting planned, then its page; else `form_page(form)` again."""
    form = MeetingForm()
    if form.validate_on_submit():
        found = save_meeting(group, None, form)
        db.session.commit()
        flash(_("The meeting has been planned and the members invited."), "success")
        return redirect(url_for(meeting_endpoint, meeting_id=found.id))
    return form_page(form), form_status()


def add_agenda_item(meeting, meeting_endpoint, meeting_page):
    """The agenda form sent: the item added, or `meeting_page(meeting, agenda_form=…, status=422)`."""
    form = AgendaItemForm()
    if form.validate_on_submit():
        do_add_agenda_item(meeting, form.title.data, form.presenter.data, form.duration_minutes.data, form.notes.data)
        db.session.commit()
        return redirect(url_for(meeting_endpoint, meeting_id=meeting.id) + "#agenda")
    return meeting_page(meeting, agenda_form=form, status=422)


def attach_document(item, tenant_id, meeting_endpoint, meeting_page):
    """A document uploaded to an agenda item, stored as `tenant_id`'s; a refused file is shown next to
    its item (`meeting_page(meeting, document_errors=…, status=422)`)."""
    item_id, meeting_id = item.id, item.meeting_id
    if ConfirmForm().validate_on_submit():
        try:
            do_attach_document(item, request.files.get("document"), current_user, tenant_id,
                               current_app.config["MAX_CONTENT_LENGTH"])
            db.session.commit()
            flash(_("The document has been attached."), "success")
        except ValidationFailed as failure:
            db.session.rollback()
            return meeting_page(access_meeting(meeting_id), document_errors={str(item_id): [
                str(m) for messages in failure.errors.values() for m in messages]}, status=422)
    return redirect(url_for(meeting_endpoint, meeting_id=meeting_id) + "#agenda")


def document_response(found):
    """An agenda item's document: download only (never shown inline), as every attachment is."""
    response = send_file(io.BytesIO(found.data), mimetype=found.content_type, as_attachment=True,
                         download_name=found.file_name, max_age=0, etag=found.sha256, last_modified=found.uploaded_at)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
