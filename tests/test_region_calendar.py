"""The region's calendar (issue 16, point 4): the coordinator's view of the regional groups' meetings,
the reporting periods and every institution type's statutory deadlines; members see a regional group's
meetings in their own calendars; the coordinator's secret ICS feed with reminders, revocable."""
import re
from datetime import date

from icalendar import Calendar

from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.extensions import db

from .test_groups import OWES, PUP
from .test_regional_groups import NAME, no_office_after, regional_group  # noqa: F401  (fixtures)

CALENDAR = "/r/swietokrzyskie/calendar"


def _text(response) -> str:
    from .helpers import visible_text

    return visible_text(response.get_data(as_text=True))


def test_the_region_calendar_and_the_coordinators_feed(app, client, auth, regional_group):  # noqa: F811
    with app.app_context():
        db.session.add(ReportingPeriod(region_code="26", period_key="rp-kalendarz-test", name="II półrocze 2026",
                                       start_date=date(2026, 7, 1), end_date=date(2026, 12, 31),
                                       due_date=date(2026, 12, 18)))
        db.session.commit()
    try:
        auth.login_coordinator()
        december = _text(client.get(f"{CALENDAR}/?month=2026-12"))
        assert f"16.12.2026, 10:00 {NAME}: Posiedzenie komitetu Urząd Marszałkowski, Kielce" in december
        assert "Termin okresu sprawozdawczego: II półrocze 2026 01.07.2026 – 31.12.2026" in december
        february = _text(client.get(f"{CALENDAR}/?month=2027-02"))
        assert "09.02.2027 Termin sprawozdania: MRPiPS-03 OPS, PCPR: Sprawozdanie z udzielonych świadczeń" in february
        assert "Termin sprawozdania: MRPiPS-01" not in february   # no confirmed day: listed below, never on a day
        assert "MRPiPS-01 (Sprawozdanie o rynku pracy (miesięczne)" in february
        # The coordinator's secret address: the region's entries with reminders; revoking makes it a 404.
        created = client.post(f"{CALENDAR}/feed").get_data(as_text=True)
        feed_path = re.search(r"<code>https?://[^/]+(/calendar/[^<]+\.ics)</code>", created).group(1)
        auth.logout()
        ics = Calendar.from_ical(client.get(feed_path).data)
        events = {str(e["summary"]): e for e in ics.walk("VEVENT")}
        meeting = events[f"{NAME}: Posiedzenie komitetu"]
        assert meeting.walk("VALARM") and "Termin okresu sprawozdawczego: II półrocze 2026" in events
        assert any(summary.startswith("Termin sprawozdania: MRPiPS-03") for summary in events)
        auth.login_coordinator()
        client.post(f"{CALENDAR}/feed/revoke")
        auth.logout()
        assert client.get(feed_path).status_code == 404
    finally:
        with app.app_context():
            db.session.execute(db.delete(ReportingPeriod).where(ReportingPeriod.period_key == "rp-kalendarz-test"))
            db.session.commit()

    # A member institution sees the regional meeting in its own calendar; an outsider does not.
    auth.login_as(PUP, "staff")
    assert f"{NAME}: Posiedzenie komitetu" in _text(client.get(f"/i/{PUP}/calendar/?month=2026-12"))
    auth.logout()
    auth.login_as(OWES, "admin")
    assert NAME not in _text(client.get(f"/i/{OWES}/calendar/?month=2026-12"))
    for method, url in (("GET", f"{CALENDAR}/"), ("POST", f"{CALENDAR}/feed"), ("POST", f"{CALENDAR}/feed/revoke")):
        assert client.open(url, method=method).status_code == 404, (method, url)   # staff are not coordinators
    auth.logout()
