"""The region's calendar, the coordinator's view: /r/<region>/calendar/ (issue 16, point 4), and the
coordinator's secret ICS address (the same feed as every person's: tenants/calendar/views.feed adds
the regions a person coordinates). Thin: the entries come from region_entries.py."""
from datetime import timedelta

from flask import render_template, request
from flask_login import current_user

from regionet.tenants.partners.forms import ConfirmForm

from ..regions.web import RegionBlueprint, current_region
from ..ui.formatting import today_in_poland
from .month_pages import create_feed_and_show, month_bounds, revoke_feed_and_return
from .region_entries import entries_for_region, unconfirmed_deadlines
from .services import active_feed

bp = RegionBlueprint("region_calendar", __name__, url_prefix="/calendar", template_folder="templates")


def _page(new_feed_url=None):
    first, previous, following = month_bounds(request.args.get("month"))
    entries = entries_for_region(current_region(), first, following - timedelta(days=1))
    return render_template("calendar/region_month.html", first=first, entries=entries, previous=previous,
                           following=following, unconfirmed=unconfirmed_deadlines(), feed=active_feed(current_user.id),
                           new_feed_url=new_feed_url, confirm=ConfirmForm(), today=today_in_poland())


@bp.route("/")
def month():
    return _page()


@bp.route("/feed", methods=["POST"])
def create_feed():
    return create_feed_and_show(_page)


@bp.route("/feed/revoke", methods=["POST"])
def revoke_feed():
    return revoke_feed_and_return()
