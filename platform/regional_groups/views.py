"""The coordinator's regional working groups: /r/<region>/groups/ (issue 16, point 1).

The coordinator creates a regional group (e.g. the region's social-economy committee), invites
institutions of the region and plans its meetings; the member institutions see the group in their
own workspace (tenants/groups) like any group they were invited to. Every page works in the tenant
scope of the region's office (office.py), so a group of another region, or an institution's own
group, is a 404 here. Thin: reads and writes are the groups' own (tenants/groups), and so are the steps
its pages share with an institution's group pages (tenants/groups/group_pages.py, and the templates'
groups/_group_parts.html)."""

from flask import abort, render_template, request

from regionet.tenants.groups import calendar_files, group_pages, minutes_pdf
from regionet.tenants.groups.forms import AgendaItemForm, GroupForm, InviteForm
from regionet.tenants.groups.models import GroupKind
from regionet.tenants.groups.queries import (
    access_agenda_item,
    access_document,
    access_meeting,
    access_own_group,
    groups_for_tenant,
    meetings_of,
)
from regionet.tenants.partners.forms import ConfirmForm

from ..regions.web import RegionBlueprint, current_region
from ..tenancy import activate_tenant
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
    return group_pages.create_group(form, _entered_office,
                                    lambda: render_template("regional_groups/form.html", form=form))


def _entered_office():
    """The region's office (created with its first group), its tenant scope entered."""
    office = do_region_office(current_region())
    activate_tenant(office.id)
    return office


def _detail(group, invite_form=None, status=200):
    return render_template("regional_groups/detail.html", group=group, meetings=meetings_of(group),
                           invite_form=group_pages.with_invitable(invite_form or InviteForm(), group)), status


@bp.route("/<uuid:group_id>")
def detail(group_id):
    _office_or_404()
    return _detail(access_own_group(group_id))


@bp.route("/<uuid:group_id>/invite", methods=["POST"])
def invite(group_id):
    _office_or_404()
    return group_pages.invite_institution(access_own_group(group_id), _detail)


@bp.route("/<uuid:group_id>/meetings/new", methods=["GET", "POST"])
def new_meeting(group_id):
    _office_or_404()
    group = access_own_group(group_id)
    return group_pages.plan_meeting(group, ".meeting", lambda form: render_template(
        "regional_groups/meeting_form.html", form=form, group=group))


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
    return group_pages.add_agenda_item(_own_meeting(meeting_id), ".meeting", _meeting_page)


@bp.route("/agenda/<uuid:agenda_item_id>/documents", methods=["POST"])
def attach_document(agenda_item_id):
    office = _office_or_404()
    item = access_agenda_item(agenda_item_id)
    if item.tenant_id != office.id:
        abort(404)
    return group_pages.attach_document(item, office.id, ".meeting", _meeting_page)


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
    return group_pages.document_response(found)
