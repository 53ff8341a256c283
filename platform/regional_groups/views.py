"""The coordinator's regional working groups: /r/<region>/groups/ (issue 16, point 1).

The coordinator creates a regional group (e.g. the region's social-economy committee), invites
institutions of the region and plans its meetings; the member institutions see the group in their
own workspace (tenants/groups) like any group they were invited to. Every page works in the tenant
scope of the region's office (office.py), so a group of another region, or an institution's own
group, is a 404 here. Thin: reads and writes are the groups' own (tenants/groups)."""
import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.tenants.groups import calendar_files, minutes_pdf
from regionet.tenants.groups.forms import AgendaItemForm, GroupForm, InviteForm, MeetingForm
from regionet.tenants.groups.models import GroupKind
from regionet.tenants.groups.queries import (
    access_agenda_item,
    access_document,
    access_meeting,
    access_own_group,
    groups_for_tenant,
    meetings_of,
)
from regionet.tenants.groups.services import (
    do_add_agenda_item,
    do_attach_document,
    do_create_group,
    do_invite_institution,
    do_save_meeting,
    invitable_institutions,
)
from regionet.tenants.partners.forms import ConfirmForm

from ..extensions import db
from ..regions.web import RegionBlueprint, current_region
from ..tenancy import activate_tenant
from ..validation import ValidationFailed, apply_to_form
from .office import do_region_office, region_office

bp = RegionBlueprint("region_groups", __name__, url_prefix="/groups", template_folder="templates")


@bp.before_request
def _enter_office():
    """Work as the region's office (after RegionBlueprint checked the coordinator's region)."""
    office = region_office(current_region())
    if office is not None:
        activate_tenant(office.id)


def _office_or_404():
    office = region_office(current_region())
    if office is None:
        abort(404)
    return office


@bp.route("/")
def index():
    groups = groups_for_tenant() if region_office(current_region()) is not None else []
    return render_template("regional_groups/index.html", groups=groups)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = GroupForm()
    if request.method == "GET":
        form.kind.data = GroupKind.COMMITTEE.value
    if form.validate_on_submit():
        office = do_region_office(current_region())
        activate_tenant(office.id)
        group = do_create_group(office, current_user, form.name.data, form.kind.data, form.purpose.data,
                                form.link_note.data)
        db.session.commit()
        flash(_("The group %(name)s has been created.", name=group.name), "success")
        return redirect(url_for(".detail", group_id=group.id))
    return render_template("regional_groups/form.html", form=form), 422 if request.method == "POST" else 200


def _detail(group, invite_form=None, status=200):
    invite_form = invite_form or InviteForm()
    invite_form.institution_id.choices = [(i.id, i.short_name) for i in invitable_institutions(group)]
    return render_template("regional_groups/detail.html", group=group, meetings=meetings_of(group),
                           invite_form=invite_form), status


@bp.route("/<uuid:group_id>")
def detail(group_id):
    _office_or_404()
    return _detail(access_own_group(group_id))


@bp.route("/<uuid:group_id>/invite", methods=["POST"])
def invite(group_id):
    _office_or_404()
    group = access_own_group(group_id)
    form = InviteForm()
    form.institution_id.choices = [(i.id, i.short_name) for i in invitable_institutions(group)]
    if form.validate_on_submit():
        try:
            do_invite_institution(group, form.institution_id.data)
            db.session.commit()
            flash(_("The institution has been invited to the group."), "success")
            return redirect(url_for(".detail", group_id=group.id))
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
    return _detail(group, invite_form=form, status=422)


@bp.route("/<uuid:group_id>/meetings/new", methods=["GET", "POST"])
def new_meeting(group_id):
    _office_or_404()
    group = access_own_group(group_id)
    form = MeetingForm()
    if form.validate_on_submit():
        found = do_save_meeting(group, None, current_user, form.title.data, form.day.data, form.starts_at.data,
                                form.ends_at.data, form.place.data, form.online_url.data)
        db.session.commit()
        flash(_("The meeting has been planned and the members invited."), "success")
        return redirect(url_for(".meeting", meeting_id=found.id))
    return render_template("regional_groups/meeting_form.html", form=form, group=group), \
        422 if request.method == "POST" else 200


def _own_meeting(meeting_id):
    office = _office_or_404()
    found = access_meeting(meeting_id)
    if found.tenant_id != office.id:   # a meeting of an institution's group the office could see: not ours
        abort(404)
    return found


def _meeting_page(found, agenda_form=None, document_errors=None, status=200):
    return render_template("regional_groups/meeting.html", meeting=found, group=found.group,
                           agenda_form=agenda_form or AgendaItemForm(), confirm=ConfirmForm(),
                           document_errors=document_errors or {}), status


@bp.route("/meetings/<uuid:meeting_id>")
def meeting(meeting_id):
    return _meeting_page(_own_meeting(meeting_id))


@bp.route("/meetings/<uuid:meeting_id>/agenda", methods=["POST"])
def add_agenda_item(meeting_id):
    found = _own_meeting(meeting_id)
    form = AgendaItemForm()
    if form.validate_on_submit():
        do_add_agenda_item(found, form.title.data, form.presenter.data, form.duration_minutes.data, form.notes.data)
        db.session.commit()
        return redirect(url_for(".meeting", meeting_id=found.id) + "#agenda")
    return _meeting_page(found, agenda_form=form, status=422)


@bp.route("/agenda/<uuid:agenda_item_id>/documents", methods=["POST"])
def attach_document(agenda_item_id):
    office = _office_or_404()
    item = access_agenda_item(agenda_item_id)
    if item.tenant_id != office.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            do_attach_document(item, request.files.get("document"), current_user, office.id,
                               current_app.config["MAX_CONTENT_LENGTH"])
            db.session.commit()
            flash(_("The document has been attached."), "success")
        except ValidationFailed as failure:
            db.session.rollback()
            return _meeting_page(_own_meeting(item.meeting_id), document_errors={str(agenda_item_id): [
                str(m) for messages in failure.errors.values() for m in messages]}, status=422)
    return redirect(url_for(".meeting", meeting_id=item.meeting_id) + "#agenda")


@bp.route("/meetings/<uuid:meeting_id>/invitation.ics")
def invitation(meeting_id):
    return calendar_files.meeting_response(_own_meeting(meeting_id))


@bp.route("/meetings/<uuid:meeting_id>/minutes.pdf")
def minutes_file(meeting_id):
    return minutes_pdf.minutes_response(_own_meeting(meeting_id))


@bp.route("/agenda-documents/<uuid:document_id>")
def document(document_id):
    """A document of a regional group's agenda item (download only, as every attachment)."""
    office = _office_or_404()
    found = access_document(document_id, with_data=True)
    if found.tenant_id != office.id:
        abort(404)
    response = send_file(io.BytesIO(found.data), mimetype=found.content_type, as_attachment=True,
                         download_name=found.file_name, max_age=0, etag=found.sha256, last_modified=found.uploaded_at)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
