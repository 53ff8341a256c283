"""Pages of working groups: the groups, their institutions and members, and their tasks.
Meetings are in meeting_views.py. Thin: reads in queries.py, writes in services.py."""
from datetime import UTC, datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from regionet.platform.accounts.models import MembershipRole
from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.partners.forms import ConfirmForm

from . import group_pages, labels
from .forms import ActionForm, GroupForm, InviteForm, MemberForm
from .group_pages import commit_or_show, create_group, form_status, invite_institution, with_invitable, with_owners
from .models import PartyStatus
from .queries import (
    absence_alerts,
    access_action,
    access_group,
    access_member,
    access_own_group,
    actions_of,
    groups_for_tenant,
    meetings_of,
    overdue_actions_for_tenant,
)
from .services import (
    candidate_people,
    do_accept_invitation,
    do_add_member,
    do_close_action,
    do_leave_group,
    do_remove_member,
    do_reopen_action,
    do_update_group,
    party_of,
)

bp = TenantBlueprint("tenant_groups", __name__, url_prefix="/groups", template_folder="templates")


@bp.app_context_processor
def group_labels():
    return {"group_kind_labels": labels.GROUP_KIND_LABELS, "party_status_labels": labels.PARTY_STATUS_LABELS,
            "member_role_labels": labels.MEMBER_ROLE_LABELS, "rsvp_labels": labels.RSVP_LABELS,
            "presence_labels": labels.PRESENCE_LABELS, "minutes_state_labels": labels.MINUTES_STATE_LABELS,
            "action_state_labels": labels.ACTION_STATE_LABELS}


def require_group_member(group):
    """Writes inside a group: a writer of an institution that has joined it (an invitation is not enough)."""
    party = party_of(group, current_institution().id)
    if party is None or party.status is not PartyStatus.MEMBER or not g.membership.role.can_write:
        abort(403)
    return party


@bp.route("/")
def index():
    return render_template("groups/index.html", groups=groups_for_tenant(),
                           overdue=overdue_actions_for_tenant(today_in_poland()))


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = GroupForm()
    return create_group(form, current_institution, lambda: render_template("groups/form.html", form=form, group=None))


@bp.route("/<uuid:group_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(group_id):
    group = access_own_group(group_id)
    form = GroupForm(obj=group)
    if request.method == "GET":
        form.kind.data = group.kind.value
    if form.validate_on_submit():
        do_update_group(group, form.name.data, form.kind.data, form.purpose.data, form.link_note.data)
        db.session.commit()
        return redirect(url_for(".detail", group_id=group.id))
    return render_template("groups/form.html", form=form, group=group), form_status()


def _detail_page(group, invite_form=None, member_form=None, action_form=None, status=200):
    institution = current_institution()
    party = party_of(group, institution.id)
    invite_form = with_invitable(invite_form or InviteForm(), group)
    member_form = member_form or MemberForm()
    member_form.user_id.choices = [("", "—")] + [(str(uid), name) for uid, name in
                                                 candidate_people(group, institution.id)]
    action_form = with_owners(action_form or ActionForm(), group)
    return render_template("groups/detail.html", group=group, party=party, owner=group.tenant_id == institution.id,
                           meetings=meetings_of(group), actions=actions_of(group), invite_form=invite_form,
                           absences=absence_alerts(group, datetime.now(UTC)),
                           member_form=member_form, action_form=action_form, confirm=ConfirmForm(),
                           today=today_in_poland()), status


@bp.route("/<uuid:group_id>")
def detail(group_id):
    return _detail_page(access_group(group_id))


@bp.route("/<uuid:group_id>/invite", methods=["POST"])
@require_writer
def invite(group_id):
    return invite_institution(access_own_group(group_id), _detail_page)


@bp.route("/<uuid:group_id>/accept", methods=["POST"])
@require_writer
def accept(group_id):
    group = access_group(group_id)
    form = ConfirmForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: do_accept_invitation(
            group, current_institution().id)):
        flash(_("Your institution has joined the group."), "success")
    return redirect(url_for(".detail", group_id=group.id))


@bp.route("/<uuid:group_id>/leave", methods=["POST"])
@require_writer
def leave(group_id):
    group = access_group(group_id)
    form = ConfirmForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: do_leave_group(group, current_institution().id)):
        flash(_("Your institution has left the group."), "success")
        return redirect(url_for(".index"))
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for(".detail", group_id=group.id))


@bp.route("/<uuid:group_id>/members", methods=["POST"])
@require_writer
def add_member(group_id):
    group = access_group(group_id)
    require_group_member(group)
    form = MemberForm()
    form.user_id.choices = [("", "—")] + [(str(uid), name) for uid, name in
                                          candidate_people(group, current_institution().id)]
    if form.validate_on_submit() and commit_or_show(form, lambda: do_add_member(
            group, current_institution().id, int(form.user_id.data) if (form.user_id.data or "").isdigit() else None,
            form.full_name.data, form.organisation.data, form.role.data, form.term_from.data, form.term_to.data)):
        flash(_("The member has been added."), "success")
        return redirect(url_for(".detail", group_id=group.id))
    return _detail_page(group, member_form=form, status=422)


@bp.route("/members/<uuid:member_id>/remove", methods=["POST"])
@require_writer
def remove_member(member_id):
    member = access_member(member_id)
    group = member.group
    require_group_member(group)
    if ConfirmForm().validate_on_submit():
        do_remove_member(member)
        db.session.commit()
        flash(_("The member has been removed from the group."), "success")
    return redirect(url_for(".detail", group_id=group.id))


@bp.route("/<uuid:group_id>/actions", methods=["POST"])
@require_writer
def add_action(group_id):
    group = access_group(group_id)
    require_group_member(group)
    return group_pages.add_action(group, None, url_for(".detail", group_id=group.id),
                                  lambda form: _detail_page(group, action_form=form, status=422))


@bp.route("/actions/<uuid:action_id>/done", methods=["POST"])
@require_writer
def close_action(action_id):
    action = access_action(action_id)
    require_group_member(action.group)
    form = ConfirmForm()
    if form.validate_on_submit():
        if request.form.get("reopen"):
            do_reopen_action(action)
        elif not commit_or_show(form, lambda: do_close_action(action, today_in_poland())):
            flash(" ".join(form.form_errors), "error")
        db.session.commit()
    back = next((m for m in action.group.meetings if str(m.id) == request.form.get("back")), None)
    if back is not None:   # the meeting page the task was closed on
        return redirect(url_for("tenant_meetings.detail", meeting_id=back.id) + "#actions")
    return redirect(url_for(".detail", group_id=action.group_id))


def is_admin() -> bool:
    return g.membership.role is MembershipRole.ADMIN
