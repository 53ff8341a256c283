"""What the institution's calendar and the region's calendar pages share: the month asked for in the
address, and the secret feed address created or revoked from the page (tenants/calendar/views.py,
platform/calendar/region_views.py). The entries differ; the rest is one piece."""
from datetime import date, timedelta

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from regionet.tenants.partners.forms import ConfirmForm

from ..extensions import db
from ..ui.formatting import today_in_poland
from .services import do_create_feed, do_revoke_feeds


def month_bounds(text: str | None) -> tuple[date, date, date]:
    """First day of the month `YYYY-MM` (this month when unreadable), of the previous and of the next."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today_in_poland().replace(day=1)
    return first, (first - timedelta(days=1)).replace(day=1), (first + timedelta(days=32)).replace(day=1)


def create_feed_and_show(render_page):
    """A new secret address (the previous one stops working), shown once on the page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = do_create_feed(current_user.id)
    db.session.commit()
    flash(_("Your new calendar address is ready. The previous one no longer works."), "success")
    return render_page(new_feed_url=url_for("calendar_feed.feed", token=token, _external=True))


def revoke_feed_and_return():
    if ConfirmForm().validate_on_submit():
        do_revoke_feeds(current_user.id)
        db.session.commit()
        flash(_("Your calendar address no longer works."), "success")
    return redirect(url_for(".month"))
