"""The region's calendar, the coordinator's view: /r/<region>/calendar/ (issue 16, point 4), and the
coordinator's secret ICS address (the same feed as every person's: tenants/calendar/views.feed adds
the regions a person coordinates). Thin: the entries come from region_entries.py."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.tenants.partners.forms import ConfirmForm

from ..extensions import db
from ..regions.web import RegionBlueprint, current_region
from ..ui.formatting import today_in_poland
from .region_entries import entries_for_region, unconfirmed_deadlines
from .services import active_feed, do_create_feed, do_revoke_feeds

bp = RegionBlueprint("region_calendar", __name__, url_prefix="/calendar", template_folder="templates")


def _month(text: str | None) -> date:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today_in_poland().replace(day=1)


def _page(new_feed_url=None):
    first = _month(request.args.get("month"))
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    entries = entries_for_region(current_region(), first, following - timedelta(days=1))
    return render_template("calendar/region_month.html", first=first, entries=entries, previous=previous,
                           following=following, unconfirmed=unconfirmed_deadlines(), feed=active_feed(current_user.id),
                           new_feed_url=new_feed_url, confirm=ConfirmForm(), today=today_in_poland())


@bp.route("/")
def month():
    return _page()


@bp.route("/feed", methods=["POST"])
def create_feed():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = do_create_feed(current_user.id)
    db.session.commit()
    flash(_("Your new calendar address is ready. The previous one no longer works."), "success")
    return _page(new_feed_url=url_for("calendar_feed.feed", token=token, _external=True))


@bp.route("/feed/revoke", methods=["POST"])
def revoke_feed():
    if ConfirmForm().validate_on_submit():
        do_revoke_feeds(current_user.id)
        db.session.commit()
        flash(_("Your calendar address no longer works."), "success")
    return redirect(url_for(".month"))
