"""The institution administrator's staff page: members, invitations, second-factor rules, history."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from regionet.platform.accounts.events import AccountEvent
from regionet.platform.accounts.models import MembershipRole
from regionet.platform.accounts.second_factor import SecondFactor
from regionet.platform.accounts.security_admin import (
    admin_may_reset,
    do_require_for_institution,
    do_reset_second_factor,
)
from regionet.platform.extensions import db
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_admin
from regionet.platform.validation import ValidationFailed, apply_to_form

from .forms import InviteForm, MemberActionForm
from .models import StaffInvitation
from .services import (
    do_cancel,
    do_change_role,
    do_grant_special_categories,
    do_invite,
    do_reactivate,
    do_remove,
    do_resend,
    do_revoke_special_categories,
    do_suspend,
    member_of_or_none,
    members_of,
    pending_invitations,
)

bp = TenantBlueprint("tenant_staff", __name__, url_prefix="/staff", template_folder="templates")


def _page(invite_form=None, action_error=None, status=200):
    institution = current_institution()
    members = members_of(institution)
    enrolled = set(db.session.execute(select(SecondFactor.user_id).where(
        SecondFactor.user_id.in_([m.user_id for m in members]), SecondFactor.confirmed_at.is_not(None))).scalars())
    events = db.session.execute(select(AccountEvent).where(AccountEvent.institution_id == institution.id)
                                .order_by(AccountEvent.at.desc(), AccountEvent.id.desc()).limit(50)).scalars().all()
    return render_template("staff/index.html", members=members, enrolled=enrolled, events=events,
                           invitations=pending_invitations(), invite_form=invite_form or InviteForm(),
                           action_form=MemberActionForm(), action_error=action_error,
                           may_reset={m.user_id for m in members if admin_may_reset(g.membership, m.user)},
                           roles=list(MembershipRole)), status


@bp.route("/")
@require_admin
def index():
    return _page()


@bp.route("/invite", methods=["POST"])
@require_admin
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = do_invite(current_institution(), current_user, form.email.data, form.full_name.data,
                                   MembershipRole(form.role.data))
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for(".index"))
        except ValidationFailed as failure:
            db.session.rollback()
            apply_to_form(form, failure)
    return _page(invite_form=form, status=422)


@bp.route("/members", methods=["POST"])
@require_admin
def change_member():
    form = MemberActionForm()
    institution = current_institution()
    if not form.validate_on_submit():
        abort(400)
    membership = member_of_or_none(institution, form.user_id.data)
    if membership is None:
        abort(404)
    actions = {"suspend": do_suspend, "reactivate": do_reactivate, "remove": do_remove,
               "grant_special": do_grant_special_categories, "revoke_special": do_revoke_special_categories}
    try:
        if form.action.data == "role":
            if form.role.data not in {r.value for r in MembershipRole}:
                abort(400)
            do_change_role(institution, current_user, membership, MembershipRole(form.role.data))
        elif form.action.data == "reset_second_factor":
            if not admin_may_reset(g.membership, membership.user):
                abort(403)
            do_reset_second_factor(membership.user, current_user, institution)
        elif form.action.data in actions:
            actions[form.action.data](institution, current_user, membership)
        else:
            abort(400)
        db.session.commit()
    except ValidationFailed as failure:
        db.session.rollback()
        return _page(action_error=" ".join(m for ms in failure.errors.values() for m in ms), status=422)
    flash(_("Saved."), "success")
    return redirect(url_for(".index"))


@bp.route("/invitations/<uuid:invitation_id>/resend", methods=["POST"])
@require_admin
def resend(invitation_id):
    invitation = get_for_tenant_or_404(StaffInvitation, invitation_id)
    if invitation.accepted_at or invitation.cancelled_at:
        abort(404)
    do_resend(current_institution(), current_user, invitation)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for(".index"))


@bp.route("/invitations/<uuid:invitation_id>/cancel", methods=["POST"])
@require_admin
def cancel(invitation_id):
    invitation = get_for_tenant_or_404(StaffInvitation, invitation_id)
    if not (invitation.accepted_at or invitation.cancelled_at):
        do_cancel(current_institution(), current_user, invitation)
        db.session.commit()
    return redirect(url_for(".index"))


@bp.route("/second-factor-requirement", methods=["POST"])
@require_admin
def second_factor_requirement():
    institution = current_institution()
    do_require_for_institution(institution, not institution.require_second_factor, current_user)
    db.session.commit()
    flash(_("Every member must now sign in with a second factor.") if institution.require_second_factor
          else _("The second factor is now optional for staff members."), "success")
    return redirect(url_for(".index"))
