"""The region's calendar: statutory deadlines as data the operator corrects, each institution's
month (its type's reports, its groups' meetings, its tasks), and the per-person ICS feed with
reminders behind a secret address that can be revoked."""
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from regionet.platform.calendar.deadlines import occurrences
from regionet.platform.calendar.models import Frequency, ReportingDeadline
from regionet.platform.extensions import db
from regionet.platform.ui.formatting import today_in_poland

from .helpers import visible_text
from .test_groups import MOPS, OWES, PUP, _meeting

MRPIPS_03_HALF_YEAR = "Sprawozdanie z udzielonych świadczeń pomocy społecznej (półroczne)"


def test_occurrences_of_a_deadline():
    yearly = ReportingDeadline(frequency=Frequency.YEARLY, due_month=4, due_day=31, active=True)
    assert occurrences(yearly, date(2026, 1, 1), date(2027, 12, 31)) == [date(2026, 4, 30), date(2027, 4, 30)]
    monthly = ReportingDeadline(frequency=Frequency.MONTHLY, due_day=31, active=True)
    assert occurrences(monthly, date(2026, 2, 1), date(2026, 4, 15)) == [date(2026, 2, 28), date(2026, 3, 31)]
    assert occurrences(ReportingDeadline(frequency=Frequency.MONTHLY, due_day=None, active=True),
                       date(2026, 1, 1), date(2026, 12, 31)) == []


def _deadline_id(app, name=MRPIPS_03_HALF_YEAR) -> int:
    with app.app_context():
        return db.session.execute(select(ReportingDeadline.id).where(ReportingDeadline.name == name)).scalar_one()


@pytest.fixture
def restore_deadlines(app):
    with app.app_context():
        saved = {d.id: (d.due_day, d.due_month, d.verified_on) for d in db.session.execute(
            select(ReportingDeadline)).scalars()}
    yield
    with app.app_context():
        for deadline in db.session.execute(select(ReportingDeadline)).scalars():
            deadline.due_day, deadline.due_month, deadline.verified_on = saved[deadline.id]
        db.session.commit()


def test_an_institution_sees_its_types_reports_and_the_operator_corrects_them(app, client, auth, restore_deadlines):
    year = today_in_poland().year + 1
    auth.login_as(MOPS, "staff")
    july = visible_text(client.get(f"/i/{MOPS}/calendar/?month={year}-07").get_data(as_text=True))
    assert f"21.07.{year}" in july and "MRPiPS-03" in july and "Urząd wojewódzki (CAS)" in july
    auth.logout()
    auth.login_as(PUP, "staff")
    pup = visible_text(client.get(f"/i/{PUP}/calendar/?month={year}-07").get_data(as_text=True))
    assert "MRPiPS-03" not in pup and "MRPiPS-01" in pup   # the PUP's monthly report: day not confirmed
    assert client.get(f"/operator/deadlines/{_deadline_id(app)}").status_code == 404   # the operator's only
    auth.logout()
    auth.login_operator()
    url = f"/operator/deadlines/{_deadline_id(app)}"
    form = {"form_code": "MRPiPS-03", "name": MRPIPS_03_HALF_YEAR, "reporter_kinds": ["ops", "pcpr"],
            "recipient": "Urząd wojewódzki (CAS)", "frequency": "yearly", "due_month": "7", "due_day": "32",
            "period_note": "za I półrocze", "source": "x", "verified_on": "", "active": "y"}
    response = client.post(url, data=form)
    html = response.get_data(as_text=True)
    found = re.search(r'id="due_day-error">(.*?)</p>', html, re.S)
    assert response.status_code == 422 and found and "od 1 do 31" in found.group(1)
    assert _deadline_id(app) and client.get("/operator/deadlines/").status_code == 200
    form.update(due_day="20", verified_on="2026-12-01")
    assert client.post(url, data=form).status_code == 302
    auth.logout()
    auth.login_as(MOPS, "staff")
    july = visible_text(client.get(f"/i/{MOPS}/calendar/?month={year}-07").get_data(as_text=True))
    assert f"20.07.{year}" in july and f"21.07.{year}" not in july


def test_the_feed_carries_meetings_and_deadlines_with_reminders_and_can_be_revoked(app, client, auth):
    from .test_groups import _invite, _new_group

    group_id = _new_group(client, auth)   # MOPS staff, chair of a group with the PUP invited
    _invite(app, client, group_id)
    meeting_id = _meeting(client, MOPS, group_id)
    month = (today_in_poland() + timedelta(days=10)).strftime("%Y-%m")
    assert "Analiza narzędzi badawczych" in client.get(f"/i/{MOPS}/calendar/?month={month}").get_data(as_text=True)
    home = visible_text(client.get(f"/i/{MOPS}/").get_data(as_text=True))   # the reminder on the overview
    assert "W ciągu najbliższych 14 dni" in home and "Grupa Robocza MOPS–CIS: Analiza narzędzi badawczych" in home
    page = client.post(f"/i/{MOPS}/calendar/feed").get_data(as_text=True)
    feed_url = re.search(r"<code>(http[^<]+\.ics)</code>", page).group(1)
    path = feed_url.split("://", 1)[1].split("/", 1)[1]
    auth.logout()   # the address alone opens the feed
    response = client.get("/" + path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    meeting = events[f"meeting-{meeting_id}@regionet"]
    assert meeting.decoded("dtstart").hour == 13 and str(meeting.decoded("dtstart").tzinfo) == "Europe/Warsaw"
    assert meeting.walk("VALARM")[0].decoded("trigger") == -timedelta(days=1)
    deadline = next(e for uid, e in events.items() if uid.startswith("deadline-") and "MRPiPS-03" in str(e["summary"]))
    assert deadline.walk("VALARM")[0].decoded("trigger") == -timedelta(days=7)
    # The OWES's people do not get the group's meeting; a revoked address is a 404.
    auth.login_as(MOPS, "staff")
    assert client.post(f"/i/{MOPS}/calendar/feed/revoke").status_code == 302
    auth.logout()
    assert client.get("/" + path).status_code == 404
    assert client.get("/calendar/nieistniejacy.ics").status_code == 404
    auth.login_as(OWES, "admin")
    assert "Analiza narzędzi badawczych" not in client.get(f"/i/{OWES}/calendar/?month={month}").get_data(as_text=True)
    owes_page = client.post(f"/i/{OWES}/calendar/feed").get_data(as_text=True)
    owes_path = re.search(r"<code>https?://[^/]+(/[^<]+\.ics)</code>", owes_page).group(1)
    auth.logout()
    assert f"meeting-{meeting_id}" not in client.get(owes_path).get_data(as_text=True)


def test_received_referrals_show_by_their_acceptance_deadline_without_the_person(app, client, auth):
    from regionet.platform.institutions.models import Institution
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.referrals.models import Referral

    from .factories import make
    from .test_isolation import _institution_id

    mops = _institution_id(app, MOPS)
    due = today_in_poland() + timedelta(days=5)
    with app.app_context():
        referral_id = make(Referral, mops)
        with tenant_scope(mops):
            referral = db.session.execute(select(Referral).where(Referral.id == referral_id)).scalar_one()
            referral.due_on = due
            receiver, service = referral.receiver_tenant_id, referral.service_name
            db.session.commit()
        receiver_slug = db.session.get(Institution, receiver).slug
    auth.login_as(receiver_slug, "staff")
    page = visible_text(client.get(f"/i/{receiver_slug}/calendar/?month={due.strftime('%Y-%m')}").get_data(
        as_text=True))
    assert f"{due.strftime('%d.%m.%Y')} Skierowania do przyjęcia: 1 {service}" in page
    assert "Testowa" not in page
    auth.logout()
    auth.login_as(MOPS, "staff")   # the sender's calendar does not carry the receiver's deadline
    assert "Skierowania do przyjęcia" not in client.get(
        f"/i/{MOPS}/calendar/?month={due.strftime('%Y-%m')}").get_data(as_text=True)
