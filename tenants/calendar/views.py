"""The institution's calendar (a month of meetings, task and agreement deadlines, statutory reports)
and each person's secret ICS feed of the calendars of all their institutions. Thin: the entries
come from entries.py, the feed's rows from platform/calendar/services.py."""
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from regionet.platform.accounts.models import User
from regionet.platform.calendar.month_pages import create_feed_and_show, month_bounds, revoke_feed_and_return
from regionet.platform.calendar.region_entries import entries_for_region
from regionet.platform.calendar.services import active_feed, feed_user_id
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.tenancy.web import TenantBlueprint, current_institution
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.trail import aggregates_only
from regionet.tenants.groups.calendar_files import calendar_of, ics_response
from regionet.tenants.partners.forms import ConfirmForm

from .entries import entries_for_institution, unconfirmed_deadlines
from .feed import entry_event

bp = TenantBlueprint("tenant_calendar", __name__, url_prefix="/calendar", template_folder="templates")
feed_bp = Blueprint("calendar_feed", __name__)

FEED_PAST, FEED_AHEAD = timedelta(days=60), timedelta(days=400)


def _page(new_feed_url=None):
    first, previous, following = month_bounds(request.args.get("month"))
    institution = current_institution()
    entries = entries_for_institution(institution, first, following - timedelta(days=1), referrals=True)
    return render_template("calendar/month.html", first=first, entries=entries, previous=previous, following=following,
                           unconfirmed=unconfirmed_deadlines(institution), feed=active_feed(current_user.id),
                           new_feed_url=new_feed_url, confirm=ConfirmForm(), today=today_in_poland())


@bp.route("/")
@aggregates_only
def month():
    return _page()


@bp.route("/feed", methods=["POST"])
@aggregates_only
def create_feed():
    return create_feed_and_show(_page)


@bp.route("/feed/revoke", methods=["POST"])
def revoke_feed():
    return revoke_feed_and_return()


@feed_bp.route("/calendar/<token>.ics")
@aggregates_only
def feed(token):
    """The person's calendars (every institution they work in), for calendar applications: the
    secret address is the only key, so a revoked or unknown one is a plain 404."""
    user_id = feed_user_id(token)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_active:
        abort(404)
    today = today_in_poland()
    base_url = current_app.config.get("PUBLIC_BASE_URL", "")
    stamp, events = datetime.now(UTC), {}
    for membership in user.memberships:
        if not membership.is_active:
            continue
        with tenant_scope(membership.institution_id):
            for entry in entries_for_institution(membership.institution, today - FEED_PAST, today + FEED_AHEAD,
                                                 referrals=True):
                events.setdefault(entry.uid, entry_event(entry, base_url, stamp))
    for coordinated in user.coordinated_regions:   # the region's calendar of a coordinator
        for entry in entries_for_region(coordinated.region, today - FEED_PAST, today + FEED_AHEAD):
            events.setdefault(entry.uid, entry_event(entry, base_url, stamp))
    calendar = calendar_of(events.values())
    calendar.add("x-wr-calname", _("Regionet: my calendar"))
    return ics_response(calendar, "regionet.ics")
