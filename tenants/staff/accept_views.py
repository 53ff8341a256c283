"""Accepting an invitation from its e-mailed link: /invitations/<institution>/<token>.

Not a tenant page (the invitee is not a member yet): the institution named in the link is
entered only to look the invitation up under its row-level security, by the token's hash.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from regionet.platform.accounts.services import get_user_by_email
from regionet.platform.extensions import db, limiter
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import activate_tenant

from .forms import AcceptForm
from .services import do_accept, find_invitation

bp = Blueprint("staff_invitations", __name__, template_folder="templates")


@bp.route("/invitations/<slug>/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def accept(slug: str, token: str):
    institution = db.session.execute(select(Institution).where(
        Institution.slug == slug, Institution.is_active.is_(True))).scalar_one_or_none()
    if institution is None:
        abort(404)
    activate_tenant(institution.id)
    invitation = find_invitation(token)
    if invitation is None:
        return render_template("staff/invitation_invalid.html"), 404
    existing = get_user_by_email(invitation.email)
    if existing is not None:
        if not current_user.is_authenticated or current_user.id != existing.id:
            return render_template("staff/invitation_sign_in.html", invitation=invitation, institution=institution,
                                   login_url=url_for("accounts.login", next=request.path))
        if request.method == "POST":
            if do_accept(institution, token, existing) is None:
                return render_template("staff/invitation_invalid.html"), 404
            flash(_("Welcome to %(name)s.", name=institution.name), "success")
            return redirect(url_for("tenant_home.home", tenant=institution.slug))
        return render_template("staff/invitation_accept.html", invitation=invitation, institution=institution,
                               form=None)
    form = AcceptForm(full_name=invitation.full_name)
    if form.validate_on_submit():
        if do_accept(institution, token, None, form.full_name.data, form.password.data) is None:
            return render_template("staff/invitation_invalid.html"), 404
        flash(_("Your account is ready. Sign in with your e-mail address and the new password."), "success")
        return redirect(url_for("accounts.login", next=url_for("tenant_home.home", tenant=institution.slug)))
    return render_template("staff/invitation_accept.html", invitation=invitation, institution=institution,
                           form=form), (422 if form.errors else 200)
