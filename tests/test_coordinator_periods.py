"""Reporting periods and sign-off: open, submit, return with a comment, accept, freeze."""
import re
from datetime import date

from sqlalchemy import select

from regionet.platform.coordinator import queries
from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant

from .coordinator_data import (  # noqa: F401 (fixture)
    Person,
    add_people,
    clean_region_tables,
    institution_id,
    refresh_figures,
)
from .helpers import visible_text

YEAR = today_in_poland().year
MOPS, PUP = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna"


def _world(app):
    with app.app_context():
        add_people(MOPS, [Person(f"Mops{i}", "Pierwsza", pesel=f"8{i}0303{i}3333", entry=date(YEAR, 1, 15),
                                 exit=date(YEAR, 3, 31), outcomes=[("employment_contract", date(YEAR, 4, 10))])
                          for i in range(6)])
        add_people(PUP, [Person(f"Pup{i}", "Druga", pesel=f"9{i}0404{i}4444", sex="male", entry=date(YEAR, 2, 1))
                         for i in range(4)])


def _open_period(client, auth, name="I półrocze") -> str:
    auth.login_coordinator()
    response = client.post("/r/swietokrzyskie/periods", data={
        "name": name, "start_date": f"{YEAR}-01-01", "end_date": f"{YEAR}-06-30", "due_date": f"{YEAR}-07-21"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    auth.logout()
    return response.location.rsplit("/", 1)[1]


def _submission_url(client, slug) -> str:
    page = client.get(f"/i/{slug}/periods/").get_data(as_text=True)
    return re.search(rf'href="(/i/{slug}/periods/[0-9a-f-]{{36}})"', page).group(1)


def _headline(client, period_key, scope="all") -> dict:
    page = client.get(f"/r/swietokrzyskie/?period={period_key}&scope={scope}").get_data(as_text=True)
    return {m: re.search(rf'data-testid="headline-{m}">([^<]*)<', page).group(1)
            for m in ("people", "participations", "episodes")}


def _counted_participations(app, period_key, scope="all") -> int:
    """The count as the recount made it (whether the dashboard prints it or "x" is the linked
    protection's decision, which in worlds this small hides much: tests/test_disclosure_attack.py)."""
    with app.app_context():
        return queries.one_way_figures("26", period_key, scope).get(("participations", ""), {}).get("", 0)


def test_opening_a_period_validates_the_dates_in_polish(client, auth):
    auth.login_coordinator()
    response = client.post("/r/swietokrzyskie/periods", data={
        "name": "Zły okres", "start_date": f"{YEAR}-06-30", "end_date": f"{YEAR}-01-01"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ostatni dzień nie może być wcześniejszy niż pierwszy." in page
    assert 'value="Zły okres"' in page          # what was typed is kept
    assert "Nie otwarto jeszcze żadnego okresu sprawozdawczego." in page


def test_accepted_figures_are_frozen_against_later_edits(app, client, auth):
    _world(app)
    period_id = _open_period(client, auth)
    auth.login_as(MOPS, "staff")
    url = _submission_url(client, MOPS)
    assert "Nieprzesłane" in visible_text(client.get(url).get_data(as_text=True))
    assert client.post(url + "/submit").status_code == 302
    auth.logout()
    auth.login_coordinator()
    response = client.post(f"/r/swietokrzyskie/periods/{period_id}/institutions/{_id(app, MOPS)}/accept",
                           data={"accept-comment": "Dziękujemy."})
    assert response.status_code == 302
    with app.app_context():
        refresh_figures()
        key = db.session.execute(select(ReportingPeriod.period_key)).scalar_one()
    before = _headline(client, key)
    year_before = _counted_participations(app, str(YEAR))
    assert _counted_participations(app, key) == 10

    # The MOPS edits its records: one more person, and an existing person loses their episode.
    with app.app_context():
        add_people(MOPS, [Person("Nowa", "Osoba", pesel="85050555555", entry=date(YEAR, 3, 1))])
        with tenant_scope(institution_id(MOPS)):
            person = db.session.execute(select(Participant).where(Participant.first_name == "Mops0")).scalar_one()
            person.sex = "male"
            db.session.commit()
        refresh_figures()
    assert _headline(client, key) == before, "the accepted period's figures changed"
    # (the calendar year follows the edits: its count, as counted; whether it is published depends on
    # the year's linked protection, which in a world this small hides much)
    assert _counted_participations(app, str(YEAR)) == year_before + 1

    auth.logout()
    auth.login_as(MOPS, "staff")
    page = visible_text(client.get(url).get_data(as_text=True))
    assert "Zaakceptowane przez koordynatora regionalnego" in page
    assert "zamrożone w wersji przesłanej" in page and "Dziękujemy." in page
    assert "Od przesłania Wasze rejestry się zmieniły" in page
    assert "Prześlij te dane" not in page


def test_returned_figures_carry_the_comment_and_follow_the_records_again(app, client, auth):
    _world(app)
    period_id = _open_period(client, auth)
    auth.login_as(PUP, "staff")
    url = _submission_url(client, PUP)
    client.post(url + "/submit")
    auth.logout()

    auth.login_coordinator()
    decide = f"/r/swietokrzyskie/periods/{period_id}/institutions/{_id(app, PUP)}"
    empty = client.post(decide + "/return", data={"ret-comment": "  "})
    assert empty.status_code == 400
    assert "Napisz, co instytucja powinna poprawić." in empty.get_data(as_text=True)
    assert client.post(decide + "/return", data={"ret-comment": "Brakuje stażystów z marca."}).status_code == 302
    review = visible_text(client.get(decide).get_data(as_text=True))
    assert "Zwrócone do poprawy" in review and "Brakuje stażystów z marca." in review
    assert "Karolina Jarosz (koordynator regionalny)" in review          # who
    assert "Roman Białek" not in review and "Agnieszka Buryło (instytucja)" in review
    # accepting returned figures is refused
    assert client.post(decide + "/accept", data={}).status_code == 400
    auth.logout()

    auth.login_as(PUP, "staff")
    page = visible_text(client.get(url).get_data(as_text=True))
    assert "Koordynator regionalny zwrócił Wasze dane do poprawy:" in page
    assert "Brakuje stażystów z marca." in page
    assert "Prześlij te dane koordynatorowi" in page
    # The period follows the records again: a new participant counts after the refresh.
    with app.app_context():
        add_people(PUP, [Person("Dodatkowy", "Stażysta", pesel="88080888888", entry=date(YEAR, 3, 2))])
        refresh_figures()
        key = db.session.execute(select(ReportingPeriod.period_key)).scalar_one()
        figures = queries.one_way_figures("26", key, "all")
    assert figures[("participations", "inst_kind")]["pup"] == 5
    assert client.post(url + "/submit").status_code == 302
    history = client.get(url).get_data(as_text=True)
    assert history.count("Przesłano dane") == 2 and "Zwrócone do poprawy" in history


def test_accepted_only_counts_the_accepted_institutions_and_the_dashboard_shows_states(app, client, auth):
    _world(app)
    period_id = _open_period(client, auth)
    for slug in (MOPS, PUP):
        auth.login_as(slug, "staff")
        client.post(_submission_url(client, slug) + "/submit")
        auth.logout()
    auth.login_coordinator()
    client.post(f"/r/swietokrzyskie/periods/{period_id}/institutions/{_id(app, MOPS)}/accept", data={})
    with app.app_context():
        refresh_figures()
        key = db.session.execute(select(ReportingPeriod.period_key)).scalar_one()
    assert _counted_participations(app, key) == 10
    assert _counted_participations(app, key, "accepted") == 6
    dashboard = visible_text(client.get(f"/r/swietokrzyskie/?period={key}").get_data(as_text=True))
    assert "1 zaakceptowane" in dashboard and "1 przesłane, czekają na decyzję" in dashboard
    period_page = visible_text(client.get(f"/r/swietokrzyskie/periods/{period_id}").get_data(as_text=True))
    assert "Zaakceptowane" in period_page and "Przesłane" in period_page and "Nieprzesłane" in period_page


def test_the_coordinator_reopens_accepted_figures_with_a_reason_and_the_institution_submits_again(
        app, client, auth):
    _world(app)
    period_id = _open_period(client, auth)
    auth.login_as(MOPS, "staff")
    url = _submission_url(client, MOPS)
    client.post(url + "/submit")
    auth.logout()
    auth.login_coordinator()
    decide = f"/r/swietokrzyskie/periods/{period_id}/institutions/{_id(app, MOPS)}"
    assert client.post(decide + "/accept", data={}).status_code == 302
    with app.app_context():
        refresh_figures()
        key = db.session.execute(select(ReportingPeriod.period_key)).scalar_one()
    assert _counted_participations(app, key, "accepted") == 6
    assert "Ponowne otwarcie do poprawy" in visible_text(client.get(decide).get_data(as_text=True))

    empty = client.post(decide + "/return", data={"ret-comment": ""})
    assert empty.status_code == 400
    assert "Napisz, co instytucja powinna poprawić." in visible_text(empty.get_data(as_text=True))
    reason = "Błędna data wyjścia u jednej osoby."
    assert client.post(decide + "/return", data={"ret-comment": reason}).status_code == 302
    review = visible_text(client.get(decide).get_data(as_text=True))
    history = review[review.index("Historia"):]
    # The acceptance stays in the history, followed by the return with its reason.
    assert history.index("Zaakceptowane") < history.index("Zwrócone do poprawy") < history.index(reason)
    assert "Ponowne otwarcie do poprawy" not in review and "Zaakceptuj i zamroź dane" not in review
    with app.app_context():
        refresh_figures()
    assert _counted_participations(app, key, "accepted") != 6  # no longer accepted
    auth.logout()

    auth.login_as(MOPS, "staff")
    page = visible_text(client.get(url).get_data(as_text=True))
    assert "Koordynator regionalny zwrócił Wasze dane do poprawy:" in page and reason in page
    assert client.post(url + "/submit").status_code == 302


def test_a_read_only_member_cannot_submit(app, client, auth):
    _world(app)
    _open_period(client, auth)
    auth.login_as(MOPS, "readonly")
    url = _submission_url(client, MOPS)
    assert "Dane mogą przesłać tylko pracownicy" in visible_text(client.get(url).get_data(as_text=True))
    assert client.post(url + "/submit").status_code == 403


def _id(app, slug) -> int:
    with app.app_context():
        return institution_id(slug)
