"""An institution's home page: who is signed in, where, and what the institution has."""
from datetime import timedelta

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from regionet.platform.accounts.models import Membership, MembershipRole, User
from regionet.platform.extensions import db
from regionet.platform.regions.models import TerytUnit
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, open_to_privacy_officer
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.labels import LabelMap
from regionet.platform.ui.polish import polish_order
from regionet.tenants.calendar.entries import entries_for_institution
from regionet.tenants.groups.queries import overdue_actions_for_tenant
from regionet.tenants.navigation import tenant_menu
from regionet.tenants.partners.queries import expiring_agreements_for_tenant
from regionet.tenants.privacy.labels import PURPOSE_LABELS
from regionet.tenants.reports.queries import reports_for_tenant

from .due import due_work

CONSENT_PURPOSE_LABELS = LabelMap(PURPOSE_LABELS)

bp = TenantBlueprint("tenant_home", __name__, template_folder="templates")


@bp.app_context_processor
def tenant_navigation():
    from regionet.tenants.audit.labels import CHANGE_ACTION_LABELS
    from regionet.tenants.audit.models import REDACTED

    return {"tenant_menu": tenant_menu, "change_action_labels": CHANGE_ACTION_LABELS,
            "history_redacted": REDACTED}


@bp.route("/")
@open_to_privacy_officer
def home():
    if g.membership.role is MembershipRole.IOD:   # their work: the requests and the trail
        return redirect(url_for("tenant_privacy_requests.index"))
    institution = current_institution()
    team = db.session.execute(
        select(User.full_name, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.institution_id == institution.id, Membership.suspended_at.is_(None))
        .order_by(polish_order(User.full_name))).all()
    county = db.session.get(TerytUnit, institution.teryt_code[:4]) if len(institution.teryt_code) == 7 else None
    mine = request.args.get("who") == "me"
    today = today_in_poland()
    return render_template("tenant/home.html", team=team, team_size=len(team), county=county, mine=mine,
                           due=due_work(today, current_user.id if mine else None),
                           consent_purpose_labels=CONSENT_PURPOSE_LABELS,
                           recent_reports=reports_for_tenant(limit=5), user=current_user,
                           expiring_agreements=expiring_agreements_for_tenant(today), today=today,
                           overdue_actions=overdue_actions_for_tenant(today),
                           coming_up=entries_for_institution(institution, today, today + timedelta(days=14)))
